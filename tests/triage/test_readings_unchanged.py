"""Speed work must not change a single reading: the full `Triage` of ~330 varied mentions (the team's
corpus in six languages, every kind, plus hand-written edge cases: personal data, links, handles,
hashtags, emoji, contractions typed without apostrophe, other scripts, VIP authors, repeat contacts,
brand urgent terms and teams) against the readings recorded in readings_recorded.jsonl.

When a change to the model or the rules legitimately changes readings, re-record and say so in the
commit: `.venv/bin/python tests/triage/test_readings_unchanged.py --record`
"""

from __future__ import annotations

import json
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from heed.models import Author, CustomerHistory, TriageRules
from heed.triage import triage

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
RECORDED = HERE / "readings_recorded.jsonl"
CORPUS = REPO / "infra" / "train" / "corpus"
PER_LANGUAGE = 40

RULES = TriageRules(
    vip_handles=["@press_desk"],
    urgent_terms=["gas leak", "fuga de gas"],
    teams={"billing": ["invoice", "factura", "refund"], "network": ["signal", "fibra", "internet"]},
)
EDGE_CASES = [
    "",
    "   ",
    "@SkyLinkTel",
    "https://t.co/abc123",
    "@a @b @c https://example.com/x?y=1",
    "👍",
    "😡😡😡",
    "🙏🏽❤️🔥",
    "?!",
    "...",
    "1234",
    "My card is 4111 1111 1111 1111 please refund",
    "IBAN ES91 2100 0418 4502 0005 1332, devolvedme el dinero",
    "write to me at jane.doe@example.com or call +44 7700 900123",
    "mi DNI es 12345678Z y mi teléfono 612 345 678",
    "account number 12345678 sort code 12-34-56, I was charged twice",
    "Mon numéro client est 0612345678, toujours pas de réseau",
    "I havent had internet for 3 days and nobody cares",
    "you guys dont answer, wont fix it, cant even call",
    "I’ve been waiting 2 hours, this isn’t ok",
    "siiiiii graciasssss por todo!!!!",
    "SOOOO ANGRY RIGHT NOW. NO SIGNAL AGAIN",
    "there is a gas leak near the exchange box on Main St",
    "huele a fuga de gas en el portal",
    "Thanks for nothing. Great job breaking my router again 🙄",
    "Oh great, another outage. Love it.",
    "How do I cancel my subscription?",
    "¿Cuánto cuesta la fibra de 1Gb? ¿Hay permanencia?",
    "Quando vocês vão resolver isso??? 5 dias sem internet",
    "Wann kommt endlich der Techniker? Seit Montag kein Internet!",
    "Perché la bolletta è raddoppiata questo mese?",
    "Merci beaucoup pour votre aide rapide, tout fonctionne 👌",
    "EARN $5000 A WEEK FROM HOME!!! click bit.ly/xx-cash-now DM me 💰💰💰",
    "#giveaway #free #win #iphone #follow follow and RT to win https://bit.ly/x",
    "you are all idiots and thieves",
    "you useless morons still havent refunded my 50 euros",
    "Breaking: SkyLinkTel reports Q3 results, shares up 4% https://news.example.com/a",
    "@maria_88 did you see the match last night? crazy",
    "Я очень недоволен вашим сервисом",
    "服务太差了，三天没有网络",
    "خدمة سيئة جدا",
    "Ελπίζω να το φτιάξετε σύντομα",
    "Olá @SkyLinkTel, obrigado pelo atendimento! Resolveram tudo em 10 minutos.",
    "invoice #4412 is wrong, please check",
    "x" * 5000,
    ("My router keeps dropping the connection every evening. " * 40).strip(),
    "no answer for 5 days, still waiting on ticket 88231",
    "llevo 3 días sin servicio y nadie me da una solución, es una vergüenza",
    "Es la tercera vez que escribo y nadie responde. Quiero la baja ya.",
    "Would be nice if the app had a dark mode",
    "lol",
    "ok",
    "not bad at all, actually pretty good",
    "I don't hate it",
    "the signal isn't bad but the price is too high",
    "Café très mauvais, service lent",
    "Ça ne marche toujours pas depuis hier soir",
    "\u00e9\u0301t\u00e9 accents combin\u00e9s",
    "tab\tseparated\nnew line\r\ntext",
    "ALL CAPS QUESTION WHY IS MY BILL SO HIGH?",
]
AUTHORS: list[tuple[Author | None, CustomerHistory | None]] = [
    (None, None),
    (Author(id="1", handle="press_desk"), None),
    (Author(id="2", handle="somebody", followers=50_000), CustomerHistory(previous_mentions=2)),
    (Author(id="3", handle="verified_one", verified=True), CustomerHistory(recent_contacts_24h=5)),
    (Author(id="4", handle="plain", followers=10), CustomerHistory(open_task_id="t1", recent_contacts_24h=1)),
]


def _corpus_texts() -> list[str]:
    """PER_LANGUAGE lines of each language's corpus, spread evenly (every kind appears)."""
    texts: list[str] = []
    for path in sorted(CORPUS.glob("*.jsonl")):
        lines = path.read_text(encoding="utf-8").splitlines()
        step = max(1, len(lines) // PER_LANGUAGE)
        texts += [json.loads(line)["text"] for line in lines[::step][:PER_LANGUAGE]]
    return texts


@cache
def _cases() -> tuple[dict[str, Any], ...]:
    cases: list[dict[str, Any]] = []
    for n, text in enumerate(_corpus_texts() + EDGE_CASES):
        author, history = AUTHORS[n % len(AUTHORS)]
        cases.append(
            {
                "text": text,
                "author": None if author is None else author.model_dump(),
                "history": None if history is None else history.model_dump(),
                "rules": n % 3 == 0,
            }
        )
    return tuple(cases)


def _reading(case: dict[str, Any]) -> dict[str, Any]:
    result = triage(
        case["text"],
        author=None if case["author"] is None else Author(**case["author"]),
        history=None if case["history"] is None else CustomerHistory(**case["history"]),
        rules=RULES if case["rules"] else None,
    )
    return result.model_dump(mode="json")


@cache
def _recorded() -> list[dict[str, Any]]:
    return [json.loads(line) for line in RECORDED.read_text(encoding="utf-8").splitlines()]


def test_the_recorded_cases_are_the_ones_built_here() -> None:
    recorded = _recorded()
    assert [r["case"] for r in recorded] == list(_cases())
    assert len(recorded) >= 300


@pytest.mark.parametrize("index", range(len(_cases())))
def test_triage_reads_each_case_as_recorded(index: int) -> None:
    recorded = _recorded()[index]
    assert _reading(recorded["case"]) == recorded["triage"]


def record() -> None:
    with RECORDED.open("w", encoding="utf-8") as out:
        for case in _cases():
            out.write(json.dumps({"case": case, "triage": _reading(case)}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    if sys.argv[1:] != ["--record"]:
        sys.exit(__doc__)
    record()
    print(f"recorded {len(_cases())} readings in {RECORDED.relative_to(REPO)}")
