"""query_all: the one pagination loop. Every page is read, and a caller's cap is never exceeded."""

from __future__ import annotations

from typing import Any

import pytest
from boto3.dynamodb.conditions import Key
from heed.storage.pages import Unprocessed, put_items, query_all

PARTITION = "TEST#pages"


class RecordingTable:
    """The moto table, keeping each Query request so a test can see how it paginated."""

    def __init__(self, table: Any) -> None:
        self.table = table
        self.requests: list[dict[str, Any]] = []

    def query(self, **request: Any) -> dict[str, Any]:
        self.requests.append(request)
        return self.table.query(**request)


def _given_items(table: Any, count: int) -> RecordingTable:
    with table.batch_writer() as batch:
        for n in range(count):
            batch.put_item(Item={"pk": PARTITION, "sk": f"{n:03d}"})
    return RecordingTable(table)


def _sks(items: Any) -> list[str]:
    return [str(i["sk"]) for i in items]


def test_every_page_is_read_in_order(table):
    recording = _given_items(table, 25)
    items = query_all(recording, page_size=10, KeyConditionExpression=Key("pk").eq(PARTITION))
    assert _sks(items) == [f"{n:03d}" for n in range(25)]
    assert len(recording.requests) == 3
    assert "ExclusiveStartKey" not in recording.requests[0]
    assert all("ExclusiveStartKey" in r for r in recording.requests[1:])


def test_max_items_stops_and_never_asks_for_more_than_it_needs(table):
    recording = _given_items(table, 25)
    items = list(
        query_all(recording, max_items=12, page_size=10, KeyConditionExpression=Key("pk").eq(PARTITION))
    )
    assert _sks(items) == [f"{n:03d}" for n in range(12)]
    assert [r["Limit"] for r in recording.requests] == [10, 2]


def test_max_items_alone_is_the_limit_of_the_request(table):
    recording = _given_items(table, 5)
    items = list(query_all(recording, max_items=3, KeyConditionExpression=Key("pk").eq(PARTITION)))
    assert len(items) == 3 and [r["Limit"] for r in recording.requests] == [3]


def test_the_next_page_is_read_only_when_the_caller_gets_there(table):
    recording = _given_items(table, 25)
    items = query_all(recording, page_size=10, KeyConditionExpression=Key("pk").eq(PARTITION))
    first = next(iter(items))
    assert first["sk"] == "000" and len(recording.requests) == 1


class ThrottledClient:
    """A client whose BatchWriteItem hands back its last item `times` times, as DynamoDB does when
    throttled (UnprocessedItems)."""

    def __init__(self, table: Any, times: int) -> None:
        self.table, self.times, self.requests = table, times, []

    def batch_write_item(self, RequestItems: dict[str, Any]) -> dict[str, Any]:
        self.requests.append(RequestItems)
        ((name, writes),) = RequestItems.items()
        if self.times > 0:
            self.times -= 1
            if writes[:-1]:
                self.table.meta.client.batch_write_item(RequestItems={name: writes[:-1]})
            return {"UnprocessedItems": {name: writes[-1:]}}
        return self.table.meta.client.batch_write_item(RequestItems=RequestItems)


class TableWith:
    def __init__(self, table: Any, client: Any) -> None:
        self.name = table.name
        self.meta = type("Meta", (), {"client": client})()


def test_put_items_writes_25_a_request_and_retries_what_comes_back(table):
    client = ThrottledClient(table, times=2)
    waits: list[float] = []
    items = [{"pk": PARTITION, "sk": f"{n:03d}"} for n in range(30)]
    put_items(TableWith(table, client), items, sleep=waits.append)
    assert [len(next(iter(r.values()))) for r in client.requests] == [25, 1, 1, 5]
    assert waits == [0.05, 0.1]  # exponential backoff before each retry
    assert len(list(query_all(table, KeyConditionExpression=Key("pk").eq(PARTITION)))) == 30


def test_put_items_raises_when_items_keep_coming_back(table):
    client = ThrottledClient(table, times=100)
    with pytest.raises(Unprocessed):
        put_items(TableWith(table, client), [{"pk": PARTITION, "sk": "x"}], sleep=lambda _: None)
