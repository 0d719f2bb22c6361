"""A second DynamoDB: dynalite (an independent implementation, npm) on 127.0.0.1, started when
Node.js is present. Installed once into var/dynalite (cached); skipped with the reason otherwise."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
PREFIX = ROOT / "var" / "dynalite"
BINARY = PREFIX / "node_modules" / ".bin" / "dynalite"


def _installed() -> str | None:
    """None when dynalite can run, else why not."""
    if not shutil.which("node") or not shutil.which("npm"):
        return "Node.js/npm not on PATH"
    if BINARY.exists():
        return None
    PREFIX.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run(
            ["npm", "install", "--prefix", str(PREFIX), "--no-audit", "--no-fund", "dynalite"],
            check=True,
            capture_output=True,
            timeout=300,
        )
    except (subprocess.SubprocessError, OSError) as exc:
        return f"npm install dynalite failed: {type(exc).__name__}"
    return None if BINARY.exists() else "dynalite binary missing after install"


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="package")
def dynalite() -> Iterator[str]:
    reason = _installed()
    if reason:
        pytest.skip(reason)
    port = _port()
    process = subprocess.Popen(
        [str(BINARY), "--port", str(port), "--host", "127.0.0.1", "--createTableMs", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.skip("dynalite did not start")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def table(dynalite: str, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Any:
    import boto3

    from tests.support.table import create_table

    for name, value in {
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL_DYNAMODB": dynalite,
    }.items():
        monkeypatch.setenv(name, value)
    os.environ.pop("AWS_ENDPOINT_URL", None)
    session = boto3.session.Session()
    name = f"heed-{request.node.name[:40].replace('[', '-').replace(']', '')}-{time.monotonic_ns() % 10**8}"
    return create_table(name, session=session)
