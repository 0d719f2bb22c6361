"""The respond path's in-order commit against dynalite, which refuses what DynamoDB refuses (reserved
words, invalid update and condition expressions, a set ADDed to a non-set) where moto may let it
pass: a new complaint (header, claim, customer, task), praise, a duplicate, the counters after the
post, a stale plan that must undo the customer and withdraw its claim, then export and forget."""

from __future__ import annotations

import re
from typing import Any

import pytest
import responses
from heed.acknowledge.templates import load_templates
from heed.followup.observe import MentionObserver
from heed.models import TaskChangeKind
from heed.privacy.customer_data import export_customer, forget_customer
from heed.respond.pipeline import Responder
from heed.storage import keys, plans
from heed.triage import triage

from tests.respond.world import GRAPH, MONDAY_10_MADRID, ROOT, World, comment, decided_at_once


class NoAlerts:
    """SNS stands in for nothing here: these mentions raise no alert (a publish would fail the test)."""

    def publish(self, **kwargs: Any) -> Any:
        raise AssertionError(f"unexpected alert: {kwargs.get('Subject')}")


def _responder(table: Any) -> Responder:
    world = World.__new__(World)  # the reply clients only: SNS/SQS are not on dynalite
    world.remaining = 900.0
    world.generic_reply_url = ""
    policy = __import__("heed.policy", fromlist=["load_policy"]).load_policy(ROOT / "templates")
    responder = Responder(
        table=table,
        sns=NoAlerts(),
        alert_topic_arn="arn:aws:sns:us-east-1:123456789012:alerts",
        policy=policy,
        templates=load_templates(ROOT / "templates"),
        reply_client=world.client,
        triage=triage,
        schedule_acknowledgment=lambda m, delay: None,
    )
    responder.on_negative = MentionObserver(table, NoAlerts(), responder.alert_topic_arn, policy)
    return responder


@responses.activate
def test_new_complaint_praise_duplicate_counters_export_and_forget(table: Any) -> None:
    responses.post(re.compile(rf"{GRAPH}/.*"), json={"id": "r1"})
    responder = _responder(table)
    complaint = comment(1, "My internet has been down since yesterday, this is unacceptable", author="ana")
    outcome = responder.handle(complaint, now=MONDAY_10_MADRID)
    assert (outcome.task_outcome, outcome.ack_state) == (TaskChangeKind.OPENED, "posted")
    praise = comment(2, "Thank you so much, the technician was great and fixed it fast!", author="bea")
    assert responder.handle(praise, now=MONDAY_10_MADRID).ack_state == "posted"
    assert responder.handle(complaint, now=MONDAY_10_MADRID).status == "duplicate"
    profile = table.get_item(Key=keys.customer(keys.customer_id_for("facebook#ana")))["Item"]
    assert profile["threads"] == {"facebook#555_1"} and profile["platform"] == "facebook"
    exported = export_customer(table, "facebook", "ana")
    assert exported["found"] and len(exported["conversations"]) == 1 and len(exported["mentions"]) == 1
    forget_customer(table, "facebook", "ana")
    assert export_customer(table, "facebook", "ana")["found"] is False


@responses.activate
def test_a_stale_plan_undoes_the_customer_and_withdraws_its_claim(table: Any) -> None:
    responses.post(re.compile(rf"{GRAPH}/.*"), json={"id": "r"})
    responder = _responder(table)
    # Given a thread that exists (its first message: praise) and a second customer known from elsewhere
    responder.handle(comment(9, "Love the new app, great work!", author="bea"), now=MONDAY_10_MADRID)
    responder.handle(comment(1, "Love the new app, great work!", author="ana"), now=MONDAY_10_MADRID)
    first = comment(2, "No internet since Monday, nobody helps", author="ana", thread="555_1")
    second = comment(3, "Same here, no internet at all", author="bea", thread="555_1")
    snapshots, decided = decided_at_once(table, responder.policy, responder.templates, (first, second))
    plans.commit(table, decided[0], snapshots[0], now=MONDAY_10_MADRID)
    assert decided[1].task_change is not None and decided[1].task_change.kind == TaskChangeKind.OPENED
    # When the second's stale plan is committed, its task put loses (the thread's task exists)
    with pytest.raises(plans.ThreadMoved):
        plans.commit(table, decided[1], snapshots[1], now=MONDAY_10_MADRID)
    # Then its claim is withdrawn and its customer is as before (the undo's expression is valid)
    assert plans.get_record(table, second.key) is None
    bea = table.get_item(Key=keys.customer(keys.customer_id_for("facebook#bea")))["Item"]
    assert int(bea["mentions"]) == 1 and "open_task_id" not in bea
