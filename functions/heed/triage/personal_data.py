"""Personal data a customer exposed in public: kinds and spans, never the values.

Candidates are found with cheap patterns, then confirmed with check digits (python-stdnum) or
numbering plans (phonenumbers), so that order numbers, dates and amounts are not mistaken for
cards or IDs. Both libraries are imported only when a candidate needs them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from heed.models import PersonalDataFinding
from heed.triage.lazy_re import LazyPattern

_DIGIT = re.compile(r"\d")
_LONG_RUN = re.compile(r"\d{7}")
_EMAIL_HINT = re.compile(r"@[\w-]+\.[a-zA-Z]")  # "@handle" alone (most mentions) is no e-mail
_ASCII_DIGITS = "0123456789"  # counted one by one (str.count is C) once a digit is known to be there
_EMAIL = LazyPattern(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}")
# 13-19 digits, plain or in groups split by one space or dash ("4539 1488 0343 6467"); sentence
# punctuation may follow, but not a decimal or a thousands part ("1234,56")
_CARD = LazyPattern(r"(?<![\w.,/-])\d(?:[ -]?\d){12,18}(?![\w/-]|[.,]\d)")
_IBAN = LazyPattern(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b", re.IGNORECASE)
_ES_DNI = LazyPattern(r"(?<![\w.-])\d{8}[ -]?[A-Z](?!\w)", re.IGNORECASE)
_ES_NIE = LazyPattern(r"(?<![\w.-])[XYZ][ -]?\d{7}[ -]?[A-Z](?!\w)", re.IGNORECASE)
_BR_CPF = LazyPattern(r"(?<![\w.-])\d{3}\.?\d{3}\.?\d{3}-?\d{2}(?![\w.-]|\.\d)")
_AR_CUIT = LazyPattern(r"(?<![\w.-])(?:20|23|24|27|30|33|34)-?\d{8}-?\d(?![\w.-])")
_LABELLED_DNI = LazyPattern(
    r"\b(?:dni|d\.n\.i\.?|documento|doc\.?)\s*(?:n[º°o.]?\s*)?[:#]?\s*(\d{1,2}\.?\d{3}\.?\d{3})(?![\w.-])",
    re.IGNORECASE,
)
_PHONE = LazyPattern(r"(?<![\w+])(?:\+|00)?\d(?:[\s.()-]{0,2}\d){7,14}(?!\w)")
_REFERENCE = LazyPattern(
    r"\b(?:order|booking|account|acct|reference|ref|confirmation|tracking|case|ticket|reservation|invoice"
    r"|customer|member|policy|pedido|localizador|reserva|cuenta|expediente|factura|cliente|socio|commande"
    r"|r[ée]servation|dossier|compte|facture|protocolo|conta|fatura|rastreio)"
    r"(?:\s+(?:number|num|no|nr|id|code|n[º°o]|n[uú]mero|de|do|da))*\s*(?:n[º°o.]\s*)?[:#]?"
    r"(?:\s+(?:is|es|est|[eé]|era|was))?\s*[:#]?\s*"
    r"([A-Z0-9][A-Z0-9-]{4,}[A-Z0-9])\b",
    re.IGNORECASE,
)
# every label of `_REFERENCE` contains one of these (lower-cased ASCII): a mention whose lower-case
# form has none of them skips the pattern (see _IGNORECASE_TO_ASCII for the exceptions)
_REFERENCE_LABELS = (
    "order",
    "booking",
    "acc",
    "ref",
    "confirmation",
    "tracking",
    "case",
    "ticket",
    "reserva",
    "invoice",
    "customer",
    "member",
    "policy",
    "pedido",
    "localizador",
    "cuenta",
    "expediente",
    "fact",
    "cliente",
    "socio",
    "commande",
    "servation",
    "dossier",
    "compte",
    "protocolo",
    "conta",
    "fatura",
    "rastreio",
)
# The only characters outside ASCII that IGNORECASE matches to an ASCII letter while `str.lower()`
# does not turn them into it (İ, ı, ſ; the Kelvin sign lowers to "k"): checked over every code point
# with re.fullmatch("[a-z]", c, re.IGNORECASE). Without them, a label is in the text only if it is in
# its lower-case form.
_IGNORECASE_TO_ASCII = ("\u0130", "\u0131", "\u017f")
# A phone number counts only when labelled or written in international form: a bare run of digits
# is far more often an order number or an amount.
_PHONE_LABEL = LazyPattern(
    r"\b(?:phone|call|tel|mobile|cell|whatsapp|wa|number|tlf|tel[eé]fono|m[oó]vil|celular|cel|ll[aá]m\w*"
    r"|n[uú]mero|t[ée]l[ée]phone|portable|appel\w*|telefone|contato|liga\w*)\b",
    re.IGNORECASE,
)
_REGION_BY_LANGUAGE = {"en": "US", "es": "ES", "fr": "FR", "pt": "BR", "de": "DE", "it": "IT", "nl": "NL"}


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def _valid(module_name: str) -> Callable[[str], bool]:
    def is_valid(value: str) -> bool:
        import importlib

        return bool(importlib.import_module(f"stdnum.{module_name}").is_valid(value))

    return is_valid


def _card_ok(value: str) -> bool:
    digits = _digits(value)
    if len(set(digits)) < 2 or digits[0] not in "23456":
        return False
    from stdnum import luhn

    return bool(luhn.is_valid(digits))


def _phone_ok(value: str, region: str, labelled: bool) -> bool:
    international = value.startswith(("+", "00"))
    if not (international or labelled):
        return False
    import phonenumbers

    candidate = "+" + value[2:] if value.startswith("00") else value
    regions = [None] if international else [region, "US", "ES", "BR", "MX", "AR", "FR", "PT", "GB"]
    for guess in regions:
        try:
            number = phonenumbers.parse(candidate, guess)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return True
    return False


def _national_ids(text: str, digits: int, pos: int = 0) -> Iterator[tuple[re.Match[str], str]]:
    """`pos`: no match starts before it (see _first_possible)."""
    # NIE, DNI and CUIT need a run of 7+ digits: without one only the CPF pattern can match, and
    # that one needs 11 digits
    long_run = _LONG_RUN.search(text, pos) is not None
    if not long_run and digits < 11:
        return
    checks: tuple[tuple[LazyPattern, str, Callable[[str], bool]], ...] = (
        (_ES_NIE, "es_nie", _valid("es.nie")),
        (_ES_DNI, "es_dni", _valid("es.dni")),
        (_BR_CPF, "br_cpf", _valid("br.cpf")),
        (_AR_CUIT, "ar_cuit", _valid("ar.cuit")),
    )
    for pattern, detail, is_valid in checks:
        if not long_run and detail != "br_cpf":
            continue
        for match in pattern.finditer(text, pos):
            if is_valid(match.group()):
                yield match, detail


_ASCII_DIGIT_BYTES = _ASCII_DIGITS.encode("ascii")


def _ascii_digits(text: str) -> int:
    """How many ASCII digits the text has: its UTF-8 length less that without the digit bytes (no
    byte of a multi-byte character is below 0x80), in C; `sum(map(text.count, "0123456789"))`."""
    utf8 = text.encode("utf-8", "surrogatepass")
    return len(utf8) - len(utf8.translate(None, _ASCII_DIGIT_BYTES))


# how far before a label of _REFERENCE_LABELS its alternative of _REFERENCE starts: "r" + "é"/"e"
# before "servation"; every other listed label starts its alternatives
_LABEL_OFFSET = {"servation": 2}


def _references(text: str, plain: str | None) -> Iterator[re.Match[str]]:
    """`_REFERENCE.finditer(text)`, tried only where a label starts: every match starts with one of
    the alternatives, each of which contains a label of _REFERENCE_LABELS at a known offset, found in
    the lower-case text (same positions: `plain` is None when lower() could shift or miss one). The
    pattern scanned at every position with IGNORECASE cost ~120k instructions per mention."""
    if plain is None:
        yield from _REFERENCE.finditer(text)
        return
    starts: set[int] = set()
    for label in filter(plain.__contains__, _REFERENCE_LABELS):
        back = _LABEL_OFFSET.get(label, 0)
        at = plain.find(label)
        while at >= 0:
            if at >= back:
                starts.add(at - back)
            at = plain.find(label, at + 1)
    end = 0
    for start in sorted(starts):
        if start >= end:  # finditer resumes after a match
            match = _REFERENCE.match(text, start)
            if match is not None:
                end = match.end()
                yield match


def find_personal_data(text: str, language: str = "und") -> list[PersonalDataFinding]:
    """Every exposed item, in text order; overlapping candidates keep the first, most specific kind."""
    # every kind below but e-mail needs digits, most need five or more: most mentions stop here
    digits = _ascii_digits(text)
    # an e-mail hint needs a "." after an "@": "@handle" alone (most mentions) skips the pattern
    at = text.find("@")
    email = at >= 0 and text.find(".", at) >= 0 and _EMAIL_HINT.search(text) is not None
    if digits < 2 and not email:
        return []
    if digits >= 5 and not text.isascii():
        # the patterns' \d also matches other scripts' digits: count those too for the minimums below
        digits = len(_DIGIT.findall(text))
    # the patterns that need digits start at most two characters before one ("ES91...", "X-1234567L",
    # "+34..."): they are scanned from there, the same matches without the text before the first digit
    # (a look-behind still sees it); `first` is 0 when fewer than five digits make it moot
    first = _DIGIT.search(text).start() if digits >= 5 else 0  # type: ignore[union-attr]
    found: list[PersonalDataFinding] = []

    def add(kind: str, start: int, end: int, detail: str | None = None) -> None:
        if not any(f.start < end and start < f.end for f in found):
            found.append(PersonalDataFinding(kind=kind, start=start, end=end, detail=detail))

    if email:
        for match in _EMAIL.finditer(text):
            add("email", *match.span())
    if digits >= 5:
        for match in _IBAN.finditer(text, max(0, first - 2)):
            if _valid("iban")(match.group()):
                add("iban", *match.span())
        for match, detail in _national_ids(text, digits, max(0, first - 2)):
            add("national_id", *match.span(), detail=detail)
    plain: str | None = text.lower()
    if not text.isascii() and any(map(text.__contains__, _IGNORECASE_TO_ASCII)):
        plain = None  # a letter that IGNORECASE matches to an ASCII one but lower() does not: run them all
    if digits >= 2 and (plain is None or any(map(plain.__contains__, _REFERENCE_LABELS))):
        # a labelled reference is what its label says, even when its digits pass a card's Luhn check
        for match in _references(text, plain):
            if _DIGIT.search(match.group(1)):
                add("account_reference", *match.span(1))
    if digits >= 7:
        # a card has 13 digits or more, a labelled DNI 7 or 8, a phone number 8 or more
        for match in _CARD.finditer(text, first) if digits >= 13 else ():
            if _card_ok(match.group()):
                add("card", *match.span())
        labels_dni = plain is None or "dn" in plain or "d.n" in plain or "doc" in plain
        for match in _LABELLED_DNI.finditer(text) if labels_dni else ():
            # Argentine DNIs are usually written with dots, Peruvian ones as eight plain digits
            detail = "ar_dni" if "." in match.group(1) else "pe_dni"
            start, end = match.span(1)
            add("national_id", start, end, detail)
        region = _REGION_BY_LANGUAGE.get(language, "US")
        for match in _PHONE.finditer(text, max(0, first - 1)) if digits >= 8 else ():
            labelled = _PHONE_LABEL.search(text[max(0, match.start() - 30) : match.start()]) is not None
            if _phone_ok(match.group(), region, labelled):
                add("phone", *match.span())
    return sorted(found, key=lambda f: f.start)
