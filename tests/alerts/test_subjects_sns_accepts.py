"""Alert subjects SNS accepts: AWS rejects a Publish whose Subject is not ASCII, holds a line break or
control character, starts with a space, or is 100 characters or more (InvalidParameter).
https://docs.aws.amazon.com/sns/latest/api/API_Publish.html (Subject, "Constraints")."""

from __future__ import annotations

from typing import Any

from heed.alerts import Alert, AlertKind, compose
from heed.alerts.publish import send
from heed.followup.tasks import new_task
from heed.models import Author, Priority

from tests.followup.world import MONDAY_MORNING, mention, triage


def assert_sns_accepts(subject: str) -> None:
    assert subject, "empty subject"
    assert all(32 <= ord(c) < 127 for c in subject), subject  # printable ASCII: no control, no line break
    assert not subject[0].isspace(), subject  # begins with a letter, number or punctuation mark
    assert len(subject) < 100, len(subject)


def vip_alert(brand: Any, name: str) -> Alert:
    customer = mention(1).model_copy(update={"author": Author(id="u1", name=name)})
    task = new_task(customer, triage(vip=True), brand, customer_id="C-1", now=MONDAY_MORNING)
    (alert,) = [
        a for a in compose.for_mention(customer, triage(vip=True), task, brand) if a.kind is AlertKind.VIP
    ]
    return alert


def test_vip_subject_folds_the_name_to_ascii_and_the_body_keeps_it(brand: Any) -> None:
    # Given a VIP whose name has accents / When the alert is composed
    alert = vip_alert(brand, "José Pérez")
    # Then the subject carries the folded name, SNS accepts it, and the body the real name
    assert "VIP Jose Perez on facebook" in alert.subject
    assert_sns_accepts(alert.subject)
    assert "José Pérez" in alert.body


def test_a_long_name_is_truncated_with_three_dots_under_100(brand: Any) -> None:
    alert = vip_alert(brand, "Ñandú Überlänge-Ærøskøbing 🎉 " * 6)
    assert_sns_accepts(alert.subject)
    assert alert.subject.endswith("...") and len(alert.subject) == 99


def test_a_name_with_only_non_latin_letters_still_gives_a_valid_subject(brand: Any) -> None:
    alert = vip_alert(brand, "山田太郎\u200b")
    assert_sns_accepts(alert.subject)
    assert alert.subject.startswith("[Heed P2] VIP")


class RecordingSns:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def publish(self, **kwargs: Any) -> dict[str, str]:
        self.calls.append(kwargs)
        return {"MessageId": "1"}


def test_send_formats_any_alert_subject_the_way_sns_accepts() -> None:
    # Given an alert built by hand with a line break, a tab, a leading space and an ellipsis
    alert = Alert(
        kind=AlertKind.HEED_FAILURE,
        priority=Priority.P1,
        subject=" [Heed P1]\r\nfailure:\tqueue … ½ café " + "x" * 200,
        body="detail",
        scope="failure#x",
    )
    sns = RecordingSns()
    # When it is sent
    send(sns, "arn:aws:sns:us-east-1:123456789012:alerts", alert)
    # Then the Subject SNS receives is one ASCII line under 100 characters
    subject = sns.calls[0]["Subject"]
    assert_sns_accepts(subject)
    assert subject.startswith("[Heed P1] failure: queue ... 1/2 cafe xx") and subject.endswith("...")
