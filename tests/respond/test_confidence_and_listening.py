"""The decision when triage is unsure, and for mentions found by listening (issue 12, items 5 and 6).

A reply matches the confidence of the reading: an unsure reading gets the neutral wording and a task
that says why; only a confident complaint is apologised to and only confident praise is thanked. A
post found by keyword or hashtag search that does not speak to the brand gets no public reply: a
person sees it when it looks like a complaint or a question about the brand, nobody otherwise.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from heed.acknowledge.templates import load_templates
from heed.models import (
    AckState,
    ActionKind,
    Author,
    FoundBy,
    Intent,
    Mention,
    Platform,
    Priority,
    Sentiment,
    TaskChangeKind,
    Triage,
)
from heed.policy import BrandPolicy, ListeningSource, load_policy
from heed.respond.decide import Plan, ReplyChannel, ThreadState, decide

ROOT = Path(__file__).resolve().parents[2]
POLICY = load_policy(ROOT / "templates")
TEMPLATES = load_templates(ROOT / "templates")
MONDAY_10_MADRID = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
CHANNEL = ReplyChannel(can_reply=True, text_limit=8000)
APOLOGY = ("sorry", "apolog", "siento", "lament", "désolé", "desculp")
CELEBRATION = ("made our day", "kind words", "you made", "made everyone smile")


def mention(
    text: str = "My internet is down since yesterday",
    *,
    platform: Platform = Platform.FACEBOOK,
    found_by: FoundBy = FoundBy.MENTION,
    kind: str = "comment",
) -> Mention:
    return Mention(
        platform=platform,
        message_id="m1",
        thread_id="t1",
        account_id="PAGE",
        author=Author(id="ana", name="Ana"),
        text=text,
        kind=kind,
        created_at=MONDAY_10_MADRID,
        found_by=found_by,
    )


def reading(intent: Intent = Intent.COMPLAINT, **changes: object) -> Triage:
    negative = intent is Intent.COMPLAINT
    base = Triage(
        language="en",
        intent=intent,
        intents=[intent],
        needs_response=intent in (Intent.COMPLAINT, Intent.QUESTION),
        confidence=0.9,
        sentiment=Sentiment.NEGATIVE if negative else Sentiment.POSITIVE,
        sentiment_score=-0.6 if negative else 0.6,
        sentiment_confidence=0.9,
        priority=Priority.P2,
    )
    return base.model_copy(update=changes)


def plan_for(m: Mention, t: Triage, policy: BrandPolicy = POLICY, channel: ReplyChannel = CHANNEL) -> Plan:
    return decide(
        m,
        t,
        customer_id="C-1",
        thread=ThreadState(),
        channel=channel,
        policy=policy,
        templates=TEMPLATES,
        now=MONDAY_10_MADRID,
    )


def reply_of(plan: Plan) -> tuple[str, str]:
    (reply,) = [a for a in plan.actions if a.kind is ActionKind.REPLY]
    return reply.template_id or "", (reply.text or "").lower()


def with_policy(**acknowledgment: object) -> BrandPolicy:
    return POLICY.model_copy(
        update={"acknowledgment": POLICY.acknowledgment.model_copy(update=acknowledgment)}
    )


def with_listening(**listening: object) -> BrandPolicy:
    return POLICY.model_copy(update={"listening": POLICY.listening.model_copy(update=listening)})


# ---------------------------------------------------------------- replies that match the confidence


def test_the_shipped_policy_sets_a_threshold() -> None:
    assert 0.5 <= POLICY.acknowledgment.confidence_threshold < 1.0


def test_a_confident_complaint_gets_the_apology_and_no_reason_on_its_task() -> None:
    plan = plan_for(mention(), reading())
    template, text = reply_of(plan)
    assert ".complaint.public." in template and "sorry" in text
    assert plan.task is not None and plan.task.ack_reason is None


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"confidence": 0.41}, "intent complaint 0.41"),
        ({"sentiment_confidence": 0.3}, "sentiment negative 0.30"),
    ],
)
def test_an_unsure_complaint_gets_the_neutral_reply_and_the_task_says_why(
    changes: dict[str, object], named: str
) -> None:
    # Given a complaint reading the triage is not sure of (intent or sentiment)
    plan = plan_for(mention(), reading(**changes))
    # Then no apology goes out: the neutral wording does
    template, text = reply_of(plan)
    assert ".neutral.public." in template
    assert not any(word in text for word in APOLOGY)
    # and the task records why, with the figures a person can judge
    assert plan.task is not None and plan.task_change is not None
    assert plan.task_change.kind is TaskChangeKind.OPENED
    assert plan.task.ack_reason is not None and named in plan.task.ack_reason
    assert "0.60" in plan.task.ack_reason and any("neutral" in n for n in plan.notes)


def test_a_reading_exactly_at_the_threshold_is_confident() -> None:
    plan = plan_for(mention(), reading(confidence=0.6, sentiment_confidence=0.6))
    assert ".complaint.public." in reply_of(plan)[0]


def test_the_threshold_is_the_policys() -> None:
    lenient = with_policy(confidence_threshold=0.3)
    assert ".complaint.public." in reply_of(plan_for(mention(), reading(confidence=0.41), lenient))[0]
    strict = with_policy(confidence_threshold=0.95)
    assert ".neutral.public." in reply_of(plan_for(mention(), reading(), strict))[0]


def test_a_complaint_read_with_confident_positive_sentiment_is_not_apologised_to() -> None:
    # "Wow, you fixed it in ten minutes, I'm speechless" read as a complaint, sentiment positive
    plan = plan_for(mention("speechless"), reading(sentiment=Sentiment.POSITIVE, sentiment_score=0.7))
    template, text = reply_of(plan)
    assert ".neutral." in template and not any(word in text for word in APOLOGY)
    assert plan.task is not None and "positive" in (plan.task.ack_reason or "")


def test_confident_praise_is_thanked_and_gets_no_task() -> None:
    plan = plan_for(mention("Great service, thanks!"), reading(Intent.PRAISE))
    assert ".praise.public." in reply_of(plan)[0]
    assert plan.task_change is None


@pytest.mark.parametrize(
    "changes",
    [{"confidence": 0.5}, {"sentiment_confidence": 0.4}, {"sentiment": Sentiment.NEGATIVE}],
)
def test_unsure_praise_gets_the_neutral_reply_and_a_task(changes: dict[str, object]) -> None:
    # "Great, just great. Third outage this week." read as praise: when in doubt, open the task
    plan = plan_for(mention("Great, just great."), reading(Intent.PRAISE, **changes))
    template, text = reply_of(plan)
    assert ".neutral.public." in template
    assert not any(word in text for word in CELEBRATION)
    assert plan.task_change is not None and plan.task_change.kind is TaskChangeKind.OPENED
    assert plan.needs_response and plan.task is not None and plan.task.ack_reason


def test_unsure_spam_opens_a_task_but_sends_nothing() -> None:
    plan = plan_for(mention("check this link"), reading(Intent.SPAM, confidence=0.4))
    assert plan.task_change is not None and plan.actions == ()
    assert plan.ack_state is AckState.NONE_BY_POLICY


@pytest.mark.parametrize(
    ("case", "intent", "channel"),
    [
        ("no reply channel (a listening tool's source)", Intent.COMPLAINT, ReplyChannel(False, 0)),
        ("unsure spam: nothing is sent", Intent.SPAM, CHANNEL),
    ],
)
def test_an_unsure_reading_that_sends_no_reply_does_not_claim_a_neutral_one(
    case: str, intent: Intent, channel: ReplyChannel
) -> None:
    # make demo's journalist (no reply channel) had a task saying "...: neutral reply" though none went out
    plan = plan_for(mention(), reading(intent, confidence=0.45), channel=channel)
    assert not [a for a in plan.actions if a.kind is ActionKind.REPLY], case
    assert plan.task is not None and plan.task.ack_reason is not None
    assert "unsure reading" in plan.task.ack_reason and "0.45" in plan.task.ack_reason
    assert "neutral reply" not in plan.task.ack_reason
    assert not any("neutral reply" in note for note in plan.notes)


def test_confident_spam_still_gets_nothing() -> None:
    plan = plan_for(mention("EARN $$$"), reading(Intent.SPAM))
    assert plan.task_change is None and plan.actions == ()


# ---------------------------------------------------------------- listening etiquette


def listened(text: str = "Acme Telecom down again in Leeds, nobody can call") -> Mention:
    return mention(text, platform=Platform.X, found_by=FoundBy.LISTENING, kind="keyword")


def test_a_listened_complaint_about_the_brand_is_tasked_without_a_public_reply() -> None:
    plan = plan_for(listened(), reading(addressed="about_brand", addressed_confidence=0.9))
    assert plan.actions == () or all(a.kind is ActionKind.ALERT for a in plan.actions)
    assert plan.ack_state is AckState.LISTENING
    assert plan.task_change is not None and plan.task_change.kind is TaskChangeKind.OPENED
    assert plan.task is not None and "listening" in (plan.task.ack_reason or "")


def test_a_listened_question_about_the_brand_is_tasked_too() -> None:
    plan = plan_for(
        listened("does anyone know if acmetel covers Cádiz?"),
        reading(Intent.QUESTION, addressed="about_brand", sentiment=Sentiment.NEUTRAL),
    )
    assert plan.ack_state is AckState.LISTENING and plan.task is not None
    assert not [a for a in plan.actions if a.kind is ActionKind.REPLY]


@pytest.mark.parametrize(
    ("intent", "addressed"),
    [
        (Intent.PRAISE, "about_brand"),
        (Intent.OTHER, "about_brand"),
        (Intent.COMPLAINT, "neither"),  # a news headline or a chat not about the brand
        (Intent.SPAM, "about_brand"),
    ],
)
def test_the_rest_of_listening_gets_nothing(intent: Intent, addressed: str) -> None:
    plan = plan_for(listened(), reading(intent, addressed=addressed))
    assert plan.task_change is None and plan.actions == ()
    assert plan.ack_state is AckState.LISTENING and not plan.needs_response


def test_a_listened_post_not_surely_about_something_else_is_tasked_when_it_complains() -> None:
    # "neither", but the model is not sure of it: when in doubt, a person looks
    plan = plan_for(listened(), reading(addressed="neither", addressed_confidence=0.4))
    assert plan.task is not None and plan.ack_state is AckState.LISTENING


@pytest.mark.parametrize("confidence", [0.6, 0.73, 0.79])
def test_a_listened_complaint_read_neither_below_surely_is_tasked(confidence: float) -> None:
    # make bench's listening sample ("Anyone else's Acme Telecom internet down in Leeds again?") was read
    # "neither" at 0.73 and tasked nobody: above the acknowledgment threshold, below what triage itself
    # calls sure (Triage.surely_not_about_brand, 0.8). When in doubt, a person looks.
    plan = plan_for(listened(), reading(addressed="neither", addressed_confidence=confidence))
    assert plan.task is not None and plan.ack_state is AckState.LISTENING


def test_a_listened_post_that_speaks_to_the_brand_is_answered_as_usual() -> None:
    plan = plan_for(listened("@acmetel my internet is down"), reading(addressed="to_brand"))
    assert ".complaint.public." in reply_of(plan)[0]
    assert plan.ack_state is AckState.PENDING


def test_a_listened_post_maybe_to_the_brand_gets_no_public_reply() -> None:
    plan = plan_for(listened(), reading(addressed="to_brand", addressed_confidence=0.35))
    assert plan.ack_state is AckState.LISTENING and plan.task is not None
    assert not [a for a in plan.actions if a.kind is ActionKind.REPLY]


def test_policy_can_turn_automatic_replies_on_for_one_source() -> None:
    policy = with_listening(sources={"x": ListeningSource(auto_reply=True)})
    plan = plan_for(listened(), reading(addressed="about_brand"), policy)
    assert ".complaint.public." in reply_of(plan)[0]
    # another source keeps the default
    generic = mention(platform=Platform.GENERIC, found_by=FoundBy.LISTENING, kind="brandwatch")
    assert plan_for(generic, reading(addressed="about_brand"), policy).ack_state is AckState.LISTENING


def test_policy_can_name_which_intents_get_a_task_per_source() -> None:
    generic = mention(platform=Platform.GENERIC, found_by=FoundBy.LISTENING, kind="brandwatch")
    policy = with_listening(sources={"brandwatch": ListeningSource(task_intents=[Intent.COMPLAINT])})
    question = reading(Intent.QUESTION, addressed="about_brand")
    assert plan_for(generic, question, policy).task_change is None
    assert plan_for(generic, reading(addressed="about_brand"), policy).task is not None


def test_a_mention_addressed_to_the_brand_is_not_held_to_the_listening_rules() -> None:
    # found on the brand's own page: "about_brand" does not silence it (a reply to a friend there is
    # still on the brand's page, where people expect the brand to answer)
    plan = plan_for(mention(), reading(addressed="about_brand"))
    assert ".complaint.public." in reply_of(plan)[0]


def test_heed_tasks_show_says_why_the_reply_was_neutral() -> None:
    from heed.cli.tasks import render_show

    plan = plan_for(mention(), reading(confidence=0.41))
    assert plan.task is not None
    shown = render_show({"task": plan.task, "messages": [], "events": []}, MONDAY_10_MADRID, lambda s, _: s)
    (line,) = [line for line in shown.splitlines() if line.startswith("auto-reply:")]
    assert "unsure reading (intent complaint 0.41; threshold 0.60): neutral reply" in line
