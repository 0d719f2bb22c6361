"""Headless Chromium from the distribution's packages, driven by Selenium (pure Python, no download).

Why Selenium and not Playwright: Selenium is a pure-Python wheel that talks WebDriver to the
distribution's `chromedriver`, so nothing but PyPI and Debian packages is needed; Playwright's Python
package brings its own Node driver and expects its own browser builds (which cannot be downloaded
here), and playwright-core through npm would add Node to `make test`.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CHROMIUM = Path(os.environ.get("HEED_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("HEED_CHROMEDRIVER", "/usr/bin/chromedriver"))
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
# Flags that work on this project's machines (root, no GPU, no network beyond 127.0.0.1 needed).
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


@dataclass(frozen=True)
class Viewport:
    name: str
    width: int
    height: int
    mobile: bool


PHONE = Viewport("phone", 390, 844, True)
DESKTOP = Viewport("desktop", 1280, 900, False)


def missing_reason() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -r requirements-dev.txt)"
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not (path.is_file() and os.access(path, os.X_OK)):
            return (
                f"{path} is missing: `make test` installs it as root "
                f"(apt-get install -y chromium chromium-driver); Debian package {package}"
            )
    return None


@contextmanager
def chromium(viewport: Viewport) -> Iterator[Any]:
    """A fresh headless Chromium (its own profile directory) sized as the viewport."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must never try to download a driver
    profile = tempfile.mkdtemp(prefix="heed-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    if viewport.mobile:
        options.add_experimental_option(
            "mobileEmulation",
            {
                "deviceMetrics": {
                    "width": viewport.width,
                    "height": viewport.height,
                    "pixelRatio": 2,
                    "touch": True,
                }
            },
        )
    else:
        options.add_argument(f"--window-size={viewport.width},{viewport.height}")
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(20)
    driver.set_script_timeout(20)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def axe_violations(driver: Any, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict[str, Any]]:
    """Run axe-core (vendored, MPL-2.0) on the current page; the violations of the given impacts."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations), e => done(String(e)));"
    )
    if isinstance(result, str):
        raise RuntimeError(f"axe-core failed: {result}")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result
        if v.get("impact") in impacts
    ]
