"""The limits layer (infra/aws_limits.py) refuses what AWS refuses, with AWS's error code, where moto
would accept. Each limit's AWS documentation page is cited next to it in infra/aws_limits.py."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from infra import aws_limits


def code(error: pytest.ExceptionInfo[ClientError]) -> str:
    return error.value.response["Error"]["Code"]


@pytest.fixture
def topic(aws: None) -> tuple[Any, str]:
    sns = boto3.client("sns")
    return sns, sns.create_topic(Name="alerts")["TopicArn"]


# ---- SNS Publish ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "subject",
    ["Hola José", "two\nlines", "tab\there", " leading space", "x" * 100, ""],
    ids=["non-ascii", "line-break", "control", "leading-space", "100-chars", "empty"],
)
def test_sns_refuses_a_subject_aws_refuses(topic: tuple[Any, str], subject: str) -> None:
    sns, arn = topic
    with pytest.raises(ClientError) as error:
        sns.publish(TopicArn=arn, Subject=subject, Message="body")
    assert code(error) == "InvalidParameter"


def test_sns_accepts_a_99_character_ascii_subject(topic: tuple[Any, str]) -> None:
    sns, arn = topic
    assert sns.publish(TopicArn=arn, Subject="[Heed P1] " + "x" * 89, Message="body")["MessageId"]


def test_sns_message_is_at_most_256_kb_of_utf8_with_its_attributes(topic: tuple[Any, str]) -> None:
    sns, arn = topic
    # 87,382 three-byte characters: under 256 K characters, over 262,144 bytes
    with pytest.raises(ClientError) as error:
        sns.publish(TopicArn=arn, Message="€" * 87_382)
    assert code(error) == "InvalidParameter"
    # Exactly at the limit once the attribute ("kind" + "String" + "x") is counted: refused
    attribute = {"kind": {"DataType": "String", "StringValue": "x"}}
    with pytest.raises(ClientError):
        sns.publish(TopicArn=arn, Message="a" * (262_144 - 10), MessageAttributes=attribute)
    assert sns.publish(TopicArn=arn, Message="a" * (262_144 - 11), MessageAttributes=attribute)


@pytest.mark.parametrize(
    "attributes",
    [
        {"AWS.kind": {"DataType": "String", "StringValue": "x"}},
        {"bad name": {"DataType": "String", "StringValue": "x"}},
        {"kind": {"DataType": "Text", "StringValue": "x"}},
        {"count": {"DataType": "Number", "StringValue": "ten"}},
        {"count": {"DataType": "Number", "StringValue": "10000000000"}},
        {"kind": {"DataType": "String", "StringValue": ""}},
    ],
    ids=["reserved-prefix", "space-in-name", "unknown-type", "not-a-number", "number-too-big", "empty"],
)
def test_sns_refuses_invalid_message_attributes(topic: tuple[Any, str], attributes: dict[str, Any]) -> None:
    sns, arn = topic
    with pytest.raises(ClientError) as error:
        sns.publish(TopicArn=arn, Message="body", MessageAttributes=attributes)
    assert code(error) == "ParameterValueInvalid"


# ---- SQS ------------------------------------------------------------------------------------------


def test_sqs_message_with_attributes_is_at_most_256_kib(queue: tuple[Any, str]) -> None:
    sqs, url = queue
    attribute = {"k": {"DataType": "String", "StringValue": "v"}}  # 1 + 6 + 1 bytes
    with pytest.raises(ClientError) as error:
        sqs.send_message(QueueUrl=url, MessageBody="a" * (262_144 - 7), MessageAttributes=attribute)
    assert code(error) == "InvalidParameterValue"
    sqs.send_message(QueueUrl=url, MessageBody="a" * (262_144 - 8), MessageAttributes=attribute)


def test_sqs_batch_is_ten_entries_and_256_kib_in_total(queue: tuple[Any, str]) -> None:
    sqs, url = queue
    eleven = [{"Id": str(n), "MessageBody": "m"} for n in range(11)]
    with pytest.raises(ClientError) as error:
        sqs.send_message_batch(QueueUrl=url, Entries=eleven)
    assert code(error) == "TooManyEntriesInBatchRequest"
    # Three 100 KiB messages: each fits alone, the batch does not
    big = [{"Id": str(n), "MessageBody": "a" * 102_400} for n in range(3)]
    with pytest.raises(ClientError) as error:
        sqs.send_message_batch(QueueUrl=url, Entries=big)
    assert code(error) == "BatchRequestTooLong"
    with pytest.raises(ClientError):
        sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": "1", "MessageBody": "m"}] * 2)
    assert len(sqs.send_message_batch(QueueUrl=url, Entries=big[:2])["Successful"]) == 2


# ---- DynamoDB -------------------------------------------------------------------------------------


def test_dynamodb_item_is_at_most_400_kb_names_included(table: Any) -> None:
    # One byte over 409,600 with the key attributes and names: "pk"+"T#1" (5), "sk"+"x" (3), "text" (4)
    item = {"pk": {"S": "T#1"}, "sk": {"S": "x"}, "text": {"S": "a" * (409_600 - 12 + 1)}}
    assert aws_limits.item_size(item) == 409_601
    with pytest.raises(ClientError) as error:
        table.put_item(Item={"pk": "T#1", "sk": "x", "text": "a" * (409_600 - 12 + 1)})
    assert code(error) == "ValidationException"
    # (moto itself refuses items over 405,000 bytes, stricter than AWS: the accepted case stays under)
    table.put_item(Item={"pk": "T#1", "sk": "x", "text": "a" * 400_000})


def test_item_size_follows_aws_sizing() -> None:
    # Strings in UTF-8 bytes, numbers by significant digits, maps and lists with 3 + 1 per element
    assert aws_limits.item_size({"name": {"S": "José"}}) == 4 + 5
    assert aws_limits.item_size({"n": {"N": "123.45"}}) == 1 + 4
    assert aws_limits.item_size({"m": {"M": {"a": {"BOOL": True}}}}) == 1 + 3 + 1 + 1 + 1
    assert aws_limits.item_size({"l": {"L": [{"NULL": True}, {"S": "ab"}]}}) == 1 + 3 + (1 + 1) + (1 + 2)


def test_transaction_limits(table: Any) -> None:
    client = table.meta.client
    name = table.name

    def put(n: int, text: str = "x") -> dict[str, Any]:
        return {"Put": {"TableName": name, "Item": {"pk": f"T#{n}", "sk": "a", "text": text}}}

    with pytest.raises(ClientError) as error:
        client.transact_write_items(TransactItems=[put(n) for n in range(101)])
    assert code(error) == "ValidationException"
    # The same item twice (a Put and an Update of one key)
    update = {
        "Update": {
            "TableName": name,
            "Key": {"pk": "T#1", "sk": "a"},
            "UpdateExpression": "SET n = :n",
            "ExpressionAttributeValues": {":n": 1},
        }
    }
    with pytest.raises(ClientError) as error:
        client.transact_write_items(TransactItems=[put(1), update])
    assert code(error) == "ValidationException" and "one item" in error.value.response["Error"]["Message"]
    # Eleven items of 390 KB each: every item fits, the transaction (over 4 MB) does not
    with pytest.raises(ClientError) as error:
        client.transact_write_items(TransactItems=[put(n, "a" * 390_000) for n in range(11)])
    assert "4 MB" in error.value.response["Error"]["Message"]
    client.transact_write_items(TransactItems=[put(n, "a" * 390_000) for n in range(10)])


def test_batch_get_item_limits(table: Any) -> None:
    client = table.meta.client
    keys = [{"pk": f"T#{n}", "sk": "a"} for n in range(101)]
    with pytest.raises(ClientError) as error:
        client.batch_get_item(RequestItems={table.name: {"Keys": keys}})
    assert code(error) == "ValidationException"
    with pytest.raises(ClientError) as error:
        client.batch_get_item(RequestItems={table.name: {"Keys": [keys[0], keys[0]]}})
    assert error.value.response["Error"]["Message"] == "Provided list of item keys contains duplicates"
    assert client.batch_get_item(RequestItems={table.name: {"Keys": keys[:100]}})


def test_batch_write_item_limits(table: Any) -> None:
    # https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html
    client = table.meta.client
    puts = [{"PutRequest": {"Item": {"pk": f"W#{n}", "sk": "a"}}} for n in range(26)]
    with pytest.raises(ClientError) as error:
        client.batch_write_item(RequestItems={table.name: puts})
    assert code(error) == "ValidationException"
    with pytest.raises(ClientError) as error:
        client.batch_write_item(RequestItems={table.name: [puts[0], puts[0]]})
    assert error.value.response["Error"]["Message"] == "Provided list of item keys contains duplicates"
    with pytest.raises(ClientError) as error:
        big = {"PutRequest": {"Item": {"pk": "W#big", "sk": "a", "v": "a" * 410_000}}}
        client.batch_write_item(RequestItems={table.name: [big]})
    assert code(error) == "ValidationException"
    client.batch_write_item(RequestItems={table.name: puts[:25]})
    assert table.get_item(Key={"pk": "W#24", "sk": "a"})["Item"]


# ---- Lambda ---------------------------------------------------------------------------------------


def test_lambda_synchronous_payload_is_at_most_6_mb(aws: None) -> None:
    lam = boto3.client("lambda")
    payload = json.dumps({"body": "a" * (6 * 1024 * 1024)})
    with pytest.raises(ClientError) as error:
        lam.invoke(FunctionName="heed-respond", Payload=payload)
    assert code(error) == "RequestTooLargeException"
    with pytest.raises(ClientError) as error:
        aws_limits.check_lambda_event({"body": "a" * (6 * 1024 * 1024)})
    assert code(error) == "RequestTooLargeException"
    aws_limits.check_lambda_event({"body": "a" * (6 * 1024 * 1024 - 100)})


def test_sessions_created_after_uninstall_are_plain_moto(aws: None) -> None:
    # The fixture's install is counted: an extra install/uninstall pair leaves the rules on
    aws_limits.install()
    aws_limits.uninstall()
    sns = boto3.session.Session().client("sns")
    arn = sns.create_topic(Name="t")["TopicArn"]
    with pytest.raises(ClientError):
        sns.publish(TopicArn=arn, Subject="a\nb", Message="m")
