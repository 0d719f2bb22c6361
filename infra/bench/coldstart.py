"""Cold start: import time of each handler module in fresh interpreters, against `import boto3`;
package size per function (code + runtime dependencies without boto3, which Lambda provides)."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from infra.stack import ROOT

HANDLERS = (
    "heed.ingest.handler",
    "heed.respond.handler",
    "heed.followup.watch_handler",
    "heed.polling.handler",
    "heed.privacy.handler",
    "heed.staff.handler",
)
GOAL_RATIO = 2.0
DEPS_CACHE = ROOT / "var" / "bench" / "deps"
_PROBE = (
    "import time,sys; sys.path[:0]=[{path!r}]; t=time.perf_counter(); import {module}; "
    "print(time.perf_counter()-t)"
)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HEED_", "AWS_ENDPOINT"))}
    # Handlers may not read settings at import; give them what Lambda would, no endpoint.
    env.update(
        AWS_DEFAULT_REGION="us-east-1",
        POWERTOOLS_SERVICE_NAME="heed",
        POWERTOOLS_METRICS_NAMESPACE="Heed",
        PYTHONDONTWRITEBYTECODE="0",
    )
    return env


def import_seconds(module: str, runs: int = 5) -> float:
    path = str(ROOT / "functions")
    code = _PROBE.format(path=path, module=module)
    # one unmeasured run writes the .pyc files, as sam build ships them compiled
    subprocess.run([sys.executable, "-c", code], env=_env(), capture_output=True, check=False)
    times = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", code], env=_env(), capture_output=True, text=True, check=True, timeout=60
        )
        times.append(float(done.stdout.strip().splitlines()[-1]))
    return statistics.median(times)


def _deps_dir() -> Path | None:
    """Runtime dependencies installed once with pip --target (cached by requirements hash)."""
    requirements = ROOT / "functions" / "requirements.txt"
    digest = hashlib.sha256(requirements.read_bytes()).hexdigest()[:12]
    target = DEPS_CACHE / digest
    if (target / ".complete").exists():
        return target
    shutil.rmtree(target, ignore_errors=True)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--target",
            str(target),
            "-r",
            str(requirements),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        return None
    for name in ("boto3", "botocore", "s3transfer", "jmespath"):  # in the Lambda runtime
        for found in target.glob(f"{name}*"):
            shutil.rmtree(found, ignore_errors=True) if found.is_dir() else found.unlink()
    (target / ".complete").touch()
    return target


def _size(path: Path, *, skip: tuple[str, ...] = ("__pycache__", ".egg-info")) -> int:
    total = 0
    for item in path.rglob("*"):
        if item.is_file() and not any(part.endswith(skip) for part in item.parts):
            total += item.stat().st_size
    return total


def measure(runs: int = 5) -> dict[str, Any]:
    present = [m for m in HANDLERS if importlib.util.find_spec(m.rsplit(".", 1)[0]) and _has(m)]
    boto3_s = import_seconds("boto3", runs)
    handlers = {}
    for module in present:
        seconds = import_seconds(module, runs)
        handlers[module] = {
            "import_ms": round(seconds * 1000, 1),
            "ratio_to_boto3": round(seconds / boto3_s, 2),
        }
    deps = _deps_dir()
    code_bytes = _size(ROOT / "functions" / "heed")
    deps_bytes = _size(deps) if deps else None
    return {
        "boto3_import_ms": round(boto3_s * 1000, 1),
        "handlers": handlers,
        "skipped": [m for m in HANDLERS if m not in present],
        "goal_ratio": GOAL_RATIO,
        "package": {
            "code_bytes": code_bytes,
            "deps_bytes_without_boto3": deps_bytes,
            "total_mb": round((code_bytes + (deps_bytes or 0)) / 1e6, 2),
            "templates_layer_bytes": _size(ROOT / "templates"),
            "note": "every function ships the same CodeUri (functions/), so the size is per function",
        },
        "how": f"median of {runs} fresh `python -c 'import X'` runs (perf_counter around the import, "
        ".pyc compiled first), same interpreter, no AWS endpoint",
    }


def _has(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False
