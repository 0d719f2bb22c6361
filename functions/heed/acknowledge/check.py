"""`heed templates check`: every problem in a templates directory, before a customer meets it.

Reports, one line each: the policy file invalid, a language file unreadable, an intent × language ×
channel × tone missing, an unknown variable, a template without the signature, a rendering that
exceeds a platform limit (rendered with a long, realistic customer name), a forbidden phrase.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ValidationError

from heed.acknowledge.forbidden import find_forbidden, forbidden_for
from heed.acknowledge.length import PLATFORM_LIMITS, weighted_length
from heed.acknowledge.render import follow_up_phrase, render
from heed.acknowledge.templates import (
    AFTER_HOURS_KINDS,
    FOLLOW_UP_TIME,
    REPLIES_DIR,
    REQUIRED_CHANNELS,
    SIGNATURE,
    TONES,
    FollowUpWording,
    TemplateError,
    TemplateKind,
    parse_template,
    read_templates,
)
from heed.models import Priority, Visibility
from heed.policy import POLICY_FILE, BrandPolicy, SlaPolicy, SlaTarget, load_policy

ProblemCode = Literal[
    "invalid_policy",
    "invalid_file",
    "missing",
    "unknown_variable",
    "no_signature",
    "no_follow_up_time",
    "too_long",
    "forbidden_phrase",
]

_Report = Callable[[ProblemCode, str, str], None]

# Long but real: names this long exist, and X display names stop at 50 characters.
SAMPLE_LONG_CUSTOMER = "María Fernanda de los Ángeles Villalobos Rodríguez"
SAMPLE_CUSTOMER = "Sam"
SAMPLE_TASK_REF = "T-8C1F0E7A"
# A missing kind whose absence is not obvious from its name says what it is for.
_MISSING = {
    TemplateKind.NEUTRAL: "no template (the neutral reply, sent when triage is unsure of the reading)",
}
_SAMPLE_NOW = datetime(2026, 11, 20, 19, 30, tzinfo=UTC)  # a Friday evening: the longest wordings


class Problem(BaseModel):
    code: ProblemCode
    where: str  # file, or language.kind.channel.tone[.variant]
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class TemplateCheck:
    problems: list[Problem] = field(default_factory=list)
    templates: int = 0  # kind × channel × tone entries found, all languages
    renderings: int = 0  # variant × platform renderings measured

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class _Entry:
    language: str
    kind: TemplateKind
    channel: Visibility
    tone: str
    variant: str
    text: str

    @property
    def where(self) -> str:
        return f"{self.language}.{self.kind}.{self.channel}.{self.tone}.{self.variant}"


def _stand_in_policy() -> BrandPolicy:
    # lets the templates be checked even when policy.toml is broken (that is reported separately)
    target = SlaTarget(first_response_minutes=60, resolution_minutes=480)
    return BrandPolicy(
        brand="Your Brand", signatures=["Alexandra"], sla=SlaPolicy(targets=dict.fromkeys(Priority, target))
    )


def _read_policy(templates_dir: Path, report: TemplateCheck) -> BrandPolicy:
    try:
        return load_policy(templates_dir)
    except FileNotFoundError:
        report.problems.append(Problem(code="invalid_policy", where=POLICY_FILE, message="file not found"))
    except tomllib.TOMLDecodeError as exc:
        report.problems.append(Problem(code="invalid_policy", where=POLICY_FILE, message=f"not TOML: {exc}"))
    except ValidationError as exc:
        for error in exc.errors():
            where = ".".join(str(part) for part in error["loc"]) or "(top)"
            report.problems.append(
                Problem(
                    code="invalid_policy",
                    where=f"{POLICY_FILE} {where}",
                    # pydantic's prefix for a validator's own words adds nothing for the reader
                    message=error["msg"].removeprefix("Value error, "),
                )
            )
    return _stand_in_policy()


def _entries_of_file(path: Path, report: TemplateCheck) -> tuple[list[_Entry], FollowUpWording | None]:
    """Walk one language file by hand, so that every broken template is reported, not the first."""
    name = f"{REPLIES_DIR}/{path.name}"

    def problem(code: ProblemCode, where: str, message: str) -> None:
        report.problems.append(Problem(code=code, where=where, message=message))

    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        problem("invalid_file", name, f"cannot read: {exc}")
        return [], None
    language = path.stem
    if data.get("language") != language:
        problem("invalid_file", name, f"declares language {data.get('language')!r}; expected {language!r}")
    wording = None
    try:
        wording = FollowUpWording.model_validate(data.get("follow_up_time"))
    except ValidationError as exc:
        for error in exc.errors():
            where = ".".join(str(p) for p in error["loc"])
            problem("invalid_file", f"{name} [follow_up_time] {where}".rstrip(), error["msg"])
    customer_fallback = data.get("customer_fallback", "")
    if not isinstance(customer_fallback, str):
        problem("invalid_file", f"{name} customer_fallback", "must be text")

    entries: list[_Entry] = []
    for key, channels in data.items():
        if key in {"language", "customer_fallback", "follow_up_time"}:
            continue
        if key not in TemplateKind.__members__.values():
            problem("invalid_file", f"{name} [{key}]", f"unknown kind; known: {', '.join(TemplateKind)}")
            continue
        kind = TemplateKind(key)
        for channel_key, tones in _table(channels, f"{name} [{key}]", problem).items():
            if channel_key not in {v.value for v in Visibility}:
                problem("invalid_file", f"{name} [{key}.{channel_key}]", "channel must be public or private")
                continue
            for tone, variants in _table(tones, f"{name} [{key}.{channel_key}]", problem).items():
                where = f"{language}.{kind}.{channel_key}.{tone}"
                if tone not in TONES:
                    problem("invalid_file", where, "tone must be formal or informal")
                    continue
                variants = _table(variants, where, problem)
                for extra in set(variants) - {"normal", "short"}:
                    problem("invalid_file", f"{where}.{extra}", "unknown key; use normal and short")
                for variant in ("normal", "short"):
                    text = variants.get(variant)
                    if not isinstance(text, str) or not text.strip():
                        problem("missing", f"{where}.{variant}", f"the {variant} wording is missing")
                        continue
                    entry = _Entry(language, kind, Visibility(channel_key), tone, variant, text.strip())
                    if _variables_ok(entry, problem):
                        entries.append(entry)
    return entries, wording


def _table(value: object, where: str, problem: _Report) -> dict[str, object]:
    if isinstance(value, dict):
        return value
    problem("invalid_file", where, "expected a table of entries")
    return {}


def _variables_ok(entry: _Entry, problem: _Report) -> bool:
    try:
        used = {name for piece, name in parse_template(entry.text) if piece == "var"}
    except TemplateError as exc:
        problem("unknown_variable", entry.where, str(exc))
        return False
    ok = True
    if SIGNATURE not in used:
        problem("no_signature", entry.where, "the signature placeholder {signature} is missing")
        ok = False
    if entry.kind in AFTER_HOURS_KINDS and FOLLOW_UP_TIME not in used:
        problem(
            "no_follow_up_time", entry.where, "says nothing of when a person follows up: add {follow_up_time}"
        )
        ok = False
    if entry.kind not in AFTER_HOURS_KINDS and FOLLOW_UP_TIME in used:
        problem("unknown_variable", entry.where, "{follow_up_time} is only known in the out-of-hours kinds")
        ok = False
    return ok


def _longest_follow_up(wording: FollowUpWording | None, timezone: str) -> str:
    if wording is None:
        return "on Wednesday at 09:00 CET"
    phrases = [
        follow_up_phrase(wording, _SAMPLE_NOW + timedelta(days=days, hours=hours), _SAMPLE_NOW, timezone)
        for days in (0, 1, 3, 10)
        for hours in (0, 13)
    ]
    return max(phrases, key=len)


def check_report(templates_dir: Path) -> TemplateCheck:
    """Everything `heed templates check` prints: the problems and what was measured."""
    templates_dir = Path(templates_dir)
    report = TemplateCheck()
    policy = _read_policy(templates_dir, report)

    files = sorted((templates_dir / REPLIES_DIR).glob("*.toml"))
    by_language: dict[str, list[_Entry]] = {}
    wordings: dict[str, FollowUpWording | None] = {}
    for path in files:
        by_language[path.stem], wordings[path.stem] = _entries_of_file(path, report)

    present = {(e.language, e.kind, e.channel, e.tone) for es in by_language.values() for e in es}
    report.templates = len(present)
    for language in dict.fromkeys([policy.default_language, *policy.languages]):
        if language not in by_language:
            report.problems.append(
                Problem(
                    code="missing",
                    where=f"{REPLIES_DIR}/{language}.toml",
                    message="no templates for this language",
                )
            )
            continue
        for kind, channels in REQUIRED_CHANNELS.items():
            for channel in channels:
                for tone in TONES:
                    if (language, kind, channel, tone) not in present:
                        report.problems.append(
                            Problem(
                                code="missing",
                                where=f"{language}.{kind}.{channel}.{tone}",
                                message=_MISSING.get(kind, "no template"),
                            )
                        )

    signature = max(policy.signatures, key=len)
    for language, entries in by_language.items():
        follow_up = _longest_follow_up(wordings.get(language), policy.business_hours.timezone)
        for entry in entries:
            values = {
                "customer": SAMPLE_LONG_CUSTOMER,
                "signature": signature,
                "brand": policy.brand,
                "task_ref": SAMPLE_TASK_REF,
                "follow_up_time": follow_up,
            }
            text = render(entry.text, values)
            for phrase in find_forbidden(
                render(entry.text, {**values, "customer": SAMPLE_CUSTOMER}),
                forbidden_for(entry.channel, policy.forbidden_phrases),
            ):
                report.problems.append(
                    Problem(
                        code="forbidden_phrase",
                        where=entry.where,
                        message=f"contains forbidden phrase {phrase!r}",
                    )
                )
            for platform, limit in PLATFORM_LIMITS.items():
                report.renderings += 1
                length = weighted_length(text, platform)
                # The normal wording may be too long: the short one then takes over. The short one
                # is the last resort and must fit everywhere, or the reply would have to be cut.
                if length > limit and entry.variant == "short":
                    report.problems.append(
                        Problem(
                            code="too_long",
                            where=entry.where,
                            message=f"{length} characters on {platform} (limit {limit}) with a long customer name",
                        )
                    )

    if not any(p.code == "invalid_file" for p in report.problems) and files:
        try:  # the runtime loader must agree with this walk
            read_templates(templates_dir)
        except (TemplateError, ValidationError, OSError, tomllib.TOMLDecodeError) as exc:
            if not report.problems:
                report.problems.append(Problem(code="invalid_file", where=REPLIES_DIR, message=str(exc)))
    return report


def check_templates(templates_dir: Path) -> list[Problem]:
    """Every problem in `templates_dir` (policy and reply templates); empty when ready to deploy."""
    return check_report(templates_dir).problems
