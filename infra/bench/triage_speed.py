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
(c) where heed's time goes, in the same run: each step of `triage()` alone over the same texts, warm,
    microseconds per message (best of three passes), set against VADER's whole reading from (a).
(d) the triage compiled by mypyc (infra/bench/triage_compiled.py, built when var/tools/mypyc is
    there): a third worker in (a)'s rounds, after a check that it reads every text as the interpreted
    triage does (a digest of all readings), to show what a compiler of our Python buys.
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
COMPILED = ROOT / "var" / "tools" / "mypyc" / "src"  # infra/bench/triage_compiled.py builds it
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


def _texts(path: Path) -> list[str]:
    return [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()]


def _worker(tool: str, path: Path) -> int:
    """Load the texts, one untimed pass, then one timed pass per line "go" on stdin."""
    texts = _texts(path)
    if tool.startswith("heed"):  # "heed-compiled": the same module, found first on PYTHONPATH
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


def _digest(path: Path) -> int:
    """A digest of every reading of the texts (the compiled triage must read as the interpreted one)."""
    import hashlib

    import heed.triage.engine
    from heed.triage import triage

    digest = hashlib.sha256()
    for text in _texts(path):
        digest.update(triage(text).model_dump_json().encode("utf-8"))
    print(heed.triage.engine.__file__)
    print(digest.hexdigest())
    return 0


def _stages(path: Path) -> int:
    """Microseconds per message of each step of triage() alone, warm, best of three passes (JSON)."""
    from heed.triage import engine, model
    from heed.triage.cues import find
    from heed.triage.language import language_of
    from heed.triage.personal_data import find_personal_data
    from heed.triage.register import refine
    from heed.triage.text import read

    texts = _texts(path)
    reads = [read(text) for text in texts]
    found = [find(r) for r in reads]
    rules = [engine.rule_reading(text) for text in texts]
    cues = [engine.model_cues(r) for r in rules]
    loaded = model.load()
    steps: dict[str, Any] = {
        "read the text (tokens, words)": (read, texts),
        "language (rules)": (language_of, reads),
        "cues and register": (lambda i: refine(reads[i], find(reads[i])), range(len(texts))),
        "intent cues, lexicon score, rules' decision": (
            lambda i: engine.find_cues(reads[i], found[i]),
            range(len(texts)),
        ),
        "all the rules (rule_reading)": (engine.rule_reading, texts),
        "the model's reading (six heads)": (
            lambda i: loaded.read(
                texts[i], rules[i].text.lowered, rules[i].text.cue_words, cues[i], rules[i].text.tokens
            ),
            range(len(texts)),
        ),
        "personal data": (lambda i: find_personal_data(texts[i], rules[i].language), range(len(texts))),
        "whole triage()": (engine.triage, texts),
    }
    out: dict[str, float] = {}
    for name, (step, items) in steps.items():
        for item in items:
            step(item)
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            for item in items:
                step(item)
            best = min(best, time.perf_counter() - started)
        out[name] = round(best / len(texts) * 1e6, 1)
    # the engine's own decisions: triage() with the steps above replaced by their results (this
    # worker process ends right after, so nothing else sees the replaced functions)
    ruled = {text: engine.rule_reading(text) for text in texts}
    readings = {
        text: loaded.read(text, r.text.lowered, r.text.cue_words, engine.model_cues(r), r.text.tokens)
        for text, r in ruled.items()
    }
    exposed = {text: find_personal_data(text, r.language) for text, r in ruled.items()}

    class _Remembered:
        def read(self, text: str, *_: object) -> model.Reading:
            return readings[text]

    engine.rule_reading = ruled.__getitem__  # type: ignore[assignment]
    engine.model.load = lambda: _Remembered()  # type: ignore[assignment,return-value]
    engine.find_personal_data = lambda text, _language: exposed[text]
    for text in texts:
        engine.triage(text)
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for text in texts:
            engine.triage(text)
        best = min(best, time.perf_counter() - started)
    out["the engine's decisions (steps given)"] = round(best / len(texts) * 1e6, 1)
    print(json.dumps(out))
    return 0


def _start(tool: str, python: Path, path: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "POWERTOOLS_LOG_LEVEL": "WARNING", "PYTHONHASHSEED": "0"}
    if tool == "heed-compiled":
        env["PYTHONPATH"] = str(COMPILED)
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


def per_message(path: Path, rounds: int, *, compiled: bool = False) -> dict[str, Any]:
    tools = ["heed", "vader"] + (["heed-compiled"] if compiled else [])
    pythons = {"heed": HEED_PYTHON, "heed-compiled": HEED_PYTHON, "vader": VADER_PYTHON}
    workers = {tool: _start(tool, pythons[tool], path) for tool in tools}
    seconds: dict[str, list[float]] = {tool: [] for tool in tools}
    try:
        for r in range(rounds):
            # each tool in turn, the order turned by one each round: the machine's drift falls on all
            for tool in tools[r % len(tools) :] + tools[: r % len(tools)]:
                seconds[tool].append(_timed_pass(workers[tool]))
    finally:
        for proc in workers.values():
            if proc.stdin is not None:
                proc.stdin.close()
            proc.wait(timeout=60)
    out = _figures(seconds, unit="messages_per_s", n=LINES)
    if compiled:
        out["compiled"] = _figures(
            {"heed": seconds["heed-compiled"], "vader": seconds["vader"]}, unit="messages_per_s", n=LINES
        )
        out["compiled"]["over_interpreted"] = round(
            statistics.median(seconds["heed"]) / statistics.median(seconds["heed-compiled"]), 2
        )
    return out


def _run_worker(mode: str, python: Path, path: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(python), "-m", "infra.bench.triage_speed", mode, "--input", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "POWERTOOLS_LOG_LEVEL": "WARNING", "PYTHONHASHSEED": "0", **(env or {})},
    )
    return done.stdout


def stages(path: Path, vader_messages_per_s: int) -> dict[str, Any]:
    """Figure (c): each step's microseconds per message, and its share of VADER's whole reading."""
    micros = json.loads(_run_worker("--stages", HEED_PYTHON, path))
    vader_us = 1e6 / vader_messages_per_s
    return {
        "vader_us": round(vader_us, 1),
        "steps": {name: {"us": us, "of_vader": round(us / vader_us, 2)} for name, us in micros.items()},
    }


def compiled_ready(path: Path) -> str | None:
    """Build the mypyc copy and check it reads as the interpreted triage; None when ready, else why not."""
    from infra.bench import triage_compiled

    try:
        triage_compiled.build(HEED_PYTHON)
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        return str(exc)[:300]
    interpreted = _run_worker("--digest", HEED_PYTHON, path).split()
    compiled = _run_worker("--digest", HEED_PYTHON, path, {"PYTHONPATH": str(COMPILED)}).split()
    if not compiled[0].endswith(".so"):
        return f"the compiled copy was not the one imported ({compiled[0]})"
    if compiled[1] != interpreted[1]:
        return "the compiled triage reads the texts differently from the interpreted one"
    return None


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
        if name == "corpus":
            why_not = compiled_ready(path)
            results["compiled"] = {"built": why_not is None, **({"why_not": why_not} if why_not else {})}
        compiled = results["compiled"]["built"]
        results[name] = {
            "distinct_texts": len(set(texts)),
            "per_message": per_message(path, rounds + 1 if compiled else rounds, compiled=compiled),
            "whole_command": whole_command(path, rounds),
        }
        results[name]["stages"] = stages(path, results[name]["per_message"]["vader_messages_per_s"])
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
        if "compiled" in a:
            c = a["compiled"]
            print(
                f"{name}: per message, triage compiled by mypyc {c['heed_messages_per_s']}/s: ratio to VADER "
                f"{c['ratio']}, x{c['over_interpreted']} the interpreted triage"
            )
        st = results[name]["stages"]
        print(f"{name}: each step alone, us per message (VADER's whole reading {st['vader_us']} us):")
        for step, fig in st["steps"].items():
            print(f"    {step:<46} {fig['us']:>6} us  x{fig['of_vader']} of VADER")
    if not results.get("compiled", {}).get("built", True):
        print(f"compiled triage not measured: {results['compiled']['why_not']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--worker", choices=["heed", "heed-compiled", "vader"], help=argparse.SUPPRESS)
    parser.add_argument("--stages", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--digest", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return _worker(args.worker, args.input)
    if args.stages:
        return _stages(args.input)
    if args.digest:
        return _digest(args.input)
    results = measure(args.rounds)
    print_table(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
