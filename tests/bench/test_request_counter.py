"""The request counter observes real boto3 calls (here on moto) and prices them with the capacity
rules: each call seen once, failed conditional writes included, item images read uncounted."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from infra.bench.common import RequestCounter, in_phase


@pytest.fixture
def table(aws: None) -> Any:
    """A table with two indexes projecting ALL, so that every case below has a known price."""
    import boto3

    def index(name: str) -> dict[str, Any]:
        return {
            "IndexName": name,
            "KeySchema": [
                {"AttributeName": f"{name}pk", "KeyType": "HASH"},
                {"AttributeName": f"{name}sk", "KeyType": "RANGE"},
            ],
            "Projection": {"ProjectionType": "ALL"},
        }

    client = boto3.client("dynamodb")
    client.create_table(
        TableName="priced",
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[
            {"AttributeName": n, "AttributeType": "S"}
            for n in ("pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk")
        ],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        GlobalSecondaryIndexes=[index("gsi1"), index("gsi2")],
    )
    return boto3.resource("dynamodb").Table("priced")


@pytest.fixture
def counter(table: Any) -> Iterator[RequestCounter]:
    counting = RequestCounter().install()
    try:
        yield counting
    finally:
        counting.uninstall()


def task(status: str) -> dict[str, str]:
    return {
        "pk": "TASK#T-1",
        "sk": "#TASK",
        "gsi1pk": "CUSTOMER#C-1",
        "gsi1sk": "TASK#T-1",
        "gsi2pk": f"TASKS#{status}",
        "gsi2sk": "2026-11-23T10:00:00.000000Z#T-1",
    }


def test_writes_are_priced_with_their_index_writes(table: Any, counter: RequestCounter) -> None:
    with in_phase("respond"):
        table.put_item(Item=task("open"))  # table 1, gsi1 1, gsi2 1
        table.update_item(  # moves the gsi2 key: delete + put there, gsi1 entry changes
            Key={"pk": "TASK#T-1", "sk": "#TASK"},
            UpdateExpression="SET gsi2pk = :s",
            ExpressionAttributeValues={":s": "TASKS#resolved"},
        )
        table.get_item(Key={"pk": "TASK#T-1", "sk": "#TASK"}, ConsistentRead=True)
    assert counter.by_operation() == {"dynamodb:GetItem": 1, "dynamodb:PutItem": 1, "dynamodb:UpdateItem": 1}
    assert counter.unit_total("table_WRU") == 2
    assert counter.unit_total("index_WRU") == 2 + 3
    assert counter.unit_total("WRU", phases=("respond",)) == 7
    assert counter.unit_total("RRU") == 1
    assert not counter.accounting_errors


def test_a_failed_conditional_write_is_counted_and_priced(table: Any, counter: RequestCounter) -> None:
    table.put_item(Item=task("open"))
    before = counter.snapshot()
    with pytest.raises(ClientError):
        table.put_item(Item=task("open"), ConditionExpression="attribute_not_exists(pk)")
    spent = counter.since(before)
    assert spent.by_operation() == {"dynamodb:PutItem": 1}
    assert spent.unit_total("WRU") == 1
    assert spent.unit_total("failed_conditions") == 1
    assert spent.errors == {("dynamodb:PutItem", "ConditionalCheckFailedException"): 1}


def test_a_transaction_costs_twice_in_the_table(table: Any, counter: RequestCounter) -> None:
    client = table.meta.client
    client.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": table.name, "Item": task("open")}},
            {"Put": {"TableName": table.name, "Item": {"pk": "MENTION#1", "sk": "#MENTION"}}},
            {"Put": {"TableName": table.name, "Item": {"pk": "EVENT#1", "sk": "#EVENT"}}},
        ]
    )
    assert counter.unit_total("table_WRU") == 6
    assert counter.unit_total("index_WRU") == 2
    assert counter.unit_total("transactional_items") == 3
    before = counter.snapshot()
    with pytest.raises(ClientError):
        client.transact_write_items(
            TransactItems=[
                {
                    "Put": {
                        "TableName": table.name,
                        "Item": {"pk": "MENTION#1", "sk": "#MENTION"},
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                },
                {"Put": {"TableName": table.name, "Item": {"pk": "EVENT#2", "sk": "#EVENT"}}},
            ]
        )
    spent = counter.since(before)
    assert spent.unit_total("WRU") == 4  # both items, as failed writes at the transactional rate
    assert spent.unit_total("failed_conditions") == 1
    assert not counter.accounting_errors


def test_sqs_and_sns_requests_are_billed_per_64_kb_and_alert_kinds_recorded(
    aws: None, counter: RequestCounter
) -> None:
    import boto3

    sqs, sns = boto3.client("sqs"), boto3.client("sns")
    url = sqs.create_queue(QueueName="q")["QueueUrl"]
    topic = sns.create_topic(Name="alerts")["TopicArn"]
    before = counter.snapshot()
    sqs.send_message(QueueUrl=url, MessageBody="x" * 100)
    sqs.send_message(QueueUrl=url, MessageBody="x" * (200 * 1024))  # 4 chunks of 64 KB
    sns.publish(
        TopicArn=topic,
        Message="breach",
        MessageAttributes={"kind": {"DataType": "String", "StringValue": "sla_breach"}},
    )
    spent = counter.since(before)
    assert spent.by_service() == {"sqs": 2, "sns": 1}
    assert spent.unit_total("sqs_billed") == 1 + 4
    assert spent.unit_total("sns_billed") == 1
    assert spent.published() == {(topic, "sla_breach"): 1}


def test_an_empty_receive_is_idle_polling_not_a_mention_s_cost(aws: None, counter: RequestCounter) -> None:
    import boto3

    sqs = boto3.client("sqs")
    url = sqs.create_queue(QueueName="idle")["QueueUrl"]
    before = counter.snapshot()
    sqs.receive_message(QueueUrl=url, WaitTimeSeconds=0)
    spent = counter.since(before)
    assert spent.by_operation() == {"sqs:ReceiveMessage": 1}
    assert spent.unit_total("sqs_billed") == 0
    assert spent.unit_total("sqs_empty_receives") == 1
