"""Choosing and writing the acknowledgment of one mention. Pure: `now` comes in, nothing is sent."""

from __future__ import annotations

from datetime import datetime

from heed.acknowledge.length import weighted_length
from heed.acknowledge.render import choose_signature, customer_label, first_name, follow_up_phrase, render
from heed.acknowledge.templates import ReplyTemplate, ReplyTemplates, TemplateError, TemplateKind, Tone
from heed.models import Acknowledgment, Intent, Mention, Platform, Sentiment, Triage, Visibility
from heed.policy import BrandPolicy

# Platforms where the brand can hide a customer's comment from everyone but its author and friends.
# X can only hide replies under the brand's own posts, and a mention is not one.
HIDEABLE_PLATFORMS = frozenset({Platform.FACEBOOK, Platform.INSTAGRAM})

_INTENT_KIND: dict[Intent, TemplateKind] = {
    Intent.COMPLAINT: TemplateKind.COMPLAINT,
    Intent.QUESTION: TemplateKind.QUESTION,
    Intent.FEEDBACK: TemplateKind.FEEDBACK,
    Intent.PRAISE: TemplateKind.PRAISE,
    Intent.OTHER: TemplateKind.NEUTRAL,  # "thanks for your message, a person will look at it"
}
# The intents whose wording takes a side: an apology, a thank-you for kind words. Each is sent only
# when the sentiment does not contradict it (an apology to a happy customer reads as mockery).
_CONTRADICTING: dict[Intent, Sentiment] = {
    Intent.COMPLAINT: Sentiment.POSITIVE,
    Intent.PRAISE: Sentiment.NEGATIVE,
}


class ComposedAcknowledgment(Acknowledgment):
    """An Acknowledgment plus, when the reply moved a public comment to private, the public line
    posted under the comment ("we've sent you a private message"); it never repeats the data."""

    public_notice: str | None = None
    public_notice_template_id: str | None = None


class ReplyTooLong(TemplateError):
    """Even the short variant does not fit: `heed templates check` catches this before a deploy."""


def reply_intent(triage: Triage, policy: BrandPolicy) -> Intent | None:
    """The intent the reply answers, or None when policy says nobody is answered.

    Spam and abuse get no reply (staff still see them), but a mention that is abusive *and* a real
    complaint is a complaint: the first answerable intent among those triage found wins. An intent
    the policy lists nowhere is not answered; "other" is answered only when a person should look.
    """
    rules = policy.acknowledgment
    for intent in (triage.intent, *triage.intents):
        if intent in rules.none:
            continue
        if intent is Intent.OTHER:
            return intent if triage.needs_response else None
        if intent in rules.public or intent in rules.private:
            return intent
    return None


NEUTRAL_REPLY_SUFFIX = ": neutral reply"  # on a task's reason when the neutral template went out


def uncertain_reading(triage: Triage, policy: BrandPolicy) -> str | None:
    """Why the reading is too unsure for the intent's own wording, or None when it is sure enough.

    Unsure: the intent's or the sentiment's confidence below `acknowledgment.confidence_threshold`,
    or a sentiment that contradicts the intent (a "complaint" read as positive, "praise" as negative).
    The reason names each doubt with its figure, for the task and the person who reads it; the
    respond path adds NEUTRAL_REPLY_SUFFIX when the neutral template is what went out.
    """
    threshold = policy.acknowledgment.confidence_threshold
    doubts = []
    if triage.intent_confidence < threshold:
        doubts.append(f"intent {triage.intent} {triage.intent_confidence:.2f}")
    if triage.sentiment_confidence < threshold:
        doubts.append(f"sentiment {triage.sentiment} {triage.sentiment_confidence:.2f}")
    if doubts:
        return f"unsure reading ({', '.join(doubts)}; threshold {threshold:.2f})"
    if _CONTRADICTING.get(triage.intent) is triage.sentiment:
        return f"read as {triage.intent} with {triage.sentiment} sentiment"
    return None


def reply_channel(mention: Mention, triage: Triage, policy: BrandPolicy, intent: Intent) -> Visibility:
    if mention.visibility is Visibility.PRIVATE or triage.exposes_personal_data:
        return Visibility.PRIVATE
    if intent in policy.acknowledgment.private:
        return Visibility.PRIVATE
    return Visibility.PUBLIC


def reply_language(triage: Triage, policy: BrandPolicy, templates: ReplyTemplates) -> str:
    """The customer's language when the brand answers in it and has the wording, else the default."""
    if triage.language in policy.languages and triage.language in templates.languages:
        return triage.language
    return policy.default_language


def _template(
    templates: ReplyTemplates, policy: BrandPolicy, kind: TemplateKind, language: str, channel: Visibility
) -> tuple[str, ReplyTemplate]:
    tone: Tone = policy.tone
    for lang in (language, policy.default_language):
        found = templates.get(kind, lang, channel, tone)
        if found is not None:
            return lang, found
    raise TemplateError(f"no {kind}.{channel}.{tone} template in {language} nor in {policy.default_language}")


def _fit(
    template: ReplyTemplate,
    template_id: str,
    values: dict[str, str],
    platform: Platform,
    limit: int,
) -> tuple[str, str]:
    """The first wording that fits whole: normal, short, then short with the customer's first name.
    Never a cut sentence."""
    attempts = [
        ("normal", values),
        ("short", values),
        ("short", {**values, "customer": first_name(values["customer"])}),
    ]
    for variant, attempt_values in attempts:
        text = render(template.text(variant), attempt_values)
        if weighted_length(text, platform) <= limit:
            return f"{template_id}.{variant}", text
    raise ReplyTooLong(f"{template_id}: even the short wording exceeds {limit} on {platform}")


def compose_acknowledgment(
    mention: Mention,
    triage: Triage,
    policy: BrandPolicy,
    templates: ReplyTemplates,
    *,
    task_ref: str,
    platform_limit: int,
    now: datetime,
    follow_up_at: datetime | None = None,
) -> ComposedAcknowledgment | None:
    """The acknowledgment Heed sends for `mention`, or None when policy says not to answer.

    `platform_limit` bounds every text returned (pass the tighter limit when a public comment is
    answered in private on another surface); `follow_up_at` is when a person will pick the task up,
    given only out of hours.
    """
    intent = reply_intent(triage, policy)
    if intent is None:
        return None
    channel = reply_channel(mention, triage, policy, intent)
    moved_to_private = mention.visibility is Visibility.PUBLIC and channel is Visibility.PRIVATE
    unsure = uncertain_reading(triage, policy) is not None
    # Confident praise needs no follow-up: promising a person "tomorrow at 09:00" to say thanks would
    # be odd. Unsure praise has a task, so the out-of-hours wording (neutral too) says when.
    after_hours = follow_up_at is not None and (intent is not Intent.PRAISE or unsure)

    if triage.exposes_personal_data and mention.visibility is Visibility.PUBLIC:
        kind = TemplateKind.PERSONAL_DATA_OUT_OF_HOURS if after_hours else TemplateKind.PERSONAL_DATA
    elif after_hours:
        kind = TemplateKind.OUT_OF_HOURS
    elif unsure:
        kind = TemplateKind.NEUTRAL
    else:
        kind = _INTENT_KIND[intent]

    language, template = _template(
        templates, policy, kind, reply_language(triage, policy, templates), channel
    )
    signature = choose_signature(policy.signatures, task_ref)
    values = {
        "customer": customer_label(mention.author) or templates.languages[language].customer_fallback,
        "signature": signature,
        "brand": policy.brand,
        "task_ref": task_ref,
        "follow_up_time": "",
    }
    if after_hours and follow_up_at is not None:
        values["follow_up_time"] = follow_up_phrase(
            templates.languages[language].follow_up_time, follow_up_at, now, policy.business_hours.timezone
        )
    template_id, text = _fit(
        template, f"{language}.{kind}.{channel}.{policy.tone}", values, mention.platform, platform_limit
    )

    notice_id = notice = None
    if moved_to_private:
        notice_lang, notice_template = _template(
            templates, policy, TemplateKind.PERSONAL_DATA, language, Visibility.PUBLIC
        )
        notice_id, notice = _fit(
            notice_template,
            f"{notice_lang}.{TemplateKind.PERSONAL_DATA}.{Visibility.PUBLIC}.{policy.tone}",
            values,
            mention.platform,
            platform_limit,
        )

    return ComposedAcknowledgment(
        template_id=template_id,
        language=language,
        text=text,
        visibility=channel,
        hide_comment=(
            triage.exposes_personal_data
            and mention.visibility is Visibility.PUBLIC
            and policy.acknowledgment.hide_comments_with_personal_data
            and mention.platform in HIDEABLE_PLATFORMS
        ),
        signature=signature,
        public_notice=notice,
        public_notice_template_id=notice_id,
    )
