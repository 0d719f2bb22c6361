"""Figures on the shared development sets (../shared/data); skipped when that folder is absent."""

from __future__ import annotations

from pathlib import Path

import pytest
from heed.triage import triage

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason=f"development data not found at {DATA}")


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize(("folder", "code"), [("english", "en"), ("spanish", "es"), ("french", "fr")])
def test_given_xlmt_validation_when_triaged_then_language_accuracy_reaches_097(
    folder: str, code: str
) -> None:
    texts = _lines(DATA / "xlmt_sentiment" / folder / "val_text.txt")
    accuracy = sum(1 for t in texts if triage(t).language == code) / len(texts)
    assert accuracy >= 0.97


def test_given_offensive_test_set_when_triaged_then_abuse_macro_f1_reaches_070() -> None:
    from infra.bench.triage_eval import macro_f1

    texts = _lines(DATA / "tweeteval_offensive" / "test_text.txt")
    gold = [int(x) for x in _lines(DATA / "tweeteval_offensive" / "test_labels.txt") if x.strip()]
    pred = [int("abuse" in triage(t).intents) for t in texts[: len(gold)]]
    assert macro_f1(gold, pred, (0, 1)) >= 0.70
