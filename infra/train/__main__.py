"""`python -m infra.train` (`make train`): rebuild the shipped triage weights and print the development figures.

Reads only ../shared/data/permissive and infra/train/corpus (see data.py), holds out one example in
five by a hash of its id, fits the linear multi-head model with a fixed seed, then fits the final
weights on everything (train + development part) and writes functions/heed/triage/model/triage.bin and
infra/train/MANIFEST.json. Same inputs, same bytes: the manifest's sha256 of the weights is checked
by tests/triage/test_model.py.

`--compare` also fits the alternatives (hidden layer, word-only features, smaller and larger hash
spaces) on the same split and prints their development figures; nothing of theirs is saved.
"""

from __future__ import annotations

import os

# one BLAS thread: the same sums in the same order on every machine, so the same weights
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import zlib  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402
from heed.triage.engine import model_cues, rule_reading  # noqa: E402
from heed.triage.model import HEADS, WEIGHTS, message_features, token_features, write_weights  # noqa: E402
from heed.triage.scoring import macro_f1  # noqa: E402

from infra.train import data  # noqa: E402
from infra.train.fit import (  # noqa: E402
    HEAD_NAMES,
    Fitted,
    Matrix,
    dequantized,
    fit,
    predict_logits,
    predictions,
    quantize,
)

MANIFEST = data.REPO / "infra" / "train" / "MANIFEST.json"
SEED = 12
BITS = 18
SETTINGS: dict[str, Any] = {
    "arch": "linear",
    "bits": BITS,
    "epochs": 6,
    "batch": 256,
    "rate": 0.3,
    "l2": 1e-6,
}
SOURCE_WEIGHTS = {"xed": 0.5, "davidson": 0.5, "hatecheck": 0.5, "clinc150": 0.3, "banking77": 0.5}
LICENCES = {
    "banking77": ("CC BY 4.0", "Casanueva et al. 2020, PolyAI-LDN/task-specific-datasets @ 57ec275"),
    "clinc150": ("CC BY 3.0", "Larson et al. 2019, clinc/oos-eval @ 828f809"),
    "xed": ("CC BY 4.0", "Öhman et al. 2020, Helsinki-NLP/XED @ 76666d2"),
    "davidson": ("MIT", "Davidson et al. 2017, t-davidson/hate-speech-and-offensive-language @ cb50f7e"),
    "hatecheck": ("CC BY 4.0", "Röttger et al. 2022, rewire-online/multilingual-hatecheck @ a03f2ca"),
    "corpus": ("Apache-2.0 (the project's own)", "written and labelled by the Heed team, infra/train/corpus"),
    "general": (
        "Apache-2.0 (the project's own)",
        "written and labelled by the Heed team, infra/train/general",
    ),
}


def featurize(examples: list[data.Example]) -> Matrix:
    buckets: list[int] = []
    is_char: list[bool] = []
    indptr = [0]
    for example in examples:
        rules = rule_reading(example.text)
        tokens, other = message_features(
            example.text, rules.text.lowered, rules.text.cue_words, model_cues(rules)
        )
        grams = [g for token in tokens for g in token_features(token)]
        for feature in grams + other:
            buckets.append(zlib.crc32(feature.encode("utf-8")))
        is_char += [True] * len(grams) + [False] * len(other)
        indptr.append(len(buckets))
    labels = np.full((len(examples), len(HEAD_NAMES)), -1, np.int16)
    for row, example in enumerate(examples):
        for h, head in enumerate(HEAD_NAMES):
            label = example.labels.get(head)
            if label is not None and label in HEADS[head]:
                labels[row, h] = HEADS[head].index(label)
    # XED's sentiment classes balanced per language: four of its eight emotions are negative, and the
    # projections have no neutral line, so unbalanced they teach "a general sentence is negative"
    counts: dict[tuple[str, str], int] = {}
    for e in examples:
        if e.source == "xed" and "sentiment" in e.labels:
            key = (e.labels.get("language", ""), e.labels["sentiment"])
            counts[key] = counts.get(key, 0) + 1
    balance: dict[tuple[str, str], float] = {}
    for language in {k[0] for k in counts}:
        mine = {k: v for k, v in counts.items() if k[0] == language}
        mean = sum(mine.values()) / len(mine)
        balance.update({k: mean / v for k, v in mine.items()})
    weights = np.array(
        [
            e.weight
            * SOURCE_WEIGHTS.get(e.source, 1.0)
            * balance.get((e.labels.get("language", ""), e.labels.get("sentiment", "")), 1.0)
            for e in examples
        ],
        np.float32,
    )
    return Matrix(np.array(indptr, np.int64), np.array(buckets, np.int64), np.array(is_char), labels, weights)


def _round(x: float) -> float:
    return round(float(x), 3)


def figures(fitted: Fitted, m: Matrix, examples: list[data.Example]) -> dict[str, Any]:
    """Development figures per head over every source, per language on the team's corpus, XED's
    sentiment per language and the team's everyday posts' sentiment per language."""
    pred = predictions(predict_logits(fitted, m))
    out: dict[str, Any] = {
        "heads": {},
        "corpus": {},
        "xed_sentiment_macro_f1": {},
        "general_sentiment_macro_f1": {},
    }
    for h, head in enumerate(HEAD_NAMES):
        has = m.labels[:, h] >= 0
        if has.any():
            gold, got = m.labels[has, h].tolist(), pred[head][has].tolist()
            out["heads"][head] = {
                "n": int(has.sum()),
                "accuracy": _round(np.mean(np.array(gold) == np.array(got))),
                "macro_f1": _round(macro_f1(gold, got, sorted(set(gold)))),
            }
    sources = np.array([e.source for e in examples])
    s_col = HEAD_NAMES.index("sentiment")
    i_col = HEAD_NAMES.index("intent")
    a_col = HEAD_NAMES.index("addressed")
    complaint = HEADS["intent"].index("complaint")
    for language in data.CORPUS_LANGUAGES:
        rows = sources == f"corpus_{language}"
        if not rows.any():
            continue
        fig: dict[str, Any] = {"n": int(rows.sum())}
        s_has = rows & (m.labels[:, s_col] >= 0)
        gold_s, got_s = m.labels[s_has, s_col], pred["sentiment"][s_has]
        fig["sentiment_macro_f1"] = _round(macro_f1(gold_s.tolist(), got_s.tolist(), (0, 1, 2)))
        fig["negative_recall"] = _round(np.mean(got_s[gold_s == 0] == 0)) if (gold_s == 0).any() else None
        i_has = rows & (m.labels[:, i_col] >= 0)
        gold_i, got_i = m.labels[i_has, i_col], pred["intent"][i_has]
        fig["intent_accuracy"] = _round(np.mean(gold_i == got_i))
        tp = int(((gold_i == complaint) & (got_i == complaint)).sum())
        fig["complaint_recall"] = _round(tp / max(1, int((gold_i == complaint).sum())))
        fig["complaint_precision"] = _round(tp / max(1, int((got_i == complaint).sum())))
        a_has = rows & (m.labels[:, a_col] >= 0)
        fig["addressed_accuracy"] = _round(np.mean(m.labels[a_has, a_col] == pred["addressed"][a_has]))
        out["corpus"][language] = fig
    for language in data.CORPUS_LANGUAGES:
        s_has = (sources == f"general_{language}") & (m.labels[:, s_col] >= 0)
        if s_has.any():
            gold, got = m.labels[s_has, s_col].tolist(), pred["sentiment"][s_has].tolist()
            out["general_sentiment_macro_f1"][language] = _round(macro_f1(gold, got, (0, 1, 2)))
    for language in ("en", "es", "fr", "pt", "de", "it"):
        rows = np.array([e.source == "xed" and e.labels.get("language") == language for e in examples])
        s_has = rows & (m.labels[:, s_col] >= 0)
        if s_has.any():
            gold, got = m.labels[s_has, s_col].tolist(), pred["sentiment"][s_has].tolist()
            out["xed_sentiment_macro_f1"][language] = _round(macro_f1(gold, got, sorted(set(gold))))
    return out


def print_figures(name: str, fig: dict[str, Any]) -> None:
    print(f"== {name}")
    for head, f in fig["heads"].items():
        print(f"  {head:<10} n={f['n']:<6} accuracy {f['accuracy']:.3f}  macro-F1 {f['macro_f1']:.3f}")
    if fig["corpus"]:
        print("  corpus dev  n    sent-F1 neg-rec intent-acc compl-R compl-P addressed")
        for language, f in fig["corpus"].items():
            print(
                f"  {language:<10} {f['n']:<4} {f['sentiment_macro_f1']:.3f}   "
                f"{f['negative_recall'] if f['negative_recall'] is not None else '-'!s:<7} "
                f"{f['intent_accuracy']:.3f}      {f['complaint_recall']:.3f}   {f['complaint_precision']:.3f}   "
                f"{f['addressed_accuracy']:.3f}"
            )
    print(
        "  xed sentiment macro-F1 (dev): "
        + ", ".join(f"{k} {v}" for k, v in fig["xed_sentiment_macro_f1"].items())
    )
    if fig.get("general_sentiment_macro_f1"):
        print(
            "  general posts sentiment macro-F1 (dev): "
            + ", ".join(f"{k} {v}" for k, v in fig["general_sentiment_macro_f1"].items())
        )


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_manifest(sources: data.Sources, examples: list[data.Example], dev: dict[str, Any]) -> None:
    counts: dict[str, int] = {}
    for e in examples:
        counts[e.source] = counts.get(e.source, 0) + 1
    files = []
    for path, (sha, size) in sorted(sources.files.items()):
        p = Path(path)
        origin = (
            "corpus"
            if data.CORPUS in p.parents
            else "general"
            if data.GENERAL in p.parents
            else p.relative_to(data.PERMISSIVE).parts[0]
        )
        key = {"davidson_offensive": "davidson", "multilingual_hatecheck": "hatecheck"}.get(origin, origin)
        rel = (
            p.relative_to(data.REPO)
            if data.REPO in p.parents
            else Path("../shared/data") / p.relative_to(data.SHARED)
        )
        files.append({"path": str(rel), "source": key, "sha256": sha, "bytes": size})
    manifest = {
        "weights": {
            "path": str(WEIGHTS.relative_to(data.REPO)),
            "sha256": _sha256(WEIGHTS),
            "bytes": WEIGHTS.stat().st_size,
        },
        "settings": {
            **SETTINGS,
            "seed": SEED,
            "source_weights": SOURCE_WEIGHTS,
            "corpus_weight": data.CORPUS_WEIGHT,
        },
        "sources": {
            name: {
                "licence": licence,
                "origin": origin,
                "examples": sum(v for k, v in counts.items() if k.startswith(name)),
            }
            for name, (licence, origin) in LICENCES.items()
        },
        "files": files,
        "never_trained_on": [
            "../shared/data/xlmt_sentiment",
            "../shared/data/tweeteval_*",
            "../shared/data/customer_care_unlabeled",
        ],
        "development_figures": dev,
    }
    MANIFEST.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compare", action="store_true", help="also fit and print the alternatives")
    parser.add_argument("--no-write", action="store_true", help="print the figures, write nothing")
    parser.add_argument(
        "--dev-weights",
        type=Path,
        help="also write the weights fitted without the development part here (to tune the engine on dev)",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    sources = data.Sources()
    try:
        examples = data.load_all(sources)
    except data.MissingData as exc:
        print(f"make train: {exc}", file=sys.stderr)
        return 2
    print(f"{len(examples)} examples read in {time.perf_counter() - started:.0f} s")
    matrix = featurize(examples)
    print(f"features: {len(matrix.buckets)} entries, {time.perf_counter() - started:.0f} s")
    dev_rows = np.array([i for i, e in enumerate(examples) if e.dev])
    train_rows = np.array([i for i, e in enumerate(examples) if not e.dev])
    train, dev = matrix.select(train_rows), matrix.select(dev_rows)
    dev_examples = [examples[i] for i in dev_rows]
    shipped = "linear, words + chars, 2^18"
    candidates: dict[str, dict[str, Any]] = {shipped: SETTINGS}
    if args.compare:
        candidates["linear, words + chars, 2^16"] = {**SETTINGS, "bits": 16}
        candidates["linear, words + chars, 2^20"] = {**SETTINGS, "bits": 20}
        candidates["linear, words only, 2^18"] = {**SETTINGS, "words_only": True}
        candidates["hidden 64 (ReLU), words + chars, 2^18"] = {
            **SETTINGS,
            "arch": "hidden",
            "hidden": 64,
            "rate": 0.1,
        }
    shipped_dev: dict[str, Any] = {}
    for name, settings in candidates.items():
        settings = dict(settings)
        words_only = settings.pop("words_only", False)
        tr, dv = (train.without_chars(), dev.without_chars()) if words_only else (train, dev)
        fitted = fit(tr, seed=SEED, **settings)
        fig = figures(fitted, dv, dev_examples)
        print_figures(f"{name} ({time.perf_counter() - started:.0f} s)", fig)
        if name == shipped:
            matrix_bytes, scales, _ = quantize(fitted)
            fig_q = figures(dequantized(fitted, matrix_bytes, scales), dev, dev_examples)
            print_figures("the same, int8 weights (what ships)", fig_q)
            shipped_dev = fig_q
            if args.dev_weights:
                write_weights(
                    args.dev_weights,
                    bits=BITS,
                    matrix=matrix_bytes,
                    scales=scales,
                    biases=[float(b) for b in fitted.first_bias],
                    meta={"trained_on": "train part only (development weights)", "seed": SEED},
                )
    if args.no_write:
        return 0
    final = fit(matrix, seed=SEED, **SETTINGS)
    matrix_bytes, scales, biases = quantize(final)
    write_weights(
        WEIGHTS,
        bits=BITS,
        matrix=matrix_bytes,
        scales=scales,
        biases=biases,
        meta={"trained_on": sorted({e.source for e in examples}), "examples": len(examples), "seed": SEED},
    )
    write_manifest(sources, examples, shipped_dev)
    print(
        f"wrote {WEIGHTS.relative_to(data.REPO)} ({WEIGHTS.stat().st_size} bytes, sha256 {_sha256(WEIGHTS)}) "
        f"and {MANIFEST.relative_to(data.REPO)} in {time.perf_counter() - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
