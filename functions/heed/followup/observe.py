"""What the respond pipeline tells the follow-up side about every triaged customer mention
(the `on_negative` hook): the counters for reports and the spike watch, in one write per mention."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from heed.followup import spike
from heed.models import Mention, Sentiment, Triage
from heed.policy import BrandPolicy
from heed.reports import stats


@dataclass
class MentionObserver:
    table: Any
    sns: Any
    alert_topic_arn: str
    policy: BrandPolicy

    def __call__(self, mention: Mention, triage: Triage, now: datetime) -> list[str]:
        """Called once per mention, right after its plan was first committed (the commit is the
        at-most-once guard): a redelivery never counts a mention twice nor raises a false spike.
        Satisfaction answers are part of the decision itself (respond/decide.py)."""
        if triage.sentiment is Sentiment.NEGATIVE:
            # its spike window's count is the reports' count too: counting it here as well would double it
            return spike.observe_negative(
                self.table, self.sns, self.alert_topic_arn, self.policy, mention, triage, now=now
            )
        stats.count_mention(
            self.table, mention, triage, now=now, window_minutes=self.policy.alerts.spike.window_minutes
        )
        return []
