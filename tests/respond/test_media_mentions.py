"""Issue 11 item 9, the respond side: a photo, a voice note, a document with no words opens a task for
a person and gets no automatic reply (a reply could only pretend to have seen it); triage's reading of
the placeholder ("[photo]", "[document: x.pdf]") is not a reading of the customer. With a caption, the
caption is triaged and answered as usual, and no template claims to have seen the media."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import responses
from heed.acknowledge.templates import load_templates
from heed.models import (
    AckState,
    ActionKind,
    Attachment,
    Author,
    FollowUpTask,
    Intent,
    Mention,
    Platform,
    Priority,
    Sentiment,
    TaskChangeKind,
    TaskStatus,
    Triage,
    Visibility,
    media_placeholder,
)
from heed.policy import load_policy
from heed.respond.decide import Plan, ReplyChannel, ThreadState, decide
from heed.triage import triage as read

from tests.respond.world import MONDAY_10_MADRID, PAGE, World

ROOT = Path(__file__).resolve().parents[2]
POLICY = load_policy(ROOT / "templates")
TEMPLATES = load_templates(ROOT / "templates")
WHATSAPP = ReplyChannel(can_reply=True, text_limit=4096)
REPLIES = (ActionKind.REPLY, ActionKind.NOTICE)


def whatsapp(*attachments: Attachment, caption: str | None = None, n: int = 1) -> Mention:
    return Mention(
        platform=Platform.WHATSAPP,
        message_id=f"wamid.M{n}",
        thread_id="dm:34612345678",
        account_id="106540352242922",
        author=Author(id="34612345678", name="Tomás Ruiz"),
        text=caption or media_placeholder(list(attachments)),
        visibility=Visibility.PRIVATE,
        kind="direct_message",
        created_at=MONDAY_10_MADRID,
        attachments=list(attachments),
    )


def plan_for(mention: Mention, reading: Triage | None = None, thread: ThreadState | None = None) -> Plan:
    return decide(
        mention,
        reading or read(mention.text, author=mention.author),  # what the respond path's triage gives
        customer_id="C-1",
        thread=thread or ThreadState(),
        channel=WHATSAPP,
        policy=POLICY,
        templates=TEMPLATES,
        now=MONDAY_10_MADRID,
    )


def replies(plan: Plan) -> list[Any]:
    return [a for a in plan.actions if a.kind in REPLIES]


def test_a_photo_without_words_opens_a_task_for_a_person_and_plans_no_reply() -> None:
    # Given a customer who sends only a photo of a broken box
    photo = whatsapp(Attachment(kind="photo", media_id="1003383421387257"))
    # When Heed decides
    plan = plan_for(photo)
    # Then a task is opened for a person to look, and nothing is sent to the customer
    assert plan.task_change is not None and plan.task_change.kind is TaskChangeKind.OPENED
    assert replies(plan) == []
    assert plan.ack_state is AckState.MEDIA
    task = plan.task_change.task
    assert task.priority is Priority.P3
    assert task.ack_failure is not None and "a photo" in task.ack_failure
    assert "a person must look" in task.ack_failure


# Triage reading a placeholder as nothing to answer ("[sticker]" as a thumbs-up): P4, no response.
PRAISE_GUESS = Triage(
    language="en",
    intent=Intent.PRAISE,
    needs_response=False,
    confidence=0.7,
    sentiment=Sentiment.POSITIVE,
    sentiment_score=0.5,
    priority=Priority.P4,
)


def test_a_voice_note_triage_called_praise_still_reaches_a_person_at_p3_or_sooner() -> None:
    # Given triage read the placeholder as nothing to answer
    voice = whatsapp(Attachment(kind="voice_note", media_id="1234567890123456"))
    # When Heed decides
    plan = plan_for(voice, PRAISE_GUESS)
    # Then a person still gets a task, P3, and the customer no thanks-for-the-praise reply
    assert plan.task is not None and plan.task.priority is Priority.P3
    assert replies(plan) == [] and plan.ack_state is AckState.MEDIA
    assert plan.task.ack_failure is not None and "a voice note" in plan.task.ack_failure


def test_what_triage_guessed_from_a_filename_is_not_kept() -> None:
    # Given a document whose name triage reads as an urgent complaint
    document = whatsapp(Attachment(kind="document", filename="URGENT fraud complaint.pdf"))
    assert read(document.text).urgent  # the guess the decision must not keep
    # When Heed decides
    plan = plan_for(document)
    # Then the stored reading says what is known: nothing about the words, P3, no urgent alert
    assert (plan.triage.intent, plan.triage.sentiment, plan.triage.urgent) == (
        Intent.OTHER,
        Sentiment.NEUTRAL,
        False,
    )
    assert plan.task is not None and plan.task.priority is Priority.P3
    assert [a.alert.kind.value for a in plan.actions if a.alert] == []


def test_a_vip_sending_a_photo_keeps_the_higher_priority() -> None:
    photo = whatsapp(Attachment(kind="photo"))
    vip = read(photo.text).model_copy(
        update={"vip": True, "vip_reasons": ["followers"], "priority": Priority.P2}
    )
    plan = plan_for(photo, vip)
    assert plan.task is not None and plan.task.priority is Priority.P2
    assert replies(plan) == []


def test_a_sticker_on_a_thread_a_person_handles_raises_it_to_p3_without_a_reply() -> None:
    # Given the customer's thread already has a P4 task a person has acknowledged
    current = FollowUpTask(
        task_id="T-1",
        thread_key="whatsapp#dm:34612345678",
        platform=Platform.WHATSAPP,
        customer_id="C-1",
        status=TaskStatus.ACKNOWLEDGED,
        priority=Priority.P4,
        intent=Intent.FEEDBACK,
        visibility=Visibility.PRIVATE,
        opened_at=MONDAY_10_MADRID,
        first_response_due=MONDAY_10_MADRID,
        resolution_due=MONDAY_10_MADRID,
        version=3,
    )
    # When a sticker arrives on it, which triage took for a thumbs-up needing nothing
    plan = plan_for(whatsapp(Attachment(kind="sticker")), PRAISE_GUESS, ThreadState(task=current))
    # Then it is counted on the task, which now waits at P3, and no automatic reply goes out
    assert plan.task_change is not None and plan.task_change.kind is TaskChangeKind.UPDATED
    assert plan.task_change.task.priority is Priority.P3
    assert replies(plan) == [] and plan.ack_state is AckState.FOLLOW_UP


def test_a_captioned_photo_is_triaged_on_its_caption_and_answered_as_usual() -> None:
    # Given a photo sent with words
    captioned = whatsapp(
        Attachment(kind="photo", media_id="1003383421387256"),
        caption="The box arrived crushed and the router does not turn on",
    )
    assert not captioned.media_only
    # When Heed decides
    plan = plan_for(captioned)
    # Then the caption is read and answered like any message
    assert plan.triage.intent is Intent.COMPLAINT
    (reply,) = replies(plan)
    assert plan.ack_state is AckState.PENDING
    # And the reply does not claim to have seen the photo
    assert not MEDIA_WORDS.search(reply.text)


# Words a reply would use to claim it saw or received the media, in the template languages.
MEDIA_WORDS = re.compile(
    r"\b(photos?|pictures?|images?|imagens?|imagen(es)?|fotos?|vid[eé]os?|v[ií]deos?|attach\w*|adjunt\w*|"
    r"anex\w*|pi[eè]ces? jointes?|files?|fichiers?|archivos?|arquivos?|documents?|documentos?|voice|"
    r"vocal\w*|audios?|[aá]udios?|recordings?|grabaci\w*|enregistrement\w*|grava[cç]\w*|screenshots?|"
    r"captur\w*|stickers?|seen|vu|visto)\b",
    re.IGNORECASE,
)


def _texts(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [t for value in node.values() for t in _texts(value)]
    if isinstance(node, list):
        return [t for value in node for t in _texts(value)]
    return []


@pytest.mark.parametrize("language_file", sorted((ROOT / "templates" / "replies").glob("*.toml")), ids=str)
def test_no_reply_template_claims_to_have_seen_media(language_file: Path) -> None:
    # A captioned photo is answered with the template of its caption's intent: none may say "photo".
    claims = [t for t in _texts(tomllib.loads(language_file.read_text())) if MEDIA_WORDS.search(t)]
    assert claims == []


# ---- through the respond path, on moto ----------------------------------------------------------


@pytest.fixture
def world(table: Any) -> World:
    return World(table)


@responses.activate
def test_a_messenger_photo_is_committed_with_a_task_and_nothing_is_posted(world: World) -> None:
    # Given a Messenger customer who sends only a photo (no Send API route is registered: a post fails)
    photo = Mention(
        platform=Platform.MESSENGER,
        message_id="m_photo_of_the_box",
        thread_id="dm:6123456789012345",
        account_id=PAGE,
        author=Author(id="6123456789012345"),
        text="[photo]",
        visibility=Visibility.PRIVATE,
        kind="direct_message",
        created_at=MONDAY_10_MADRID,
        attachments=[Attachment(kind="photo")],
    )
    # When the respond function handles it
    outcome = world.responder().handle(photo, now=MONDAY_10_MADRID)
    # Then nothing was sent, and a person has an open task that says why
    assert len(responses.calls) == 0
    assert outcome.ack_state is AckState.MEDIA
    record = world.record(photo)
    assert record["ack_state"] == "media" and "reply" not in record["actions"]
    task = world.task_of(photo)
    assert task is not None and task.status is TaskStatus.OPEN and task.priority is Priority.P3
    assert task.ack_failure is not None and "a person must look" in task.ack_failure
