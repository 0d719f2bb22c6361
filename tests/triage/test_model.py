"""The shipped triage model: its weights are the ones the manifest names, and it reads sensibly."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from heed.models import Intent, Sentiment
from heed.triage import model, triage

REPO = Path(__file__).resolve().parents[2]
MANIFEST = REPO / "infra" / "train" / "MANIFEST.json"


def test_shipped_weights_are_the_ones_the_manifest_names() -> None:
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    shipped = REPO / manifest["weights"]["path"]
    assert shipped == model.WEIGHTS
    assert hashlib.sha256(shipped.read_bytes()).hexdigest() == manifest["weights"]["sha256"]
    assert shipped.stat().st_size <= 20 * 1024 * 1024


def test_manifest_lists_only_sources_that_may_ship() -> None:
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    assert set(manifest["sources"]) <= {
        "banking77",
        "clinc150",
        "xed",
        "davidson",
        "hatecheck",
        "corpus",
        "general",
    }
    for entry in manifest["files"]:
        assert "xlmt" not in entry["path"] and "tweeteval" not in entry["path"]
        assert "customer_care_unlabeled" not in entry["path"]


def test_model_loads_with_every_head() -> None:
    loaded = model.Model(model.WEIGHTS)
    assert tuple(loaded.heads) == tuple(model.HEADS)
    assert len(loaded.scales) == loaded.classes == sum(len(v) for v in model.HEADS.values())


def test_a_complaint_is_read_as_a_negative_complaint() -> None:
    result = triage("@movilnet llevo tres días sin internet y nadie me responde, una vergüenza")
    assert result.language == "es"
    assert result.intent is Intent.COMPLAINT
    assert result.sentiment is Sentiment.NEGATIVE
    assert result.addressed == "to_brand"


def test_praise_with_a_problem_word_is_praise() -> None:
    result = triage("@parcelco I was worried it would be late but it arrived a day early, no issues at all!")
    assert result.intent is Intent.PRAISE
    assert result.sentiment is Sentiment.POSITIVE


def test_a_news_headline_is_not_addressed_to_the_brand_and_needs_no_reply() -> None:
    result = triage("Telecom giant Movilnet shares fall 4% after quarterly results https://news.example/a1")
    assert result.intent is not Intent.COMPLAINT
    assert result.addressed != "to_brand"
    assert not result.needs_response


def test_spanish_praise_is_praise_not_a_complaint() -> None:
    result = triage(
        "@aerolineasol muchísimas gracias, el vuelo salió puntual y la tripulación fue encantadora"
    )
    assert result.intent is Intent.PRAISE
    assert result.sentiment is Sentiment.POSITIVE


def test_french_and_german_complaints_are_complaints() -> None:
    assert (
        triage("@trainfr mon train a encore 40 minutes de retard, c'est inadmissible").intent
        is Intent.COMPLAINT
    )
    assert triage("@paketde mein Paket ist seit zwei Wochen nicht angekommen").intent is Intent.COMPLAINT


def test_confidences_are_probabilities() -> None:
    result = triage("@brand ok")
    for value in (result.confidence, result.sentiment_confidence, result.addressed_confidence):
        assert 0.0 <= value <= 1.0
