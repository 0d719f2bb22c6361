"""What a small trained model would add: a linear model fitted on the development sets' own
training splits, scored on the same validation/test splits as `triage_eval`. Measurement only:
nothing it fits is saved or shipped (the sets' terms are research-only).

Needs scikit-learn, which is not a dependency of Heed:
    .venv/bin/pip install scikit-learn && .venv/bin/python -m infra.bench.linear_ceiling
Skips cleanly when scikit-learn or ../shared/data is absent.

Models: tf-idf of words (1-2) and characters (2-5) -> logistic regression (balanced classes), alone
and with Heed's triage output (score, labels, abuse) as extra features; best of C in {0.5, 1, 3}
reported, which flatters the trained model.
"""

from __future__ import annotations

import sys
from typing import Any

from heed.triage.scoring import f1, macro_f1

from infra.bench.triage_eval import DATA, XLMT, _labelled

_CS = (0.5, 1.0, 3.0)
_TRIAGE_FEATURE_WEIGHT = 3.0  # the five triage features against tens of thousands of tf-idf columns


def _triage_features(texts: list[str]) -> Any:
    import numpy as np
    from heed.triage import triage
    from scipy.sparse import csr_matrix

    rows = []
    for text in texts:
        result = triage(text)
        rows.append(
            [
                result.sentiment_score,
                result.sentiment.value == "negative",
                result.sentiment.value == "positive",
                result.intent.value == "complaint",
                "abuse" in [i.value for i in result.intents],
            ]
        )
    return csr_matrix(np.array(rows, dtype=float) * _TRIAGE_FEATURE_WEIGHT)


def _fit_and_score(
    train: tuple[list[str], list[int]],
    test: tuple[list[str], list[int]],
    labels: tuple[int, ...],
    positive: int | None,
) -> dict[str, float]:
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    words = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    chars = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True, max_features=80_000
    )
    x_train = hstack([words.fit_transform(train[0]), chars.fit_transform(train[0])]).tocsr()
    x_test = hstack([words.transform(test[0]), chars.transform(test[0])]).tocsr()
    with_rules = (
        hstack([x_train, _triage_features(train[0])]).tocsr(),
        hstack([x_test, _triage_features(test[0])]).tocsr(),
    )
    out: dict[str, float] = {}
    for name, (a, b) in {"linear": (x_train, x_test), "linear+triage": with_rules}.items():
        best = 0.0
        for c in _CS:
            model = LogisticRegression(C=c, max_iter=3000, class_weight="balanced").fit(a, train[1])
            predicted = [int(p) for p in model.predict(b)]
            figure = (
                f1(test[1], predicted, positive)
                if positive is not None
                else macro_f1(test[1], predicted, labels)
            )
            best = max(best, figure)
        out[name] = round(best, 3)
    return out


def main() -> int:
    try:
        import sklearn  # noqa: F401
    except ImportError:
        print("skipped: scikit-learn is not installed (.venv/bin/pip install scikit-learn)")
        return 0
    if not DATA.is_dir():
        print(f"skipped: development data not found at {DATA}")
        return 0
    for folder, code in list(XLMT.items())[:4]:
        base = DATA / "xlmt_sentiment" / folder
        figures = _fit_and_score(_labelled(base / "train"), _labelled(base / "val"), (0, 1, 2), None)
        print(f"sentiment macro-F1 XLM-T val {code}: {figures}")
    base = DATA / "tweeteval_offensive"
    figures = _fit_and_score(_labelled(base / "train"), _labelled(base / "test"), (0, 1), 1)
    print(f"abuse F1 offensive class, TweetEval test: {figures}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
