"""The local stack wires in what infra adds: moto's fixes while it runs, and an outbox that takes
faults from tests and from HTTP."""

from __future__ import annotations

from pathlib import Path

import requests

from infra import moto_patches
from infra.local_stack import LocalStack


def test_running_stack_has_moto_fixes_and_a_faultable_outbox(tmp_path: Path) -> None:
    from moto.dynamodb.models import DynamoDBBackend

    plain = DynamoDBBackend.transact_write_items
    with LocalStack(state_dir=tmp_path) as stack:
        # Given the stack is up: moto runs with the cheap transaction rollback
        assert moto_patches.installed()
        assert DynamoDBBackend.transact_write_items is not plain
        # When a probe switches a fault on over HTTP
        added = requests.post(
            f"{stack.outbox_url}/_outbox/faults",
            json={"kind": "accept_then_5xx", "path_contains": "/comments"},
            timeout=2,
        )
        # Then a platform call through the stack's own base URL meets it, and the outbox has it
        answer = requests.post(
            f"{stack.env['HEED_GRAPH_API_BASE']}/1_2/comments", json={"message": "hi"}, timeout=2
        )
        assert (added.status_code, answer.status_code) == (201, 503)
        assert [c["fault"] for c in stack.outbox.calls] == ["accept_then_5xx"]
    # And once stopped, moto is as it was and the outbox port is closed
    assert DynamoDBBackend.transact_write_items is plain
    try:
        requests.get(f"{stack.outbox_url}/_outbox/faults", timeout=1)
        still_open = True
    except requests.ConnectionError:
        still_open = False
    assert not still_open
