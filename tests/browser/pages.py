"""The console as a person uses it, for the browser tests and infra/screenshots.py: open a link,
sign in through the page's own form, wait for what the page shows, act through its controls."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.browser.driver import axe_violations

WAIT_SECONDS = 10


@dataclass(frozen=True)
class DevUser:
    email: str
    password: str
    group: str


def development_user(group: str) -> DevUser:
    """A documented development user of the local stack's Cognito pool (infra/local_cognito.py)."""
    from infra.local_cognito import DEV_USERS, dev_password

    for email, _name, user_group, variable in DEV_USERS:
        if user_group == group:
            return DevUser(email, dev_password(variable), group)
    raise LookupError(f"no development user in group {group}")


class Console:
    def __init__(self, driver: Any, base_url: str) -> None:
        self.driver = driver
        self.base_url = base_url.rstrip("/")

    # navigation
    def url(self, route: str = "") -> str:
        return f"{self.base_url}/console/{route}"

    def open(self, route_or_url: str) -> None:
        self.driver.get(route_or_url if route_or_url.startswith("http") else self.url(route_or_url))

    def wait(self, condition: Callable[[Any], Any], timeout: float = WAIT_SECONDS, what: str = "") -> Any:
        from selenium.common.exceptions import (
            NoSuchElementException,
            StaleElementReferenceException,
            TimeoutException,
        )
        from selenium.webdriver.support.ui import WebDriverWait

        # the page re-renders after every action: an element found a moment ago may be gone
        ignored = (StaleElementReferenceException, NoSuchElementException)
        try:
            return WebDriverWait(self.driver, timeout, poll_frequency=0.05, ignored_exceptions=ignored).until(
                condition
            )
        except TimeoutException as exc:
            raise AssertionError(
                f"waited {timeout}s for {what or condition}; page says: {self.main_text()[:600]}"
            ) from exc

    def find(self, css: str) -> Any:
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.CSS_SELECTOR, css)

    def all(self, css: str) -> list[Any]:
        from selenium.webdriver.common.by import By

        return list(self.driver.find_elements(By.CSS_SELECTOR, css))

    def visible(self, css: str) -> Any:
        def shown(_: Any) -> Any:
            found = [e for e in self.all(css) if e.is_displayed()]
            return found[0] if found else False

        return self.wait(shown, what=f"{css} to show")

    def click(self, css: str) -> Any:
        """Click like a person: the control scrolled to the middle first (the sticky header would
        otherwise cover a control that WebDriver scrolls to the top edge)."""
        element = self.visible(css)
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        element.click()
        return element

    def main_text(self) -> str:
        try:
            return str(self.driver.execute_script("return document.getElementById('main').innerText"))
        except Exception:  # the page may not be loaded at all
            return ""

    def heading(self, showing: str = "") -> str:
        """The page's heading once it shows `showing` (any heading when empty). Read inside the wait:
        the page re-renders after a refresh or a route change, and a heading found a moment earlier
        may be gone (stale) or still the previous page's."""

        def shown(_: Any) -> Any:
            texts = [str(e.text) for e in self.all("main h1") if e.is_displayed()]
            return next((t for t in texts if showing in t), False)

        return str(self.wait(shown, what=f"main h1 saying {showing!r}" if showing else "main h1 to show"))

    def wait_text(self, css: str, text: str) -> Any:
        return self.wait(
            lambda _: next((e for e in self.all(css) if text in e.text and e.is_displayed()), False),
            what=f"{css} saying {text!r}",
        )

    # sign-in and pages
    def sign_in(self, user: DevUser) -> None:
        self.visible("input[type=email]").send_keys(user.email)
        self.find("input[type=password]").send_keys(user.password)
        self.find("main form button[type=submit]").click()
        self.wait(lambda _: not self.all("input[type=password]"), what="the sign-in form to go")

    def wait_for_task(self) -> None:
        self.visible("#claim-bar")
        self.visible("#conv-title")

    def wait_for_inbox(self) -> None:
        self.visible("#tasks-title")

    def wait_for_report(self) -> None:
        self.visible("#figures")

    def figure(self, name: str) -> str:
        return str(self.visible(f'[data-figure="{name}"] .value').text)

    # checks
    def axe(self) -> list[dict[str, Any]]:
        return axe_violations(self.driver)

    def shoot(self, path: Path, *, full_page: bool = False) -> None:
        """A PNG of the window, or of the whole page (Chromium's DevTools capture beyond the viewport)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        # the short "Signed in" / "Reply sent" notice would cover part of the picture
        self.driver.execute_script("document.getElementById('status').textContent = ''")
        if not full_page:
            self.driver.save_screenshot(str(path))
            return
        # from the top (the sticky header in its place) and with no control focused
        self.driver.execute_script("document.activeElement.blur(); window.scrollTo(0, 0)")
        size = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
        shot = self.driver.execute_cdp_cmd(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1},
            },
        )
        path.write_bytes(base64.b64decode(shot["data"]))
