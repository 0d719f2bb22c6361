"""Two blind labellings of the team's corpus, compared, and the disputes resolved by a third reading.

    python -m infra.train.agreement            # every language with an `a` and a `b` labelling
    python -m infra.train.agreement --general  # the same for the everyday posts (infra/train/general)

For each language: `labels/<lang>.a.jsonl` (the writer's labels) and `labels/<lang>.b.jsonl` (a second
labeller who never saw them) are compared field by field (agreement and Cohen's kappa); every line
where they differ is listed in `labels/<lang>.disputes.jsonl`, and `labels/<lang>.jsonl` (what
training reads) holds, per line, the labels both gave, or the adjudicator's reading from
`labels/<lang>.c.jsonl` where they differed. A dispute nobody has adjudicated yet keeps the writer's
label and is counted as open in `labels/agreement.json`, so the figures say what was and was not
resolved. Lines only one labeller has read yet keep the writer's label and count as single-read.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parent / "corpus"
LABELS = CORPUS / "labels"
FIELDS = ("language", "sentiment", "intent", "addressed", "abuse", "spam")
GENERAL = CORPUS.parent / "general"
GENERAL_FIELDS = ("language", "sentiment")


def _read(path: Path) -> dict[str, dict[str, Any]]:
    if not path.exists():
        return {}
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {str(r["id"]): r for r in rows}


def kappa(first: list[Any], second: list[Any]) -> float:
    """Cohen's kappa: agreement beyond what the two labellers' own label frequencies give by chance."""
    n = len(first)
    if n == 0:
        return float("nan")
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / n
    ca, cb = Counter(map(str, first)), Counter(map(str, second))
    expected = sum(ca[k] * cb[k] for k in ca) / (n * n)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def resolve(lang: str, root: Path = CORPUS, fields: tuple[str, ...] = FIELDS) -> dict[str, Any] | None:
    labels = root / "labels"
    order = [
        str(json.loads(line)["id"])
        for line in (root / f"{lang}.jsonl").read_text("utf-8").splitlines()
        if line.strip()
    ]
    a, b, c = (_read(labels / f"{lang}.{who}.jsonl") for who in "abc")
    if not a:
        return None
    both = [i for i in order if i in a and i in b]
    per_field = {
        f: {
            "agreement": round(sum(a[i][f] == b[i][f] for i in both) / len(both), 3) if both else None,
            "kappa": round(kappa([a[i][f] for i in both], [b[i][f] for i in both]), 3) if both else None,
            "disagreements": sum(a[i][f] != b[i][f] for i in both),
        }
        for f in fields
    }
    disputes, resolved, adjudicated = [], [], 0
    for i in order:
        label = dict(a.get(i) or {})
        if i in b:
            differ = [f for f in fields if a[i][f] != b[i][f]]
            if differ:
                disputes.append(
                    {
                        "id": i,
                        "fields": differ,
                        "a": {f: a[i][f] for f in differ},
                        "b": {f: b[i][f] for f in differ},
                    }
                )
                if i in c:
                    label.update({f: c[i][f] for f in differ if f in c[i]})
                    adjudicated += 1
        if label:
            resolved.append({"id": i, **{f: label[f] for f in fields}})
    (labels / f"{lang}.disputes.jsonl").write_text(
        "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in disputes), "utf-8"
    )
    (labels / f"{lang}.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in resolved), "utf-8"
    )
    return {
        "lines": len(order),
        "read_twice": len(both),
        "single_read": len(order) - len(both),
        "lines_in_dispute": len(disputes),
        "adjudicated": adjudicated,
        "open_disputes": len(disputes) - adjudicated,
        "fields": per_field,
    }


def main(argv: list[str] | None = None) -> int:
    general = "--general" in (sys.argv[1:] if argv is None else argv)
    root, fields = (GENERAL, GENERAL_FIELDS) if general else (CORPUS, FIELDS)
    langs = sorted(p.stem for p in root.glob("*.jsonl"))
    figures = {lang: r for lang in langs if (r := resolve(lang, root, fields)) is not None}
    (root / "labels" / "agreement.json").write_text(json.dumps(figures, indent=1) + "\n", "utf-8")
    for lang, r in figures.items():
        summary = ", ".join(
            f"{f} {v['agreement']} (κ {v['kappa']})"
            for f, v in r["fields"].items()
            if v["agreement"] is not None
        )
        print(
            f"{lang}: {r['lines']} lines, {r['read_twice']} read twice, {r['lines_in_dispute']} in dispute "
            f"({r['adjudicated']} adjudicated, {r['open_disputes']} open); {summary}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
