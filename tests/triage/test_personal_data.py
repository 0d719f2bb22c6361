"""Personal data exposed in a mention: found by kind and span, validated by check digits."""

from __future__ import annotations

import pytest
from heed.models import Priority
from heed.triage import triage
from heed.triage.personal_data import find_personal_data


@pytest.mark.parametrize(
    ("text", "kind", "detail"),
    [
        ("my card is 4111 1111 1111 1111 please fix", "card", None),
        ("mi DNI es 12345678Z", "national_id", "es_dni"),
        ("NIE X1234567L", "national_id", "es_nie"),
        ("meu cpf 529.982.247-25", "national_id", "br_cpf"),
        ("cuit 20-12345678-6", "national_id", "ar_cuit"),
        ("dni 12.345.678", "national_id", "ar_dni"),
        ("IBAN ES91 2100 0418 4502 0005 1332", "iban", None),
        ("write me at maria.lopez@example.com", "email", None),
        ("call me on +34 612 345 678", "phone", None),
        ("llámame al 612 345 678", "phone", None),
        ("my order number is 123456789", "account_reference", None),
        ("localizador ABC12X", "account_reference", None),
        ("nº de cuenta 12345678", "account_reference", None),
    ],
)
def test_given_exposed_value_when_scanned_then_kind_and_span_found(
    text: str, kind: str, detail: str | None
) -> None:
    findings = find_personal_data(text, "es")
    assert [(f.kind, f.detail) for f in findings] == [(kind, detail)]
    assert findings[0].end > findings[0].start


@pytest.mark.parametrize(
    "text",
    [
        "card 4111 1111 1111 1112 got declined",  # Luhn-invalid
        "paid on 12/05/2024 at 10:30, 1.234,56 EUR",  # dates and amounts
        "flight IB3456 delayed 2 hours",
        "I've called 3 times in 24 hours",
        "12345678 people agree",  # bare number: no check digit, no label
    ],
)
def test_given_numbers_that_are_not_personal_data_when_scanned_then_nothing_found(text: str) -> None:
    assert find_personal_data(text, "en") == []


def test_given_labelled_order_number_that_passes_luhn_when_scanned_then_it_is_a_reference_not_a_card() -> (
    None
):
    findings = find_personal_data("order number 4111111111111111", "en")
    assert [f.kind for f in findings] == ["account_reference"]


def test_given_exposed_card_when_triaged_then_p1_and_no_value_in_result() -> None:
    result = triage("@bank charged twice on 4111 1111 1111 1111")
    assert result.priority is Priority.P1
    assert "4111" not in result.model_dump_json()


@pytest.mark.parametrize(
    "text",
    [
        "ınvoıce AB12345 ça ne marche pas",  # dotless i: IGNORECASE reads it as "invoice"
        "pedıdo AB12345 não chegou",
        "tic\u212aet ABC123456 é urgente",  # Kelvin sign
        "İNVOICE ABC123456 ça",  # dotted capital I
        "RÉSERVATION ZX12345 annulée",
    ],
)
def test_given_a_label_spelled_with_letters_ignorecase_folds_when_scanned_then_the_reference_is_found(
    text: str,
) -> None:
    # the label pre-check on the lower-cased text must not hide what the pattern itself matches
    assert [f.kind for f in find_personal_data(text, "fr")] == ["account_reference"]
