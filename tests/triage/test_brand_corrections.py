"""A brand's corrections (`heed triage train --labels FILE`) fix a systematic misreading of its own
traffic without breaking the development figures (the team's corpus, dev part)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from itertools import product
from pathlib import Path

import pytest
from heed.cli.triage import train
from heed.models import Intent
from heed.triage import brand, model, triage

from infra.train import data

TOLERANCE = 0.02  # the dev intent accuracy and sentiment agreement may drop by at most this much
# slang praise the shipped model reads as a complaint: "the new chilli crisps are sick"
TRAIN_PRODUCTS = [
    "chilli crisps", "mango flavour", "salted caramel bar", "sour cherry gums", "new wraps", "truffle fries",
    "oat cookies", "peri peri nuts", "lime soda", "smoky bbq crisps", "vegan nuggets", "honey popcorn",
    "choc chip muffins", "cheese puffs", "ginger beer", "spicy ramen", "protein bites", "toffee crunch",
    "lemon tart", "hot honey wings",
]  # fmt: skip
HELD_PRODUCTS = [
    "jalapeno poppers",
    "coconut bites",
    "sea salt crackers",
    "berry smoothie",
    "cinnamon swirls",
]
PHRASES = [
    "@snackco the {p} are sick",
    "@snackco your {p} is absolutely sick mate",
    "@snackco ngl the {p} are sick, proper sick",
    "@snackco just tried the {p} and they're sick",
    "@snackco the new {p}?? sick. need more",
    "@snackco bro the {p} are so sick",
    "@snackco those {p} are sick af",
    "@snackco sick {p} this week, well done",
    "@snackco the {p} slap, sick stuff",
    "@snackco honestly the {p} are sick 🔥",
]  # fmt: skip
# a brand's labelled tasks also hold the word's other sense: 10 of the 200 corrections
OTHER_SENSE = [
    "@snackco the {p} made me sick last night",
    "@snackco felt sick all evening after the {p}",
]
# a real complaint with the same word must stay one (none of these texts is among the corrections)
COMPLAINTS = [
    "@snackco your cheese puffs made me sick, I was up all night",
    "@snackco felt sick after the spicy ramen, is something wrong with this batch?",
    "@snackco sick of waiting, my order has been stuck for a week",
]


@pytest.fixture
def fresh_model(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    brand_file = tmp_path / "triage-brand.json"
    monkeypatch.setenv(model.BRAND_WEIGHTS_ENV, str(brand_file))
    model.load.cache_clear()
    yield brand_file
    model.load.cache_clear()


def _dev_figures() -> tuple[float, float]:
    examples = [e for e in data.corpus(data.Sources()) if e.dev]
    intents = [(e.labels["intent"], triage(e.text)) for e in examples if "intent" in e.labels]
    sentiments = [(e.labels["sentiment"], triage(e.text)) for e in examples if "sentiment" in e.labels]
    return (
        sum(r.intent.value == gold for gold, r in intents) / len(intents),
        sum(r.sentiment.value == gold for gold, r in sentiments) / len(sentiments),
    )


def test_200_corrections_fix_the_misreading_without_breaking_the_dev_figures(fresh_model: Path) -> None:
    if not any(data.CORPUS.glob("*.jsonl")):
        pytest.skip("the team's corpus (infra/train/corpus) is not in this checkout")
    corrections = [
        {"text": phrase.format(p=p), "intent": "praise", "sentiment": "positive"}
        for p, phrase in product(TRAIN_PRODUCTS[:19], PHRASES)
    ] + [
        {"text": phrase.format(p=p), "intent": "complaint", "sentiment": "negative"}
        for p, phrase in product(TRAIN_PRODUCTS[:5], OTHER_SENSE)
    ]
    assert len(corrections) == 200
    held = [phrase.format(p=p) for p, phrase in product(HELD_PRODUCTS, PHRASES)]
    # Given the shipped model, which reads most of this slang praise wrong
    wrong_before = sum(triage(t).intent is not Intent.PRAISE for t in held)
    assert wrong_before >= len(held) // 2
    dev_before = _dev_figures()
    # When the brand's 200 corrections are trained (all of them: the held-out products are separate)
    labels = fresh_model.parent / "labels.jsonl"
    labels.write_text("\n".join(json.dumps(c) for c in corrections) + "\n", encoding="utf-8")
    out = io.StringIO()
    assert train(str(labels), str(fresh_model), 0.0, out) == 0
    model.load.cache_clear()  # what a fresh deploy does: the brand file is read with the weights
    assert model.load().delta is not None
    # Then unseen products in the same slang read as praise, real complaints stay complaints
    wrong_after = sum(triage(t).intent is not Intent.PRAISE for t in held)
    assert wrong_after <= len(held) // 10, out.getvalue()
    for text in COMPLAINTS:
        assert triage(text).intent is Intent.COMPLAINT, text
    # and the development figures hold within the tolerance
    dev_after = _dev_figures()
    assert dev_after[0] >= dev_before[0] - TOLERANCE
    assert dev_after[1] >= dev_before[1] - TOLERANCE


def test_train_prints_the_score_before_and_after_on_a_held_out_part(fresh_model: Path) -> None:
    labels = fresh_model.parent / "labels.jsonl"
    rows = [
        {"text": phrase.format(p=p), "intent": "praise", "sentiment": "positive"}
        for p, phrase in product(TRAIN_PRODUCTS[:6], PHRASES)
    ]
    labels.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    out = io.StringIO()
    assert train(str(labels), str(fresh_model), 0.25, out) == 0
    text = out.getvalue()
    assert "held out, shipped model" in text and "with the brand's corrections" in text
    assert text.count("intent accuracy") == 2
    body = json.loads(fresh_model.read_text(encoding="utf-8"))
    assert body["base"] == model.Model(model.WEIGHTS).sha256


def test_bad_labels_are_refused_with_the_line_number(
    fresh_model: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    labels = fresh_model.parent / "labels.jsonl"
    labels.write_text(
        '{"text": "hi", "intent": "praise"}\n{"text": "x", "intent": "happy"}\n', encoding="utf-8"
    )
    assert train(str(labels), str(fresh_model), 0.25, io.StringIO()) == 2
    assert "line 2: unknown intent 'happy'" in capsys.readouterr().err
    assert not fresh_model.exists()


def test_a_brand_file_trained_on_other_weights_is_not_applied(fresh_model: Path) -> None:
    model.BrandDelta([0], {1: [5.0]}, [0.0], "0" * 64).write(fresh_model)
    assert model.load().delta is None


def test_held_out_split_is_stable() -> None:
    assert [brand.held_out(f"line {i}", 0.25) for i in range(50)] == [
        brand.held_out(f"line {i}", 0.25) for i in range(50)
    ]
