"""Every CloudWatch alarm reaches a person: its actions target topics CloudWatch can publish to.

AWS: CloudWatch alarms cannot publish to a topic encrypted with the AWS-managed key alias/aws/sns
(its key policy cannot be changed to let cloudwatch.amazonaws.com use it); a customer-managed key whose
policy allows the service kms:Decrypt and kms:GenerateDataKey* is needed, and every publisher needs
the same two actions on the key. https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html
("Enable compatibility between event sources from AWS services and encrypted topics")
"""

from __future__ import annotations

from typing import Any

import pytest

from infra.stack import load_template, translate

ACTION_KEYS = ("AlarmActions", "OKActions", "InsufficientDataActions")


@pytest.fixture(scope="module")
def cfn() -> dict[str, Any]:
    return translate(load_template())


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _logical(ref: Any) -> str:
    """The logical id behind {"Ref": X} or {"Fn::GetAtt": [X, "Arn"]}; anything else is not ours."""
    assert isinstance(ref, dict), f"not a reference to a resource of this stack: {ref!r}"
    if "Ref" in ref:
        return ref["Ref"]
    return ref["Fn::GetAtt"][0]


def _topic_key(cfn: dict[str, Any], topic: str) -> dict[str, Any]:
    """The customer-managed key a topic is encrypted with (fails for the AWS-managed alias)."""
    key_id = cfn["Resources"][topic]["Properties"].get("KmsMasterKeyId")
    assert key_id, f"{topic} is not encrypted"
    assert "alias/aws/" not in str(key_id), f"{topic} uses an AWS-managed key CloudWatch cannot use"
    key = cfn["Resources"][_logical(key_id)]
    assert key["Type"] == "AWS::KMS::Key"
    return key


def _allows(key: dict[str, Any], principal: dict[str, str], actions: set[str]) -> bool:
    for st in key["Properties"]["KeyPolicy"]["Statement"]:
        if st["Effect"] != "Allow" or "Condition" in st:
            continue
        who = st["Principal"]
        if not all(value in _list(who.get(kind, [])) for kind, value in principal.items()):
            continue
        granted = set(_list(st["Action"]))
        if all(a in granted or "kms:*" in granted or f"{a}*" in granted for a in actions):
            return True
    return False


def _alarm_topics(cfn: dict[str, Any]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for name, res in cfn["Resources"].items():
        if res["Type"] == "AWS::CloudWatch::Alarm":
            props = res["Properties"]
            out[name] = {_logical(t) for k in ACTION_KEYS for t in props.get(k, [])}
    return out


def test_every_alarm_notifies_a_topic(cfn: dict[str, Any]) -> None:
    alarms = _alarm_topics(cfn)
    assert {"DeadLetterAlarm", "RespondErrorsAlarm", "SlaBreachesAlarm"} <= alarms.keys()
    for alarm, topics in alarms.items():
        assert topics, f"{alarm} notifies nobody"
        for topic in topics:
            assert cfn["Resources"][topic]["Type"] == "AWS::SNS::Topic", (alarm, topic)


def test_alarm_topics_use_a_key_cloudwatch_may_use(cfn: dict[str, Any]) -> None:
    for alarm, topics in _alarm_topics(cfn).items():
        for topic in topics:
            key = _topic_key(cfn, topic)
            assert _allows(
                key, {"Service": "cloudwatch.amazonaws.com"}, {"kms:Decrypt", "kms:GenerateDataKey"}
            ), (alarm, topic)


def test_the_key_is_administered_by_the_account_and_rotates(cfn: dict[str, Any]) -> None:
    # Without the account-root statement, IAM policies cannot grant the key and nobody could manage it.
    root = {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}}
    for topic in {t for ts in _alarm_topics(cfn).values() for t in ts}:
        key = _topic_key(cfn, topic)
        statements = key["Properties"]["KeyPolicy"]["Statement"]
        assert any(st["Principal"] == root and st["Action"] == "kms:*" for st in statements)
        assert key["Properties"]["EnableKeyRotation"] is True


def test_every_function_that_publishes_may_use_the_topics_key(cfn: dict[str, Any]) -> None:
    resources = cfn["Resources"]
    publishers = 0
    for res in resources.values():
        if res["Type"] != "AWS::Lambda::Function":
            continue
        role = resources[res["Properties"]["Role"]["Fn::GetAtt"][0]]
        statements = [
            st for p in role["Properties"].get("Policies", []) for st in p["PolicyDocument"]["Statement"]
        ]
        topics = {
            _logical(r)
            for st in statements
            if "sns:Publish" in _list(st["Action"])
            for r in _list(st["Resource"])
        }
        for topic in topics:
            publishers += 1
            key = _topic_key(cfn, topic)
            key_logical = _logical(resources[topic]["Properties"]["KmsMasterKeyId"])
            granted = {
                a
                for st in statements
                if {"Fn::GetAtt": [key_logical, "Arn"]} in _list(st["Resource"])
                for a in _list(st["Action"])
            }
            assert {"kms:Decrypt", "kms:GenerateDataKey"} <= granted, (topic, granted)
            assert key["Type"] == "AWS::KMS::Key"
    assert publishers >= 2  # respond and the SLA watch
