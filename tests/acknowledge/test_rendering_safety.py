"""What customers write is text, never template: names are cleaned and substituted once."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from heed.acknowledge import compose_acknowledgment
from heed.acknowledge.forbidden import find_forbidden, forbidden_for
from heed.acknowledge.render import (
    choose_signature,
    clean_customer_name,
    customer_label,
    follow_up_phrase,
    render,
)
from heed.models import Author, Platform, Visibility

from tests.acknowledge.givens import NOW, mention, triage


def compose(m, policy, templates, t=None):
    return compose_acknowledgment(
        m, t or triage(), policy, templates, task_ref="T-1", platform_limit=8000, now=NOW
    )


@pytest.mark.parametrize(
    "name",
    [
        "{brand.__class__}",
        "{signature}",
        "{customer}",
        "{0}",
        "{brand!r:>99}",
        "{{task_ref}}",
        "Ana }{",
        "%s %(brand)s",
    ],
)
def test_a_name_that_looks_like_a_template_is_printed_as_written(policy, templates, name) -> None:
    # Given a customer whose display name is format syntax
    ack = compose(mention(name=name), policy, templates)
    # When composed / Then the name appears literally and nothing was interpreted
    assert f"Hi {name}," in ack.text
    assert "<class" not in ack.text and "heed" not in ack.text


def test_values_are_substituted_once(policy) -> None:
    text = render(
        "Hi {customer}, {brand}. – {signature}",
        {
            "customer": "{brand}",
            "brand": "Acme",
            "signature": "{customer}",
            "task_ref": "",
            "follow_up_time": "",
        },
    )
    assert text == "Hi {brand}, Acme. – {customer}"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Ana <b>Pérez</b>", "Ana Pérez"),
        ("*Ana* ~Pérez~ `x`", "Ana Pérez x"),
        ("@[1234567890:1:Ana Pérez]", "Ana Pérez"),
        ("Ana @otherbrand #freestuff", "Ana"),
        ("Ana https://spam.example.com/win", "Ana"),
        ("Ana www.win-prizes.com", "Ana"),
        ("Ana ana@example.com", "Ana"),
        ("Ana 612 345 678", "Ana"),  # a phone number in a name is never echoed
        ("Ana\u202eesreveR", "AnaesreveR"),  # bidi override removed
        ("Ana\u200b\u0000 Pérez\n", "Ana Pérez"),
        ("   ", ""),
        ("snake_case_name", "snake_case_name"),
        ("J.R. Tolkien", "J.R. Tolkien"),
    ],
)
def test_names_are_cleaned_of_markup_mentions_links_and_numbers(raw, clean) -> None:
    assert clean_customer_name(raw) == clean


def test_a_very_long_name_is_shortened_at_a_word() -> None:
    name = clean_customer_name("Maria " * 20)
    assert len(name) <= 50 and name.endswith("Maria")


@pytest.mark.parametrize(
    ("author", "label"),
    [
        (Author(id="1", name="Ana", handle="ana_p"), "Ana"),
        (Author(id="1", name="@@@", handle="ana_p"), "@ana_p"),
        (Author(id="1", handle="@ana_p"), "@ana_p"),
        (Author(id="1", handle="evil handle {x}"), ""),
        (Author(id="1"), ""),
    ],
)
def test_the_customer_is_the_name_else_the_handle(author, label) -> None:
    assert customer_label(author) == label


@pytest.mark.parametrize(
    ("language", "starts"),
    [
        ("en", "Hi, I'm really sorry"),
        ("es", "¡Hola! Siento mucho"),
        ("fr", "Bonjour, vraiment"),
        ("pt", "Oi! Sentimos"),
    ],
)
def test_a_nameless_customer_gets_a_natural_greeting(policy, templates, language, starts) -> None:
    ack = compose(mention(name=None, handle=None), policy, templates, triage(language=language))
    assert ack.text.startswith(starts)


def test_empty_values_take_their_separator_along() -> None:
    values = {"customer": "", "signature": "Ana", "brand": "", "task_ref": "", "follow_up_time": ""}
    assert render("Sorry, {customer}. – {signature}", values) == "Sorry. – Ana"
    assert render("Made our day, {customer}, thanks! – {signature}", values) == "Made our day, thanks! – Ana"
    assert render("{customer}, we wrote to you. – {signature}", values) == "We wrote to you. – Ana"


def test_the_signature_depends_only_on_the_task() -> None:
    # Pinned: the same in every process (a salted `hash()` would give other names in another run)
    names = [choose_signature(["Ana", "Tom"], f"T-{n}") for n in range(1, 9)]
    assert names == ["Ana", "Ana", "Ana", "Tom", "Tom", "Tom", "Ana", "Tom"]
    assert choose_signature(["Ana"], "anything") == "Ana"


@pytest.mark.parametrize(
    ("follow_up_at", "en", "pt"),
    [
        (datetime(2026, 11, 23, 16, 0, tzinfo=UTC), "today at 17:00 CET", "hoje às 17:00 CET"),
        (datetime(2026, 11, 24, 8, 0, tzinfo=UTC), "tomorrow at 09:00 CET", "amanhã às 09:00 CET"),
        (datetime(2026, 11, 27, 8, 0, tzinfo=UTC), "on Friday at 09:00 CET", "na sexta-feira às 09:00 CET"),
        (datetime(2026, 12, 26, 8, 0, tzinfo=UTC), "on 2026-12-26 at 09:00 CET", "em 26/12 às 09:00 CET"),
    ],
)
def test_follow_up_time_is_worded_in_the_brands_time_zone(templates, follow_up_at, en, pt) -> None:
    now = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)  # Monday 08:00 in Madrid
    assert (
        follow_up_phrase(templates.languages["en"].follow_up_time, follow_up_at, now, "Europe/Madrid") == en
    )
    assert (
        follow_up_phrase(templates.languages["pt"].follow_up_time, follow_up_at, now, "Europe/Madrid") == pt
    )


# ---------------------------------------------------------------- forbidden phrases


def test_forbidden_phrases_ignore_case_and_accents() -> None:
    assert find_forbidden("Por favor ENVIANOS UN CORREO", forbidden_for(Visibility.PUBLIC)) == [
        "envíanos un correo"
    ]
    assert find_forbidden("Llamanos hoy", forbidden_for(Visibility.PRIVATE)) == ["llámanos"]


def test_forbidden_phrases_respect_word_edges() -> None:
    assert find_forbidden("religue o modem", forbidden_for(Visibility.PUBLIC)) == []
    assert find_forbidden("We nied it", forbidden_for(Visibility.PUBLIC)) == []


def test_card_and_id_numbers_are_forbidden_only_in_public() -> None:
    assert "card number" in find_forbidden("your card number", forbidden_for(Visibility.PUBLIC))
    assert find_forbidden("your card number", forbidden_for(Visibility.PRIVATE)) == []


def test_the_shipped_replies_never_send_the_customer_elsewhere(policy, templates) -> None:
    # Every rendered reply in every language, intent and channel is free of forbidden phrases
    for language in templates.languages.values():
        for channels in language.replies.values():
            for channel, tones in channels.items():
                for template in tones.values():
                    for text in (template.normal, template.short):
                        assert find_forbidden(text, forbidden_for(channel, policy.forbidden_phrases)) == []


def test_x_uses_the_name_not_a_second_mention(policy, templates) -> None:
    ack = compose(mention(platform=Platform.X, name="Ana @acme_support"), policy, templates)
    assert "@acme_support" not in ack.text
