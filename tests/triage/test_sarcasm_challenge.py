"""The sarcasm challenge (infra/train/challenge) stays held out and keeps what round 4 reached.

Floors, not targets: the held half's figures with the shipped weights on 2026-11-30 were en sarcasm
0.84, sincere read as a complaint 0.175; es 0.804 / 0.157 (functions/heed/triage/README.md, rounds 4
and 5); before round 4 en 0.86 / 0.263, es 0.745 / 0.216, which fail here.
A change to the rules or the weights that loses more than a few lines of either fails here."""

from __future__ import annotations

import pytest
from heed.triage import triage

from infra.train import challenge, data

# (sarcasm read as a complaint at least, sincere praise read as a complaint at most), held half
FLOORS = {"en": (0.80, 0.22), "es": (0.75, 0.21)}


@pytest.mark.parametrize("language", challenge.LANGUAGES)
def test_both_labellings_cover_every_line_and_agree_on_nearly_all(language: str) -> None:
    rows, stats = challenge.agreed(language)
    assert stats["lines"] == stats["read_twice"] == 300
    assert stats["agreed"] >= 290
    assert {row["kind"] for row in rows} == {"sarcasm", "sincere_positive", "plain_complaint", "other"}


def test_training_never_reads_the_challenge() -> None:
    held_out = {row["text"] for language in challenge.LANGUAGES for row in challenge.agreed(language)[0]}
    sources = data.Sources()
    trained = {example.text for example in data.corpus(sources)} | {e.text for e in data.general(sources)}
    assert not held_out & trained


@pytest.mark.parametrize("language", challenge.LANGUAGES)
def test_the_held_half_keeps_its_sarcasm_and_praise_readings(language: str) -> None:
    rows = [r for r in challenge.agreed(language)[0] if challenge.part_of(r["id"]) == "held"]
    figures = challenge.figures(rows, [triage(r["text"]) for r in rows])
    sarcasm_floor, sincere_ceiling = FLOORS[language]
    assert figures["sarcasm_read_as_complaint"] >= sarcasm_floor
    assert figures["sincere_read_as_complaint"] <= sincere_ceiling
