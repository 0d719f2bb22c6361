"""The local stack's moto memory fixes (infra/moto_patches.py 3-5): DynamoDB stores each attribute
name and each recent scalar value once, and behaves exactly as before; SNS and SQS histories stay
bounded, and what subscribers receive is unchanged."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from infra import moto_patches
from tests.support.table import TABLE_NAME, create_table


@pytest.fixture
def patched(aws: None) -> Iterator[None]:
    moto_patches.install()
    try:
        yield
    finally:
        moto_patches.uninstall()


def _stored(pk: str, sk: str) -> Any:
    from moto.dynamodb.models import dynamodb_backends
    from moto.dynamodb.models.dynamo_type import DynamoType

    table = dynamodb_backends["123456789012"]["us-east-1"].get_table(TABLE_NAME)
    return table.items[DynamoType({"S": pk})][DynamoType({"S": sk})]


def _task(n: int) -> dict[str, Any]:
    return {
        "pk": {"S": f"TASK#{n}"},
        "sk": {"S": "#TASK"},
        "status": {"S": "open"},
        "platform": {"S": "facebook"},
        "messages": {"N": "1"},
        "vip": {"BOOL": False},
        "note": {"NULL": True},
        "tags": {"SS": ["billing", "outage"]},
        "history": {"L": [{"S": "opened"}, {"N": "1"}]},
        "triage": {"M": {"intent": {"S": "complaint"}, "scores": {"L": [{"N": "1"}]}}},
        "gsi2pk": {"S": "TASKS#open"},
        "gsi2sk": {"S": f"2026-11-30T09:00:00Z#{n}"},
    }


def test_equal_names_and_scalar_values_are_stored_once(patched: None) -> None:
    create_table()
    client = boto3.client("dynamodb")
    # Given two tasks with the same names and mostly the same values, put in separate requests
    for n in (1, 2):
        client.put_item(TableName=TABLE_NAME, Item=_task(n))
    first, second = _stored("TASK#1", "#TASK"), _stored("TASK#2", "#TASK")
    # Then each attribute name is one string object
    assert all(a is b for a, b in zip(first.attrs, second.attrs, strict=True))
    assert next(iter(first.attrs["triage"].value)) is next(iter(second.attrs["triage"].value))
    # And equal scalars are one object, at the top, in maps and in lists
    for name in ("status", "platform", "messages", "vip", "note", "gsi2pk"):
        assert first.attrs[name] is second.attrs[name], name
    assert first.attrs["triage"].value["intent"] is second.attrs["triage"].value["intent"]
    assert first.attrs["history"].value[0] is second.attrs["history"].value[0]
    # And an item's key attributes are its key objects, a shared sort key one object for both
    assert first.attrs["pk"] is first.hash_key and first.attrs["sk"] is first.range_key
    assert first.range_key is second.range_key
    # But what moto changes in place is each item's own: sets, lists, maps; and distinct values stay distinct
    for name in ("tags", "history", "triage", "gsi2sk"):
        assert first.attrs[name] is not second.attrs[name], name


def _scenario() -> list[Any]:
    """Every kind of write and read the respond path and the CLI use, with two items sharing values.
    Returns each call's answer (or error code and cancellation reasons) and the final table."""
    create_table()
    client = boto3.client("dynamodb")
    out: list[Any] = []

    def call(operation: str, **kwargs: Any) -> None:
        try:
            answer = getattr(client, operation)(**kwargs)
            answer.pop("ResponseMetadata", None)
            out.append((operation, answer))
        except ClientError as error:
            out.append(
                (operation, error.response["Error"]["Code"], error.response.get("CancellationReasons"))
            )

    key1 = {"pk": {"S": "TASK#1"}, "sk": {"S": "#TASK"}}
    key2 = {"pk": {"S": "TASK#2"}, "sk": {"S": "#TASK"}}
    for n in (1, 2):
        call("put_item", TableName=TABLE_NAME, Item=_task(n))
    # Task 1 changed in every way moto changes an item in place; task 2 shares the old values
    call(
        "update_item",
        TableName=TABLE_NAME,
        Key=key1,
        UpdateExpression="SET #s = :s, triage.intent = :i, history[0] = :h, gsi2pk = :g "
        "ADD messages :one, tags :more REMOVE note",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={
            ":s": {"S": "acknowledged"},
            ":i": {"S": "refund"},
            ":h": {"S": "reopened"},
            ":g": {"S": "TASKS#acknowledged"},
            ":one": {"N": "1"},
            ":more": {"SS": ["vip"]},
        },
        ReturnValues="ALL_NEW",
    )
    call(
        "update_item",
        TableName=TABLE_NAME,
        Key=key1,
        UpdateExpression="SET history = list_append(history, :later) DELETE tags :billing",
        ExpressionAttributeValues={":later": {"L": [{"S": "closed"}]}, ":billing": {"SS": ["billing"]}},
        ReturnValues="UPDATED_OLD",
    )
    call(
        "put_item",
        TableName=TABLE_NAME,
        Item=_task(2),
        ConditionExpression="attribute_not_exists(pk)",
        ReturnValuesOnConditionCheckFailure="ALL_OLD",
    )
    claim = {"pk": {"S": "MENTION#1"}, "sk": {"S": "CLAIM"}, "status": {"S": "open"}}
    call(
        "transact_write_items",
        TransactItems=[
            {
                "Put": {
                    "TableName": TABLE_NAME,
                    "Item": claim,
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            },
            {
                "Update": {
                    "TableName": TABLE_NAME,
                    "Key": key2,
                    "UpdateExpression": "ADD messages :one",
                    "ExpressionAttributeValues": {":one": {"N": "1"}},
                }
            },
        ],
    )
    # A transaction cancelled by its second action leaves task 2 as it was
    call(
        "transact_write_items",
        TransactItems=[
            {
                "Update": {
                    "TableName": TABLE_NAME,
                    "Key": key2,
                    "UpdateExpression": "SET #s = :c",
                    "ExpressionAttributeNames": {"#s": "status"},
                    "ExpressionAttributeValues": {":c": {"S": "closed"}},
                }
            },
            {
                "Put": {
                    "TableName": TABLE_NAME,
                    "Item": claim,
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            },
        ],
    )
    call("get_item", TableName=TABLE_NAME, Key=key1)
    call(
        "get_item",
        TableName=TABLE_NAME,
        Key=key2,
        ProjectionExpression="#s, triage.intent, history[1]",
        ExpressionAttributeNames={"#s": "status"},
    )
    call(
        "query",
        TableName=TABLE_NAME,
        IndexName="gsi2",
        KeyConditionExpression="gsi2pk = :p",
        ExpressionAttributeValues={":p": {"S": "TASKS#open"}},
    )
    call(
        "scan",
        TableName=TABLE_NAME,
        FilterExpression="#s = :s AND contains(tags, :t)",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":s": {"S": "open"}, ":t": {"S": "billing"}},
    )
    call(
        "delete_item",
        TableName=TABLE_NAME,
        Key={"pk": {"S": "MENTION#1"}, "sk": {"S": "CLAIM"}},
        ReturnValues="ALL_OLD",
    )
    call("scan", TableName=TABLE_NAME)
    return out


def test_dynamodb_answers_exactly_as_moto_does_alone() -> None:
    # Given the same writes and reads on moto as installed, and on moto with the fixes
    with mock_aws():
        alone = _scenario()
    moto_patches.install()
    try:
        with mock_aws():
            fixed = _scenario()
    finally:
        moto_patches.uninstall()
    # Then every answer, every cancellation and the final table are the same
    assert json.dumps(fixed, sort_keys=True, default=str) == json.dumps(alone, sort_keys=True, default=str)
    # And the scenario did what it says: task 1 changed, task 2 kept its values and its single ADD
    final = {(i["pk"]["S"]): i for i in fixed[-1][1]["Items"]}
    assert final["TASK#1"]["status"] == {"S": "acknowledged"} and final["TASK#2"]["status"] == {"S": "open"}
    assert final["TASK#2"]["messages"] == {"N": "2"} and final["TASK#2"]["history"]["L"][0] == {"S": "opened"}
    assert [entry[1] for entry in fixed if entry[0] == "transact_write_items"][
        1
    ] == "TransactionCanceledException"


def test_the_table_of_shared_values_is_bounded() -> None:
    from moto.dynamodb.models.dynamo_type import DynamoType

    # Given a table of at most 8 values
    shared = moto_patches.SharedValues(limit=8)
    # When 100 distinct values go through it, each twice
    firsts = [shared.share(DynamoType({"S": f"value {n}"})) for n in range(100)]
    again = shared.share(DynamoType({"S": "value 99"}))
    # Then it never holds more than 8, the latest are still shared, and each value stays itself
    assert shared.size <= 8 and sum(len(v) for v in shared.by_type.values()) <= 8
    assert shared.restarts == 12
    assert again is firsts[99]
    assert [f.value for f in firsts] == [f"value {n}" for n in range(100)]


def test_long_strings_and_sets_are_left_alone() -> None:
    from moto.dynamodb.models.dynamo_type import DynamoType

    shared = moto_patches.SharedValues()
    long_text = "x" * (moto_patches.SHARED_STRING_MAX_CHARS + 1)
    one, two = DynamoType({"S": long_text}), DynamoType({"S": long_text})
    assert shared.share(one) is one and shared.share(two) is two
    tags = DynamoType({"SS": ["a"]})
    assert shared.share(tags) is tags and shared.size == 0


def test_sns_keeps_a_bounded_history_and_subscribers_get_every_message(
    patched: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.sns.models import sns_backends

    monkeypatch.setattr(moto_patches, "SNS_HISTORY", 5)
    sns, sqs = boto3.client("sns"), boto3.client("sqs")
    topic = sns.create_topic(Name="alerts")["TopicArn"]
    inbox = sqs.create_queue(QueueName="inbox")["QueueUrl"]
    inbox_arn = sqs.get_queue_attributes(QueueUrl=inbox, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=inbox_arn)
    # When 12 alerts are published
    ids = [sns.publish(TopicArn=topic, Message=f"alert {n}")["MessageId"] for n in range(12)]
    # Then the topic remembers the last 5, and as many signing certificates
    backend = sns_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]
    assert [sent[0] for sent in backend.topics[topic].sent_notifications] == ids[-5:]
    assert len(backend._message_public_keys) == 5
    # And the subscriber received all 12
    received: list[str] = []
    while batch := sqs.receive_message(QueueUrl=inbox, MaxNumberOfMessages=10).get("Messages", []):
        received += [json.loads(m["Body"])["Message"] for m in batch]
        for m in batch:
            sqs.delete_message(QueueUrl=inbox, ReceiptHandle=m["ReceiptHandle"])
    assert sorted(received) == sorted(f"alert {n}" for n in range(12))


def test_sqs_remembers_a_bounded_number_of_deleted_receipts(
    patched: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from moto.sqs.models import sqs_backends

    monkeypatch.setattr(moto_patches, "SQS_DELETED_RECEIPTS", 8)
    sqs = boto3.client("sqs")
    url = sqs.create_queue(QueueName="mentions")["QueueUrl"]
    # When 30 messages are sent, received and deleted one by one
    handles = []
    for n in range(30):
        sqs.send_message(QueueUrl=url, MessageBody=f"mention {n}")
        (message,) = sqs.receive_message(QueueUrl=url)["Messages"]
        sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        handles.append(message["ReceiptHandle"])
    # Then the queue remembers at most 8 and a quarter of them, the latest among them
    deleted = sqs_backends["123456789012"]["us-east-1"].queues["mentions"].deleted_messages
    assert 8 <= len(deleted) <= 10 and handles[-1] in deleted
    # And deleting the latest again is still accepted, as before
    sqs.delete_message(QueueUrl=url, ReceiptHandle=handles[-1])


def test_recent_receipts_keeps_the_latest() -> None:
    receipts = moto_patches.RecentReceipts(limit=4)
    receipts.update(f"r{n}" for n in range(6))
    assert list(receipts) == ["r2", "r3", "r4", "r5"]
    receipts.add("r6")
    assert "r6" in receipts and len(receipts) == 5


def test_uninstall_restores_every_patched_moto_function() -> None:
    from moto.core.parse import JSONParser
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.table import Table
    from moto.sns.models import Topic
    from moto.sqs.models import Queue

    def current() -> tuple[Any, ...]:
        return (
            JSONParser._parse_map,
            "_parse_map" in JSONParser.__dict__,
            Table.put_item,
            DynamoDBBackend.update_item,
            Topic.publish,
            Queue.delete_message,
        )

    before = current()
    moto_patches.install()
    assert current() != before
    moto_patches.uninstall()
    assert current() == before
