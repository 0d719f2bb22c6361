"""What the functions write to CloudWatch Logs at the shipped level (INFO), which is billed by the
byte: one line per mention saying what happened, one metrics blob (EMF) per invocation, no key that
CloudWatch already has, and warnings and errors as complete as before.

The respond handler runs for real on moto, the Graph API intercepted by `responses`; what the
functions print is read the way the bench reads it (infra/bench/e2e.py `logs_as_shipped`)."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
import responses
from heed import clients
from heed.ingest.queue import mention_message
from heed.observability import logger
from heed.respond import handler
from heed.settings import get_settings

from infra.local_stack import LambdaContext
from tests.respond.world import GRAPH, World, comment

# Keys CloudWatch Logs knows without them: the function from the log group, its memory from Lambda's
# REPORT line, the time from the log event itself; `service` is "heed" on every line of every function.
REDUNDANT = {"location", "timestamp", "function_name", "function_arn", "function_memory_size", "service"}


class Shipped:
    """Everything the functions print at INFO: Powertools' log lines (its handler's stream) and its
    metric lines (EMF, printed to stdout)."""

    def __init__(self, stream: io.StringIO, capsys: pytest.CaptureFixture[str]) -> None:
        self.stream = stream
        self.capsys = capsys
        self.printed = ""

    def lines(self) -> list[dict[str, Any]]:
        self.printed += self.capsys.readouterr().out
        text = self.stream.getvalue() + self.printed
        return [json.loads(line) for line in text.splitlines() if line.strip()]

    def forget(self) -> None:
        self.lines()
        self.stream.seek(0)
        self.stream.truncate()
        self.printed = ""


@pytest.fixture
def shipped(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Iterator[Shipped]:
    out = io.StringIO()
    heed = logging.getLogger(logger.name)
    level = heed.level
    streams = [(h, h.setStream(out)) for h in heed.handlers if isinstance(h, logging.StreamHandler)]
    heed.setLevel(logging.INFO)
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")
    try:
        yield Shipped(out, capsys)
    finally:
        for h, stream in streams:
            h.setStream(stream)
        heed.setLevel(level)


@pytest.fixture
def world(table: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    world = World(table)
    url = boto3.client("sqs").create_queue(QueueName="mentions")["QueueUrl"]
    for name, value in {
        "HEED_TABLE_NAME": table.name,
        "HEED_QUEUE_URL": url,
        "HEED_ALERT_TOPIC_ARN": world.topic,
        "HEED_OUTBOUND_SECRET_NAME": "unused",
    }.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    clients.reset()
    monkeypatch.setattr(handler, "build_responder", lambda settings, **_: world.responder())
    yield world
    monkeypatch.undo()
    get_settings.cache_clear()
    clients.reset()


def record(n: int = 1, body: str | None = None) -> dict[str, Any]:
    return {
        "messageId": f"m{n}",
        "receiptHandle": f"r{n}",
        "body": body if body is not None else mention_message(comment(n)),
    }


def log_lines(out: Shipped) -> list[dict[str, Any]]:
    return [line for line in out.lines() if "_aws" not in line]


def metric_blobs(out: Shipped) -> list[dict[str, Any]]:
    return [line for line in out.lines() if "_aws" in line]


def answered(n: int) -> None:
    responses.post(f"{GRAPH}/555_{n}/comments", json={"id": f"555_{n}_r"})


@responses.activate
def test_the_respond_function_says_in_one_line_what_happened_to_a_mention(
    world: World, shipped: Shipped
) -> None:
    answered(1)
    context = LambdaContext("respond")
    handler.handler({"Records": [record(1)]}, context)
    (line,) = [line for line in log_lines(shipped) if line["message"] == "mention processed"]
    task = world.task_of(comment(1))
    assert line["level"] == "INFO"
    assert line["mention"] == comment(1).key
    assert line["platform"] == "facebook"
    assert line["intent"] == "complaint"
    assert line["task_id"] == task.task_id and line["priority"] == task.priority.value
    assert line["task_change"] == "opened"
    assert line["status"] == "processed" and line["ack"] == "posted"
    # the link to Lambda's START/END/REPORT lines of the same invocation
    assert line["function_request_id"] == context.aws_request_id


@responses.activate
def test_no_line_carries_what_cloudwatch_already_knows(world: World, shipped: Shipped) -> None:
    answered(1)
    handler.handler({"Records": [record(1)]}, LambdaContext("respond"))
    logged = log_lines(shipped)
    assert logged
    for line in logged:
        assert not REDUNDANT & set(line), line
        assert {"level", "message", "function_request_id", "cold_start"} <= set(line)


@responses.activate
def test_a_batch_prints_one_metrics_blob(world: World, shipped: Shipped) -> None:
    for n in (1, 2, 3):
        answered(n)
    handler.handler({"Records": [record(n) for n in (1, 2, 3)]}, LambdaContext("respond"))
    (blob,) = metric_blobs(shipped)
    assert blob["Acknowledged"] == [1.0, 1.0, 1.0]
    assert len(blob["TimeToAcknowledge"]) == 3


@responses.activate
def test_a_duplicate_delivery_does_not_count_the_acknowledgment_again(world: World, shipped: Shipped) -> None:
    answered(1)
    handler.handler({"Records": [record(1)]}, LambdaContext("respond"))
    (first,) = metric_blobs(shipped)
    assert first["Acknowledged"] == [1.0]
    shipped.forget()
    # The same message again (SQS delivers at least once): the reply was posted the first time
    handler.handler({"Records": [record(1)]}, LambdaContext("respond"))
    (line,) = [line for line in log_lines(shipped) if line["message"] == "mention processed"]
    assert line["status"] == "duplicate" and line["ack"] == "posted"
    assert all("Acknowledged" not in blob for blob in metric_blobs(shipped))
    assert all("TimeToAcknowledge" not in blob for blob in metric_blobs(shipped))


def test_a_failed_record_is_an_error_line_with_what_a_person_needs(world: World, shipped: Shipped) -> None:
    answer = handler.handler({"Records": [record(7, body="{not json")]}, LambdaContext("respond"))
    assert answer == {"batchItemFailures": [{"itemIdentifier": "m7"}]}
    (line,) = [line for line in log_lines(shipped) if line["level"] == "ERROR"]
    assert line["message"] == "mention failed, left for redelivery"
    assert line["message_id"] == "m7" and line["error"] == "JSONDecodeError"
    assert ".py:" in line["where"]  # the failing line, never the message (it can quote a customer)
