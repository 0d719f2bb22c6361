"""A person corrects (or confirms) what a mention meant; the corrections become labelled mentions
that `heed triage --score` measures triage against: the team's own traffic as the test set."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from heed.cli import build_parser, target
from heed.cli import tasks as tasks_cli
from heed.cli.triage import score
from heed.followup.console import Console
from heed.models import Intent, Sentiment
from heed.staff.api import route
from heed.storage import conversations
from heed.storage import tasks as task_store

from tests.followup.world import MONDAY_MORNING, TABLE_NAME, mention, open_task

USER = "arn:aws:iam::123456789012:user/ana"


@pytest.fixture
def env(monkeypatch, table):
    for k, v in {"HEED_TABLE_NAME": TABLE_NAME}.items():
        monkeypatch.setenv(k, v)


def heed(*argv, minutes=5):
    lines: list[str] = []
    code = tasks_cli.run(
        build_parser().parse_args(list(argv)),
        now=lambda: MONDAY_MORNING + timedelta(minutes=minutes),
        out=lines.append,
        style=target.Style(False),
        principal=lambda: "ana",  # the verified AWS identity (STS), as tests name it
    )
    return code, lines


def a_thread(table, brand, n, text):
    task = open_task(table, brand, n)
    conversations.record_message(table, mention(n, text=text), customer_id=f"C-{n}")
    return task


def test_given_a_misread_mention_when_corrected_then_the_task_takes_the_reading_and_keeps_the_history(
    env, table, brand
):
    # Given a task triage opened as a negative complaint
    task = a_thread(table, brand, 1, "Do you ship to Canada?")
    # When Ana says it was a neutral question
    code, _ = heed("tasks", "correct", task.task_id, "--intent", "question", "--sentiment", "neutral")
    # Then the task carries her reading, who set it, and the history records the change
    assert code == 0
    stored = task_store.get(table, task.task_id)
    assert stored.intent is Intent.QUESTION and stored.sentiment is Sentiment.NEUTRAL
    assert stored.triage_corrected_by == "ana"
    event = task_store.events(table, task.task_id)[-1]
    assert event["kind"] == "triage_corrected" and event["by"] == "ana"


def test_a_correction_needs_an_intent_or_a_sentiment(env, table, brand, capsys):
    task = a_thread(table, brand, 1, "Do you ship to Canada?")
    code, _ = heed("tasks", "correct", task.task_id)
    assert code == 2 and "give an intent, a sentiment or both" in capsys.readouterr().err


def test_given_corrected_and_uncorrected_tasks_when_labels_are_exported_then_only_the_read_ones_are_scored(
    env, table, brand
):
    # Given three threads: two read by a person (one corrected, one confirmed), one nobody looked at
    question = a_thread(table, brand, 1, "Do you ship to Canada?")
    complaint = a_thread(table, brand, 2, "My order never arrived and nobody answers, three weeks now")
    a_thread(table, brand, 3, "Something nobody has looked at yet")
    heed("tasks", "correct", question.task_id, "--intent", "question", "--sentiment", "neutral")
    heed("tasks", "correct", complaint.task_id, "--intent", "complaint", "--sentiment", "negative")
    # When the labels are exported
    code, lines = heed("tasks", "labels", "--since", "7d", minutes=60)
    labels = [json.loads(line) for line in lines]
    # Then one line per read task, with the customer's words and the person's reading
    assert code == 0
    by_id = {item["id"]: item for item in labels}
    assert {i: (item["complaint"], item["sentiment"]) for i, item in by_id.items()} == {
        question.task_id: (False, "neutral"),
        complaint.task_id: (True, "negative"),
    }
    assert by_id[question.task_id]["text"] == "Do you ship to Canada?"
    assert by_id[question.task_id]["labelled_by"] == "ana"
    # and `heed triage --score` measures triage against them
    figures, problems = score(io.StringIO("\n".join(lines)))
    assert problems == [] and figures["complaints_labelled"] == 2
    assert figures["complaint_recall"] == 1.0 and figures["complaint_precision"] == 1.0


def test_exposed_personal_data_stays_masked_in_the_labels(env, table, brand):
    task = open_task(table, brand, 1)
    conversations.record_message(
        table, mention(1), customer_id="C-1", masked_text="My card [card] was charged twice"
    )
    heed("tasks", "correct", task.task_id, "--sentiment", "negative")
    _, lines = heed("tasks", "labels")
    assert json.loads(lines[0])["text"] == "My card [card] was charged twice"


def test_the_staff_api_corrects_too(table, brand):
    task = a_thread(table, brand, 1, "Do you ship to Canada?")
    console = Console(table, brand, reply_client=lambda platform: None)
    event = {
        "version": "2.0",
        "rawPath": f"/staff/tasks/{task.task_id}/correct",
        "requestContext": {"http": {"method": "POST"}, "authorizer": {"iam": {"userArn": USER}}},
        "body": json.dumps({"intent": "question", "sentiment": "neutral"}),
        "isBase64Encoded": False,
    }
    answer = route(event, console, now=MONDAY_MORNING + timedelta(minutes=5))
    assert answer["statusCode"] == 200
    assert json.loads(answer["body"])["task"]["intent"] == "question"
    event["body"] = json.dumps({"intent": "furious"})
    assert route(event, console, now=MONDAY_MORNING + timedelta(minutes=6))["statusCode"] == 400
