"""The one pagination loop of Heed: every Query that can outgrow a page goes through `query_all`.

DynamoDB answers a Query with at most 1 MB (or `Limit` items) and a `LastEvaluatedKey` to continue
from; a caller that forgets the key silently reads a partial result, so no other module handles it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any


def query_all(
    table: Any, *, max_items: int | None = None, page_size: int | None = None, **query: Any
) -> Iterator[dict[str, Any]]:
    """The items of one Query, page after page, as DynamoDB returns them (callers convert them).

    `query` holds the Query parameters (KeyConditionExpression, IndexName, ...). `page_size` is each
    request's `Limit`; `max_items` stops after that many items and never asks for more than it still
    needs. The next page is only requested when the caller reads past the current one.
    """
    request = dict(query)
    taken = 0
    while max_items is None or taken < max_items:
        limit = page_size
        if max_items is not None:
            limit = min(max_items - taken, page_size or max_items)
        page = table.query(**request, **({"Limit": limit} if limit else {}))
        yield from page["Items"]
        taken += len(page["Items"])
        if "LastEvaluatedKey" not in page:
            return
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def get_items(
    table: Any, wanted: list[dict[str, str]], *, consistent: bool = False
) -> dict[tuple[str, str], dict[str, Any]]:
    """Items by key, 100 keys per BatchGetItem (its limit), duplicates sent once (BatchGetItem refuses
    them), unprocessed keys retried. The indexes project keys only, so a Query on an index is followed
    by this: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html"""
    unique = list({(k["pk"], k["sk"]): k for k in wanted}.values())
    found: dict[tuple[str, str], dict[str, Any]] = {}
    client = table.meta.client
    for start in range(0, len(unique), 100):
        request: dict[str, Any] = {
            table.name: {
                "Keys": [{"pk": k["pk"], "sk": k["sk"]} for k in unique[start : start + 100]],
                "ConsistentRead": consistent,
            }
        }
        for _ in range(10):
            answer = client.batch_get_item(RequestItems=request)
            for item in answer["Responses"].get(table.name, []):
                found[(item["pk"], item["sk"])] = item
            request = answer.get("UnprocessedKeys") or {}
            if not request:
                break
    return found


BATCH_WRITE_MAX = 25  # put requests per BatchWriteItem (AWS refuses more)
_UNPROCESSED_TRIES = 8


class Unprocessed(Exception):
    """DynamoDB kept handing items back (throttling): the caller's message is retried later."""


def put_items(
    table: Any, items: list[dict[str, Any]], *, sleep: Callable[[float], None] = time.sleep
) -> None:
    """Unconditional puts, 25 per BatchWriteItem, items DynamoDB hands back (throttling) retried with
    exponential backoff as AWS advises; raises Unprocessed when some are still not written. Each put
    costs what a PutItem costs (no transaction's double charge), in one request:
    https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html"""
    client = table.meta.client
    for start in range(0, len(items), BATCH_WRITE_MAX):
        request: dict[str, Any] = {
            table.name: [{"PutRequest": {"Item": item}} for item in items[start : start + BATCH_WRITE_MAX]]
        }
        for attempt in range(_UNPROCESSED_TRIES):
            request = client.batch_write_item(RequestItems=request).get("UnprocessedItems") or {}
            if not request:
                break
            sleep(min(0.05 * 2**attempt, 1.0))
        if request:
            raise Unprocessed(f"{sum(len(r) for r in request.values())} items not written")
