"""Issue 12 item 7: the Spanish customer-care register the rules read (sarcasm, durations in words,
complaints asked as questions), checked on the rules' own findings so that retraining the model does
not move these tests, and on the whole triage where the rules' cue decides."""

from __future__ import annotations

import pytest
from heed.models import Intent, Sentiment
from heed.triage import cues, register, triage
from heed.triage.text import read

# praise or thanks whose object is a problem: the praise word stops counting, a complaint cue is added
SARCASTIC = [
    "genial, otra vez sin luz en todo el barrio",
    "gracias por los anuncios en el plan premium",
    "qué detalle subir los precios en navidad",
    "me encanta esperar 40 horas a que alguien conteste",
    "perfecto, no funciona la app desde ayer",
    "genial, otro corte de luz",
    "Gracias @LuzNorte por el apagón durante la final",
    "3 horas en la cola del aeropuerto. bravo",  # a closer after the problem
]
# sincere: a problem negated, a fix, a wish, news of a fix, or no problem at all
SINCERE = [
    "genial, llegó en dos días y sin ningún problema",
    "gracias por arreglarlo tan rápido!",
    "sería genial poder pagar sin comisión",  # a wish: a suggestion, not sarcasm
    "me encanta la nueva app, cero esperas",
    "gracias por avisar del corte",
    "excelente atención de Marta, me resolvió todo",
    "@Telvia gracias por el abono en la factura, no me lo esperaba",
    "gracias por encontrarlo! resulta que estaba en otra paquetería todo el tiempo",
    "perfecto, ya funciona",
]


def _added_complaints(text: str) -> int:
    read_text = read(text)
    found = cues.find(read_text)
    return len(register.refine(read_text, found).get("complaint", ())) - len(found.get("complaint", ()))


@pytest.mark.parametrize("text", SARCASTIC)
def test_spanish_sarcasm_gains_a_complaint_cue_and_loses_its_praise(text: str) -> None:
    read_text = read(text)
    found = cues.find(read_text)
    refined = register.refine(read_text, found)
    assert _added_complaints(text) >= 1
    assert len(refined.get("praise", ())) < len(found.get("praise", ())) or not found.get("praise")


@pytest.mark.parametrize("text", SINCERE)
def test_sincere_spanish_praise_gains_no_complaint_cue(text: str) -> None:
    assert _added_complaints(text) == 0


@pytest.mark.parametrize(
    "text",
    [
        "El paquete lleva una semana en la oficina de destino y no lo reparten",
        "llevo dos meses esperando el reembolso",
        "@Cinefy es normal que la app me pida iniciar sesión todos los días?",
        "desde cuándo cobran por el equipaje de mano?",
        "me estás diciendo que tengo que ir a una sucursal para cambiar la clave?",
        "genial el plan nuevo, ahora pago más por lo mismo",
    ],
)
def test_spanish_complaints_written_without_emotion_words_are_complaints(text: str) -> None:
    assert cues.find(read(text)).get("complaint")
    reading = triage(text)
    assert reading.intent is Intent.COMPLAINT and reading.sentiment is Sentiment.NEGATIVE


def test_a_duration_in_words_is_no_complaint_by_itself() -> None:
    # "hace una semana" (a week ago) is no grievance: the word durations follow "llevo", "ya van"...
    assert not cues.find(read("compré hace una semana y me encanta")).get("complaint")
