"""Alerts that open the task: the console link in every task alert, a short SMS, AWS Chatbot's card
for Slack/Teams, per-team routing by SNS filter policy, escalations to a second contact."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import boto3
import pytest
from heed.alerts import compose, console_link
from heed.alerts.publish import VARIANT_MAX_CHARS, message_variants, send
from heed.alerts.routing import filter_policy, subscribe_team, team_subscriptions
from heed.followup.tasks import new_task

from infra.stack import load_template
from tests.followup.world import MONDAY_MORNING, mention, triage

BASE = "https://abc123.execute-api.eu-west-1.amazonaws.com"


def a_task(brand: Any, n: int = 1, team: str | None = "billing", text: str | None = None):
    return new_task(
        mention(n, **({"text": text} if text else {})),
        triage(team=team),
        brand,
        customer_id=f"C-{n}",
        now=MONDAY_MORNING,
    )


def test_every_task_alert_links_to_its_task_in_the_console(brand):
    task = a_task(brand)
    breach = compose.sla_alert(
        task, clock="first_response", level="breach", now=MONDAY_MORNING + timedelta(hours=2)
    )
    variants = message_variants(breach, console_link(BASE, breach.task_id))
    link = f"{BASE}/console/#/tasks/{task.task_id}"
    # E-mail and queues: the link right under the headline
    assert variants["default"].split("\n")[1] == f"Open: {link}" and variants["email"] == variants["default"]
    # SMS: the subject and the link only (a phone opens it, signs in, claims)
    assert variants["sms"] == f"{breach.subject} {link}" and len(variants["sms"]) < 300
    # Slack / Teams through AWS Chatbot: its custom-notification form, with the link as the next step
    card = json.loads(variants["https"])
    assert card["version"] == "1.0" and card["source"] == "custom"
    assert card["content"]["nextSteps"] == [f"Open in the console: {link}"]
    assert card["metadata"]["threadId"] == task.task_id
    # A group of alerts links to the overdue inbox; no console URL, no link
    group = compose.grouped([breach, breach], now=MONDAY_MORNING)
    assert console_link(BASE, group.task_id) == f"{BASE}/console/#/inbox?overdue=1"
    assert console_link("", task.task_id) is None
    assert console_link(f"{BASE}/console/", "T-1") == f"{BASE}/console/#/tasks/T-1"


def test_customer_text_cannot_ping_a_chat_channel(brand):
    task = a_task(brand, text="<!channel> <@U123> refund me <https://evil.example|click>")
    alert = compose.for_mention(
        mention(1, text=task.excerpt or ""), triage(urgent=True, urgency_reasons=["x"]), task, brand
    )[0]
    card = json.loads(message_variants(alert, None)["https"])
    assert (
        "<!channel>" not in card["content"]["description"]
        and "&lt;!channel&gt;" in card["content"]["description"]
    )


def test_message_variants_stay_within_snss_256_kb(brand):
    task = a_task(brand)
    alert = compose.sla_alert(task, clock="resolution", level="warning", now=MONDAY_MORNING).model_copy(
        update={"body": "x" * 300_000}
    )
    variants = message_variants(alert, console_link(BASE, task.task_id))
    assert len(variants["default"]) == VARIANT_MAX_CHARS
    assert len(json.dumps(variants).encode()) < 256 * 1024


@pytest.fixture
def topic(aws: None) -> tuple[Any, str]:
    sns = boto3.client("sns")
    return sns, sns.create_topic(Name="alerts")["TopicArn"]


def _queue(sqs: Any, sns: Any, topic_arn: str, name: str, policy: dict[str, Any] | None) -> str:
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    attributes = {"FilterPolicy": json.dumps(policy)} if policy else {}
    sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=arn, Attributes=attributes)
    return url


def _received(sqs: Any, url: str) -> list[dict[str, Any]]:
    messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"]).get(
        "Messages", []
    )
    return [json.loads(m["Body"]) for m in messages]


def test_a_teams_members_get_that_teams_alerts_only(brand, topic):
    sns, topic_arn = topic
    sqs = boto3.client("sqs")
    everyone = _queue(sqs, sns, topic_arn, "on-call", None)
    billing = _queue(sqs, sns, topic_arn, "billing", filter_policy("billing", sms=False))
    technical = _queue(sqs, sns, topic_arn, "technical", filter_policy("technical", sms=False))
    for n, team in ((1, "billing"), (2, "technical"), (3, None)):
        task = a_task(brand, n, team=team)
        send(
            sns,
            topic_arn,
            compose.sla_alert(task, clock="first_response", level="breach", now=MONDAY_MORNING),
            console_url=BASE,
        )
    assert len(_received(sqs, everyone)) == 3
    got = _received(sqs, billing)
    assert len(got) == 1 and got[0]["MessageAttributes"]["team"]["Value"] == "billing"
    assert f"{BASE}/console/#/tasks/" in got[0]["Message"]  # the queue gets the default text, link included
    assert len(_received(sqs, technical)) == 1


def test_heed_alerts_subscribe_sets_the_filter_policy(topic):
    sns, topic_arn = topic
    subscribe_team(sns, topic_arn, "billing", email="ana@example.com")
    subscribe_team(sns, topic_arn, "billing", phone="+34600111222")
    with pytest.raises(ValueError):
        subscribe_team(sns, topic_arn, "billing", phone="600111222")
    listed = {(s["protocol"], s["endpoint"]): s for s in team_subscriptions(sns, topic_arn)}
    assert {k: v["team"] for k, v in listed.items()} == {
        ("email", "ana@example.com"): "billing",
        ("sms", "+34600111222"): "billing",
    }
    sms = sns.get_subscription_attributes(SubscriptionArn=listed[("sms", "+34600111222")]["arn"])[
        "Attributes"
    ]
    assert json.loads(sms["FilterPolicy"])["kind"][:2] == ["sla_breach", "escalation"]


def test_escalations_go_to_a_second_contact_not_the_on_call_address():
    template = load_template()
    resources = template["Resources"]
    escalation_subs = [
        r["Properties"]
        for r in resources.values()
        if r["Type"] == "AWS::SNS::Subscription" and r["Properties"]["TopicArn"] == {"Ref": "EscalationTopic"}
    ]
    assert {json.dumps(s["Endpoint"]) for s in escalation_subs} == {
        json.dumps({"Ref": "EscalationEmail"}),
        json.dumps({"Ref": "EscalationPhone"}),
    }
    rule = template["Rules"]["EscalationReachesSomeoneElse"]["Assertions"][0]["Assert"]
    assert rule == {"Fn::Not": [{"Fn::Equals": [{"Ref": "EscalationEmail"}, {"Ref": "AlertEmail"}]}]}
    # Slack and Teams only when their ids are given (conditions), through AWS Chatbot
    assert (
        resources["SlackAlerts"]["Condition"] == "HasSlack"
        and resources["TeamsAlerts"]["Condition"] == "HasTeams"
    )
    assert "HEED_CONSOLE_URL" in template["Globals"]["Function"]["Environment"]["Variables"]


def test_heed_alerts_cli_subscribes_a_team_member_and_lists_teams(topic, capsys):
    from heed.cli import alerts as alerts_cli
    from heed.cli import build_parser, target
    from heed.settings import Settings

    _sns, topic_arn = topic
    settings = Settings.from_env(
        {"HEED_TABLE_NAME": "t", "HEED_QUEUE_URL": "", "HEED_ALERT_TOPIC_ARN": topic_arn}
    )
    lines: list[str] = []

    def heed(*argv: str) -> int:
        return alerts_cli.run(
            build_parser().parse_args(list(argv)), target=target.Target(settings), out=lines.append
        )

    assert heed("alerts", "subscribe", "--team", "billing", "--email", "ana@example.com") == 0
    assert heed("alerts", "subscribe", "--team", "billing", "--phone", "600") == 2
    assert "E.164" in capsys.readouterr().err
    assert heed("alerts", "list") == 0
    assert lines[-1].split() == ["email", "ana@example.com", "billing"]
