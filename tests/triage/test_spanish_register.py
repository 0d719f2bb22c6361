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
    "gracias por cobrarme dos veces el mismo mes",
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
    # ordinary praise with words that name a problem elsewhere (review of 2026-11-30)
    "Me encanta el anuncio nuevo de Navidad, precioso",
    "Perfecto, la cerveza bien fría",
    "Gracias por la tarde tan bonita",
    "Me encanta el corte de pelo que me hicieron",
    "El camarero me ha caído genial",
    "Genial, la avería ya está arreglada",
    "Me solucionaron la avería en una hora, genial",
    "Me arreglaron el fallo en 5 minutos, sois unos cracks",
    "Pedido recibido en 48 horas, genial",
    "Llegó en 2 días, perfecto",
    "Instalado en 2 horas, impecable",
    "Excelente servicio otra vez",
    "Enhorabuena por otro año increíble",
    "Genial, no tuve que esperar nada",
    "Perfecto, sin tener que esperar",
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
        "cinefy con anuncios en el plan de pago? ¿desde cuándo?",
        "ahora cobran por elegir asiento. desde cuándo",
        "me estás diciendo que tengo que ir a una sucursal para cambiar la clave?",
        "genial el plan nuevo, ahora pago más por lo mismo",
    ],
)
def test_spanish_complaints_written_without_emotion_words_are_complaints(text: str) -> None:
    read_text = read(text)
    assert register.refine(read_text, cues.find(read_text)).get("complaint")
    reading = triage(text)
    assert reading.intent is Intent.COMPLAINT and reading.sentiment is Sentiment.NEGATIVE


@pytest.mark.parametrize(
    "text",
    [
        "compré hace una semana y me encanta",  # "a week ago" is no grievance
        "Soy cliente desde hace diez años, encantado",
        "Llevamos tres años con vosotros, un servicio excelente",
        "Clienta desde cuando abrieron la tienda, siempre un trato excelente",
        "Se supone que llega mañana, ¡qué ganas!",
    ],
)
def test_loyalty_and_expectation_are_no_complaint_by_themselves(text: str) -> None:
    assert not cues.find(read(text)).get("complaint")


def test_a_yes_is_no_wish() -> None:
    # "si" (if) introduces a wish; "sí" (yes), folded to the same word, does not
    assert _added_complaints("Pues sí, genial, otro corte de luz") >= 1
