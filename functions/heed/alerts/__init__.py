"""On-call alerts over SNS: what happened, where, what to do — in a form a person can act on in a minute."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field

from heed.models import Priority


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
    subject: str = Field(max_length=100)  # fits an SMS and an e-mail subject
    body: str
    scope: str  # what it is about (task id, platform...): with `kind`, sent once
    task_id: str | None = None
    count: int = 1
