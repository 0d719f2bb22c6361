"""On-call alerts over SNS: what happened, where, what to do — in a form a person can act on in a minute."""

from __future__ import annotations

import unicodedata
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel

from heed.models import Priority

# SNS rejects a Publish (InvalidParameter) whose Subject is not ASCII, holds a line break or control
# character, does not begin with a letter, number or punctuation mark, or is 100 characters or more:
# https://docs.aws.amazon.com/sns/latest/api/API_Publish.html (Subject, "Constraints").
SUBJECT_MAX = 99


def subject_line(text: str) -> str:
    """The subject SNS accepts: folded to ASCII (NFKD: "José" -> "Jose", "…" -> "..."), one line, ≤ 99."""
    # NFKD spells "½" with a fraction slash (U+2044); dropping it would turn "½" into "12".
    decomposed = unicodedata.normalize("NFKD", text).replace("\u2044", "/")
    folded = decomposed.encode("ascii", "ignore").decode("ascii")
    # Control characters (line breaks, tabs) become spaces; runs of spaces and the ends are trimmed,
    # so the subject starts with a printable character.
    line = " ".join("".join(c if c.isprintable() else " " for c in folded).split())
    if len(line) > SUBJECT_MAX:
        line = line[: SUBJECT_MAX - 3].rstrip() + "..."
    return line or "Heed alert"


class AlertKind(StrEnum):
    SLA_WARNING = "sla_warning"
    SLA_BREACH = "sla_breach"
    ESCALATION = "escalation"
    VIP = "vip_mention"
    PERSONAL_DATA = "personal_data_exposed"
    URGENT = "urgent_mention"
    SPIKE = "negative_spike"
    ACK_FAILED = "acknowledgment_failed"
    HEED_FAILURE = "heed_failure"


class Alert(BaseModel):
    kind: AlertKind
    priority: Priority
    # Always what SNS accepts, however the alert was built (the full text, names included, is in body)
    subject: Annotated[str, AfterValidator(subject_line)]
    body: str
    scope: str  # what it is about (task id, platform...): with `kind`, sent once
    task_id: str | None = None
    count: int = 1
    # The team whose members get it (SNS filter policies on the `team` attribute: alerts/routing.py)
    team: str | None = None


def console_link(base_url: str, task_id: str | None) -> str | None:
    """Where the alert opens in the console: the task, or the overdue inbox for a group or a spike.
    None when no console URL is configured (template.yaml: ConsoleBaseUrl)."""
    if not base_url:
        return None
    base = base_url.rstrip("/").removesuffix("/console")
    return f"{base}/console/#/tasks/{task_id}" if task_id else f"{base}/console/#/inbox?overdue=1"
