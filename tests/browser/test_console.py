"""The console in a real browser (headless Chromium from the distribution), on the local stack that
`make serve` runs, with the real console function, Cognito (moto) sign-in and JWT checks: no stub.

Given traffic delivered through the real webhook path (infra/screenshots.seed), an on-call agent
opens the alert's link on a phone, signs in, lands on the overdue task, claims it, replies with an
approved template, sees a forbidden phrase refused, resolves it, and sees the report move. A lead on
a laptop works the inbox by keyboard, sees markup in customer text shown as text, and takes over a
task another person holds. axe-core checks every page for serious and critical violations.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import requests

from tests.browser.driver import DESKTOP, PHONE, chromium, missing_reason

MISSING = missing_reason()
pytestmark = [
    pytest.mark.skipif(MISSING is not None, reason=f"browser tests skipped: {MISSING}"),
    pytest.mark.filterwarnings("ignore:No application metrics to publish"),  # the worker's Powertools
]

FORBIDDEN = "Sorry about this! Please send us an email with your card number so we can check."


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Any]]:
    from infra.local_stack import LocalStack
    from infra.screenshots import seed

    with LocalStack(http_port=0, state_dir=tmp_path_factory.mktemp("console-stack")) as local:
        yield local, seed(local)


def alert_link(local: Any, task_id: str) -> str:
    """The console link the alert about this task carries (what the on-call person taps)."""
    texts = [f"{a.get('subject')}\n{a.get('message')}" for a in local.alert_messages()]
    for text in texts:
        found = re.search(r"https?://\S+/console/#/tasks/" + re.escape(task_id), text)
        if found:
            return found.group(0)
    raise AssertionError(f"no alert links to {task_id}: {texts}")


def customer_writes_again(local: Any, text: str) -> None:
    """The markup task's customer answers under their own comment (the same thread), through the
    real webhook path, and the worker processes it."""
    from infra.screenshots import MARKUP_AUTHOR, facebook_delivery

    delivery = facebook_delivery(
        "990003",
        text,
        author_id="61550000000102",
        name=MARKUP_AUTHOR,
        at=datetime.now(tz=UTC),
        parent="555100_990002",
    )
    status, body = local.deliver("POST", "/webhooks/facebook", body=delivery.body, headers=delivery.headers)
    assert status == 200, body
    local.drain()


def assert_accessible(console: Any, page: str) -> None:
    violations = console.axe()
    assert violations == [], f"axe-core on {page}: {violations}"


def no_horizontal_scroll(driver: Any) -> bool:
    return bool(driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth"))


def outbox_texts(local: Any) -> list[str]:
    return [str(call.get("body") or "") + str(call.get("url") or "") for call in local.outbox.calls]


def test_on_call_agent_works_the_overdue_task_from_the_alert_link_on_a_phone(stack: tuple[Any, Any]) -> None:
    from tests.browser.pages import Console, development_user

    local, seeded = stack
    link = alert_link(local, seeded.overdue_task)
    with chromium(PHONE) as driver:
        console = Console(driver, local.base_url)
        # Given the alert's link, opened signed out: the sign-in page, the link kept
        console.open(link)
        assert console.heading(showing="Sign in to Heed") == "Sign in to Heed"
        assert_accessible(console, "sign-in")
        console.sign_in(development_user("agent"))
        # Then the task itself, overdue
        console.wait_for_task()
        assert driver.current_url.endswith(f"#/tasks/{seeded.overdue_task}")
        assert "Dana Whitfield" in console.heading(showing="Dana Whitfield")
        assert "overdue by" in console.wait_text(".clock.overdue", "overdue by").text
        assert no_horizontal_scroll(driver)
        assert_accessible(console, "task")

        # The report before
        console.open("#/report")
        console.wait_for_report()
        resolved_before = console.figure("resolutions")
        driver.back()
        console.wait_for_task()

        # Claim: one tap
        console.click("#claim")
        console.wait_text("#claim-bar", "You hold this task")

        # Reply with an approved template
        calls_before = len(local.outbox.calls)
        from selenium.webdriver.support.ui import Select

        picker = Select(console.visible("#reply-template"))
        assert len(picker.options) > 1, "no approved template offered"
        picker.select_by_index(1)
        template_text = console.find("#reply-text").get_property("value")
        assert template_text.strip()
        console.click("#reply-send")
        console.wait(lambda _: len(local.outbox.calls) > calls_before, what="the reply to reach the platform")
        console.wait(
            lambda _: console.find("#reply-text").get_property("value") == "", what="the draft to clear"
        )
        assert any(template_text[:40] in text for text in outbox_texts(local)[calls_before:])

        # A forbidden phrase is refused, inline, and nothing is sent
        calls_before = len(local.outbox.calls)
        box = console.find("#reply-text")
        box.send_keys(FORBIDDEN)
        console.click("#reply-send")
        refusal = console.wait_text("#reply-problem", "forbidden phrase")
        assert "send us an email" in refusal.text
        assert len(local.outbox.calls) == calls_before
        assert console.find("#reply-text").get_property("value") == FORBIDDEN  # the draft is kept

        # Resolve with an outcome
        from selenium.webdriver.support.ui import Select as Choose

        Choose(console.find("form[aria-label=Resolve] select")).select_by_value("answered_publicly")
        console.click("#resolve")
        console.wait_text("#claim-bar", "Resolved")

        # The report moved
        console.open("#/report")
        console.wait_for_report()
        public_before = int(resolved_before.split("/")[0])
        console.wait(
            lambda _: int(console.figure("resolutions").split("/")[0]) == public_before + 1,
            what="one more public resolution in the report",
        )
        assert no_horizontal_scroll(driver)
        assert_accessible(console, "report")
        # The token lives in the tab (sessionStorage) and travels in a header: no cookie at all
        assert driver.get_cookies() == []
        assert driver.execute_script(
            "return JSON.parse(sessionStorage.getItem('heed.session')).id_token.length > 100"
        )


def test_lead_on_a_laptop_keyboard_markup_as_text_and_take_over(stack: tuple[Any, Any]) -> None:
    from selenium.webdriver.common.keys import Keys

    from tests.browser.pages import Console, development_user

    local, seeded = stack
    agent = development_user("agent")
    with chromium(DESKTOP) as driver:
        console = Console(driver, local.base_url)
        console.open("#/inbox")
        console.sign_in(development_user("lead"))
        console.wait_for_inbox()
        assert_accessible(console, "inbox")

        # The overdue filter: as many rows as its count says, each with its clock past due
        overdue = next(b for b in console.all("ul.chips button") if b.text.startswith("Overdue"))
        count = int(re.search(r"\((\d+)\)", overdue.text).group(1))  # type: ignore[union-attr]
        overdue.click()
        console.wait_text("#tasks-title", "Matching tasks")  # the filtered list, drawn anew
        rows = console.all("a[data-task]")
        assert count >= 1 and len(rows) == count
        assert all("overdue" in row.get_attribute("class").split() for row in rows)
        console.open("#/inbox")
        console.wait_for_inbox()

        # Customer text holding markup is shown as text and runs nothing
        row = console.visible(f'a[data-task="{seeded.markup_task}"]')
        assert "<script>window.__xss=2</script>" in row.text
        assert console.all("main img") == []
        assert driver.execute_script("return window.__xss === undefined")

        # Keyboard only: search by reference, then Tab to the task and open it with Enter
        search = console.find("input[type=search]")
        search.send_keys(seeded.markup_task, Keys.ENTER)
        console.wait(lambda _: len(console.all("a[data-task]")) == 1, what="the search to leave one task")
        active = driver.switch_to.active_element
        for _ in range(40):
            active.send_keys(Keys.TAB)
            active = driver.switch_to.active_element
            if active.get_attribute("data-task") == seeded.markup_task:
                break
        assert active.get_attribute("data-task") == seeded.markup_task, (
            "the task link is not reachable by Tab"
        )
        outline = driver.execute_script("return getComputedStyle(arguments[0]).outlineStyle", active)
        assert outline != "none", "no visible focus on the focused task link"
        active.send_keys(Keys.ENTER)
        console.wait_for_task()
        assert "<img" in console.heading()
        assert console.wait_text(".msg.customer .text", "<script>")
        assert driver.execute_script("return window.__xss === undefined")
        assert_accessible(console, "task (desktop)")

        # A draft opened before the customer wrote again is stopped and the new message shown first
        draft = "Hi Eve, your order left our warehouse this morning."
        console.visible("#reply-text").send_keys(draft)
        customer_writes_again(local, "Still nothing?? It is order A-1234")
        calls_before = len(local.outbox.calls)
        console.click("#reply-send")
        console.wait_text("#reply-prompt", "wrote again")
        assert len(local.outbox.calls) == calls_before
        console.click("#show-newer")
        console.wait_text(".msg.customer .text", "Still nothing??")
        assert console.find("#reply-text").get_property("value") == draft  # the draft is kept

        # Two people, one task: the agent holds it; the lead's reply asks to take it over first
        token = requests.post(
            f"{local.base_url}/console/api/session",
            json={"email": agent.email, "password": agent.password},
            timeout=10,
        ).json()["id_token"]
        claimed = requests.post(
            f"{local.base_url}/console/api/tasks/{seeded.markup_task}/claim",
            json={},
            headers={"authorization": f"Bearer {token}"},
            timeout=10,
        )
        assert claimed.status_code == 200, claimed.text
        console.click("#reply-send")
        prompt = console.wait_text("#reply-prompt", "holds this task")
        assert agent.email in prompt.text
        calls_before = len(local.outbox.calls)
        console.click("#takeover-send")
        console.wait(lambda _: len(local.outbox.calls) > calls_before, what="the reply after the take-over")
        console.wait_text("#claim-bar", "You hold this task")

        # The customer page and the report are accessible too
        console.find('a[href^="#/customers/"]').click()
        console.visible("#ids-title")
        assert_accessible(console, "customer")
        console.open("#/report")
        console.wait_for_report()
        assert_accessible(console, "report (desktop)")
        assert console.all(".chart rect"), "no chart drawn"
        console.open("#/users")
        console.wait_text("main table", "agent@example.com")
        assert_accessible(console, "people")


def test_a_refused_token_is_refreshed_or_asks_to_sign_in_again_keeping_the_link_and_sign_out_forgets_it(
    stack: tuple[Any, Any],
) -> None:
    from tests.browser.pages import Console, development_user

    local, seeded = stack
    spoil = (
        "const s = JSON.parse(sessionStorage.getItem('heed.session'));"
        "s.id_token = 'not.a.token'; if (arguments[0]) s.refresh_token = null;"
        "sessionStorage.setItem('heed.session', JSON.stringify(s));"
    )
    with chromium(PHONE) as driver:
        console = Console(driver, local.base_url)
        console.open("#/report")
        console.sign_in(development_user("agent"))
        console.wait_for_report()
        # Given an ID token the server refuses but a refresh token: the page gets a new one, silently
        driver.execute_script(spoil, False)
        driver.refresh()
        console.wait_for_report()
        assert driver.execute_script(
            "return JSON.parse(sessionStorage.getItem('heed.session')).id_token"
        ) != ("not.a.token")
        # Given no refresh token either: sign in again, and the link opened is the page shown after
        driver.execute_script(spoil, True)
        console.open(f"#/tasks/{seeded.markup_task}")
        driver.refresh()
        assert console.heading(showing="Sign in to Heed") == "Sign in to Heed"
        assert driver.current_url.endswith(f"#/tasks/{seeded.markup_task}")
        console.sign_in(development_user("agent"))
        console.wait_for_task()
        # Signing out forgets the tokens
        console.click("#sign-out")
        assert console.heading(showing="Sign in to Heed") == "Sign in to Heed"
        assert driver.execute_script("return sessionStorage.getItem('heed.session')") is None
