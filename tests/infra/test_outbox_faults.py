"""The outbox's switchable faults, seen the way Heed's platform client sees them: a plain
`requests` call with a short timeout, then what the outbox (the platform) recorded."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import urllib3.exceptions

from infra.local_stack import Outbox
from infra.outbox_faults import ADMIN_PATH, CALLS_PATH, parse_spec

CLIENT_TIMEOUT = 0.3
REPLY = {"message": "Hola Lucía, lo sentimos: ya lo estamos revisando."}


@pytest.fixture
def outbox(tmp_path: Path) -> Iterator[Outbox]:
    running = Outbox(tmp_path / "outbox.jsonl")
    running.serve()
    yield running
    running.shutdown()


def _reply(outbox: Outbox, path: str = "/graph/555001_900001/comments") -> requests.Response:
    return requests.post(f"{outbox.url}{path}", json=REPLY, timeout=CLIENT_TIMEOUT)


def test_without_fault_the_call_is_answered_and_recorded(outbox: Outbox) -> None:
    answer = _reply(outbox)
    assert answer.status_code == 200 and answer.json()["id"] == "outbox_1"
    assert [c["body"] for c in outbox.calls] == [REPLY]
    assert "fault" not in outbox.calls[0]


def test_accept_then_hang_records_the_call_and_the_client_times_out_reading(outbox: Outbox) -> None:
    # Given the platform takes the reply and then says nothing for longer than the client waits
    outbox.faults.add("accept_then_hang", path_contains="/comments", hang_seconds=1.0)
    # When Heed posts it
    with pytest.raises(requests.exceptions.ReadTimeout) as raised:
        _reply(outbox)
    # Then the client sees a read timeout (sent: the platform may have acted) ...
    assert isinstance(raised.value.args[0], urllib3.exceptions.ReadTimeoutError)
    assert not isinstance(raised.value, requests.exceptions.ConnectionError)
    # ... and the platform has the reply
    assert [(c["body"], c["fault"]) for c in outbox.calls] == [(REPLY, "accept_then_hang")]
    # And the fault was for one call only
    assert _reply(outbox).status_code == 200


def test_accept_then_hang_shorter_than_the_client_ends_in_a_closed_connection(outbox: Outbox) -> None:
    outbox.faults.add("accept_then_hang", hang_seconds=0.1)
    with pytest.raises(requests.exceptions.ConnectionError) as raised:
        requests.post(f"{outbox.url}/graph/1_2/comments", json=REPLY, timeout=2)
    protocol = raised.value.args[0]
    assert isinstance(protocol, urllib3.exceptions.ProtocolError)
    assert type(protocol.args[1]).__name__ == "RemoteDisconnected"
    assert len(outbox.calls) == 1


@pytest.mark.parametrize(
    ("path", "status", "shape"),
    [
        (
            "/graph/555001_900001/comments",
            503,
            lambda b: b["error"]["is_transient"] and b["error"]["code"] == 2,
        ),
        ("/x/2/tweets", 500, lambda b: b["title"] == "Service Unavailable" and b["status"] == 500),
    ],
)
def test_accept_then_5xx_records_the_call_and_answers_the_platform_error(
    outbox: Outbox, path: str, status: int, shape: Callable[[dict[str, Any]], bool]
) -> None:
    outbox.faults.add("accept_then_5xx", status=status)
    answer = _reply(outbox, path)
    assert answer.status_code == status
    assert shape(answer.json())
    assert [c["fault"] for c in outbox.calls] == ["accept_then_5xx"]


def test_accept_then_reset_reads_the_whole_call_then_resets_the_connection(outbox: Outbox) -> None:
    outbox.faults.add("accept_then_reset")
    long_reply = {"message": "x" * 50_000}
    with pytest.raises(requests.exceptions.ConnectionError) as raised:
        requests.post(f"{outbox.url}/graph/1_2/comments", json=long_reply, timeout=CLIENT_TIMEOUT)
    # The client sees the connection aborted by a reset after it sent everything
    protocol = raised.value.args[0]
    assert isinstance(protocol, urllib3.exceptions.ProtocolError)
    assert isinstance(protocol.args[1], ConnectionResetError)
    # And the platform has the whole reply
    assert outbox.calls[0]["body"] == long_reply and outbox.calls[0]["fault"] == "accept_then_reset"


def test_rate_limit_on_x_is_not_recorded_and_says_when_to_come_back(outbox: Outbox) -> None:
    outbox.faults.add("rate_limit", path_contains="/x/", retry_after=7)
    before = int(time.time())
    answer = _reply(outbox, "/x/2/tweets")
    assert answer.status_code == 429
    assert answer.headers["retry-after"] == "7"
    assert before + 7 <= int(answer.headers["x-rate-limit-reset"]) <= int(time.time()) + 7
    assert answer.json()["title"] == "Too Many Requests"
    assert outbox.calls == []


def test_rate_limit_on_graph_has_retry_after_and_meta_code(outbox: Outbox) -> None:
    outbox.faults.add("rate_limit", retry_after=3)
    answer = _reply(outbox)
    assert (answer.status_code, answer.headers["retry-after"]) == (429, "3")
    assert "x-rate-limit-reset" not in answer.headers
    assert answer.json()["error"]["code"] == 4
    assert outbox.calls == []


def test_refuse_is_a_connection_refused_before_anything_is_sent(outbox: Outbox) -> None:
    # Given the platform is unreachable for half a second
    outbox.faults.add("refuse", refuse_seconds=0.5)
    session = requests.Session()  # Heed's client keeps a session: each call still connects anew
    # When Heed posts
    with pytest.raises(requests.exceptions.ConnectionError) as raised:
        session.post(f"{outbox.url}/graph/1_2/comments", json=REPLY, timeout=CLIENT_TIMEOUT)
    # Then the connection was never established: MaxRetryError(reason=NewConnectionError(refused))
    retry = raised.value.args[0]
    assert isinstance(retry, urllib3.exceptions.MaxRetryError)
    assert isinstance(retry.reason, urllib3.exceptions.NewConnectionError)
    assert isinstance(retry.reason.__cause__, ConnectionRefusedError)
    assert not isinstance(raised.value, requests.exceptions.ConnectTimeout)
    assert outbox.calls == []
    # And once the window is over, the same port answers
    time.sleep(0.7)
    assert session.post(f"{outbox.url}/graph/1_2/comments", json=REPLY, timeout=2).status_code == 200
    assert len(outbox.calls) == 1


def test_refuse_cannot_be_scoped_to_a_path(outbox: Outbox) -> None:
    with pytest.raises(ValueError, match="no path"):
        outbox.faults.add("refuse", path_contains="/comments")


def test_close_before_read_is_not_recorded_but_the_client_cannot_tell_it_from_a_reset(outbox: Outbox) -> None:
    outbox.faults.add("close_before_read")
    with pytest.raises(requests.exceptions.ConnectionError) as raised:
        _reply(outbox)
    protocol = raised.value.args[0]
    assert isinstance(protocol, urllib3.exceptions.ProtocolError)
    assert isinstance(protocol.args[1], ConnectionResetError)
    assert outbox.calls == []


def test_fault_hits_only_matching_calls_and_only_times_calls(outbox: Outbox) -> None:
    # Given two 503s for replies to comments, POST only
    fault = outbox.faults.add("accept_then_5xx", path_contains="/comments", times=2, method="POST")
    # When Heed reads a comment, posts a private reply, then three public replies
    read = requests.get(f"{outbox.url}/graph/1_2?fields=from", timeout=CLIENT_TIMEOUT)
    private = _reply(outbox, "/graph/me/messages")
    public = [_reply(outbox).status_code for _ in range(3)]
    # Then only the first two public replies failed
    assert (read.status_code, private.status_code, public) == (200, 200, [503, 503, 200])
    assert fault.hits == 2 and outbox.faults.active() == []


def test_fault_without_limit_lasts_until_cleared(outbox: Outbox) -> None:
    outbox.faults.add("accept_then_5xx", times=None)
    assert [_reply(outbox).status_code for _ in range(3)] == [503, 503, 503]
    outbox.faults.clear()
    assert _reply(outbox).status_code == 200


def test_admin_endpoint_adds_lists_and_clears_faults(outbox: Outbox) -> None:
    admin = f"{outbox.url}{ADMIN_PATH}"
    # When a probe switches on two faults over HTTP
    added = requests.post(
        admin,
        data=json.dumps(
            [
                {"kind": "rate_limit", "path_contains": "/x/", "retry_after": 5},
                {"kind": "accept_then_hang", "path_contains": "/comments", "times": 1, "hang_seconds": 1},
            ]
        ),
        timeout=2,
    )
    # Then both are listed, in order, and act on the next calls
    assert added.status_code == 201
    listed = requests.get(admin, timeout=2).json()["faults"]
    assert [(f["kind"], f["path_contains"], f["times"]) for f in listed] == [
        ("rate_limit", "/x/", 1),
        ("accept_then_hang", "/comments", 1),
    ]
    assert listed[0]["retry_after"] == 5 and listed[1]["hang_seconds"] == 1
    assert _reply(outbox, "/x/2/tweets").status_code == 429
    # And DELETE clears them; admin calls are never recorded as platform calls
    assert requests.delete(admin, timeout=2).json() == {"faults": []}
    assert _reply(outbox).status_code == 200
    calls = requests.get(f"{outbox.url}{CALLS_PATH}", timeout=2).json()["calls"]
    assert [c["url"].split("/graph")[-1] for c in calls] == ["/555001_900001/comments"]


@pytest.mark.parametrize(
    "body",
    [b'{"kind": "explode"}', b'{"kind": "rate_limit", "colour": "red"}', b"[1]", b"not json"],
)
def test_admin_endpoint_rejects_what_it_cannot_do(outbox: Outbox, body: bytes) -> None:
    answer = requests.post(f"{outbox.url}{ADMIN_PATH}", data=body, timeout=2)
    assert answer.status_code == 400 and "accept_then_hang" in answer.json()["kinds"]
    assert outbox.faults.active() == []


def test_environment_spec_of_make_serve() -> None:
    spec = "accept_then_hang:/comments:1:hang_seconds=8, rate_limit:/x/:*:retry_after=5,accept_then_5xx"
    assert parse_spec(spec) == [
        ("accept_then_hang", {"path_contains": "/comments", "times": 1, "hang_seconds": 8.0}),
        ("rate_limit", {"path_contains": "/x/", "times": None, "retry_after": 5}),
        ("accept_then_5xx", {}),
    ]
    with pytest.raises(ValueError):
        parse_spec("accept_then_explode:/comments")
    with pytest.raises(ValueError):
        parse_spec("rate_limit:/x/:1:colour=red")


def test_outbox_load_applies_the_spec(outbox: Outbox) -> None:
    outbox.faults.load("accept_then_5xx:/comments:2:status=500")
    assert [_reply(outbox).status_code for _ in range(3)] == [500, 500, 200]
