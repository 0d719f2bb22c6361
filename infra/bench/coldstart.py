"""Cold start, measured paired: each handler module's import against `import boto3`, in alternating
fresh interpreters, and the package size per function (code + runtime dependencies without boto3,
which Lambda provides).

Unpaired blocks (all boto3 runs, then all handler runs) let the machine's drift land on one side: the
ratios swung from 0.71 to 3.19 between runs. Here each pair is two fresh processes run back to back,
one importing boto3 only and one importing the handler, with the order alternating from pair to pair;
the figure is the median of the per-pair ratios (and the medians of each side, for scale).

    .venv/bin/python -m infra.bench.coldstart              # every handler in template.yaml, 11 pairs
    .venv/bin/python -m infra.bench.coldstart --pairs 21 heed.ingest.handler
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from infra.stack import ROOT

# The goals (issue 11): the internet-facing ingest handler within 1.25x of `import boto3`,
# every other handler within 1.5x.
GOALS = {"heed.ingest.handler": 1.25}
GOAL_OTHERS = 1.5
PAIRS = 11
DEPS_CACHE = ROOT / "var" / "bench" / "deps"
BASELINE = "boto3"
# The import, then what the first AWS call adds (boto3 and botocore load with the first client, since
# the handlers create their clients lazily): a cold start's init plus the first invocation's imports.
_PROBE = (
    "import time,sys; sys.path[:0]=[{path!r}]; t=time.perf_counter(); import {module}; "
    "a=time.perf_counter()-t; import boto3.session, botocore.config; "
    "print(a, time.perf_counter()-t)"
)


def handlers_in_template(template: Path = ROOT / "template.yaml") -> tuple[str, ...]:
    """The handler modules template.yaml deploys (`Handler: heed.x.y.handler` -> `heed.x.y`), in order."""
    found = re.findall(r"^\s*Handler:\s*([\w.]+)\.\w+\s*$", template.read_text(), flags=re.MULTILINE)
    return tuple(dict.fromkeys(found))


def goal_for(module: str) -> float:
    return GOALS.get(module, GOAL_OTHERS)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HEED_", "AWS_ENDPOINT", "PYTHON"))}
    # Handlers may not read settings at import; give them what Lambda would, no endpoint.
    env.update(
        AWS_DEFAULT_REGION="us-east-1",
        POWERTOOLS_SERVICE_NAME="heed",
        POWERTOOLS_METRICS_NAMESPACE="Heed",
    )
    return env


def _code(module: str) -> str:
    return _PROBE.format(path=str(ROOT / "functions"), module=module)


def import_seconds_once(module: str) -> float:
    """One fresh interpreter, perf_counter around `import module` (interpreter start not included)."""
    return _probe(module)[0]


def _probe(module: str) -> tuple[float, float]:
    """(the import, the import and then boto3's client layer) in one fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", _code(module)],
        env=_env(),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    first, with_client = done.stdout.strip().splitlines()[-1].split()
    return float(first), float(with_client)


def _compile(module: str) -> None:
    # one unmeasured run writes the .pyc files, as sam build ships them compiled
    subprocess.run([sys.executable, "-c", _code(module)], env=_env(), capture_output=True, check=False)


def paired(module: str, pairs: int = PAIRS) -> dict[str, Any]:
    """`pairs` pairs of fresh processes, boto3 first in even pairs and the handler first in odd ones."""
    _compile(BASELINE)
    _compile(module)
    base, mod, ratios, first_call = [], [], [], []
    for i in range(pairs):
        if i % 2 == 0:
            b = import_seconds_once(BASELINE)
            m, mc = _probe(module)
        else:
            m, mc = _probe(module)
            b = import_seconds_once(BASELINE)
        base.append(b)
        mod.append(m)
        ratios.append(m / b)
        first_call.append(mc / b)
    ratio = statistics.median(ratios)
    return {
        "import_ms": round(statistics.median(mod) * 1000, 1),
        "boto3_ms": round(statistics.median(base) * 1000, 1),
        "ratio_to_boto3": round(ratio, 2),
        "ratio_min_max": [round(min(ratios), 2), round(max(ratios), 2)],
        # not a goal: the import plus boto3's client layer, which the first AWS call loads
        "with_first_client_ratio": round(statistics.median(first_call), 2),
        "pairs": pairs,
        "goal_ratio": goal_for(module),
        "ok": ratio <= goal_for(module),
    }


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


def measure(
    pairs: int = PAIRS, modules: tuple[str, ...] | None = None, *, package: bool = True
) -> dict[str, Any]:
    chosen = modules or handlers_in_template()
    present = [m for m in chosen if _has(m)]
    handlers = {module: paired(module, pairs) for module in present}
    boto3_all = [h["boto3_ms"] for h in handlers.values()]
    result: dict[str, Any] = {
        "boto3_import_ms": round(statistics.median(boto3_all), 1) if boto3_all else None,
        "handlers": handlers,
        "skipped": [m for m in chosen if m not in present],
        "goals": {"heed.ingest.handler": GOALS["heed.ingest.handler"], "others": GOAL_OTHERS},
        "how": f"{pairs} pairs of fresh `python -c 'import X'` processes per handler, one importing boto3 "
        "only and one the handler, order alternating; perf_counter around the import, .pyc compiled "
        "first, same interpreter, no AWS endpoint; median of the per-pair ratios",
    }
    if package:
        result["package"] = package_size()
    return result


def package_size() -> dict[str, Any]:
    deps = _deps_dir()
    code_bytes = _size(ROOT / "functions" / "heed")
    deps_bytes = _size(deps) if deps else None
    return {
        "code_bytes": code_bytes,
        "deps_bytes_without_boto3": deps_bytes,
        "total_mb": round((code_bytes + (deps_bytes or 0)) / 1e6, 2),
        "templates_layer_bytes": _size(ROOT / "templates"),
        "note": "every function ships the same CodeUri (functions/), so the size is per function",
    }


def _has(module: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def _table(result: dict[str, Any]) -> str:
    lines = [
        "| handler | import ms | boto3 ms | ratio (min-max) | goal | with first client |",
        "|---|---|---|---|---|---|",
    ]
    for module, h in result["handlers"].items():
        lo, hi = h["ratio_min_max"]
        mark = "ok" if h["ok"] else "NO"
        lines.append(
            f"| {module} | {h['import_ms']} | {h['boto3_ms']} | {h['ratio_to_boto3']} ({lo}-{hi}) "
            f"| <= {h['goal_ratio']} {mark} | {h['with_first_client_ratio']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Cold start, paired against import boto3")
    parser.add_argument("modules", nargs="*", help="handler modules (default: every one in template.yaml)")
    parser.add_argument("--pairs", type=int, default=PAIRS)
    parser.add_argument("--json", action="store_true", help="print the whole result as JSON")
    parser.add_argument("--package", action="store_true", help="also the package size (pip installs once)")
    args = parser.parse_args(argv)
    result = measure(args.pairs, tuple(args.modules) or None, package=args.package)
    print(json.dumps(result, indent=2) if args.json else _table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
