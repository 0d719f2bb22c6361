"""`heed triage` over stdin: one output line per input line, in order, errors reported not raised."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from heed.cli.triage import run

REPO = Path(__file__).resolve().parents[2]


def _run(lines: list[str]) -> list[dict[str, object]]:
    out = io.StringIO()
    assert run(io.StringIO("\n".join(lines) + "\n"), out) == 0
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_given_mentions_when_triaged_then_one_line_each_in_input_order_with_contract_fields() -> None:
    lines = [json.dumps({"id": i, "text": f"@brand still no refund {i}", "platform": "x"}) for i in range(50)]
    records = _run(lines)
    assert [r["id"] for r in records] == list(range(50))
    for field in (
        "language",
        "intent",
        "needs_response",
        "sentiment",
        "personal_data",
        "priority",
        "confidence",
    ):
        assert field in records[0]


def test_given_malformed_lines_when_triaged_then_error_lines_and_the_rest_still_triaged() -> None:
    records = _run(
        [
            "not json",
            json.dumps({"id": "a"}),
            json.dumps([1, 2]),
            json.dumps({"id": "b", "text": "hi", "author": 42}),
            json.dumps({"id": "c", "text": "@brand my card 4111 1111 1111 1111", "author": "@someone"}),
        ]
    )
    assert [r["id"] for r in records] == [None, "a", None, "b", "c"]
    assert all("error" in r for r in records[:4])
    assert records[4]["personal_data"] == ["card"]
    assert "4111" not in json.dumps(records[4])


def test_given_author_object_when_triaged_then_vip_is_reported() -> None:
    line = json.dumps({"id": 1, "text": "hello", "author": {"handle": "star", "followers": 2_000_000}})
    assert _run([line])[0]["vip"] is True


def test_given_the_console_script_when_run_with_stdin_then_it_streams_json_lines() -> None:
    lines = "".join(json.dumps({"id": i, "text": "¿dónde está mi pedido?"}) + "\n" for i in range(300))
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from heed.cli import main; sys.exit(main(['triage']))"],
        input=lines,
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    )
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["id"] for r in records] == list(range(300))
    assert records[0]["language"] == "es"
