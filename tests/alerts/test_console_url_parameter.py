"""Alert links on the first deploy: the functions read the console's URL from the SSM parameter the
stack writes (a function cannot name the HTTP API that routes to it), once per cold start, and an
unreadable parameter costs the link, never the alert."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from heed.alerts import publish
from heed.alerts.publish import console_url_from_parameter
from heed.settings import get_settings

from infra.stack import load_template, translate

API = "https://abc123.execute-api.eu-west-1.amazonaws.com"


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch) -> Any:
    for name, value in {
        "HEED_TABLE_NAME": "t",
        "HEED_QUEUE_URL": "https://sqs.example/q",
        "HEED_ALERT_TOPIC_ARN": "arn:aws:sns:us-east-1:123456789012:a",
        "HEED_CONSOLE_URL": "",
        "HEED_CONSOLE_URL_PARAMETER": "/heed/console-url",
    }.items():
        monkeypatch.setenv(name, value)
    publish._console_url_read.clear()
    get_settings.cache_clear()  # settings are read once per process, like a warm function's
    yield monkeypatch
    publish._console_url_read.clear()
    get_settings.cache_clear()


def test_the_link_comes_from_the_stacks_parameter_read_once(aws: None, settings_env: Any) -> None:
    ssm = boto3.client("ssm")
    ssm.put_parameter(Name="/heed/console-url", Value=API + "/", Type="String")
    calls: list[str] = []
    real = publish.console_url_from_parameter
    settings_env.setattr(
        publish, "console_url_from_parameter", lambda name: calls.append(name) or real(name, ssm)
    )
    assert publish._console_url() == API  # the trailing slash goes: links add /console/
    assert publish._console_url() == API
    assert calls == ["/heed/console-url"]  # one GetParameter per cold start


def test_a_custom_domain_wins_without_reading_ssm(aws: None, settings_env: Any) -> None:
    settings_env.setenv("HEED_CONSOLE_URL", "https://care.brand.example")
    get_settings.cache_clear()
    settings_env.setattr(publish, "console_url_from_parameter", lambda name: pytest.fail("read SSM"))
    assert publish._console_url() == "https://care.brand.example"


def test_an_unreadable_parameter_sends_the_alert_without_a_link(aws: None) -> None:
    assert console_url_from_parameter("/nowhere/console-url", boto3.client("ssm")) == ""


def test_the_template_writes_the_parameter_and_lets_every_alerting_function_read_it() -> None:
    cfn = translate(load_template())
    resources = cfn["Resources"]
    parameter = resources["ConsoleUrlParameter"]["Properties"]
    assert parameter["Name"] == {"Fn::Sub": "/${AWS::StackName}/console-url"}
    for name, resource in resources.items():
        if resource["Type"] != "AWS::Lambda::Function":
            continue
        env = resource["Properties"]["Environment"]["Variables"]
        assert env["HEED_CONSOLE_URL_PARAMETER"] == parameter["Name"]
        role = resources[resource["Properties"]["Role"]["Fn::GetAtt"][0]]
        statements = [
            s for p in role["Properties"].get("Policies", []) for s in p["PolicyDocument"]["Statement"]
        ]
        publishes = any("sns:Publish" in json.dumps(s["Action"]) for s in statements)
        reads = [s for s in statements if "ssm:GetParameter" in json.dumps(s["Action"])]
        if publishes:
            assert reads, f"{name} sends alerts but cannot read the console URL"
            assert "parameter/${AWS::StackName}/console-url" in json.dumps(reads[0]["Resource"])
