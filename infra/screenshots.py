"""Screenshots of the console for the README: `python -m infra.screenshots` (docs/console/*.png).

Starts the local stack (the one `make serve` runs), fills it with real-shaped, signed webhook
deliveries (`seed`, also used by tests/browser), signs in through the console's own sign-in page as
a development user and photographs the inbox, the report and the overdue task in a phone-sized and
a desktop window of headless Chromium (tests/browser/driver.py), then a reply the brand's rules
refuse on the phone.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from infra.local_stack import LocalStack
from infra.sample_deliveries import (
    PAGE_ID,
    SAMPLE_BUILDERS,
    facebook_comment,
    generic_samples,
    meta_signed,
    page_envelope,
)

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "console"

OVERDUE_AUTHOR = "Dana Whitfield"
OVERDUE_TEXT = "You charged me twice this month, I will cancel and sue you, this is fraud"
MARKUP_AUTHOR = 'Eve <img src=x onerror="window.__xss=1">'
REFUSED_REPLY = "Sorry about this! Please send us an email with your card number so we can check."
MARKUP_TEXT = '<script>window.__xss=2</script><b>Where</b> is my order? <img src=x onerror="window.__xss=3">'


@dataclass(frozen=True)
class Seeded:
    overdue_task: str  # a P1 complaint an hour old: its first response (15 min) is overdue
    markup_task: str  # a customer whose name and text hold markup (must show as text)
    tasks: int


def facebook_delivery(
    comment_id: str, text: str, *, author_id: str, name: str, at: datetime, parent: str | None = None
) -> Any:
    """A signed Facebook comment on the seeded post (under another comment when parent is given)."""
    post = "555100"
    comment = facebook_comment(comment_id, post, text, author_id=author_id, name=name, now=at, parent=parent)
    return meta_signed("facebook", page_envelope(at, comment), f"Facebook comment by {name}")


def seed(stack: LocalStack, now: datetime | None = None) -> Seeded:
    """Deliver the sample traffic of every platform (25 minutes old but the generic webhook's) plus two comments the browser
    tests follow, through the real webhook path; work the queue; return the two tasks' ids."""
    from heed.followup.console import Console

    now = now or datetime.now(tz=UTC)
    deliveries = [
        sample
        for build in SAMPLE_BUILDERS
        # the generic webhook's signature carries its time and is refused 5 minutes later
        for sample in build(now if build is generic_samples else now - timedelta(minutes=25))
    ]
    deliveries.append(
        facebook_delivery(
            "990001",
            OVERDUE_TEXT,
            author_id="61550000000101",
            name=OVERDUE_AUTHOR,
            at=now - timedelta(hours=1),
        )
    )
    deliveries.append(
        facebook_delivery(
            "990002",
            MARKUP_TEXT,
            author_id="61550000000102",
            name=MARKUP_AUTHOR,
            at=now - timedelta(minutes=5),
        )
    )
    for delivery in deliveries:
        stack.outbox.get_answers.update(delivery.platform_answers)
        status, body = stack.deliver(
            "POST", f"/webhooks/{delivery.route}", body=delivery.body, headers=delivery.headers
        )
        if status != 200:
            raise RuntimeError(f"{delivery.description}: {status} {body}")
    stack.drain()
    tasks = Console(stack.table, stack.policy).list_tasks(now=now)
    by_author = {t.author_display: t.task_id for t in tasks}
    missing = [name for name in (OVERDUE_AUTHOR, MARKUP_AUTHOR) if name not in by_author]
    if missing:
        raise RuntimeError(f"no task opened for {missing} (page {PAGE_ID})")
    return Seeded(by_author[OVERDUE_AUTHOR], by_author[MARKUP_AUTHOR], len(tasks))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    from selenium.webdriver.support.ui import Select

    from tests.browser import pages
    from tests.browser.driver import DESKTOP, PHONE, chromium, missing_reason

    reason = missing_reason()
    if reason:
        print(f"cannot take screenshots: {reason}", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    with LocalStack(http_port=0, state_dir=Path(tempfile.mkdtemp(prefix="heed-shots-"))) as stack:
        seeded = seed(stack)
        user = pages.development_user("lead")
        for viewport in (PHONE, DESKTOP):
            with chromium(viewport) as driver:
                console = pages.Console(driver, stack.base_url)
                console.open("#/inbox")
                console.sign_in(user)
                console.wait_for_inbox()
                console.shoot(args.out / f"{viewport.name}-inbox.png")
                console.open("#/report")
                console.wait_for_report()
                console.shoot(args.out / f"{viewport.name}-report.png")
                console.open(f"#/tasks/{seeded.overdue_task}")
                console.wait_for_task()
                if viewport is PHONE:
                    # what the alert's link opens: the clock, the customer's words, Claim
                    console.shoot(args.out / "phone-task.png")
                    continue
                # the whole task on a laptop, with an approved reply picked
                Select(console.visible("#reply-template")).select_by_index(1)
                console.shoot(args.out / "desktop-task.png", full_page=True)
        with chromium(PHONE) as driver:
            # a reply the brand's rules refuse, shown beside the text; nothing is sent
            console = pages.Console(driver, stack.base_url)
            console.open(f"#/tasks/{seeded.overdue_task}")
            console.sign_in(pages.development_user("agent"))
            console.wait_for_task()
            console.click("#claim")
            console.wait_text("#claim-bar", "You hold this task")
            console.visible("#reply-text").send_keys(REFUSED_REPLY)
            console.click("#reply-send")
            console.wait_text("#reply-problem", "forbidden phrase")
            driver.execute_script("document.getElementById('reply-title').scrollIntoView({block: 'start'})")
            console.shoot(args.out / "phone-reply-refused.png")
        print(f"screenshots in {args.out}: " + ", ".join(sorted(p.name for p in args.out.glob("*.png"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
