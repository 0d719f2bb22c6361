"""Least privilege and data at rest, read from the translated template (what CloudFormation gets)."""

from __future__ import annotations

from typing import Any

import pytest

from infra.stack import load_template, translate

SCOPED_SERVICES = ("dynamodb", "sqs", "sns", "secretsmanager")


@pytest.fixture(scope="module")
def cfn() -> dict[str, Any]:
    return translate(load_template())


def _function_policies(cfn: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Function logical id -> every statement of every policy on its role."""
    resources = cfn["Resources"]
    out: dict[str, list[dict[str, Any]]] = {}
    for name, res in resources.items():
        if res["Type"] != "AWS::Lambda::Function":
            continue
        role = res["Properties"]["Role"]["Fn::GetAtt"][0]
        statements = []
        for policy in resources[role]["Properties"].get("Policies", []):
            statements += policy["PolicyDocument"]["Statement"]
        out[name] = statements
    return out


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def test_every_function_has_its_own_inline_policy_without_wildcard_actions(cfn: dict[str, Any]) -> None:
    # Given the translated template / When each function's statements are read
    policies = _function_policies(cfn)
    # Then there are functions, and no action is a wildcard
    assert {"IngestFunction", "RespondFunction"} <= policies.keys()
    for function, statements in policies.items():
        for st in statements:
            for action in _list(st["Action"]):
                assert "*" not in action, (function, action)


def test_data_resources_are_named_never_star_and_no_scan(cfn: dict[str, Any]) -> None:
    for function, statements in _function_policies(cfn).items():
        for st in statements:
            actions = _list(st["Action"])
            assert "dynamodb:Scan" not in actions, function
            if any(a.split(":")[0] in SCOPED_SERVICES for a in actions):
                for resource in _list(st["Resource"]):
                    assert resource != "*", (function, actions)
                    assert isinstance(resource, dict), (function, resource)  # a reference to a named resource


def test_dynamodb_statements_name_the_table_and_its_indexes(cfn: dict[str, Any]) -> None:
    for function, statements in _function_policies(cfn).items():
        for st in statements:
            if not any(a.startswith("dynamodb:") for a in _list(st["Action"])):
                continue
            for resource in _list(st["Resource"]):
                text = str(resource)
                assert "HeedTable" in text, (function, resource)
                if "index" in text:
                    assert any(f"/index/gsi{n}" in text for n in (1, 2, 3)), (function, resource)


def test_ingest_can_only_queue_and_read_its_secret(cfn: dict[str, Any]) -> None:
    actions = {a for st in _function_policies(cfn)["IngestFunction"] for a in _list(st["Action"])}
    # PutItem: claim checks for a mention too large for one SQS message (issue 11 item 6).
    allowed = {"sqs:SendMessage", "secretsmanager:GetSecretValue", "dynamodb:PutItem"}
    assert {a for a in actions if a.split(":")[0] in SCOPED_SERVICES} <= allowed


def test_data_at_rest_is_encrypted_recoverable_and_expires(cfn: dict[str, Any]) -> None:
    resources = cfn["Resources"]
    table = resources["HeedTable"]["Properties"]
    # Table: server-side encryption, point-in-time recovery, TTL on expires_at
    assert table["SSESpecification"]["SSEEnabled"] is True
    assert table["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert table["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
    # Queues: SSE; topics: KMS with this stack's own key (CloudWatch alarms cannot publish to a topic
    # under alias/aws/sns: tests/security/test_alarm_delivery.py)
    for name, res in resources.items():
        if res["Type"] == "AWS::SQS::Queue":
            props = res["Properties"]
            assert props.get("SqsManagedSseEnabled") or props.get("KmsMasterKeyId"), name
        if res["Type"] == "AWS::SNS::Topic":
            key = res["Properties"].get("KmsMasterKeyId")
            assert isinstance(key, dict) and "Ref" in key, (name, key)
            assert resources[key["Ref"]]["Type"] == "AWS::KMS::Key", name


def test_raw_payload_retention_is_a_parameter_every_function_gets(cfn: dict[str, Any]) -> None:
    assert cfn["Parameters"]["RawPayloadRetentionDays"]["Type"] == "Number"
    for name, res in cfn["Resources"].items():
        if res["Type"] == "AWS::Lambda::Function":
            env = res["Properties"]["Environment"]["Variables"]
            assert env["HEED_RAW_PAYLOAD_DAYS"] == {"Ref": "RawPayloadRetentionDays"}, name


def test_staff_api_requires_iam_auth() -> None:
    template = load_template()
    staff = template["Resources"]["StaffFunction"]["Properties"]["Events"]["Staff"]["Properties"]
    assert staff["Auth"]["Authorizer"] == "AWS_IAM"


def test_respond_may_requeue_only_on_its_own_queue(cfn: dict[str, Any]) -> None:
    # A rate-limit wait re-enqueues the message on the queue it came from (respond/requeue.py), and a
    # mention out of waits gets its visibility changed; no other queue is the respond function's.
    sqs = [st for st in _function_policies(cfn)["RespondFunction"] if _sqs_actions(st)]
    actions = {a for st in sqs for a in _sqs_actions(st)}
    assert {"sqs:SendMessage", "sqs:ChangeMessageVisibility"} <= actions
    assert all(_list(st["Resource"]) == [{"Fn::GetAtt": ["MentionQueue", "Arn"]}] for st in sqs)


def _sqs_actions(statement: dict[str, Any]) -> list[str]:
    return [a for a in _list(statement["Action"]) if a.startswith("sqs:")]


# Secrets split by direction (issue 11 item 12): the internet-facing functions verify what comes in
# and never hold a token that posts as the brand; the functions that post never hold the keys that
# make a forged delivery look genuine.
READS = {
    "IngestFunction": {"InboundSecret"},
    "PrivacyFunction": {"InboundSecret"},  # Meta's signed_request: the app secret
    "RespondFunction": {"OutboundSecret"},
    "PollingFunction": {"OutboundSecret"},
    "StaffFunction": {"OutboundSecret"},  # a person's reply from the console
    "WatchFunction": set(),
}
SECRET_VARIABLES = {
    "InboundSecret": "HEED_INBOUND_SECRET_NAME",
    "OutboundSecret": "HEED_OUTBOUND_SECRET_NAME",
}


def _secrets_read(statements: list[dict[str, Any]]) -> set[str]:
    return {
        resource["Ref"]
        for st in statements
        if "secretsmanager:GetSecretValue" in _list(st["Action"])
        for resource in _list(st["Resource"])
    }


def test_ingest_cannot_read_the_outbound_secret_and_respond_cannot_read_the_inbound_one(
    cfn: dict[str, Any],
) -> None:
    policies = _function_policies(cfn)
    # Then each function may read exactly the secret of its direction
    assert {name: _secrets_read(policies[name]) for name in READS} == READS
    assert "OutboundSecret" not in _secrets_read(policies["IngestFunction"])
    assert "InboundSecret" not in _secrets_read(policies["RespondFunction"])
    # And its environment names only that secret, so it never even asks for the other
    for name, secrets in READS.items():
        env = cfn["Resources"][name]["Properties"]["Environment"]["Variables"]
        named = {secret for secret, variable in SECRET_VARIABLES.items() if variable in env}
        assert named == secrets, name
        for secret in secrets:
            assert env[SECRET_VARIABLES[secret]] == {"Ref": secret}, name


def test_each_secret_is_created_with_the_fields_of_its_direction_only(cfn: dict[str, Any]) -> None:
    import json

    from heed.platforms.secrets import INBOUND_FIELDS, OUTBOUND_FIELDS

    resources = cfn["Resources"]
    inbound = resources["InboundSecret"]["Properties"]["GenerateSecretString"]
    fields = set(json.loads(inbound["SecretStringTemplate"])) | {inbound["GenerateStringKey"]}
    assert fields == INBOUND_FIELDS
    assert set(json.loads(resources["OutboundSecret"]["Properties"]["SecretString"])) == OUTBOUND_FIELDS
    # The tokens that post as the brand are outbound only; the keys that verify a delivery inbound only
    assert {"meta_page_token", "whatsapp_token", "x_bearer_token", "x_user_token"} <= OUTBOUND_FIELDS
    assert not {"meta_page_token", "whatsapp_token", "x_bearer_token", "x_user_token"} & INBOUND_FIELDS
    assert {"meta_app_secret", "meta_verify_token", "x_consumer_secret"} <= INBOUND_FIELDS
    assert not {"meta_app_secret", "meta_verify_token", "x_consumer_secret"} & OUTBOUND_FIELDS
