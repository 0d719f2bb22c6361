"""Customer-care register in English and Spanish: problems stated, chased, questioned, escalated
(Given / When / Then). Every sentence is invented for these tests."""

from __future__ import annotations

import pytest
from heed.models import Intent, Sentiment
from heed.triage import triage


@pytest.mark.parametrize(
    "text",
    [
        "@tienda llevo 5 días esperando mi pedido y nadie me dice nada",
        "@operador ya van 3 días sin internet en mi casa",
        "@banco me cobraron de más este mes, ¿quién me lo devuelve?",
        "@aerolinea ¿hasta cuándo voy a tener que esperar el reembolso?",
        "@tienda el paquete sigue sin llegar y el seguimiento no se actualiza",
        "@app no sirve, se congela cada vez que la abro",
        "@marca pésimo servicio, me voy a cambiar de compañía",
        "@operador otra vez sin señal, ya es la tercera vez esta semana",
        "@banco doble cobro en mi tarjeta y atención al cliente no contesta",
        "@tienda ¿por qué me cancelaron el pedido sin avisar?",
        "@marca voy a poner una queja en Profeco si no me resuelven",
        "@hotel pedí la hoja de reclamaciones y no me la quisieron dar",
        "@tienda todavía no me ha llegado la devolución del dinero",
        "@operador me están cobrando un servicio que di de baja hace dos meses",
        "@app no se me acreditó la recarga de 20 pesos",
        "@aerolinea vuelo retrasado 4 horas y ni una explicación, qué vergüenza",
        "@tienda es una tomadura de pelo, nadie responde los correos",
    ],
)
def test_given_spanish_customer_problem_when_triaged_then_negative_complaint_needing_response(
    text: str,
) -> None:
    result = triage(text)
    assert result.language == "es"
    assert result.intent is Intent.COMPLAINT
    assert result.sentiment is Sentiment.NEGATIVE
    assert result.needs_response


@pytest.mark.parametrize(
    "text",
    [
        "@shop been waiting 6 days for a reply to my email",
        "@carrier is there a reason my order shows delivered when nothing came?",
        "@airline how much longer do we sit on this plane",
        "@bank would be nice if someone actually answered the phone",
        "@isp DM'd you yesterday and nothing since",
        "@app havent been able to log in since the update",
        "@store I'm switching to another provider, cancel my account",
        "@isp third outage this week, I know my consumer rights",
        "@airline flight cancelled and no one at the desk",
        "@carrier my parcel was left at the wrong address again",
        "@phone the battery randomly dies at 40%",
    ],
)
def test_given_english_customer_problem_when_triaged_then_complaint(text: str) -> None:
    result = triage(text)
    assert result.intent is Intent.COMPLAINT
    assert result.needs_response


@pytest.mark.parametrize(
    "text",
    [
        "@tienda ya me llegó el pedido, muchas gracias por la ayuda",
        "@app that worked, thanks again for the quick help!",
        "@operador ¡gracias! ya funciona todo perfecto",
    ],
)
def test_given_problem_solved_when_triaged_then_not_a_complaint(text: str) -> None:
    result = triage(text)
    assert result.intent is not Intent.COMPLAINT
    assert result.sentiment is not Sentiment.NEGATIVE


@pytest.mark.parametrize(
    "text",
    [
        "Que orgulho da minha equipe hoje",  # "lh", "nh"
        "Ñ aguento mais, o app é uma bagunça",  # lone "ñ" (não) and "é"
        "Arrasaram no atendimento, valeu",  # "-aram", not Spanish "-aron"
        "O técnico avisou que vem amanhã",  # "-ou" past tense
        "Bora resolver isso, o serviço caiu de novo",  # "bora", "ço"
    ],
)
def test_given_portuguese_spelling_cues_when_triaged_then_portuguese_not_spanish(text: str) -> None:
    assert triage(text).language == "pt"


@pytest.mark.parametrize(
    "text",
    [
        "Arrasaron en el concierto, qué noche",
        "¿Me avisas cuando llegue el técnico? Gracias",
        "Ça ne marche toujours pas, le garçon du service client n'a rien fait",
        "Vorrei sapere quando arriva il pacco",
    ],
)
def test_given_spanish_french_italian_when_triaged_then_not_taken_for_portuguese(text: str) -> None:
    assert triage(text).language != "pt"


@pytest.mark.parametrize(
    "text",
    [
        "@tienda el pedido llegó frío e incompleto",
        "@paqueteria mi envío lleva parado en aduanas tres semanas",
        "@banco me bloquearon la tarjeta en pleno viaje",
        "@tienda la talla que me enviaron no es la que pedí",
    ],
)
def test_given_spanish_delivery_or_card_problem_when_triaged_then_spanish_complaint(text: str) -> None:
    result = triage(text)
    assert result.language == "es"
    assert result.intent is Intent.COMPLAINT


@pytest.mark.parametrize(
    "text",
    [
        "@isp on hold for past 45 mins, looking bleak",
        "@app it happens on every show unfortunately",
        "@store please delete the add-on, I didnt subscribe to it",
        "@support already did that weeks ago, still the same",
    ],
)
def test_given_english_problem_in_passing_when_triaged_then_complaint(text: str) -> None:
    assert triage(text).intent is Intent.COMPLAINT


@pytest.mark.parametrize(
    "text",
    [
        "@app you take up too much storage, I do not want half of these features",
        "@airline still sitting at the gate past departure time, no announcement",
        "@bank I shouldn't have to pay a fee to move my own money",
    ],
)
def test_given_grievance_without_a_problem_word_when_triaged_then_complaint(text: str) -> None:
    assert triage(text).intent is Intent.COMPLAINT
