"""The outbox's call history: the newest calls in memory, every call in its file, and `calls` still
used like a list (len, indexes, slices, iteration, == a list) over the whole history."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from infra.local_stack import CallLog, Outbox


def _record(outbox: Outbox, n: int) -> dict[str, Any]:
    body = json.dumps({"message": f"reply {n}"}).encode()
    outbox.record(
        "POST", f"http://outbox/graph/{n}/comments", {}, body, fault="accept_then_5xx" if n == 4 else None
    )
    expected: dict[str, Any] = {
        "method": "POST",
        "url": f"http://outbox/graph/{n}/comments",
        "body": {"message": f"reply {n}"},
    }
    if n == 4:
        expected["fault"] = "accept_then_5xx"
    return expected


def test_outbox_keeps_only_the_newest_calls_in_memory_and_reads_older_ones_from_its_file(
    tmp_path: Path,
) -> None:
    # Given an outbox that keeps 3 calls in memory
    outbox = Outbox(tmp_path / "outbox.jsonl", memory_limit=3)
    # When it records 10
    recorded = [_record(outbox, n) for n in range(10)]
    # Then 3 are held, and the history reads as all 10, in order, whichever way it is read
    assert len(outbox.calls.recent) == 3
    assert len(outbox.calls) == 10
    assert outbox.calls == recorded and list(outbox.calls) == recorded
    assert [outbox.calls[i] for i in (0, 4, 6, 7, 9, -1, -10)] == [
        recorded[i] for i in (0, 4, 6, 7, 9, -1, -10)
    ]
    assert outbox.calls[2:8] == recorded[2:8]
    assert outbox.calls[::-3] == recorded[::-3]
    assert outbox.calls[8:] == recorded[8:] and outbox.calls[12:] == []
    assert [c for c in outbox.calls if c.get("fault")] == [recorded[4]]
    with pytest.raises(IndexError):
        outbox.calls[10]
    # And the file has one line per call
    assert [json.loads(line) for line in outbox.path.read_text().splitlines()] == recorded


def test_newest_calls_are_the_recorded_objects(tmp_path: Path) -> None:
    # A bench stamps the last call when it sees it (infra/bench/e2e.py): it must stick
    outbox = Outbox(tmp_path / "outbox.jsonl", memory_limit=2)
    for n in range(3):
        _record(outbox, n)
    outbox.calls[-1]["at"] = 1.5
    assert outbox.calls[-1]["at"] == 1.5 and outbox.calls[2:][0]["at"] == 1.5


def test_clear_starts_the_history_afresh_and_the_file_keeps_everything(tmp_path: Path) -> None:
    # Given 5 recorded calls, then a clear (as tests/faults does before each test)
    outbox = Outbox(tmp_path / "outbox.jsonl", memory_limit=2)
    for n in range(5):
        _record(outbox, n)
    outbox.calls.clear()
    assert outbox.calls == [] and len(outbox.calls) == 0
    # When 3 more come
    later = [_record(outbox, n) for n in range(5, 8)]
    # Then the history is those 3 (the first of them read back from the file)
    assert outbox.calls == later and outbox.calls[0] == later[0]
    assert len(outbox.path.read_text().splitlines()) == 8


def test_a_call_log_keeps_at_least_one_call() -> None:
    with pytest.raises(ValueError):
        CallLog(Path("unused.jsonl"), memory_limit=0)
