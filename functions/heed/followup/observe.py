"""What the respond pipeline tells the follow-up side about every triaged customer mention
(the `on_negative` hook): the spike watch, the daily counters for reports, and satisfaction answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from heed.followup import spike
from heed.followup import tasks as followup
from heed.models import Mention, Triage
from heed.observability import logger
from heed.policy import BrandPolicy
from heed.reports import stats
from heed.storage import mentions


@dataclass
class MentionObserver:
    table: Any
    sns: Any
    alert_topic_arn: str
    policy: BrandPolicy

    def __call__(self, mention: Mention, triage: Triage, now: datetime) -> list[str]:
        if self.policy.csat.enabled:
            answered = followup.record_csat_answer(self.table, mention, self.policy, now=now)
            if answered is not None:
                logger.info("satisfaction answer recorded", extra={"task_id": answered.task_id})
        if not mentions.claim_counting(self.table, mention.key, now=now):
            # a redelivery of a mention already counted: counting again would inflate the report
            # and could raise a spike out of one message retried on its way to the dead-letter queue
            logger.info("mention already counted", extra={"mention": mention.key})
            return []
        stats.count_mention(self.table, mention, triage, now=now)
        return spike.observe_negative(
            self.table, self.sns, self.alert_topic_arn, self.policy, mention, triage, now=now
        )
