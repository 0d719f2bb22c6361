"""The brand's policy (`templates/policy.toml`): tone, signatures, SLAs, business hours, alert rules,
listening keywords. Validated at load; a bad policy fails the deploy's `heed templates check`, not a
customer's reply.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from heed.models import Intent, Priority, TriageRules

POLICY_FILE = "policy.toml"


DayName = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DAY_NAMES: tuple[DayName, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_MINUTES = 24 * 60
_SPAN = re.compile(r"([0-9]{2}):([0-9]{2})-([0-9]{2}):([0-9]{2})")


def parse_span(text: str) -> tuple[int, int]:
    """A span "HH:MM-HH:MM" as minutes from midnight of the day it starts on. An end at or before the
    start is the next day's ("22:00-06:00" -> (1320, 1800)); "24:00" ends at midnight."""
    match = _SPAN.fullmatch(text)
    numbers = [int(n) for n in match.groups()] if match else []
    if not match or numbers[1] > 59 or numbers[3] > 59 or numbers[0] > 23 or numbers[2] > 24:
        raise ValueError(f'"{text}" is not a span HH:MM-HH:MM with two digits each, e.g. "09:00-18:00"')
    start, end = numbers[0] * 60 + numbers[1], numbers[2] * 60 + numbers[3]
    if end > DAY_MINUTES:
        raise ValueError(f'"{text}": a span ends at 24:00 at the latest')
    if end == start:
        raise ValueError(f'"{text}" is empty; a whole day is "00:00-24:00"')
    return (start, end) if end > start else (start, end + DAY_MINUTES)


def _checked_span(text: str) -> str:
    parse_span(text)
    return text


class BusinessHours(BaseModel):
    """When a person is at work, in the brand's time zone. Each day lists its spans "HH:MM-HH:MM"; a
    span that ends at or before its start runs overnight into the next day ("22:00-06:00") and belongs
    to the day it starts on (a holiday closes the spans that start on it). Spans may touch, never
    overlap, overnight ones included."""

    timezone: str = "UTC"
    # day name (mon..sun) -> list of "HH:MM-HH:MM" spans; a missing day is closed
    days: dict[DayName, list[Annotated[str, AfterValidator(_checked_span)]]] = Field(
        default_factory=lambda: {d: ["09:00-18:00"] for d in ("mon", "tue", "wed", "thu", "fri")}
    )
    holidays: list[date] = Field(default_factory=list)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo

        ZoneInfo(value)  # raises for an unknown zone
        return value

    @model_validator(mode="after")
    def _no_overlaps(self) -> BusinessHours:
        week = DAY_MINUTES * len(DAY_NAMES)
        spans = sorted(
            (
                DAY_NAMES.index(day) * DAY_MINUTES + start,
                DAY_NAMES.index(day) * DAY_MINUTES + end,
                f"{day} {text}",
            )
            for day, texts in self.days.items()
            for text in texts
            for start, end in [parse_span(text)]
        )
        # Sorted by start, any overlap shows between neighbours; Sunday night runs into Monday morning,
        # so the last span is also compared with the first one a week later.
        pairs = list(itertools.pairwise(spans))
        if len(spans) > 1:
            first = spans[0]
            pairs.append((spans[-1], (first[0] + week, first[1] + week, first[2])))
        for (_, end, one), (start, _, other) in pairs:
            if start < end:
                raise ValueError(f"business hours overlap: {one} and {other}")
        return self


class SlaTarget(BaseModel):
    first_response_minutes: int = Field(gt=0)
    resolution_minutes: int = Field(gt=0)
    business_hours: bool = True  # count only business time (P1 usually counts the clock)


class SlaPolicy(BaseModel):
    targets: dict[Priority, SlaTarget]
    # optional overrides per channel kind ("public" / "private"), same shape as targets
    channel_overrides: dict[str, dict[Priority, SlaTarget]] = Field(default_factory=dict)
    warning_ratio: float = Field(default=0.8, gt=0, lt=1)
    escalate_after_minutes: int = Field(default=30, ge=0)

    def target(self, priority: Priority, visibility: str) -> SlaTarget:
        return self.channel_overrides.get(visibility, {}).get(priority) or self.targets[priority]


class AcknowledgmentPolicy(BaseModel):
    hold_minutes_business_hours: int = Field(default=0, ge=0, le=15)
    hold_minutes_after_hours: int = Field(default=0, ge=0, le=15)
    public: list[Intent] = Field(
        default_factory=lambda: [Intent.COMPLAINT, Intent.QUESTION, Intent.FEEDBACK, Intent.PRAISE]
    )
    none: list[Intent] = Field(default_factory=lambda: [Intent.SPAM, Intent.ABUSE])
    # intents always answered in a private message, with a public line saying so (none by default)
    private: list[Intent] = Field(default_factory=list)
    hide_comments_with_personal_data: bool = True
    # A customer who already has an open task gets no second automatic reply for this long after that
    # task opened: their new thread joins the task instead. Bursts of near-identical replies read as
    # spam to the platforms, and one person follows the whole matter up.
    one_task_per_customer_minutes: int = Field(default=24 * 60, ge=0)
    # Below this confidence in the intent or the sentiment the reply is the neutral one ("thanks for
    # your message, a person will look": no apology, no celebration) and a task says why. 0.6 sits
    # above a coin toss between the two likeliest readings, and at the knee measured on the team
    # corpus's held-out fifth (2,328 mentions, 6 languages, triage of 84290cc): 92.8% of readings
    # stay sure (0.7: 50.3%), apologies to what is not a complaint fall from 29 to 5 and to positive
    # messages from 14 to 2, while 915 of 976 complaints still get the apology. 0 answers every
    # reading by its intent; 1 answers everyone neutrally.
    confidence_threshold: float = Field(default=0.6, ge=0.0, le=1.0)


class SpikePolicy(BaseModel):
    window_minutes: int = 5
    baseline_hours: int = 6
    min_count: int = 5  # no alert below this many negative mentions in a window
    ratio: float = 3.0  # window count against the trailing average per window
    calm_windows: int = 3  # windows below threshold before the alert re-arms


class AlertPolicy(BaseModel):
    vip: bool = True
    personal_data: bool = True
    urgent: bool = True
    spike: SpikePolicy = Field(default_factory=SpikePolicy)
    # More alerts than this of one kind in one SLA-watch run become one alert with a count.
    group_after: int = Field(default=5, ge=1)


_SOURCE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}")
_LISTENING_TASK_INTENTS = (Intent.COMPLAINT, Intent.QUESTION)


def _distinct_intents(value: list[Intent] | None) -> list[Intent] | None:
    if value is not None and len(set(value)) != len(value):
        raise ValueError("an intent is listed twice")
    return value


class ListeningSource(BaseModel):
    """What Heed does with a post one listening source found that does not speak to the brand (a
    headline, a chat between two other people, a post about the brand). Unset fields take the
    `[listening]` defaults."""

    model_config = ConfigDict(extra="forbid")

    # answer it in public like a mention (off by default: the author did not ask the brand anything)
    auto_reply: bool | None = None
    # the intents a person is tasked with; the rest is triaged and left alone
    task_intents: Annotated[list[Intent] | None, AfterValidator(_distinct_intents)] = None


class ListeningPolicy(BaseModel):
    keywords: list[str] = Field(default_factory=list)
    hashtags: list[str] = Field(default_factory=list)
    poll_minutes: int = 5
    auto_reply: bool = False
    task_intents: Annotated[list[Intent], AfterValidator(_distinct_intents)] = Field(
        default_factory=lambda: list(_LISTENING_TASK_INTENTS)
    )
    # per source: "x" (keyword and hashtag search), or a generic webhook integration's `source`
    sources: dict[str, ListeningSource] = Field(default_factory=dict)

    @field_validator("sources")
    @classmethod
    def _source_names(cls, value: dict[str, ListeningSource]) -> dict[str, ListeningSource]:
        for name in value:
            if not _SOURCE_NAME.fullmatch(name):
                raise ValueError(
                    f"listening source {name!r}: a platform (x) or a generic webhook source, "
                    "letters, digits and _ . : - only"
                )
        return value

    def for_source(self, source: str) -> ListeningSource:
        """The etiquette for one source, every field set."""
        own = self.sources.get(source) or ListeningSource()
        return ListeningSource(
            auto_reply=self.auto_reply if own.auto_reply is None else own.auto_reply,
            task_intents=list(self.task_intents if own.task_intents is None else own.task_intents),
        )


class CsatPolicy(BaseModel):
    enabled: bool = False
    scale: Literal["csat5", "nps10"] = "csat5"
    # The question sent after a task is resolved, per language; "{low}" and "{high}" are the scale's ends.
    questions: dict[str, str] = Field(
        default_factory=lambda: {
            "en": "How did we do? Reply with a number from {low} (poor) to {high} (great).",
            "es": "¿Qué tal lo hicimos? Responde con un número del {low} (mal) al {high} (genial).",
            "fr": "Comment avons-nous fait ? Répondez par un chiffre de {low} (mauvais) à {high} (excellent).",
            "pt": "Como nos saímos? Responda com um número de {low} (ruim) a {high} (ótimo).",
        }
    )

    @property
    def range(self) -> tuple[int, int]:
        return (1, 5) if self.scale == "csat5" else (0, 10)


class BrandPolicy(BaseModel):
    brand: str
    default_language: str = "en"
    languages: list[str] = Field(default_factory=lambda: ["en", "es", "fr", "pt"])
    tone: Literal["formal", "informal"] = "informal"
    signatures: list[str] = Field(min_length=1)  # human first names the replies are signed with
    forbidden_phrases: list[str] = Field(default_factory=list)
    triage: TriageRules = Field(default_factory=TriageRules)
    business_hours: BusinessHours = Field(default_factory=BusinessHours)
    sla: SlaPolicy
    acknowledgment: AcknowledgmentPolicy = Field(default_factory=AcknowledgmentPolicy)
    alerts: AlertPolicy = Field(default_factory=AlertPolicy)
    listening: ListeningPolicy = Field(default_factory=ListeningPolicy)
    csat: CsatPolicy = Field(default_factory=CsatPolicy)


def load_policy(templates_dir: Path) -> BrandPolicy:
    with (templates_dir / POLICY_FILE).open("rb") as fh:
        return BrandPolicy.model_validate(tomllib.load(fh))
