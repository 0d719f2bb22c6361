"""Alert texts a person can act on, and publishing once per scope with filterable attributes."""

from __future__ import annotations

import json
from datetime import timedelta

import boto3
from heed.alerts import AlertKind, compose
from heed.alerts.publish import publish
from heed.followup.tasks import new_task
from heed.models import PersonalDataFinding, Priority

from tests.followup.world import MONDAY_MORNING, mention, triage

TEXT = "Charged twice, card 4111111111111111, fix it"


def a_task(brand):
    start = TEXT.index("4111")
    found = PersonalDataFinding(kind="card", start=start, end=start + 16)
    return new_task(
        mention(1, text=TEXT),
        triage(personal_data=[found], vip=True),
        brand,
        customer_id="C-1",
        now=MONDAY_MORNING,
    )


def test_sla_alerts_say_who_where_what_deadline_and_command(brand):
    task = a_task(brand)
    for level, kind in (
        ("warning", AlertKind.SLA_WARNING),
        ("breach", AlertKind.SLA_BREACH),
        ("escalation", AlertKind.ESCALATION),
    ):
        alert = compose.sla_alert(
            task, clock="first_response", level=level, now=MONDAY_MORNING + timedelta(minutes=90)
        )
        assert alert.kind is kind and len(alert.subject) < 100  # SNS refuses 100 or more
        assert (
            "Customer 1 (VIP)" in alert.body and "facebook (public) https://facebook.com/post1" in alert.body
        )
        assert "[card]" in alert.body and "4111" not in alert.body
        assert f"heed tasks claim {task.task_id}" in alert.body and "Due:" in alert.body


def test_grouped_and_heed_failure_texts(brand):
    task = a_task(brand)
    alerts = [
        compose.sla_alert(
            task.model_copy(update={"task_id": f"T-{n}", "priority": Priority.P3}),
            clock="resolution",
            level="breach",
            now=MONDAY_MORNING,
        )
        for n in range(15)
    ]
    group = compose.grouped(alerts, now=MONDAY_MORNING)
    assert group.count == 15 and "… and 5 more" in group.body and len(group.subject) < 100
    failure = compose.heed_failure("dead-letter queue not empty", "3 messages")
    assert failure.kind is AlertKind.HEED_FAILURE and "heed dlq replay" in failure.body


def test_publish_sets_filterable_attributes_and_sends_once(table, brand):
    sns = boto3.client("sns", region_name="us-east-1")
    sqs = boto3.client("sqs", region_name="us-east-1")
    topic = sns.create_topic(Name="heed-alerts")["TopicArn"]
    inbox = sqs.create_queue(QueueName="inbox")["QueueUrl"]
    inbox_arn = sqs.get_queue_attributes(QueueUrl=inbox, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=inbox_arn)
    alert = compose.sla_alert(a_task(brand), clock="first_response", level="breach", now=MONDAY_MORNING)
    assert publish(sns, table, topic, alert, now=MONDAY_MORNING) is True
    assert publish(sns, table, topic, alert, now=MONDAY_MORNING) is False  # once per scope and kind
    messages = sqs.receive_message(QueueUrl=inbox, MaxNumberOfMessages=10)["Messages"]
    assert len(messages) == 1
    envelope = json.loads(messages[0]["Body"])
    assert envelope["MessageAttributes"]["kind"]["Value"] == "sla_breach"
    assert envelope["MessageAttributes"]["priority"]["Value"] == "P2"
