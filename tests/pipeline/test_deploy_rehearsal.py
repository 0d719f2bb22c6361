"""Deploy rehearsal: template.yaml → CloudFormation → a stack on moto; the functions then run
against the resources that stack created, found through the stack, with the environment the
template gives them. Proves template, variable names and code agree."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from heed.settings import Settings

from infra.local_stack import LambdaContext, api_gateway_event
from infra.sample_deliveries import facebook_samples
from infra.stack import ROOT, create_development_secrets, deploy, load_template

FUNCTIONS = (
    "IngestFunction",
    "RespondFunction",
    "WatchFunction",
    "PollingFunction",
    "PrivacyFunction",
    "StaffFunction",
)


@pytest.fixture
def deployed(aws: None) -> Any:
    return deploy("heed-rehearsal")


def test_stack_creates_the_table_queues_topics_and_functions(deployed: Any) -> None:
    table = boto3.client("dynamodb").describe_table(TableName=deployed.table_name)["Table"]
    assert {i["IndexName"] for i in table["GlobalSecondaryIndexes"]} == {"gsi1", "gsi2"}
    redrive = json.loads(
        boto3.client("sqs").get_queue_attributes(
            QueueUrl=deployed.queue_url, AttributeNames=["RedrivePolicy"]
        )["Attributes"]["RedrivePolicy"]
    )
    assert redrive["deadLetterTargetArn"].endswith(deployed.dlq_url.rsplit("/", 1)[-1])
    assert int(redrive["maxReceiveCount"]) == 5
    assert set(FUNCTIONS) <= set(deployed.function_env)
    # moto skips the HTTP API, schedules and the secrets: say so rather than assume they exist
    assert not {"HttpApi", "InboundSecret", "OutboundSecret"} & set(deployed.resources)


def test_every_setting_the_code_requires_is_set_by_the_template(deployed: Any) -> None:
    required = {f.alias for f in Settings.model_fields.values() if f.is_required()}
    template_env = load_template()["Globals"]["Function"]["Environment"]["Variables"]
    assert required <= set(template_env)
    assert set(template_env) - {
        "POWERTOOLS_SERVICE_NAME",
        "POWERTOOLS_METRICS_NAMESPACE",
        "POWERTOOLS_LOG_LEVEL",
    } <= {f.alias for f in Settings.model_fields.values()}, (
        "the template sets a variable the code never reads"
    )
    # and each function's own (the platform secret of its direction) is one the code reads too
    for name in FUNCTIONS:
        own = load_template()["Resources"][name]["Properties"].get("Environment", {}).get("Variables", {})
        assert set(own) <= {f.alias for f in Settings.model_fields.values()}, name


def test_functions_run_against_the_resources_the_stack_created(
    deployed: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the environment the template resolved for each function (plus the secrets moto skips,
    # each holding only its direction's fields)
    secrets = create_development_secrets(prefix="rehearsal")
    ingest_env = {k: str(v) for k, v in deployed.function_env["IngestFunction"].items()}
    env = {k: str(v) for k, v in deployed.function_env["RespondFunction"].items()}
    # (one process plays both functions; each reads the variable of its own direction only)
    assert "HEED_OUTBOUND_SECRET_NAME" not in ingest_env and "HEED_INBOUND_SECRET_NAME" not in env
    env.update(secrets, HEED_TEMPLATES_DIR=str(ROOT / "templates"))
    env["HEED_GRAPH_API_BASE"] = "https://graph.facebook.com/v21.0"
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    from heed import clients
    from heed.settings import get_settings

    get_settings.cache_clear()
    clients.reset()
    import responses
    from heed.ingest import handler as ingest
    from heed.respond import handler as respond

    sample = facebook_samples(datetime.now(tz=UTC))[0]
    # When the ingest function accepts a webhook and the respond function takes the queue's batch
    answer = ingest.handler(
        api_gateway_event("POST", "/webhooks/facebook", sample.headers, sample.body), LambdaContext("ingest")
    )
    assert answer["statusCode"] == 200
    sqs = boto3.client("sqs")
    messages = sqs.receive_message(
        QueueUrl=deployed.queue_url, MaxNumberOfMessages=10, AttributeNames=["All"]
    )["Messages"]
    event = {
        "Records": [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": m["Attributes"],
                "messageAttributes": {},
                "md5OfBody": m["MD5OfBody"],
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:q",
                "awsRegion": "us-east-1",
            }
            for m in messages
        ]
    }
    with responses.RequestsMock() as graph:
        graph.post("https://graph.facebook.com/v21.0/555001_900001/comments", json={"id": "555001_990001"})
        result = respond.handler(event, LambdaContext("respond"))
        # Then the reply went out through the Graph API
        assert len(graph.calls) == 1
    assert result == {"batchItemFailures": []}
    # And the mention, conversation and task are in the stack's own table
    table = boto3.resource("dynamodb").Table(deployed.table_name)
    from heed.storage import keys

    record = table.get_item(Key=keys.mention("facebook#555001_900001"))["Item"]
    assert record["ack_state"] == "posted" and record["actions"]["reply"]["reply_id"] == "555001_990001"
    assert (
        table.get_item(Key=keys.task(keys.task_id_for("facebook#555001_900001")))["Item"]["status"]
        == "acknowledged"
    )
    get_settings.cache_clear()
    clients.reset()


def test_the_staff_cli_reads_only_outputs_the_template_declares() -> None:
    from heed.cli.target import STACK_OUTPUTS

    outputs = set(load_template()["Outputs"])
    assert set(STACK_OUTPUTS) <= outputs
    required = {f.alias for f in Settings.model_fields.values() if f.is_required()}
    assert required <= set(STACK_OUTPUTS.values()), (
        "a deployed stack must give the CLI every required setting"
    )


def test_the_dead_letter_queue_keeps_a_message_longer_than_the_queue_did(deployed: Any) -> None:
    # A standard queue's message keeps its original enqueue time in the dead-letter queue, so the DLQ
    # must retain longer than the source queue; 14 days is SQS's maximum (issue 11 item 10).
    # https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/setting-up-dead-letter-queue-retention.html
    sqs = boto3.client("sqs")

    def retention(url: str) -> int:
        attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["MessageRetentionPeriod"])
        return int(attributes["Attributes"]["MessageRetentionPeriod"])

    assert retention(deployed.dlq_url) == 14 * 86400
    assert retention(deployed.queue_url) <= retention(deployed.dlq_url) - 10 * 86400
