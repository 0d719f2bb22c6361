"""The domain vocabulary shared by every stage: what a mention is, what triage says about it,
what Heed answers, and what a person must follow up.

Pure pydantic models: no boto3, no clock reads, no environment reads.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Platform(StrEnum):
    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    MESSENGER = "messenger"
    WHATSAPP = "whatsapp"
    X = "x"
    GENERIC = "generic"


class Visibility(StrEnum):
    """Where a message lives: a public comment/post or a private (direct) conversation."""

    PUBLIC = "public"
    PRIVATE = "private"


class Sender(StrEnum):
    CUSTOMER = "customer"
    BRAND = "brand"  # written by a person at the brand directly on the platform
    HEED = "heed"  # posted by Heed itself (recognised so it is not counted as a human response)


class Author(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    handle: str | None = None
    name: str | None = None
    followers: int | None = None
    verified: bool = False

    @property
    def display(self) -> str:
        return self.name or (f"@{self.handle}" if self.handle else self.id)


class Attachment(BaseModel):
    """Media that came with a message: what it is and where a person finds it, never its bytes.

    `kind`: photo, video, audio, voice_note, document, sticker, like, location, contact_card,
    shared_post, shared_reel, story_mention, link, unsupported_message or attachment. Only lasting
    references are kept: the platform's media id, or a URL that is not a signed CDN link that expires.
    A caption is not repeated here: it is the mention's text.
    """

    model_config = ConfigDict(frozen=True)

    kind: str
    media_id: str | None = None
    url: str | None = None
    mime_type: str | None = None
    filename: str | None = None

    @property
    def label(self) -> str:
        name = self.kind.replace("_", " ")
        return f"{name}: {self.filename}" if self.filename else name


def media_placeholder(attachments: list[Attachment]) -> str:
    """The text of a message that carried only media: "[photo]", "[voice note] [document: a.pdf]"."""
    return " ".join(f"[{a.label}]" for a in attachments)


class FoundBy(StrEnum):
    """How Heed came by a mention: the platform delivered it to the brand (an @mention, a comment on
    the brand's page, a direct message), or Heed went looking for it (keyword or hashtag search, a
    listening tool through the generic webhook). A post found by listening may not speak to the
    brand at all, so the respond path answers it only when it does (policy `[listening]`)."""

    MENTION = "mention"
    LISTENING = "listening"


class Mention(BaseModel):
    """One message on a platform, normalised. A batched delivery yields several of these."""

    platform: Platform
    message_id: str  # the platform's own id: the de-duplication key
    thread_id: str  # post id for comments, conversation id for DMs: one task per thread
    parent_id: str | None = None
    account_id: str  # the brand's page / account / business number that received it
    author: Author
    text: str
    visibility: Visibility = Visibility.PUBLIC
    sender: Sender = Sender.CUSTOMER
    kind: str = "comment"  # comment, mention, post, direct_message, ...
    created_at: datetime
    url: str | None = None
    raw: dict[str, Any] = Field(default_factory=dict)  # the platform's own item, kept as sent
    # Photos, voice notes, documents... that came with it. Without a caption or text, `text` is their
    # placeholder and the mention is `media_only`: nothing in it for triage or a template to read.
    attachments: list[Attachment] = Field(default_factory=list)
    found_by: FoundBy = FoundBy.MENTION

    @property
    def listening_source(self) -> str:
        """The source named in policy `[listening.sources]`: the integration's own `source` for the
        generic webhook (kept as `kind`), else the platform ("x")."""
        return self.kind if self.platform is Platform.GENERIC else self.platform.value

    @property
    def media_only(self) -> bool:
        return bool(self.attachments) and self.text == media_placeholder(self.attachments)

    @property
    def key(self) -> str:
        return f"{self.platform.value}#{self.message_id}"

    @property
    def thread_key(self) -> str:
        return f"{self.platform.value}#{self.thread_id}"

    @property
    def customer_key(self) -> str:
        return f"{self.platform.value}#{self.author.id}"


class Intent(StrEnum):
    COMPLAINT = "complaint"
    QUESTION = "question"
    PRAISE = "praise"
    FEEDBACK = "feedback"
    SPAM = "spam"
    ABUSE = "abuse"
    OTHER = "other"


class Sentiment(StrEnum):
    NEGATIVE = "negative"
    NEUTRAL = "neutral"
    POSITIVE = "positive"


class Priority(StrEnum):
    """P1 is the most urgent. Ordered so that min() picks the most urgent."""

    P1 = "P1"
    P2 = "P2"
    P3 = "P3"
    P4 = "P4"


class PersonalDataFinding(BaseModel):
    """A kind and a span; never the value itself, so findings are safe to log and store."""

    model_config = ConfigDict(frozen=True)

    kind: str  # card, iban, national_id, phone, email, account_reference
    start: int
    end: int
    detail: str | None = None  # e.g. "es_dni", "br_cpf"; never the value


def mask_personal_data(text: str, findings: list[PersonalDataFinding]) -> str:
    """The text with each exposed value replaced by its kind ("[card]"): what Heed stores and shows."""
    for finding in sorted(findings, key=lambda f: f.start, reverse=True):
        text = text[: finding.start] + f"[{finding.kind}]" + text[finding.end :]
    return text


class CustomerHistory(BaseModel):
    """What Heed already knows of the author, read from storage before triage."""

    previous_mentions: int = 0
    open_task_id: str | None = None
    recent_contacts_24h: int = 0


class TriageRules(BaseModel):
    """The brand's own triage knobs, read from the policy file (`[triage]`)."""

    vip_handles: list[str] = Field(default_factory=list)  # journalists, authorities, partners
    vip_follower_threshold: int = 10_000
    verified_is_vip: bool = True
    urgent_terms: list[str] = Field(default_factory=list)  # brand-specific additions
    teams: dict[str, list[str]] = Field(default_factory=dict)  # team -> routing keywords
    repeat_contact_threshold: int = 3  # contacts within 24 h that raise the priority


# How sure the model must be that a mention is "neither" to nor about the brand before triage and the
# respond path treat it so (functions/heed/triage/README.md, round 3: 0.75 and 0.8 tied on corpus dev).
SURELY_NOT_ABOUT_BRAND = 0.8


class Triage(BaseModel):
    language: str  # ISO 639-1 code, "und" when unknown
    intent: Intent
    needs_response: bool
    confidence: float = Field(ge=0.0, le=1.0)
    sentiment: Sentiment
    sentiment_score: float = Field(ge=-1.0, le=1.0)  # -1 very negative .. +1 very positive
    urgent: bool = False
    urgency_reasons: list[str] = Field(default_factory=list)
    personal_data: list[PersonalDataFinding] = Field(default_factory=list)
    vip: bool = False
    vip_reasons: list[str] = Field(default_factory=list)
    repeat_customer: bool = False
    priority: Priority = Priority.P3
    team: str | None = None
    intents: list[Intent] = Field(default_factory=list)  # every intent that matched, main one first
    # The trained model's confidence in its readings (`confidence` is the intent's); the defaults are
    # what a rules-only reading meant, so records stored before the model read the same.
    sentiment_confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    addressed: str = "to_brand"  # to_brand (speaks to the brand), about_brand (to others), neither
    addressed_confidence: float = Field(default=1.0, ge=0.0, le=1.0)

    @property
    def exposes_personal_data(self) -> bool:
        return bool(self.personal_data)

    @property
    def surely_not_about_brand(self) -> bool:
        """The model is sure the mention neither speaks to the brand nor about it (others' chat,
        general posts): triage keeps its own sentiment then, and listening tasks nobody."""
        return self.addressed == "neither" and self.addressed_confidence >= SURELY_NOT_ABOUT_BRAND

    @property
    def intent_confidence(self) -> float:
        return self.confidence


class Acknowledgment(BaseModel):
    """The reply Heed decided to send (or not) for one mention."""

    template_id: str
    language: str
    text: str
    visibility: Visibility
    hide_comment: bool = False
    signature: str = ""


class PostedReply(BaseModel):
    platform_message_id: str | None
    visibility: Visibility
    hidden: bool = False


class AckState(StrEnum):
    """Where one mention's automatic acknowledgment stands (the mention record's `ack_state`)."""

    NONE_BY_POLICY = "none_by_policy"  # policy answers nobody with this intent (spam, abuse...)
    NO_CHANNEL = "no_channel"  # nothing to answer through: the task says to answer at the source
    SUPPRESSED = "suppressed"  # the customer already has an open task: no second automatic reply
    FOLLOW_UP = "follow_up"  # a message in a thread a person already handles: no automatic reply
    # found by listening and not speaking to the brand: no automatic public reply, a person decides
    LISTENING = "listening"
    MEDIA = "media"  # only media, no words (a photo, a voice note): no automatic reply, a person looks
    HELD = "held"  # waiting out the hold, in case a person answers first
    CANCELLED = "cancelled"  # a person answered during the hold
    PENDING = "pending"  # committed, not yet sent
    SENDING = "sending"  # on its way (with a lease)
    POSTED = "posted"
    UNCERTAIN = "uncertain"  # may or may not have been published: a person was told to check
    FAILED = "failed"  # refused by the platform: a person was told


class ActionKind(StrEnum):
    """An outbound effect a plan commits to, delivered from its own record."""

    REPLY = "reply"  # the acknowledgment: at most once
    NOTICE = "notice"  # "we've sent you a private message" under the public comment: at most once
    HIDE = "hide"  # hide a comment exposing personal data: idempotent on the platform, retried
    ALERT = "alert"  # to on-call over SNS: at least once


class ActionState(StrEnum):
    PENDING = "pending"
    HELD = "held"
    SENDING = "sending"
    SENT = "sent"
    UNCERTAIN = "uncertain"
    FAILED = "failed"
    CANCELLED = "cancelled"


class TaskChangeKind(StrEnum):
    """What a customer message did to its thread's task."""

    OPENED = "opened"
    REOPENED = "reopened"
    UPDATED = "updated"
    JOINED = "joined"  # joined the customer's open task on another thread (linked thread)
    CSAT_ANSWERED = "csat_answered"


class TaskStatus(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"  # Heed's automatic acknowledgment went out; a person still owes a response
    IN_PROGRESS = "in_progress"  # claimed by a person
    WAITING_FOR_CUSTOMER = "waiting_for_customer"
    RESOLVED = "resolved"
    CLOSED = "closed"


class TaskOutcome(StrEnum):
    """How a person resolved a task (reported as public vs private resolution)."""

    ANSWERED_PUBLICLY = "answered_publicly"
    MOVED_TO_PRIVATE = "moved_to_private"
    HANDED_TO_OTHER_CHANNEL = "handed_to_other_channel"
    NO_ACTION_NEEDED = "no_action_needed"


ACTIVE_TASK_STATUSES = (
    TaskStatus.OPEN,
    TaskStatus.ACKNOWLEDGED,
    TaskStatus.IN_PROGRESS,
    TaskStatus.WAITING_FOR_CUSTOMER,
)


class FollowUpTask(BaseModel):
    """One per conversation thread that needs a person; stays open until a person resolves it."""

    task_id: str
    thread_key: str
    platform: Platform
    customer_id: str
    status: TaskStatus
    priority: Priority
    team: str | None = None
    intent: Intent
    visibility: Visibility
    opened_at: datetime
    first_response_due: datetime
    resolution_due: datetime
    acknowledged_at: datetime | None = None
    first_response_at: datetime | None = None  # the first human response stops this clock
    resolved_at: datetime | None = None
    assignee: str | None = None
    outcome: str | None = None
    snoozed_until: datetime | None = None
    last_customer_message_at: datetime | None = None
    messages: int = 0
    reopened: int = 0
    ack_failure: str | None = None
    # Why the automatic reply was not the intent's own (an unsure reading got the neutral wording; a
    # post found by listening got none): what a person needs to judge the reading.
    ack_reason: str | None = None
    url: str | None = None
    author_display: str | None = None
    excerpt: str | None = None  # with personal data masked; what an alert may show
    vip: bool = False
    personal_data: list[str] = Field(default_factory=list)
    # Optimistic lock: every write of the task checks the version it read (lost updates are impossible).
    version: int = 0
    alerts_sent: list[str] = Field(default_factory=list)  # SLA thresholds already alerted (watch hint)
    sentiment: Sentiment | None = None
    closed_at: datetime | None = None
    csat_asked_at: datetime | None = None
    csat_scale: str | None = None  # "csat5" (1-5) or "nps10" (0-10)
    csat_score: int | None = None
    csat_answered_at: datetime | None = None
    # A person set the intent and sentiment by hand (`heed tasks correct`): the task's reading is then
    # a label, exported by `heed tasks labels` for `heed triage --score`.
    triage_corrected_by: str | None = None
    triage_corrected_at: datetime | None = None
    # Other threads of the same customer that joined this task instead of getting a task and an
    # automatic reply of their own (a customer writing on Facebook and X about one problem).
    linked_threads: list[str] = Field(default_factory=list)
    # The mention that opened the task: its "opened" event (storage/tasks.events) without an item of its own.
    opened_by: str | None = None
    # The mention whose reply was committed with the task as acknowledged (it left right after): if
    # that post fails, the task goes back to open (storage/tasks.note_ack_failure).
    ack_mention: str | None = None
