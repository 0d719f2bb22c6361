"""The fast inference (remembered packed rows, one big-int sum) reads exactly what the weights say:
against a plain reference that hashes every string of `features()` (what training hashes) and adds
the int8 weights one by one, on mentions in every language of the team's corpus."""

from __future__ import annotations

import json
import math
import zlib
from pathlib import Path

from heed.triage import model
from heed.triage.engine import model_cues, rule_reading

CORPUS = Path(__file__).resolve().parents[2] / "infra" / "train" / "corpus"


def _texts() -> list[str]:
    texts = ["", "👍", "@brand", "x" * 5000, "Llevo 3 días sin internet!!! #fail https://t.co/x @a @b"]
    for path in sorted(CORPUS.glob("*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()[:60]]
    return texts


def _reference_logits(loaded: model.Model, strings: list[str]) -> list[float]:
    width = loaded.classes
    sums = [0] * width
    for feature in strings:
        index = zlib.crc32(feature.encode("utf-8")) & ((1 << loaded.bits) - 1)
        row = loaded.matrix[index * width : (index + 1) * width]
        for i in range(width):
            sums[i] += row[i] - 128
    norm = 1.0 / math.sqrt(len(strings))
    return [s * v * norm + b for s, v, b in zip(loaded.scales, sums, loaded.biases, strict=True)]


def test_inference_equals_the_plain_sum_over_the_training_features() -> None:
    loaded = model.Model(model.WEIGHTS)
    for text in _texts():
        rules = rule_reading(text)
        cues = model_cues(rules)
        args = (text, rules.text.lowered, rules.text.cue_words, cues)
        strings = model.features(*args)
        tokens, other = model.message_features(*args)
        fast = loaded.logits(tokens, other)
        # twice: the second reading comes from the remembered rows
        assert loaded.logits(tokens, other) == fast
        assert fast == _reference_logits(loaded, strings), text
        reading = loaded.read(*args)
        assert reading == loaded.reading(fast)
        for head, labels in loaded.heads.items():
            assert len(labels) == len(model.HEADS[head])
        assert math.isclose(sum(reading.intent_probabilities), 1.0)
