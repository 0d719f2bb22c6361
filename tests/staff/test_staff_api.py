"""The staff HTTP API: the console over API Gateway payload 2.0, errors as 400/401/404/409."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from heed.followup.console import Console
from heed.models import PostedReply, Sender, TaskStatus, Visibility
from heed.staff.api import route
from heed.storage import conversations

from tests.followup.world import MONDAY_MORNING, mention, open_task

USER = "arn:aws:iam::123456789012:user/ana"


class FakeReplies:
    text_limit = 8000

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []

    def reply_public(self, m, text):
        self.sent.append(("public", m.message_id, text))
        return PostedReply(platform_message_id=f"r{len(self.sent)}", visibility=Visibility.PUBLIC)

    def reply_private(self, m, text):
        self.sent.append(("private", m.message_id, text))
        return PostedReply(platform_message_id=f"r{len(self.sent)}", visibility=Visibility.PRIVATE)

    def hide(self, m):
        return False


def event(
    method: str, path: str, body: dict | None = None, query: dict | None = None, user: str | None = USER
):
    ctx: dict = {"http": {"method": method, "path": path}}
    if user:
        ctx["authorizer"] = {"iam": {"userArn": user}}
    return {
        "version": "2.0",
        "rawPath": path,
        "requestContext": ctx,
        "queryStringParameters": query,
        "body": json.dumps(body) if body is not None else None,
        "isBase64Encoded": False,
    }


@pytest.fixture
def replies():
    return FakeReplies()


@pytest.fixture
def console(table, brand, replies):
    return Console(table, brand, reply_client=lambda platform: replies)


@pytest.fixture
def task(table, brand):
    t = open_task(table, brand)
    conversations.record_message(table, mention(1), customer_id="C-1")
    return t


def call(console, ev, minutes=5):
    answer = route(ev, console, now=MONDAY_MORNING + timedelta(minutes=minutes))
    return answer["statusCode"], json.loads(answer["body"])


def test_list_and_show(console, task):
    status, body = call(console, event("GET", "/staff/tasks", query={"status": "open"}))
    assert status == 200 and [t["task_id"] for t in body["tasks"]] == [task.task_id]
    status, body = call(console, event("GET", f"/staff/tasks/{task.task_id}"))
    assert status == 200 and body["task"]["status"] == "open"
    assert [m["text"] for m in body["messages"]] == [mention(1).text]
    assert body["events"][0]["kind"] == "opened"


def test_overdue_filter(console, task):
    _, early = call(console, event("GET", "/staff/tasks", query={"overdue": "true"}), minutes=5)
    _, late = call(console, event("GET", "/staff/tasks", query={"overdue": "true"}), minutes=61)
    assert early["tasks"] == [] and late["tasks"][0]["overdue"] is True


def test_claim_then_a_second_claim_is_a_conflict(console, task):
    status, body = call(console, event("POST", f"/staff/tasks/{task.task_id}/claim", {}))
    assert status == 200 and body["task"]["assignee"] == "ana"
    status, body = call(
        console, event("POST", f"/staff/tasks/{task.task_id}/claim", {}, user=USER.replace("ana", "tom"))
    )
    assert status == 409 and body["reason"] == "already claimed by ana"


def test_reply_posts_through_the_platform_and_stops_the_first_response_clock(console, task, replies, table):
    status, body = call(
        console, event("POST", f"/staff/tasks/{task.task_id}/reply", {"text": "On it, sorry!"})
    )
    assert status == 200
    assert replies.sent == [("public", "m1", "On it, sorry!")]
    assert body["task"]["status"] == TaskStatus.WAITING_FOR_CUSTOMER.value
    assert body["task"]["first_response_at"] is not None
    _, messages = conversations.conversation(table, task.thread_key)
    assert [(m["sender"], m["author"]["id"]) for m in messages][-1] == (Sender.BRAND.value, "ana")


def test_note_snooze_and_resolve_with_satisfaction_question(console, task, replies):
    assert (
        call(console, event("POST", f"/staff/tasks/{task.task_id}/note", {"text": "NOC ticket 42"}))[0] == 200
    )
    until = (MONDAY_MORNING + timedelta(hours=2)).isoformat()
    status, body = call(console, event("POST", f"/staff/tasks/{task.task_id}/snooze", {"until": until}))
    assert status == 200 and body["task"]["snoozed_until"].startswith("2026-11-23T11:00")
    status, body = call(
        console, event("POST", f"/staff/tasks/{task.task_id}/resolve", {"outcome": "answered_publicly"})
    )
    assert status == 200 and body["task"]["status"] == "resolved"
    # A public comment thread gets no survey: Meta allows one private reply per comment, and the
    # satisfaction question does not belong in public.
    assert body["task"]["csat_asked_at"] is None
    assert replies.sent == []


def test_resolving_a_private_conversation_asks_the_satisfaction_question(console, table, brand, replies):
    # Given a Messenger conversation with a task
    from heed.followup import tasks
    from heed.models import Platform

    from tests.followup.world import triage

    dm = mention(7, platform=Platform.MESSENGER, visibility=Visibility.PRIVATE)
    task, _ = tasks.open_for_mention(table, dm, triage(), brand, customer_id="C-7", now=MONDAY_MORNING)
    conversations.record_message(table, dm, customer_id="C-7")
    # When a person resolves it
    status, body = call(
        console, event("POST", f"/staff/tasks/{task.task_id}/resolve", {"outcome": "answered_publicly"})
    )
    # Then the customer is asked, privately, how we did
    assert status == 200 and body["task"]["csat_asked_at"] is not None
    assert replies.sent[-1][0] == "private" and "1" in replies.sent[-1][2]


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("POST", "/staff/tasks/{id}/snooze", {"until": "tomorrow"}, 400),
        ("POST", "/staff/tasks/{id}/resolve", {"outcome": "ignored"}, 400),
        ("POST", "/staff/tasks/{id}/note", {"text": " "}, 400),
        ("POST", "/staff/tasks/{id}/reassign", {}, 400),
        ("POST", "/staff/tasks/T-NOPE/claim", {}, 404),
        ("POST", "/staff/tasks/{id}/explode", {}, 404),
        ("DELETE", "/staff/tasks/{id}", None, 404),
        ("GET", "/staff/elsewhere", None, 404),
    ],
)
def test_errors(console, task, method, path, body, status):
    assert call(console, event(method, path.replace("{id}", task.task_id), body))[0] == status


def test_no_identity_is_refused(console, task):
    assert call(console, event("GET", "/staff/tasks", user=None))[0] == 401


def test_resolving_twice_is_a_conflict(console, task):
    call(console, event("POST", f"/staff/tasks/{task.task_id}/resolve", {"outcome": "no_action_needed"}))
    status, body = call(
        console, event("POST", f"/staff/tasks/{task.task_id}/resolve", {"outcome": "no_action_needed"})
    )
    assert status == 409 and body["reason"] == "task is resolved"


def test_a_staff_reply_is_checked_like_heeds_own_and_posted_once(console, task, replies):
    # Given the replies issue 13 found posted unchecked
    for text, reason in (
        ("Please send us an email with your card number", 'forbidden phrase: "send us an email"'),
        ("x" * 9000, "too long for facebook: 9000 > 8000"),
    ):
        status, body = call(console, event("POST", f"/staff/tasks/{task.task_id}/reply", {"text": text}))
        # Then they are refused with the reasons, and nothing reaches the platform
        assert status == 400 and body["error"] == "refused" and reason in body["reasons"]
    assert replies.sent == []
    # And a reply sent twice (a retried request) is posted once
    ok = {"text": "Hi, we have refunded the duplicate charge."}
    assert call(console, event("POST", f"/staff/tasks/{task.task_id}/reply", ok))[0] == 200
    status, body = call(console, event("POST", f"/staff/tasks/{task.task_id}/reply", ok))
    assert status == 409 and body["conflict"] == "already_sent" and len(replies.sent) == 1
