"""The triage's written-out fast paths give exactly what the plain code they replace gives: the
model's per-head softmax, the engine's tilted sentiment, and the `Triage` built without validation.
Each is compared bit for bit with a plain reference on random values, ties included."""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import pytest
from heed.models import Sentiment, Triage, TriageRules
from heed.triage import engine, model, triage

CORPUS = Path(__file__).resolve().parents[2] / "infra" / "train" / "corpus"


def _plain_softmax(part: list[float]) -> list[float]:
    top = max(part)
    exps = [math.exp(z - top) for z in part]
    total = sum(exps)
    return [e / total for e in exps]


def _plain_reading(logits: list[float]) -> model.Reading:
    heads = []
    start = 0
    for labels in model.HEADS.values():
        probs = _plain_softmax(logits[start : start + len(labels)])
        start += len(labels)
        best = max(range(len(probs)), key=probs.__getitem__)
        heads.append((labels[best], probs[best], probs))
    language, sentiment, intent, spam, abuse, addressed = heads
    return model.Reading(
        language[0],
        language[1],
        sentiment[0],
        sentiment[1],
        sentiment[2][2] - sentiment[2][0],
        sentiment[2],
        intent[0],
        intent[1],
        intent[2],
        spam[2][1],
        abuse[2][1],
        addressed[0],
        addressed[1],
    )


def _random_logits(rng: random.Random) -> list[float]:
    classes = sum(len(v) for v in model.HEADS.values())
    logits = [rng.uniform(-12.0, 12.0) for _ in range(classes)]
    if rng.random() < 0.5:  # ties inside heads, and exactly equal heads
        for _ in range(rng.randrange(1, 6)):
            i, j = rng.randrange(classes), rng.randrange(classes)
            logits[i] = logits[j]
    if rng.random() < 0.1:
        logits = [float(rng.randrange(-2, 3)) for _ in range(classes)]
    return logits


def test_written_out_reading_equals_the_plain_softmax_per_head() -> None:
    rng = random.Random(12)
    loaded = model.load()
    for _ in range(20_000):
        logits = _random_logits(rng)
        assert loaded.reading(logits) == _plain_reading(logits), logits


def _plain_blend(probabilities: list[float], score: float) -> tuple[Sentiment, float, float]:
    logits = [math.log(max(p, 1e-12)) for p in probabilities]
    logits[0] -= 2.0 * score
    logits[-1] += 2.0 * score
    top = max(logits)
    exps = [math.exp(z - top) for z in logits]
    total = sum(exps)
    probs = [e / total for e in exps]
    best = max(range(len(probs)), key=probs.__getitem__)
    return tuple(Sentiment)[best], probs[best], probs[-1] - probs[0]


def test_written_out_sentiment_blend_equals_the_plain_one() -> None:
    assert engine._LEXICON_WEIGHT == 2.0
    rng = random.Random(7)
    for _ in range(20_000):
        raw = [rng.choice([0.0, 1e-13, 0.25, 0.5, rng.random()]) for _ in range(3)]
        total = sum(raw) or 1.0
        probabilities = [p / total for p in raw]
        score = rng.choice([0.0, 0.5, -0.5, round(rng.uniform(-1, 1), 3)])
        assert engine.blended_sentiment(probabilities, score) == _plain_blend(probabilities, score)


def _texts() -> list[str]:
    texts = [
        "",
        "👍",
        "@brand",
        "card 4111 1111 1111 1111",
        "Llevo 3 días sin internet!!! #fail https://t.co/x",
    ]
    for path in sorted(CORPUS.glob("*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()[:80]]
    return texts


def test_triage_built_without_validation_equals_a_validated_one() -> None:
    rules = TriageRules(urgent_terms=["gas leak"], teams={"billing": ["refund", "factura"]})
    for text in _texts():
        for reading in (triage(text), triage(text, rules=rules)):
            validated = Triage(**reading.__dict__)
            assert reading == validated
            assert list(reading.__dict__) == list(validated.__dict__)  # field order: JSON and dumps
            assert [type(v) for v in reading.__dict__.values()] == [
                type(v) for v in validated.__dict__.values()
            ]
            assert reading.model_fields_set == validated.model_fields_set
            assert reading.model_dump_json() == validated.model_dump_json()


EDGE_TEXTS = [
    "I havent had internet for 3 days, you dont care",
    "don't'havent 2havent havent2 havent_x haaavent HAVENT's",
    "siiiiii graciasssss!!!! ... ¿¿¿qué???",
    "ΟΔΥΣΣΕΥΣ ΣΟΦΟΣ σοφός",
    "x² ① ፩ ٣٤ 12 abc١٢",
    "a\u0301b c\u0327a \u0301abc e\u0300\u0301",
    "¨ ˝ ﬁne ﬂight Ⓐ ℌ",
    "#fail#win @a@b x@y http://t.co/x?y=1www.z.com",
    "caf\u00e9\u00a0ouvert\u2003ferm\u00e9\u3000ok \x1cx\x1dy",
    "I’ve been waiting, isn’t it?",
    "İstanbul ıi ſ K",
]


def test_reading_by_token_equals_the_whole_text_reading() -> None:
    from heed.triage.text import read, read_whole

    for text in EDGE_TEXTS + _texts():
        for _ in range(2):  # the second reading comes from the remembered tokens
            assert read(text) == read_whole(text), text


def test_non_ascii_characters_in_text_order() -> None:
    import re

    from heed.triage.text import non_ascii

    pattern = re.compile(r"[^\x00-\x7f]+")
    for text in [*EDGE_TEXTS, "", "abc", "\ud800x\udfffé", "😡a😡", "\x7f\x80\u07ff\u0800\uffff\U0010ffff"]:
        assert non_ascii(text) == "".join(pattern.findall(text)), repr(text)


def test_references_tried_at_label_starts_equal_the_full_scan() -> None:
    from heed.triage import personal_data

    rng = random.Random(3)
    pieces = [
        "order", "Order", "ORDER", "booking", "account", "acct", "Reference", "ref", "REF", "confirmation",
        "tracking", "case", "ticket", "reservation", "Réservation", "RÉSERVATION", "reserva", "invoice",
        "customer", "member", "policy", "pedido", "localizador", "cuenta", "expediente", "factura",
        "facture", "cliente", "socio", "commande", "dossier", "compte", "protocolo", "conta", "fatura",
        "rastreio", "number", "no", "nº", "n°", "id", "de", "is", "es", "é", ":", "#", "-", " ", "  ",
        "AB12345", "12345", "1234-5678", "X9", "x", "2024", "ABCDE", "é", "ß", "K", "\u212a", "_", ".",
    ]  # fmt: skip
    texts = [
        "order number AB12345 and ref 99887766",
        "xorder 12345, preorder 123456, order_12345",
        "my réservation n° 12345678 / RESERVATION: ZX-99887",
        "reservation reservation reservation 1234567",
        "ref ref ref 123456 refund 654321",
    ]
    texts += [
        "".join(rng.choice(pieces) + rng.choice(["", " "]) for _ in range(rng.randrange(2, 14)))
        for _ in range(5000)
    ]
    for text in texts:
        plain = text.lower()
        expected = [m.span() for m in personal_data._REFERENCE.finditer(text)]
        assert [m.span() for m in personal_data._references(text, plain)] == expected, text
        assert personal_data._ascii_digits(text) == sum(map(text.count, "0123456789"))


def test_digit_patterns_scanned_from_just_before_the_first_digit_find_the_same() -> None:
    from heed.triage import personal_data as pd

    rng = random.Random(5)
    pieces = [
        "ES91 2100 0418 4502 0005 1332", "GB82WEST12345698765432", "4111 1111 1111 1111", "12345678Z",
        "X1234567L", "x-1234567-l", "123.456.789-09", "20-12345678-9", "+34 612 345 678", "0034612345678",
        "(212) 555-0147", "١٢٣٤٥٦٧٨", "ab12", "ES12", "12.5", "+", "00", "-", ".", " ", "x", "é", "İ", "_", "/",
    ]  # fmt: skip
    patterns = [(pd._IBAN, 2), (pd._ES_NIE, 2), (pd._ES_DNI, 2), (pd._BR_CPF, 2), (pd._AR_CUIT, 2)]
    patterns += [(pd._CARD, 0), (pd._PHONE, 1)]
    for _ in range(4000):
        text = "".join(rng.choice(pieces) + rng.choice(["", " "]) for _ in range(rng.randrange(1, 9)))
        digit = pd._DIGIT.search(text)
        if digit is None:
            continue
        for pattern, before in patterns:
            expected = [m.span() for m in pattern.finditer(text)]
            assert [m.span() for m in pattern.finditer(text, max(0, digit.start() - before))] == expected


def test_cli_line_written_out_equals_the_encoded_record() -> None:
    import json

    from heed.cli import triage as cli
    from heed.models import Author, CustomerHistory

    rules = TriageRules(
        vip_handles=["@press"],
        urgent_terms=["gas leak"],
        teams={'bill"ing\\ é': ["refund"], "network": ["signal"]},
    )
    ids = ["a", 7, None, 'q"uo\\te é 😀', {"n": [1, 2.5]}, 1.0, -0.0, True]
    texts = [*_texts()[:200], "gas leak! refund my card 4111 1111 1111 1111 no signal", "ok 😡"]
    for n, text in enumerate(texts):
        for result in (
            triage(text),
            triage(
                text,
                rules=rules,
                author=Author(id="p", handle="press", followers=50_000, verified=True),
                history=CustomerHistory(previous_mentions=2, recent_contacts_24h=5),
            ),
        ):
            mention_id = ids[n % len(ids)]
            assert cli._json_line(mention_id, result) == cli._ENCODE(cli._record_of(mention_id, result))
    for value in (0.0, -0.0, 0.5, -0.5, 1.0, 1e-05, 0.937, 1):
        assert cli._float(value) == cli._float(value) == json.dumps(value)


def test_cli_loads_equals_json_loads() -> None:
    import json

    import pytest
    from heed.cli import triage as cli

    good = ['{"id": 1, "text": "x"}\n', '  {"a": [1, 2]}  \r\n', "[1]", '"s"', "1.5\t", "null"]
    for line in good:
        assert cli._loads(line) == json.loads(line)
    bad = [
        "",
        "   \n",
        "not json",
        '{"a": 1} x',
        '{"a": 1}{"b": 2}',
        "\ufeff{}",
        '{"a": ',
        '{"a": "\\x"}',
        "[1,]",
    ]
    for line in bad:
        with pytest.raises(json.JSONDecodeError):
            json.loads(line)
        with pytest.raises(json.JSONDecodeError):
            cli._loads(line)


def test_memos_that_start_over_mid_stream_read_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    from heed.triage import language, text

    monkeypatch.setattr(text, "_MEMO_LIMIT", 5)
    monkeypatch.setattr(language, "_MEMO_LIMIT", 5)
    for sample in EDGE_TEXTS + _texts()[:300]:
        reading = text.read(sample)
        assert reading == text.read_whole(sample), sample
        assert language.language_of(reading) == language.detect_language(reading)[0]
        assert len(text._TOKEN_WORDS) <= 5 + len(reading.tokens)
