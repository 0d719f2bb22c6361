"""Reply templates (`templates/replies/<lang>.toml`): read, validated at load, cached per directory.

A template is plain text with a closed set of `{variables}`. It is parsed once at load into literal
text and variable names, and rendered by joining pieces, never with `str.format`: customer-supplied
values are inserted once and never interpreted.

A language file looks like this (see templates/README.md):

    language = "en"
    customer_fallback = "there"        # used when the customer has no usable name

    [follow_up_time]                   # how `{follow_up_time}` is worded
    today = "today at {time}"
    ...

    [complaint.public.informal]        # kind . channel . tone
    normal = "Hi {customer}, ... {signature}"
    short = "..."                      # used when the normal one is too long for the platform
"""

from __future__ import annotations

import string
import tomllib
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from heed.models import Visibility

REPLIES_DIR = "replies"

Tone = Literal["formal", "informal"]
TONES: tuple[Tone, ...] = ("formal", "informal")
Variant = Literal["normal", "short"]


class TemplateKind(StrEnum):
    """What a template answers: an intent, or one of the situations that change the wording."""

    COMPLAINT = "complaint"
    QUESTION = "question"
    FEEDBACK = "feedback"
    PRAISE = "praise"
    # an unsure reading, or a message with no clear intent: thanks, a person will look; no apology
    # (it may be praise), no celebration (it may be a complaint)
    NEUTRAL = "neutral"
    OUT_OF_HOURS = "out_of_hours"  # nobody is in: says when a person will follow up
    PERSONAL_DATA = "personal_data"  # public: "we moved to private"; private: the message itself
    PERSONAL_DATA_OUT_OF_HOURS = "personal_data_out_of_hours"  # the private message, after hours


# Which channels every language must cover for each kind. The personal-data public line is the same
# in and out of hours, so the after-hours kind is private only.
REQUIRED_CHANNELS: dict[TemplateKind, tuple[Visibility, ...]] = {
    TemplateKind.COMPLAINT: (Visibility.PUBLIC, Visibility.PRIVATE),
    TemplateKind.QUESTION: (Visibility.PUBLIC, Visibility.PRIVATE),
    TemplateKind.FEEDBACK: (Visibility.PUBLIC, Visibility.PRIVATE),
    TemplateKind.PRAISE: (Visibility.PUBLIC, Visibility.PRIVATE),
    TemplateKind.NEUTRAL: (Visibility.PUBLIC, Visibility.PRIVATE),
    TemplateKind.OUT_OF_HOURS: (Visibility.PUBLIC, Visibility.PRIVATE),
    TemplateKind.PERSONAL_DATA: (Visibility.PUBLIC, Visibility.PRIVATE),
    TemplateKind.PERSONAL_DATA_OUT_OF_HOURS: (Visibility.PRIVATE,),
}
AFTER_HOURS_KINDS = frozenset({TemplateKind.OUT_OF_HOURS, TemplateKind.PERSONAL_DATA_OUT_OF_HOURS})

VARIABLES = frozenset({"customer", "signature", "brand", "task_ref", "follow_up_time"})
SIGNATURE = "signature"
FOLLOW_UP_TIME = "follow_up_time"
FOLLOW_UP_VARIABLES = frozenset({"time", "weekday", "date"})


class TemplateError(ValueError):
    """A template that cannot be used: the message says what to fix."""


# A parsed template: literal text and variable names, alternating as they appear.
Piece = tuple[Literal["text", "var"], str]


def parse_template(text: str, allowed: frozenset[str] = VARIABLES) -> tuple[Piece, ...]:
    """Split a template into pieces; `{{` and `}}` are literal braces. Raises TemplateError."""
    pieces: list[Piece] = []
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:  # a lone "{" or "}"
        raise TemplateError(f"broken braces ({exc}); write {{{{ or }}}} for a literal brace") from exc
    for literal, field, spec, conversion in parsed:
        if literal:
            pieces.append(("text", literal))
        if field is None:
            continue
        if spec or conversion or field not in allowed:
            shown = field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            raise TemplateError(
                f"unknown variable {{{shown}}}; allowed: {', '.join('{' + v + '}' for v in sorted(allowed))}"
            )
        pieces.append(("var", field))
    return tuple(pieces)


def variables_of(text: str) -> set[str]:
    return {name for kind, name in parse_template(text) if kind == "var"}


class ReplyTemplate(BaseModel):
    """One kind × channel × tone in one language: a normal wording and a short one."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    normal: str = Field(min_length=1)
    short: str = Field(min_length=1)

    @field_validator("normal", "short")
    @classmethod
    def _parses_and_is_signed(cls, value: str) -> str:
        value = value.strip()
        # Replies are signed by a person: a template without the signature would read as a bot.
        if SIGNATURE not in variables_of(value):
            raise TemplateError("the signature placeholder {signature} is missing")
        return value

    def text(self, variant: Variant) -> str:
        return self.normal if variant == "normal" else self.short


class FollowUpWording(BaseModel):
    """How `{follow_up_time}` reads in one language, relative to the day the reply is sent."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    today: str
    tomorrow: str
    this_week: str  # within six days: uses {weekday}
    later: str  # uses {date}
    weekdays: list[str] = Field(min_length=7, max_length=7)  # Monday first
    time_format: str = "%H:%M"
    date_format: str = "%d/%m"

    @field_validator("today", "tomorrow", "this_week", "later")
    @classmethod
    def _known_variables(cls, value: str) -> str:
        parse_template(value, FOLLOW_UP_VARIABLES)
        return value


class LanguageTemplates(BaseModel):
    """One language file. Missing kinds are allowed here (the default language covers them at
    runtime); `heed templates check` reports them."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    language: str = Field(min_length=2, max_length=3)
    customer_fallback: str = ""
    follow_up_time: FollowUpWording
    replies: dict[TemplateKind, dict[Visibility, dict[Tone, ReplyTemplate]]] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _kinds_at_top_level(cls, data: Any) -> Any:
        # Editors write `[complaint.public.informal]`, not `[replies.complaint.public.informal]`.
        if not isinstance(data, dict) or "replies" in data:
            return data
        own = {"language", "customer_fallback", "follow_up_time"}
        return {
            **{k: v for k, v in data.items() if k in own},
            "replies": {k: v for k, v in data.items() if k not in own},
        }

    @model_validator(mode="after")
    def _follow_up_only_after_hours(self) -> LanguageTemplates:
        for kind, channels in self.replies.items():
            for channel, tones in channels.items():
                for tone, template in tones.items():
                    for variant in ("normal", "short"):
                        used = variables_of(template.text(variant))
                        where = f"{kind}.{channel}.{tone}.{variant}"
                        if kind in AFTER_HOURS_KINDS and FOLLOW_UP_TIME not in used:
                            raise TemplateError(
                                f"{where}: says nothing of when a person follows up: add {{follow_up_time}}"
                            )
                        if kind not in AFTER_HOURS_KINDS and FOLLOW_UP_TIME in used:
                            raise TemplateError(f"{where}: {{follow_up_time}} is only known out of hours")
        return self

    def get(self, kind: TemplateKind, channel: Visibility, tone: Tone) -> ReplyTemplate | None:
        return self.replies.get(kind, {}).get(channel, {}).get(tone)


class ReplyTemplates(BaseModel):
    """Every language file of a templates directory, by language code."""

    model_config = ConfigDict(frozen=True)

    languages: dict[str, LanguageTemplates]

    def get(self, kind: TemplateKind, language: str, channel: Visibility, tone: Tone) -> ReplyTemplate | None:
        found = self.languages.get(language)
        return found.get(kind, channel, tone) if found else None


def read_language_file(path: Path) -> LanguageTemplates:
    """One language file, validated. Raises OSError, tomllib.TOMLDecodeError or ValidationError."""
    with path.open("rb") as fh:
        templates = LanguageTemplates.model_validate(tomllib.load(fh))
    if templates.language != path.stem:
        raise TemplateError(f"{path.name} declares language {templates.language!r}; name the file after it")
    return templates


def read_templates(templates_dir: Path) -> ReplyTemplates:
    """All language files under `templates_dir/replies/`, validated, read afresh."""
    files = sorted((templates_dir / REPLIES_DIR).glob("*.toml"))
    if not files:
        raise TemplateError(f"no reply templates in {templates_dir / REPLIES_DIR}")
    return ReplyTemplates(languages={path.stem: read_language_file(path) for path in files})


@lru_cache(maxsize=8)
def _cached(resolved_dir: str) -> ReplyTemplates:
    return read_templates(Path(resolved_dir))


def load_templates(templates_dir: Path) -> ReplyTemplates:
    """The templates of a directory, read once per process (a warm Lambda reuses them)."""
    return _cached(str(Path(templates_dir).resolve()))
