"""What AWS rejects and moto lets pass, rejected here the way AWS does (tests and the local stack only).

moto accepts an SNS subject with a line break, a 2 MB SQS message, a 1 MB DynamoDB item, a transaction
that touches one item twice: code that does so passes every test and fails on AWS. `install()` adds
botocore event handlers (`before-parameter-build.<service>`, run after boto3's own DynamoDB
serialisation) to every botocore session created afterwards and to boto3's default session, so
Heed's functions, the tests and the local stack all go through them. Each rule raises the error AWS
gives: a botocore ClientError with AWS's error code and HTTP status (of botocore's modeled class for
that code where there is one, built by this module's own exceptions factory, so `except
client.exceptions.X` does not match it: match on the code, as Heed's code does). Production code never
imports this module.

Limits, each with the AWS page that states it:
- SNS Publish: https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
  Subject: ASCII, begins with a letter, number or punctuation mark, no line break or control character,
  fewer than 100 characters. Message: not empty, at most 256 KB (262,144 bytes) of UTF-8 together with
  every message attribute's name, type and value
  (https://docs.aws.amazon.com/sns/latest/api/API_MessageAttributeValue.html).
  Message attributes: https://docs.aws.amazon.com/sns/latest/dg/sns-message-attributes.html (name
  [A-Za-z0-9_.-], ≤ 256, no leading/trailing/double ".", no "AWS."/"Amazon." prefix; types String,
  String.Array, Number, Binary; value not empty) and Number values within ±10^9, 5 decimals
  (https://docs.aws.amazon.com/sns/latest/dg/sns-message-attributes.html#SNSMessageAttributes.DataTypes).
- SQS SendMessage / SendMessageBatch:
  https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html and
  https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html;
  quotas: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html
  A message with its attributes is at most the queue's MaximumMessageSize. Heed's queues do not set it,
  so the default, 262,144 bytes (256 KiB), applies (AWS now allows raising it to 1 MiB per queue); at
  most 10 attributes; a batch holds 1 to 10 entries with distinct ids, 256 KiB in total.
- DynamoDB item size, 400 KB including attribute names, each type sized as
  https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html and
  https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-items
- BatchWriteItem: ≤ 25 put or delete requests, no two on one item (ValidationException "Provided list
  of item keys contains duplicates"), each item ≤ 400 KB:
  https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html
- TransactWriteItems: ≤ 100 actions, ≤ 4 MB in total, no two actions on one item:
  https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
- BatchGetItem: ≤ 100 keys in all, no key twice (ValidationException "Provided list of item keys
  contains duplicates", AWS's answer though the page does not list it: github.com/boto/boto3/issues/4131):
  https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html
- Lambda Invoke: 6 MB payload synchronous, 1 MB asynchronous:
  https://docs.aws.amazon.com/lambda/latest/dg/API_Invoke.html and
  https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from botocore import handlers as botocore_handlers
from botocore.errorfactory import ClientExceptionsFactory
from botocore.exceptions import ClientError

KIB = 1024
SNS_MESSAGE_MAX = 262_144
SNS_SUBJECT_MAX = 99  # "less than 100 characters"
SQS_MESSAGE_MAX = 262_144  # the queue's MaximumMessageSize default
SQS_BATCH_MAX = 262_144
SQS_BATCH_ENTRIES = 10
SQS_ATTRIBUTES_MAX = 10
DYNAMODB_ITEM_MAX = 400 * KIB
TRANSACTION_ACTIONS_MAX = 100
TRANSACTION_BYTES_MAX = 4 * KIB * KIB
BATCH_GET_KEYS_MAX = 100
BATCH_WRITE_REQUESTS_MAX = 25
LAMBDA_SYNC_PAYLOAD_MAX = 6 * KIB * KIB
LAMBDA_ASYNC_PAYLOAD_MAX = 1 * KIB * KIB

_ATTRIBUTE_NAME = re.compile(r"^[A-Za-z0-9_.\-]{1,256}$")
_SNS_TYPES = ("String", "String.Array", "Number", "Binary")


class _Rejected(Exception):
    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


@cache
def _exceptions(service_model: Any) -> Any:
    return ClientExceptionsFactory().create_client_exceptions(service_model)


def _raise(model: Any, rejected: _Rejected) -> None:
    response = {
        "Error": {"Code": rejected.code, "Message": rejected.message},
        "ResponseMetadata": {"HTTPStatusCode": rejected.status},
    }
    # The modeled class's name (InvalidParameterException, ...) in tracebacks; each botocore session
    # builds its own classes, so matching is by code.
    error_class = _exceptions(model.service_model).from_code(rejected.code)
    raise error_class(response, model.name)


# ---- SNS ------------------------------------------------------------------------------------------


def _sns_attributes(attributes: dict[str, Any]) -> int:
    """Checks each attribute; returns the bytes they add to the message size."""
    size = 0
    for name, value in attributes.items():
        lowered = name.lower()
        if (
            not _ATTRIBUTE_NAME.match(name)
            or name.startswith(".")
            or name.endswith(".")
            or ".." in name
            or lowered.startswith(("aws.", "amazon."))
        ):
            raise _Rejected("ParameterValueInvalid", f"The message attribute name '{name}' is invalid.")
        data_type = value.get("DataType", "")
        base = data_type.split(".", 1)[0] if not data_type.startswith("String.Array") else "String.Array"
        if base not in _SNS_TYPES:
            raise _Rejected(
                "ParameterValueInvalid",
                f"The message attribute '{name}' has an invalid message attribute type, the set of "
                "supported type prefixes is Binary, Number, and String.",
            )
        raw = value.get("BinaryValue") if base == "Binary" else value.get("StringValue")
        if raw is None or len(raw) == 0:
            raise _Rejected(
                "ParameterValueInvalid",
                f"The message attribute '{name}' must contain non-empty message attribute value.",
            )
        if base == "Number":
            try:
                number = Decimal(str(raw))
            except InvalidOperation:
                number = None
            exponent = number.as_tuple().exponent if number is not None else 0
            if (
                number is None
                or not number.is_finite()
                or abs(number) > Decimal(10) ** 9
                or (isinstance(exponent, int) and exponent < -5)
            ):
                raise _Rejected(
                    "ParameterValueInvalid",
                    f"The message attribute '{name}' has an invalid number: {raw}.",
                )
        if base == "String.Array":
            try:
                if not isinstance(json.loads(raw), list):
                    raise ValueError
            except ValueError:
                raise _Rejected(
                    "ParameterValueInvalid", f"The message attribute '{name}' is not a JSON array."
                ) from None
        value_bytes = len(raw) if isinstance(raw, bytes) else len(str(raw).encode())
        size += len(name.encode()) + len(data_type.encode()) + value_bytes
    return size


def sns_publish(params: dict[str, Any]) -> None:
    subject = params.get("Subject")
    if subject is not None and (
        not subject
        or len(subject) > SNS_SUBJECT_MAX
        or any(not 32 <= ord(c) < 127 for c in subject)
        or subject[0] == " "
    ):
        raise _Rejected("InvalidParameter", "Invalid parameter: Subject")
    message = params.get("Message", "")
    if not message:
        raise _Rejected("InvalidParameter", "Invalid parameter: Empty message")
    size = len(message.encode("utf-8", "surrogatepass")) + _sns_attributes(
        params.get("MessageAttributes", {})
    )
    if size > SNS_MESSAGE_MAX:
        raise _Rejected("InvalidParameter", "Invalid parameter: Message too long")


# ---- SQS ------------------------------------------------------------------------------------------


def _sqs_message_size(body: str, attributes: dict[str, Any]) -> int:
    if len(attributes) > SQS_ATTRIBUTES_MAX:
        raise _Rejected(
            "InvalidParameterValue",
            f"Number of message attributes [{len(attributes)}] exceeds the allowed maximum [10].",
        )
    size = len(body.encode("utf-8", "surrogatepass"))
    for name, value in attributes.items():
        raw = (
            value.get("BinaryValue")
            if value.get("DataType", "").startswith("Binary")
            else value.get("StringValue", "")
        )
        size += len(name.encode()) + len(value.get("DataType", "").encode())
        size += len(raw) if isinstance(raw, bytes) else len(str(raw).encode())
    return size


def sqs_send_message(params: dict[str, Any]) -> None:
    size = _sqs_message_size(params.get("MessageBody", ""), params.get("MessageAttributes", {}))
    if size > SQS_MESSAGE_MAX:
        raise _Rejected(
            "InvalidParameterValue",
            f"One or more parameters are invalid. Reason: Message must be shorter than {SQS_MESSAGE_MAX} bytes.",
        )


def sqs_send_message_batch(params: dict[str, Any]) -> None:
    entries = params.get("Entries", [])
    if not entries:
        raise _Rejected(
            "EmptyBatchRequest", "There should be at least one SendMessageBatchRequestEntry in the request."
        )
    if len(entries) > SQS_BATCH_ENTRIES:
        raise _Rejected(
            "TooManyEntriesInBatchRequest",
            f"Maximum number of entries per request are {SQS_BATCH_ENTRIES}. You have sent {len(entries)}.",
        )
    ids = [e.get("Id") for e in entries]
    if len(set(ids)) != len(ids):
        raise _Rejected(
            "BatchEntryIdsNotDistinct", "Two or more batch entries in the request have the same Id."
        )
    total = sum(_sqs_message_size(e.get("MessageBody", ""), e.get("MessageAttributes", {})) for e in entries)
    if total > SQS_BATCH_MAX:
        raise _Rejected(
            "BatchRequestTooLong",
            f"Batch requests cannot be longer than {SQS_BATCH_MAX} bytes. You have sent {total} bytes.",
        )


# ---- DynamoDB -------------------------------------------------------------------------------------

_key_names: dict[str, tuple[str, ...]] = {}  # table -> key attribute names (from CreateTable or any Key)


def _number_size(text: str) -> int:
    digits = re.sub(r"[eE].*$", "", text.lstrip("+-")).replace(".", "").strip("0") or "0"
    return (len(digits) + 1) // 2 + 1


def attribute_value_size(value: dict[str, Any]) -> int:
    """Bytes DynamoDB counts for one attribute value (wire form, {"S": ...})."""
    ((kind, inner),) = value.items()
    if kind == "S":
        return len(inner.encode("utf-8", "surrogatepass"))
    if kind == "N":
        return _number_size(inner)
    if kind == "B":
        return len(inner)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "SS":
        return sum(len(s.encode("utf-8", "surrogatepass")) for s in inner)
    if kind == "NS":
        return sum(_number_size(n) for n in inner)
    if kind == "BS":
        return sum(len(b) for b in inner)
    if kind == "L":
        return 3 + sum(1 + attribute_value_size(v) for v in inner)
    if kind == "M":
        return 3 + sum(1 + len(k.encode()) + attribute_value_size(v) for k, v in inner.items())
    return 0


def item_size(item: dict[str, Any]) -> int:
    return sum(len(name.encode()) + attribute_value_size(value) for name, value in item.items())


def _check_item(item: dict[str, Any]) -> int:
    size = item_size(item)
    if size > DYNAMODB_ITEM_MAX:
        raise _Rejected("ValidationException", "Item size has exceeded the maximum allowed size")
    return size


def _remember_key(table: str, key: dict[str, Any]) -> None:
    if table not in _key_names:
        _key_names[table] = tuple(sorted(key))


def _identity(table: str, attributes: dict[str, Any]) -> tuple[Any, ...]:
    names = _key_names.get(table) or tuple(n for n in ("pk", "sk") if n in attributes)
    return (table, *(json.dumps(attributes.get(n), sort_keys=True, default=str) for n in names))


def dynamodb_create_table(params: dict[str, Any]) -> None:
    _key_names[params["TableName"]] = tuple(sorted(k["AttributeName"] for k in params.get("KeySchema", [])))


def dynamodb_put_item(params: dict[str, Any]) -> None:
    _check_item(params.get("Item", {}))


def dynamodb_keyed(params: dict[str, Any]) -> None:
    if "Key" in params and "TableName" in params:
        _remember_key(params["TableName"], params["Key"])


def dynamodb_transact_write_items(params: dict[str, Any]) -> None:
    actions = params.get("TransactItems", [])
    if len(actions) > TRANSACTION_ACTIONS_MAX:
        raise _Rejected(
            "ValidationException",
            "1 validation error detected: Value at 'transactItems' failed to satisfy constraint: "
            f"Member must have length less than or equal to {TRANSACTION_ACTIONS_MAX}",
        )
    for action in actions:  # learn key names first, so a Put's key is read the same way
        for kind in ("Update", "Delete", "ConditionCheck"):
            if kind in action:
                _remember_key(action[kind]["TableName"], action[kind]["Key"])
    seen: set[tuple[Any, ...]] = set()
    total = 0
    for action in actions:
        ((kind, body),) = action.items()
        if kind == "Put":
            total += _check_item(body["Item"])
            identity = _identity(body["TableName"], body["Item"])
        else:
            total += item_size(body["Key"])
            identity = _identity(body["TableName"], body["Key"])
        total += sum(attribute_value_size(v) for v in body.get("ExpressionAttributeValues", {}).values())
        if identity in seen:
            raise _Rejected(
                "ValidationException", "Transaction request cannot include multiple operations on one item"
            )
        seen.add(identity)
    if total > TRANSACTION_BYTES_MAX:
        raise _Rejected("ValidationException", "Transaction request cannot be larger than 4 MB")


def dynamodb_batch_get_item(params: dict[str, Any]) -> None:
    requests = params.get("RequestItems", {})
    if sum(len(r.get("Keys", [])) for r in requests.values()) > BATCH_GET_KEYS_MAX:
        raise _Rejected("ValidationException", "Too many items requested for the BatchGetItem call")
    for table, request in requests.items():
        keys = [json.dumps(k, sort_keys=True, default=str) for k in request.get("Keys", [])]
        if len(set(keys)) != len(keys):
            raise _Rejected("ValidationException", "Provided list of item keys contains duplicates")
        for key in request.get("Keys", []):
            _remember_key(table, key)


def dynamodb_batch_write_item(params: dict[str, Any]) -> None:
    requests = params.get("RequestItems", {})
    if sum(len(r) for r in requests.values()) > BATCH_WRITE_REQUESTS_MAX:
        raise _Rejected(
            "ValidationException",
            "1 validation error detected: Value at 'requestItems' failed to satisfy constraint: "
            f"Map value must satisfy constraint: [Member must have length less than or equal to "
            f"{BATCH_WRITE_REQUESTS_MAX}]",
        )
    for table, writes in requests.items():
        seen: set[tuple[Any, ...]] = set()
        for write in writes:
            if "PutRequest" in write:
                _check_item(write["PutRequest"]["Item"])
                identity = _identity(table, write["PutRequest"]["Item"])
            else:
                _remember_key(table, write["DeleteRequest"]["Key"])
                identity = _identity(table, write["DeleteRequest"]["Key"])
            if identity in seen:
                raise _Rejected("ValidationException", "Provided list of item keys contains duplicates")
            seen.add(identity)


# ---- Lambda ---------------------------------------------------------------------------------------


def lambda_payload(payload: bytes | str | dict[str, Any], *, asynchronous: bool = False) -> None:
    """Also for the local stack, which plays Lambda by calling handlers with an event."""
    if isinstance(payload, dict):
        payload = json.dumps(payload)
    size = len(payload.encode() if isinstance(payload, str) else payload)
    limit = LAMBDA_ASYNC_PAYLOAD_MAX if asynchronous else LAMBDA_SYNC_PAYLOAD_MAX
    if size > limit:
        raise _Rejected(
            "RequestTooLargeException",
            f"Request must be smaller than {limit} bytes for the {'InvokeAsync' if asynchronous else 'Invoke'} operation",
            413,
        )


def lambda_invoke(params: dict[str, Any]) -> None:
    payload = params.get("Payload", b"")
    if hasattr(payload, "read"):  # a file-like payload: its size is what is sent
        return
    lambda_payload(payload, asynchronous=params.get("InvocationType") == "Event")


RULES: dict[tuple[str, str], Callable[[dict[str, Any]], None]] = {
    ("sns", "Publish"): sns_publish,
    ("sqs", "SendMessage"): sqs_send_message,
    ("sqs", "SendMessageBatch"): sqs_send_message_batch,
    ("dynamodb", "CreateTable"): dynamodb_create_table,
    ("dynamodb", "PutItem"): dynamodb_put_item,
    ("dynamodb", "GetItem"): dynamodb_keyed,
    ("dynamodb", "UpdateItem"): dynamodb_keyed,
    ("dynamodb", "DeleteItem"): dynamodb_keyed,
    ("dynamodb", "TransactWriteItems"): dynamodb_transact_write_items,
    ("dynamodb", "BatchGetItem"): dynamodb_batch_get_item,
    ("dynamodb", "BatchWriteItem"): dynamodb_batch_write_item,
    ("lambda", "Invoke"): lambda_invoke,
}
_SERVICES = sorted({service for service, _ in RULES})


def check(params: dict[str, Any], model: Any, **_: Any) -> None:
    """botocore `before-parameter-build` handler: AWS's answer to a request AWS would refuse."""
    rule = RULES.get((model.service_model.service_id.hyphenize(), model.name))
    if rule is None:
        return
    try:
        rule(params)
    except _Rejected as rejected:
        _raise(model, rejected)


def check_lambda_event(event: dict[str, Any], *, model_name: str = "Invoke") -> None:
    """For callers that are not a botocore client (the local stack invoking a handler directly)."""
    try:
        lambda_payload(event)
    except _Rejected as rejected:
        raise ClientError(
            {
                "Error": {"Code": rejected.code, "Message": rejected.message},
                "ResponseMetadata": {"HTTPStatusCode": 413},
            },
            model_name,
        ) from None


def _events() -> list[str]:
    # Registered on the service prefix, last: after boto3's DynamoDB resource has serialised Python
    # values into {"S": ...} (it registers on the same prefix), so one wire form is checked.
    return [f"before-parameter-build.{service}" for service in _SERVICES]


def register(emitter: Any) -> None:
    """On one session's or client's event emitter (`session.events`, `client.meta.events`)."""
    for event in _events():
        emitter.register_last(event, check, unique_id=f"heed-aws-limits-{event}")


def unregister(emitter: Any) -> None:
    for event in _events():
        emitter.unregister(event, check, unique_id=f"heed-aws-limits-{event}")


_lock = threading.Lock()
_installed = 0


def install() -> None:
    """Every botocore session created from now on, and boto3's default session, check AWS's limits."""
    global _installed
    with _lock:
        _installed += 1
        if _installed > 1:
            return
        for event in _events():
            botocore_handlers.BUILTIN_HANDLERS.append((event, check, botocore_handlers.REGISTER_LAST))
        import boto3

        if boto3.DEFAULT_SESSION is not None:
            register(boto3.DEFAULT_SESSION.events)


def uninstall() -> None:
    global _installed
    with _lock:
        _installed = max(0, _installed - 1)
        if _installed:
            return
        botocore_handlers.BUILTIN_HANDLERS[:] = [
            spec for spec in botocore_handlers.BUILTIN_HANDLERS if spec[1] is not check
        ]
        import boto3

        if boto3.DEFAULT_SESSION is not None:
            unregister(boto3.DEFAULT_SESSION.events)
