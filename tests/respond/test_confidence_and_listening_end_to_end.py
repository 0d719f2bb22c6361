"""Through the respond path on moto (read → decide → commit → deliver), with the platforms intercepted:
what an unsure reading and a listened post leave in the table and send to the platform.

The triage is handed in as a given reading (the Responder takes it as a dependency) so that the
confidence under test is exactly the one stated; the rest is the production path.
"""

from __future__ import annotations

from dataclasses import replace as dc_replace
from typing import Any

import pytest
import responses
from heed.models import Author, FoundBy, Intent, Mention, Platform, Priority, Sentiment, Triage, Visibility
from heed.respond.pipeline import Responder

from tests.respond.world import GRAPH, MONDAY_10_MADRID, World, comment


@pytest.fixture
def world(table: Any) -> World:
    return World(table)


def given_reading(**changes: object) -> Any:
    reading = Triage(
        language="en",
        intent=Intent.COMPLAINT,
        intents=[Intent.COMPLAINT],
        needs_response=True,
        confidence=0.9,
        sentiment=Sentiment.NEGATIVE,
        sentiment_score=-0.5,
        sentiment_confidence=0.9,
        priority=Priority.P3,
    ).model_copy(update=changes)
    return lambda text, **_: reading


def responder(world: World, **reading: object) -> Responder:
    return dc_replace(world.responder(), triage=given_reading(**reading))


def posted(path: str) -> list[str]:
    return [
        str(c.request.body)
        for c in responses.calls
        if c.request.method == "POST" and c.request.url.split("?")[0].endswith(path)
    ]


@responses.activate
def test_an_unsure_complaint_is_posted_the_neutral_reply_and_its_stored_task_says_why(world: World) -> None:
    responses.post(f"{GRAPH}/555_1/comments", json={"id": "555_1_r"})
    mention = comment(text="well that was something")
    outcome = responder(world, confidence=0.45).handle(mention, now=MONDAY_10_MADRID)
    assert outcome.ack_state == "posted"
    (body,) = posted("/555_1/comments")
    assert "person" in body.lower() and "sorry" not in body.lower()
    task = world.task_of(mention)
    assert task.status.value == "acknowledged"  # the reason outlives the acknowledgment
    assert task.ack_reason == "unsure reading (intent complaint 0.45; threshold 0.60): neutral reply"
    assert (world.record(mention).get("actions") or {})["reply"]["template_id"].startswith(
        "en.neutral.public."
    )


def listened() -> Mention:
    return Mention(
        platform=Platform.X,
        message_id="1860000000000000200",
        thread_id="x-thread-200",
        account_id="BRAND",
        author=Author(id="77", handle="dan", name="Dan"),
        text="acme telecom down again in Leeds, third time this month",
        visibility=Visibility.PUBLIC,
        kind="keyword",
        created_at=MONDAY_10_MADRID,
        found_by=FoundBy.LISTENING,
    )


@responses.activate
def test_a_listened_complaint_about_the_brand_is_tasked_and_nothing_is_posted(world: World) -> None:
    # No platform URL is registered: any outbound call would fail the test.
    outcome = responder(world, addressed="about_brand").handle(listened(), now=MONDAY_10_MADRID)
    assert outcome.ack_state == "listening" and len(responses.calls) == 0
    assert world.record(listened())["ack_state"] == "listening"
    task = world.task_of(listened())
    assert task is not None and task.status.value == "open"
    assert "found by listening" in (task.ack_reason or "")


@responses.activate
def test_a_listened_post_about_something_else_leaves_no_task(world: World) -> None:
    outcome = responder(world, addressed="neither").handle(listened(), now=MONDAY_10_MADRID)
    assert outcome.ack_state == "listening" and len(responses.calls) == 0
    assert world.task_of(listened()) is None
