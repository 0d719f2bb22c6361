"""The neutral reply (issue 12 item 5): what an unsure reading gets, in every language and tone; the
policy knobs it depends on; and `heed templates check` requiring it."""

from __future__ import annotations

import pytest
from heed.acknowledge import compose_acknowledgment, uncertain_reading
from heed.acknowledge.check import check_templates
from heed.acknowledge.length import PLATFORM_LIMITS
from heed.acknowledge.templates import TONES, TemplateKind
from heed.cli import main
from heed.models import Intent, Sentiment, Visibility
from heed.policy import BrandPolicy, load_policy
from pydantic import ValidationError

from tests.acknowledge.givens import NOW, mention, triage

# Words of apology or celebration, per language: the neutral reply has none of them.
NOT_NEUTRAL = {
    "en": ("sorry", "apolog", "made our day", "kind words", "great", "happy", "glad"),
    "es": ("siento", "sentimos", "disculp", "lament", "perdon", "alegr", "genial", "encant"),
    "fr": ("désolé", "excuse", "regret", "ravi", "génial", "plaisir"),
    "pt": ("desculp", "lament", "sinto", "sentimos", "adoramos", "ótimo", "feliz"),
    "de": ("leid", "entschuldig", "freuen", "toll"),
    "it": ("dispiace", "scus", "felic", "fantastic"),
}


def compose(t, policy, templates, **kwargs):
    return compose_acknowledgment(
        mention(), t, policy, templates, task_ref="T-1", platform_limit=280, now=NOW, **kwargs
    )


def unsure(intent: Intent = Intent.COMPLAINT, **changes):
    return triage(intent).model_copy(update={"confidence": 0.4, **changes})


def test_every_language_and_tone_has_a_neutral_reply_without_apology_or_celebration(templates) -> None:
    for language, lang_templates in templates.languages.items():
        for channel in (Visibility.PUBLIC, Visibility.PRIVATE):
            for tone in TONES:
                found = lang_templates.get(TemplateKind.NEUTRAL, channel, tone)
                assert found is not None, f"{language}.neutral.{channel}.{tone}"
                for variant in ("normal", "short"):
                    text = found.text(variant).lower()
                    assert "{signature}" in text
                    assert not [w for w in NOT_NEUTRAL[language] if w in text], (language, tone, variant)


@pytest.mark.parametrize("language", ["en", "es", "fr", "pt"])
def test_an_unsure_complaint_is_answered_neutrally_in_its_language(policy, templates, language) -> None:
    ack = compose(unsure(language=language), policy, templates)
    assert ack is not None and ack.template_id.startswith(f"{language}.neutral.public.")
    assert not [w for w in NOT_NEUTRAL[language] if w in ack.text.lower()]


def test_a_confident_complaint_keeps_its_apology(policy, templates) -> None:
    ack = compose(triage(Intent.COMPLAINT), policy, templates)
    assert ack is not None and ".complaint.public." in ack.template_id


def test_unsure_praise_is_not_celebrated(policy, templates) -> None:
    ack = compose(unsure(Intent.PRAISE, needs_response=False), policy, templates)
    assert ack is not None and ".neutral.public." in ack.template_id


def test_unsure_praise_out_of_hours_says_when_a_person_looks(policy, templates) -> None:
    # unsure praise has a task, so the out-of-hours wording (neutral too) says when someone looks
    ack = compose(unsure(Intent.PRAISE, needs_response=False), policy, templates, follow_up_at=NOW)
    assert ack is not None and ".out_of_hours.public." in ack.template_id


def test_a_private_unsure_reading_gets_the_private_neutral_reply(policy, templates) -> None:
    from tests.acknowledge.givens import mention as make

    ack = compose_acknowledgment(
        make(visibility=Visibility.PRIVATE),
        unsure(),
        policy,
        templates,
        task_ref="T-1",
        platform_limit=PLATFORM_LIMITS[make().platform],
        now=NOW,
    )
    assert ack is not None and ".neutral.private." in ack.template_id


def test_the_reason_names_each_doubt_with_its_figure(policy) -> None:
    assert uncertain_reading(triage(Intent.COMPLAINT), policy) is None
    reason = uncertain_reading(unsure(sentiment_confidence=0.55), policy)
    assert reason is not None
    assert "intent complaint 0.40" in reason and "sentiment negative 0.55" in reason
    assert "0.60" in reason
    contradiction = triage(Intent.PRAISE).model_copy(update={"sentiment": Sentiment.NEGATIVE})
    assert "praise" in (uncertain_reading(contradiction, policy) or "")


# ---------------------------------------------------------------- the policy


def test_the_shipped_policy_has_the_default_threshold_and_listening_etiquette(policy) -> None:
    assert policy.acknowledgment.confidence_threshold == 0.6
    etiquette = policy.listening.for_source("x")
    assert etiquette.auto_reply is False
    assert set(etiquette.task_intents) == {Intent.COMPLAINT, Intent.QUESTION}


@pytest.mark.parametrize("threshold", [-0.1, 1.1])
def test_a_threshold_outside_zero_to_one_is_refused(policy, threshold) -> None:
    data = policy.model_dump()
    data["acknowledgment"]["confidence_threshold"] = threshold
    with pytest.raises(ValidationError, match="confidence_threshold"):
        BrandPolicy.model_validate(data)


@pytest.mark.parametrize(
    ("sources", "message"),
    [
        ({"bad source!": {"auto_reply": True}}, "source"),
        ({"x": {"auto_reply": True, "reply": True}}, "reply"),
        ({"x": {"task_intents": ["complaint", "complaint"]}}, "twice"),
        ({"x": {"task_intents": ["gossip"]}}, "task_intents"),
    ],
)
def test_a_bad_listening_source_is_refused(policy, sources, message) -> None:
    data = policy.model_dump()
    data["listening"]["sources"] = sources
    with pytest.raises(ValidationError, match=message):
        BrandPolicy.model_validate(data)


def test_a_source_inherits_what_it_does_not_set(templates_copy) -> None:
    path = templates_copy / "policy.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('task_intents = ["complaint", "question"]', 'task_intents = ["complaint"]')
    text = text.replace(
        "# [listening.sources.brandwatch]\n# auto_reply", "[listening.sources.brandwatch]\nauto_reply"
    )
    path.write_text(text, encoding="utf-8")
    listening = load_policy(templates_copy).listening
    assert listening.for_source("brandwatch").auto_reply is True
    assert listening.for_source("brandwatch").task_intents == [Intent.COMPLAINT]
    assert listening.for_source("x").auto_reply is False


# ---------------------------------------------------------------- heed templates check


def test_templates_check_fails_when_a_language_lacks_the_neutral_reply(templates_copy, capsys) -> None:
    fr = templates_copy / "replies" / "fr.toml"
    content = fr.read_text(encoding="utf-8")
    start = content.index("[neutral.public.formal]")
    end = content.index("[", content.index("short", start))
    fr.write_text(content[:start] + content[end:], encoding="utf-8")
    assert ("missing", "fr.neutral.public.formal") in [
        (p.code, p.where) for p in check_templates(templates_copy)
    ]
    assert main(["templates", "check", "--dir", str(templates_copy)]) == 1
    assert "fr.neutral.public.formal" in capsys.readouterr().out
