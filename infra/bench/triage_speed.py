"""Triage speed against VADER, side by side in one run (issue 12, item 8).

    .venv/bin/python -m infra.bench.triage_speed [--rounds 5] [--json FILE]

VADER (`vaderSentiment`, MIT) lives in its own virtualenv, var/tools/vader, built once by
`make bench` (never in requirements-dev.txt nor the Lambda package). Both tools read the same
20,000 lines: the team's corpus (infra/train/corpus/*.jsonl texts, cycled to 20,000; always present)
and, when ../shared/data is there, the research sets' texts (measured only, never trained on).

Two figures, each a ratio heed/VADER of speeds within the same run (goal >= 1.0 on both):
(a) per message: each tool in its own interpreter, in-process loop over the 20,000 texts, warm (a
    first untimed pass), messages/s. The two workers stay up and take turns, one timed pass each per
    round, so the machine's load falls on both sides alike; medians of the rounds.
(b) whole command: `heed triage` over the 20,000 JSON lines on stdin, JSON lines on stdout, against a
    VADER command doing the same (read each line's JSON, print its polarity scores as JSON); wall
    time including interpreter start and imports; runs alternate, order swapped each round; medians.
Only the standard library is imported here: the VADER worker runs this same module in VADER's venv.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "infra" / "train" / "corpus"
DATA = ROOT.parent / "shared" / "data"
WORK = ROOT / "var" / "bench" / "triage_speed"
HEED_PYTHON = ROOT / ".venv" / "bin" / "python"
VADER_PYTHON = ROOT / "var" / "tools" / "vader" / "bin" / "python"
LINES = 20_000

# The VADER side of figure (b): what `heed triage` does, minus everything VADER does not do.
VADER_COMMAND = """
import json, sys
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
analyzer = SentimentIntensityAnalyzer()
write = sys.stdout.write
for line in sys.stdin:
    if not line.strip():
        continue
    item = json.loads(line)
    write(json.dumps({"id": item.get("id"), **analyzer.polarity_scores(item["text"])}) + "\\n")
sys.stdout.flush()
"""


def _cycled(texts: list[str], n: int = LINES) -> list[str]:
    return list(itertools.islice(itertools.cycle(texts), n))


def corpus_texts() -> list[str]:
    texts: list[str] = []
    for path in sorted(CORPUS.glob("*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()]
    return _cycled(texts)


def research_texts() -> list[str] | None:
    """XLM-T validation (six languages), TweetEval sentiment validation and offensive test texts."""
    paths = sorted((DATA / "xlmt_sentiment").glob("*/val_text.txt"))
    paths += [
        DATA / "tweeteval_sentiment_val" / "val_text.txt",
        DATA / "tweeteval_offensive" / "test_text.txt",
    ]
    texts = [t for p in paths if p.is_file() for t in p.read_text(encoding="utf-8").splitlines() if t.strip()]
    return _cycled(texts) if texts else None


def write_input(name: str, texts: list[str]) -> Path:
    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / f"{name}.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for n, text in enumerate(texts):
            out.write(json.dumps({"id": f"{name}-{n}", "text": text}, ensure_ascii=False) + "\n")
    return path


# -- figure (a): workers -------------------------------------------------------------------------


def _worker(tool: str, path: Path) -> int:
    """Load the texts, one untimed pass, then one timed pass per line "go" on stdin."""
    texts = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()]
    if tool == "heed":
        from heed.triage import triage

        def one(text: str) -> object:
            return triage(text)

    else:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        one = SentimentIntensityAnalyzer().polarity_scores
    for text in texts:
        one(text)
    print("ready", flush=True)
    for _ in sys.stdin:
        started = time.perf_counter()
        for text in texts:
            one(text)
        print(time.perf_counter() - started, flush=True)
    return 0


def _start(tool: str, python: Path, path: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "POWERTOOLS_LOG_LEVEL": "WARNING", "PYTHONHASHSEED": "0"}
    proc = subprocess.Popen(
        [str(python), "-m", "infra.bench.triage_speed", "--worker", tool, "--input", str(path)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    if proc.stdout is None or proc.stdout.readline().strip() != "ready":
        proc.kill()
        raise RuntimeError(f"the {tool} worker did not start")
    return proc


def _timed_pass(proc: subprocess.Popen[str]) -> float:
    if proc.stdin is None or proc.stdout is None:
        raise RuntimeError("worker pipes closed")
    proc.stdin.write("go\n")
    proc.stdin.flush()
    return float(proc.stdout.readline())


def per_message(path: Path, rounds: int) -> dict[str, Any]:
    workers = {"heed": _start("heed", HEED_PYTHON, path), "vader": _start("vader", VADER_PYTHON, path)}
    seconds: dict[str, list[float]] = {"heed": [], "vader": []}
    try:
        for r in range(rounds):
            for tool in ("heed", "vader") if r % 2 == 0 else ("vader", "heed"):
                seconds[tool].append(_timed_pass(workers[tool]))
    finally:
        for proc in workers.values():
            if proc.stdin is not None:
                proc.stdin.close()
            proc.wait(timeout=60)
    return _figures(seconds, unit="messages_per_s", n=LINES)


# -- figure (b): whole commands ------------------------------------------------------------------


def _command(tool: str) -> list[str]:
    if tool == "heed":
        return [str(ROOT / ".venv" / "bin" / "heed"), "triage"]
    return [str(VADER_PYTHON), "-c", VADER_COMMAND]


def _run_command(tool: str, path: Path) -> float:
    out = WORK / f"out-{tool}.jsonl"
    env = {**os.environ, "POWERTOOLS_LOG_LEVEL": "WARNING"}
    with path.open("rb") as stdin, out.open("wb") as stdout:
        started = time.perf_counter()
        subprocess.run(_command(tool), stdin=stdin, stdout=stdout, cwd=ROOT, env=env, check=True)
        elapsed = time.perf_counter() - started
    with out.open("rb") as produced:
        lines = sum(1 for _ in produced)
    if lines != LINES:
        raise RuntimeError(f"{tool} wrote {lines} lines for {LINES}")
    return elapsed


def whole_command(path: Path, rounds: int) -> dict[str, Any]:
    seconds: dict[str, list[float]] = {"heed": [], "vader": []}
    for r in range(rounds):
        for tool in ("heed", "vader") if r % 2 == 0 else ("vader", "heed"):
            seconds[tool].append(_run_command(tool, path))
    return _figures(seconds, unit="wall_s", n=LINES)


def _figures(seconds: dict[str, list[float]], *, unit: str, n: int) -> dict[str, Any]:
    heed, vader = statistics.median(seconds["heed"]), statistics.median(seconds["vader"])
    paired = [v / h for h, v in zip(seconds["heed"], seconds["vader"], strict=True)]
    out: dict[str, Any] = {"rounds": len(paired)}
    if unit == "messages_per_s":
        out["heed_messages_per_s"] = round(n / heed)
        out["vader_messages_per_s"] = round(n / vader)
    else:
        out["heed_wall_s"] = round(heed, 2)
        out["vader_wall_s"] = round(vader, 2)
    out["ratio"] = round(vader / heed, 2)  # heed's speed / VADER's speed, from the medians
    out["ratio_per_round"] = [round(x, 2) for x in paired]
    out["ok"] = out["ratio"] >= 1.0
    return out


def measure(rounds: int = 5) -> dict[str, Any]:
    """Both figures on the corpus (and on the research texts when present)."""
    if not VADER_PYTHON.is_file():
        return {"skipped": "VADER not installed: `make bench` builds var/tools/vader (pip vaderSentiment)"}
    version = subprocess.run(
        [str(VADER_PYTHON), "-c", "import importlib.metadata as m; print(m.version('vaderSentiment'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    results: dict[str, Any] = {"lines": LINES, "vader_version": version}
    inputs = {"corpus": corpus_texts()}
    research = research_texts()
    if research is not None:
        inputs["research"] = research
    for name, texts in inputs.items():
        path = write_input(name, texts)
        results[name] = {
            "distinct_texts": len(set(texts)),
            "per_message": per_message(path, rounds),
            "whole_command": whole_command(path, rounds),
        }
    return results


def print_table(results: dict[str, Any]) -> None:
    if "skipped" in results:
        print(f"skipped: {results['skipped']}")
        return
    for name in ("corpus", "research"):
        if name not in results:
            continue
        a, b = results[name]["per_message"], results[name]["whole_command"]
        print(f"{name}: {results['lines']} lines, {results[name]['distinct_texts']} distinct texts")
        print(
            f"{name}: per message heed {a['heed_messages_per_s']}/s vader {a['vader_messages_per_s']}/s "
            f"ratio {a['ratio']} {a['ratio_per_round']}"
        )
        print(
            f"{name}: {results['lines']} lines heed {b['heed_wall_s']} s vader {b['vader_wall_s']} s "
            f"ratio {b['ratio']} {b['ratio_per_round']}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--worker", choices=["heed", "vader"], help=argparse.SUPPRESS)
    parser.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return _worker(args.worker, args.input)
    results = measure(args.rounds)
    print_table(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
