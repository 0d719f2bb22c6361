"""`check_templates` and `heed templates check|preview`: the shipped set passes; each kind of breakage
is reported, every one of them, with a clear line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from heed.acknowledge.check import check_report, check_templates
from heed.acknowledge.length import PLATFORM_LIMITS
from heed.acknowledge.templates import TemplateError, load_templates, read_templates
from heed.cli import main
from pydantic import ValidationError

from tests.acknowledge.givens import REPO_TEMPLATES


def replace_in(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def set_template(path: Path, section: str, variant: str, text: str) -> None:
    """Replace one `variant = "..."` line inside `[section]`."""
    content = path.read_text(encoding="utf-8")
    pattern = re.compile(rf"(\[{re.escape(section)}\]\n(?:.*\n)*?){variant} = \".*\"\n")
    new, n = pattern.subn(lambda m: f'{m.group(1)}{variant} = "{text}"\n', content, count=1)
    assert n == 1, section
    path.write_text(new, encoding="utf-8")


def codes(problems) -> list[tuple[str, str]]:
    return [(p.code, p.where) for p in problems]


# ---------------------------------------------------------------- the shipped set


def test_the_shipped_templates_pass() -> None:
    report = check_report(REPO_TEMPLATES)
    assert report.problems == []
    # 4 languages × (7 kinds × 2 channels + 1 private-only kind) × 2 tones
    assert report.templates == 4 * 15 * 2
    # and each of their two variants measured on every platform
    assert report.renderings == report.templates * 2 * len(PLATFORM_LIMITS)


def test_heed_templates_check_says_ok(capsys) -> None:
    assert main(["templates", "check", "--dir", str(REPO_TEMPLATES)]) == 0
    assert re.fullmatch(r"OK: \d+ templates, \d+ renderings checked\n", capsys.readouterr().out)


def test_heed_templates_check_reads_the_environment_default(monkeypatch, templates_copy, capsys) -> None:
    (templates_copy / "replies" / "pt.toml").unlink()
    monkeypatch.setenv("HEED_TEMPLATES_DIR", str(templates_copy))
    assert main(["templates", "check"]) == 1
    assert "replies/pt.toml: no templates for this language" in capsys.readouterr().out


def test_heed_templates_preview_renders_every_template(capsys) -> None:
    assert (
        main(["templates", "preview", "--dir", str(REPO_TEMPLATES), "--language", "fr", "--platform", "x"])
        == 0
    )
    out = capsys.readouterr().out
    assert out.count("── fr ·") == 15 * 2
    assert "Sam Rivera" in out and "{" not in out.split("\n", 1)[1]


# ---------------------------------------------------------------- a broken copy


def test_a_missing_language_is_reported(templates_copy) -> None:
    (templates_copy / "replies" / "pt.toml").unlink()
    assert ("missing", "replies/pt.toml") in codes(check_templates(templates_copy))


def test_a_missing_intent_tone_is_reported(templates_copy) -> None:
    es = templates_copy / "replies" / "es.toml"
    content = es.read_text(encoding="utf-8")
    start = content.index("[question.private.formal]")
    end = content.index("[", content.index("short", start))
    es.write_text(content[:start] + content[end:], encoding="utf-8")
    assert codes(check_templates(templates_copy)) == [("missing", "es.question.private.formal")]


def test_an_unknown_variable_is_reported(templates_copy) -> None:
    set_template(
        templates_copy / "replies" / "en.toml",
        "question.public.informal",
        "short",
        "Hi {customer}, order {order_id}. – {signature}",
    )
    problems = check_templates(templates_copy)
    assert codes(problems) == [("unknown_variable", "en.question.public.informal.short")]
    assert "{order_id}" in str(problems[0])


def test_format_tricks_are_unknown_variables(templates_copy) -> None:
    set_template(
        templates_copy / "replies" / "en.toml",
        "praise.public.informal",
        "short",
        "Thanks {customer.__class__}! – {signature}",
    )
    assert codes(check_templates(templates_copy)) == [("unknown_variable", "en.praise.public.informal.short")]


def test_a_missing_signature_is_reported(templates_copy) -> None:
    set_template(
        templates_copy / "replies" / "fr.toml",
        "praise.private.formal",
        "normal",
        "Merci beaucoup, {customer}.",
    )
    assert codes(check_templates(templates_copy)) == [("no_signature", "fr.praise.private.formal.normal")]


def test_out_of_hours_without_the_follow_up_time_is_reported(templates_copy) -> None:
    set_template(
        templates_copy / "replies" / "en.toml",
        "out_of_hours.public.informal",
        "short",
        "Thanks {customer}! – {signature}",
    )
    assert codes(check_templates(templates_copy)) == [
        ("no_follow_up_time", "en.out_of_hours.public.informal.short")
    ]


@pytest.mark.parametrize(
    ("language", "section", "text", "phrase"),
    [
        (
            "en",
            "complaint.public.informal",
            "Sorry {customer}, please send us an email. – {signature}",
            "send us an email",
        ),
        (
            "es",
            "complaint.private.informal",
            "Perdona, {customer}. Llámanos al 900 100 100. – {signature}",
            "llámanos",
        ),
        (
            "fr",
            "question.public.formal",
            "Bonjour {customer}, appelez le service client. – {signature}",
            "appelez",
        ),
        (
            "pt",
            "complaint.public.formal",
            "Olá, {customer}. Mande um e-mail para nós. – {signature}",
            "mande um e-mail",
        ),
        (
            "en",
            "complaint.public.formal",
            "Hello {customer}, reply with your card number. – {signature}",
            "card number",
        ),
        ("es", "question.public.formal", "Hola, {customer}. Indíquenos su DNI. – {signature}", "dni"),
        ("pt", "question.public.formal", "Olá, {customer}. Informe seu CPF. – {signature}", "cpf"),
    ],
)
def test_a_forbidden_phrase_is_reported(templates_copy, language, section, text, phrase) -> None:
    set_template(templates_copy / "replies" / f"{language}.toml", section, "short", text)
    problems = check_templates(templates_copy)
    assert ("forbidden_phrase", f"{language}.{section}.short") in codes(problems)
    assert any(phrase in str(p).lower() for p in problems)


def test_card_numbers_may_be_asked_for_in_private_but_not_in_public(templates_copy) -> None:
    set_template(
        templates_copy / "replies" / "en.toml",
        "question.private.formal",
        "short",
        "Hello {customer}, for security we will verify your ID number here. Kind regards, {signature}",
    )
    assert check_templates(templates_copy) == []


def test_the_brands_own_forbidden_phrases_are_enforced(templates_copy) -> None:
    replace_in(templates_copy / "policy.toml", "forbidden_phrases = []", 'forbidden_phrases = ["hassle"]')
    problems = check_templates(templates_copy)
    assert ("forbidden_phrase", "en.complaint.private.informal.normal") in codes(problems)


def test_a_short_variant_too_long_for_x_is_reported(templates_copy) -> None:
    long_text = "Hi {customer}, " + "we are so sorry about this and we are on it. " * 6 + "– {signature}"
    set_template(templates_copy / "replies" / "en.toml", "complaint.public.informal", "short", long_text)
    problems = check_templates(templates_copy)
    assert ("too_long", "en.complaint.public.informal.short") in codes(problems)
    assert any("on x (limit 280)" in str(p) for p in problems)


def test_a_normal_variant_too_long_for_x_is_fine_because_the_short_one_takes_over(templates_copy) -> None:
    long_text = "Hi {customer}, " + "we are so sorry about this and we are on it. " * 6 + "– {signature}"
    set_template(templates_copy / "replies" / "en.toml", "complaint.public.informal", "normal", long_text)
    assert check_templates(templates_copy) == []


def test_an_invalid_policy_is_reported_and_templates_are_still_checked(templates_copy) -> None:
    replace_in(templates_copy / "policy.toml", 'tone = "informal"', 'tone = "chummy"')
    (templates_copy / "replies" / "pt.toml").unlink()
    found = codes(check_templates(templates_copy))
    assert ("invalid_policy", "policy.toml tone") in found
    assert ("missing", "replies/pt.toml") in found


def test_a_business_hours_span_not_written_hh_mm_is_reported_with_its_day(templates_copy, capsys) -> None:
    # "9:00-18:00" used to pass the check and then fail every mention's SLA arithmetic
    replace_in(templates_copy / "policy.toml", 'mon = ["09:00-18:00"]', 'mon = ["9:00-18:00"]')
    replace_in(templates_copy / "policy.toml", 'wed = ["09:00-18:00"]', 'wed = ["09:00-18:00", "18:00"]')
    assert main(["templates", "check", "--dir", str(templates_copy)]) == 1
    out = capsys.readouterr().out
    assert (
        'problem: policy.toml business_hours.days.mon.0: "9:00-18:00" is not a span HH:MM-HH:MM with two '
        'digits each, e.g. "09:00-18:00"\n'
    ) in out
    assert 'problem: policy.toml business_hours.days.wed.1: "18:00" is not a span HH:MM-HH:MM' in out


def test_overlapping_business_hours_are_reported(templates_copy) -> None:
    replace_in(
        templates_copy / "policy.toml", 'fri = ["09:00-17:00"]', 'fri = ["09:00-17:00", "16:00-20:00"]'
    )
    problems = check_templates(templates_copy)
    assert [(p.code, p.where, p.message) for p in problems] == [
        (
            "invalid_policy",
            "policy.toml business_hours",
            "business hours overlap: fri 09:00-17:00 and fri 16:00-20:00",
        )
    ]


def test_an_overnight_span_passes_the_check(templates_copy) -> None:
    replace_in(
        templates_copy / "policy.toml",
        'fri = ["09:00-17:00"]',
        'fri = ["09:00-17:00"]\nsat = ["22:00-06:00"]',
    )
    assert check_templates(templates_copy) == []


def test_every_problem_is_reported_not_just_the_first(templates_copy, capsys) -> None:
    # Given one of each breakage
    en = templates_copy / "replies" / "en.toml"
    (templates_copy / "replies" / "pt.toml").unlink()
    set_template(en, "question.public.informal", "short", "Hi {customer}, {order_id}. – {signature}")
    set_template(en, "praise.public.informal", "short", "Thanks {customer}!")
    set_template(en, "feedback.public.informal", "short", "Thanks {customer}, email us. – {signature}")
    set_template(
        en, "complaint.public.informal", "short", "Hi {customer}, " + "so sorry. " * 40 + "– {signature}"
    )
    # When checked from the command line
    status = main(["templates", "check", "--dir", str(templates_copy)])
    # Then it fails with one line per problem
    out = capsys.readouterr().out.splitlines()
    assert status == 1
    assert {line.split(":")[0] for line in out} == {"problem"}
    text = "\n".join(out)
    for expected in (
        "replies/pt.toml: no templates",
        "en.question.public.informal.short: unknown variable {order_id}",
        "en.praise.public.informal.short: the signature placeholder {signature} is missing",
        "en.feedback.public.informal.short: contains forbidden phrase 'email us'",
        "en.complaint.public.informal.short: ",
    ):
        assert expected in text


def test_a_file_that_is_not_toml_is_reported(templates_copy) -> None:
    (templates_copy / "replies" / "fr.toml").write_text("language = fr\n[[", encoding="utf-8")
    found = codes(check_templates(templates_copy))
    assert ("invalid_file", "replies/fr.toml") in found
    assert ("missing", "fr.complaint.public.informal") in found


def test_an_unknown_kind_is_reported(templates_copy) -> None:
    replace_in(templates_copy / "replies" / "en.toml", "[praise.public.formal]", "[prasie.public.formal]")
    found = codes(check_templates(templates_copy))
    assert ("invalid_file", "replies/en.toml [prasie]") in found
    assert ("missing", "en.praise.public.formal") in found


# ---------------------------------------------------------------- loading at runtime


def test_loading_rejects_an_unknown_variable(templates_copy) -> None:
    set_template(
        templates_copy / "replies" / "en.toml",
        "question.public.informal",
        "short",
        "{order_id} – {signature}",
    )
    with pytest.raises(ValidationError, match="unknown variable"):
        read_templates(templates_copy)


def test_loading_rejects_a_template_without_signature(templates_copy) -> None:
    set_template(
        templates_copy / "replies" / "en.toml", "question.public.informal", "short", "Thanks {customer}!"
    )
    with pytest.raises(ValidationError, match="signature"):
        read_templates(templates_copy)


def test_loading_an_empty_directory_fails(tmp_path) -> None:
    with pytest.raises(TemplateError):
        read_templates(tmp_path)


def test_templates_are_cached_per_directory(templates_copy) -> None:
    first = load_templates(templates_copy)
    assert load_templates(templates_copy) is first
    assert load_templates(REPO_TEMPLATES) is not first
