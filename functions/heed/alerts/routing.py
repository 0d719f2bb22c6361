"""Per-team alert routing: a team's members subscribe to the alert topic with an SNS filter policy on
the `team` message attribute every task alert carries (alerts/publish.py), so they get their team's
alerts and nobody else's. One topic, no per-team resources to deploy; SNS evaluates the policy before
delivering (https://docs.aws.amazon.com/sns/latest/dg/sns-message-filtering.html,
https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html).

SMS subscriptions also filter on `kind`, as the on-call SMS subscription in template.yaml does: only
what cannot wait goes to a phone.
"""

from __future__ import annotations

import json
import re
from typing import Any

SMS_KINDS = (
    "sla_breach",
    "escalation",
    "negative_spike",
    "personal_data_exposed",
    "urgent_mention",
    "vip_mention",
)
_PHONE = re.compile(r"^\+[1-9]\d{6,14}$")  # E.164, as SNS takes SMS endpoints
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,189}\.[^@\s]{2,}$")


def filter_policy(team: str, *, sms: bool) -> dict[str, list[str]]:
    policy = {"team": [team]}
    if sms:
        policy["kind"] = list(SMS_KINDS)
    return policy


def subscribe_team(
    sns: Any, topic_arn: str, team: str, *, email: str | None = None, phone: str | None = None
) -> str:
    """Subscribe one member of `team`; returns the subscription ARN ("pending confirmation" for an
    e-mail until its owner confirms)."""
    if not team.strip():
        raise ValueError("name the team")
    if (email is None) == (phone is None):
        raise ValueError("give an e-mail address or a phone number")
    if email is not None and not _EMAIL.match(email):
        raise ValueError("give a valid e-mail address")
    if phone is not None and not _PHONE.match(phone):
        raise ValueError("give the phone number in E.164 form, e.g. +34600111222")
    answer = sns.subscribe(
        TopicArn=topic_arn,
        Protocol="email" if email else "sms",
        Endpoint=email or phone,
        Attributes={"FilterPolicy": json.dumps(filter_policy(team.strip(), sms=phone is not None))},
        ReturnSubscriptionArn=True,
    )
    return str(answer["SubscriptionArn"])


def team_subscriptions(sns: Any, topic_arn: str) -> list[dict[str, Any]]:
    """Every subscription of the topic with the team its filter policy names (None: all alerts)."""
    found = []
    for page in sns.get_paginator("list_subscriptions_by_topic").paginate(TopicArn=topic_arn):
        for sub in page.get("Subscriptions", []):
            arn = str(sub["SubscriptionArn"])
            team = None
            if arn.startswith("arn:"):
                attributes = sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"]
                teams = json.loads(attributes.get("FilterPolicy") or "{}").get("team")
                team = ", ".join(teams) if teams else None
            found.append({"protocol": sub["Protocol"], "endpoint": sub["Endpoint"], "team": team, "arn": arn})
    return found
