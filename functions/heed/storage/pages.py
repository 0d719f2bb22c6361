"""The one pagination loop of Heed: every Query that can outgrow a page goes through `query_all`.

DynamoDB answers a Query with at most 1 MB (or `Limit` items) and a `LastEvaluatedKey` to continue
from; a caller that forgets the key silently reads a partial result, so no other module handles it.
"""

from __future__ import annotations

from collections.abc import Iterator
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
