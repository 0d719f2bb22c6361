"""Phrases a reply must never contain.

Built in: asking a customer who already told us everything to start again by e-mail or phone (the
complaint that follows is "I already explained it here"), and asking for card or ID numbers where
everyone can read the answer. The brand adds its own in policy.toml (`forbidden_phrases`).
Matching ignores case and accents and respects word edges ("ligue" does not match "religue").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from heed.models import Visibility

REPEAT_BY_EMAIL_OR_PHONE: tuple[str, ...] = (
    # en
    "send us an email",
    "send us an e-mail",
    "send an email",
    "email us",
    "e-mail us",
    "mail us",
    "contact us by email",
    "contact us by phone",
    "call us",
    "give us a call",
    "phone us",
    "ring us",
    "call our",
    "dm us your email",
    # es
    "envíanos un correo",
    "envíanos un email",
    "envíanos un e-mail",
    "escríbenos un correo",
    "escríbenos al correo",
    "escríbenos a",
    "mándanos un correo",
    "llámanos",
    "llame al",
    "llama al",
    "envíenos un correo",
    "escríbanos a",
    "llámenos",
    "contacta por correo",
    "contacte por teléfono",
    # fr
    "envoyez-nous un e-mail",
    "envoyez-nous un email",
    "envoyez-nous un mail",
    "envoie-nous un mail",
    "écrivez-nous par e-mail",
    "écrivez-nous à",
    "écris-nous à",
    "appelez",
    "appelle-nous",
    "contactez-nous par téléphone",
    "contactez-nous par e-mail",
    "téléphonez",
    # pt
    "mande um e-mail",
    "mande um email",
    "envie um e-mail",
    "envie um email",
    "envie-nos um e-mail",
    "manda um e-mail",
    "ligue",
    "liga para",
    "telefone para",
    "entre em contato por e-mail",
    "entre em contato por telefone",
)

CARD_OR_ID_NUMBERS: tuple[str, ...] = (
    # en
    "card number",
    "credit card",
    "debit card",
    "card details",
    "cvv",
    "cvc",
    "security code",
    "passport number",
    "id number",
    "social security",
    "account number",
    "iban",
    # es
    "número de tarjeta",
    "datos de la tarjeta",
    "tarjeta de crédito",
    "dni",
    "nie",
    "nif",
    "cuit",
    "cuil",
    "número de cuenta",
    "número de documento",
    # fr
    "numéro de carte",
    "carte bancaire",
    "cryptogramme",
    "numéro de passeport",
    "numéro de sécurité sociale",
    "numéro de compte",
    # pt
    "número do cartão",
    "dados do cartão",
    "cartão de crédito",
    "cpf",
    "rg",
    "cnpj",
    "número da conta",
)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def forbidden_for(channel: Visibility, brand_phrases: Iterable[str] = ()) -> tuple[str, ...]:
    """Every phrase a reply on `channel` must avoid. Card/ID numbers may be asked for in private."""
    phrases = [*REPEAT_BY_EMAIL_OR_PHONE, *brand_phrases]
    if channel is Visibility.PUBLIC:
        phrases.extend(CARD_OR_ID_NUMBERS)
    return tuple(phrases)


@lru_cache(maxsize=32)
def _patterns(phrases: tuple[str, ...]) -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    # folded and compiled once per list: the check runs every template against ~150 phrases
    return tuple(
        (phrase, needle, re.compile(rf"(?<!\w){re.escape(needle)}(?!\w)"))
        for phrase in phrases
        if (needle := _fold(phrase).strip())
    )


def find_forbidden(text: str, phrases: Iterable[str]) -> list[str]:
    """The phrases (as written in the list) that `text` contains."""
    folded = _fold(text)
    return [
        phrase
        for phrase, needle, pattern in _patterns(tuple(phrases))
        if needle in folded and pattern.search(folded)  # the substring test skips most regexes
    ]
