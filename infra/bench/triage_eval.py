"""Measure triage on the development sets in ../shared/data (skips cleanly when absent).

Run: .venv/bin/python -m infra.bench.triage_eval [--json FILE]
Prints language accuracy per XLM-T language, sentiment macro-F1 (XLM-T val and TweetEval val),
abuse F1 on TweetEval offensive test, throughput, import time and shipped file sizes.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from heed.triage.scoring import f1 as _f1
from heed.triage.scoring import macro_f1

REPO = Path(__file__).resolve().parents[2]
DATA = REPO.parent / "shared" / "data"
TRIAGE_DIR = REPO / "functions" / "heed" / "triage"
XLMT = {"english": "en", "spanish": "es", "french": "fr", "portuguese": "pt", "german": "de", "italian": "it"}
SENTIMENT_LABELS = ("negative", "neutral", "positive")


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _labelled(base: Path) -> tuple[list[str], list[int]]:
    texts = _lines(base.with_name(base.name + "_text.txt"))
    labels = [int(x) for x in _lines(base.with_name(base.name + "_labels.txt")) if x.strip()]
    return texts[: len(labels)], labels


def import_time_ms() -> dict[str, float]:
    """Import in a fresh interpreter (best of 5): `import heed.triage` alone (lazy: the engine loads
    on first use of `triage`), triage's own share once `heed.models` is loaded (engine, word lists,
    patterns), and the whole chain with `heed.models` and pydantic."""
    code = (
        "import time; t0=time.perf_counter(); import heed.triage; t1=time.perf_counter(); "
        "import heed.models; t2=time.perf_counter(); from heed.triage import triage; t3=time.perf_counter(); "
        "print((t1-t0)*1000, (t3-t2)*1000, (t3-t0)*1000)"
    )
    runs = []
    for _ in range(5):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        runs.append([float(x) for x in out.stdout.split()])
    package, own, total = (min(run[i] for run in runs) for i in range(3))
    return {
        "import_ms_package": round(package, 1),
        "import_ms_triage_own": round(own, 1),
        "import_ms_total": round(total, 1),
    }


def shipped_bytes() -> int:
    return sum(
        p.stat().st_size for p in TRIAGE_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts
    )


def evaluate() -> dict[str, Any]:
    from heed.triage import triage

    results: dict[str, Any] = {"language_accuracy": {}, "sentiment_macro_f1": {}}
    sample: list[str] = []
    for folder, code in XLMT.items():
        base = DATA / "xlmt_sentiment" / folder / "val"
        texts, labels = _labelled(base)
        triaged = [triage(t) for t in texts]
        results["language_accuracy"][code] = round(
            sum(1 for r in triaged if r.language == code) / len(texts), 3
        )
        pred = [SENTIMENT_LABELS.index(r.sentiment.value) for r in triaged]
        results["sentiment_macro_f1"][f"xlmt_{code}"] = round(macro_f1(labels, pred, (0, 1, 2)), 3)
        sample.extend(texts)
    texts, labels = _labelled(DATA / "tweeteval_sentiment_val" / "val")
    pred = [SENTIMENT_LABELS.index(triage(t).sentiment.value) for t in texts]
    results["sentiment_macro_f1"]["tweeteval_en"] = round(macro_f1(labels, pred, (0, 1, 2)), 3)

    texts, labels = _labelled(DATA / "tweeteval_offensive" / "test")
    pred = [int("abuse" in triage(t).intents) for t in texts]
    results["abuse_f1_offensive_class"] = round(_f1(labels, pred, 1), 3)
    results["abuse_macro_f1"] = round(macro_f1(labels, pred, (0, 1)), 3)

    # throughput: one mention at a time, on texts not seen above (no warm caches for them); three
    # disjoint slices of 4,000, median reported, because single passes on a shared core vary by ~8 %
    unseen = _lines(DATA / "tweeteval_offensive" / "train_text.txt")
    rates = []
    for first in (0, 4000, 8000):
        fresh = unseen[first : first + 4000]
        started = time.perf_counter()
        for text in fresh:
            triage(text)
        rates.append(round(len(fresh) / (time.perf_counter() - started)))
    results["throughput_per_s"] = sorted(rates)[1]
    results["throughput_unseen_slices_per_s"] = rates
    # the last slice again: steady state, word caches warm (still one mention per call)
    warm = unseen[8000:12000]
    started = time.perf_counter()
    for text in warm:
        triage(text)
    results["throughput_warm_per_s"] = round(len(warm) / (time.perf_counter() - started))
    results.update(import_time_ms())
    results["shipped_bytes"] = shipped_bytes()
    return results


def print_table(results: dict[str, Any]) -> None:
    rows = [(f"language accuracy {k} (XLM-T val)", v) for k, v in results["language_accuracy"].items()]
    rows += [(f"sentiment macro-F1 {k}", v) for k, v in results["sentiment_macro_f1"].items()]
    rows += [
        ("abuse F1, offensive class (TweetEval offensive test)", results["abuse_f1_offensive_class"]),
        ("abuse macro-F1 (TweetEval offensive test)", results["abuse_macro_f1"]),
        ("throughput, mentions/s single-threaded (unseen texts, median)", results["throughput_per_s"]),
        ("throughput of each unseen slice of 4,000", results["throughput_unseen_slices_per_s"]),
        ("throughput, mentions/s single-threaded (second pass)", results["throughput_warm_per_s"]),
        ("import heed.triage, ms (fresh process, lazy package)", results["import_ms_package"]),
        ("triage engine import beyond heed.models, ms", results["import_ms_triage_own"]),
        ("import heed.triage + engine + heed.models, ms", results["import_ms_total"]),
        ("shipped triage files, bytes", results["shipped_bytes"]),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    if not DATA.is_dir():
        print(f"skipped: development data not found at {DATA}")
        return 0
    results = evaluate()
    print_table(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
