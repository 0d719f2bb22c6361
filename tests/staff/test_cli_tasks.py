"""`heed tasks`, `heed dlq` and the target resolution, against moto."""

from __future__ import annotations

import json
from datetime import timedelta

import boto3
import pytest
from heed.cli import build_parser, target
from heed.cli import dlq as dlq_cli
from heed.cli import tasks as tasks_cli
from heed.storage import conversations

from tests.followup.world import MONDAY_MORNING, TABLE_NAME, mention, open_task


@pytest.fixture
def env(monkeypatch, table):
    for k, v in {"HEED_TABLE_NAME": TABLE_NAME}.items():
        monkeypatch.setenv(k, v)


def heed(*argv, minutes=5, style=None, who="ana"):
    """`heed ...` as `who`, the person AWS verified (STS; moto's is always "moto", so tests name one)."""
    lines: list[str] = []
    args = build_parser().parse_args(list(argv))
    code = tasks_cli.run(
        args,
        now=lambda: MONDAY_MORNING + timedelta(minutes=minutes),
        out=lines.append,
        style=style or target.Style(False),
        principal=(lambda: who) if who else None,
    )
    return code, "\n".join(lines)


def test_list_prints_an_aligned_table_without_colours_when_piped(env, table, brand):
    open_task(table, brand, 1)
    open_task(table, brand, 2, team="billing")
    code, text = heed("tasks", "list", minutes=61)
    lines = text.splitlines()
    assert code == 0 and lines[0].startswith("ID") and "\033[" not in text
    assert lines[0].index("PRI") == lines[2].index("P2")  # aligned columns
    assert "reply 1m late" in text and text.endswith("2 task(s)")
    code, text = heed("tasks", "list", "--team", "billing")
    assert text.count("T-") == 1


def test_overdue_rows_are_red_on_a_terminal(env, table, brand):
    open_task(table, brand, 1)
    _, text = heed("tasks", "list", "--overdue", minutes=61, style=target.Style(True))
    assert "\033[31m" in text


def test_claim_show_and_a_lost_claim(env, table, brand, capsys):
    task = open_task(table, brand, 1)
    conversations.record_message(table, mention(1), customer_id="C-1")
    assert heed("tasks", "claim", task.task_id)[0] == 0
    code, _ = heed("tasks", "claim", task.task_id, who="tom")
    assert code == 3 and "already claimed by ana" in capsys.readouterr().err
    # --as is only a check: typing someone else's name is refused, your own is accepted
    code, _ = heed("tasks", "note", task.task_id, "hi", "--as", "ana", who="tom")
    assert code == 2 and "your AWS identity is tom" in capsys.readouterr().err
    assert heed("tasks", "note", task.task_id, "hi", "--as", "tom", who="tom")[0] == 0
    heed("tasks", "note", task.task_id, "called back")
    heed("tasks", "snooze", task.task_id, "--for", "2h")
    code, text = heed("tasks", "show", task.task_id)
    assert code == 0 and "internet is down" in text and "claimed" in text and "text=called back" in text
    code, text = heed("tasks", "resolve", task.task_id, "--outcome", "no_action_needed", "--json")
    assert json.loads(text)["status"] == "resolved"


def test_unknown_task_and_missing_target(env, monkeypatch, capsys):
    assert heed("tasks", "claim", "T-NOPE")[0] == 4
    monkeypatch.delenv("HEED_TABLE_NAME")
    assert heed("tasks", "list")[0] == 2
    assert "HEED_TABLE_NAME" in capsys.readouterr().err


def test_local_target_reads_the_local_stack_file(tmp_path, monkeypatch):
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "local-stack.json").write_text(
        json.dumps(
            {
                "endpoint_url": "http://127.0.0.1:5005",
                "env": {"HEED_TABLE_NAME": "local-t", "HEED_DLQ_URL": "q"},
            }
        )
    )
    found = target.from_local(tmp_path)
    assert found.endpoint_url == "http://127.0.0.1:5005" and found.settings.table_name == "local-t"
    assert found.settings.dlq_url == "q" and found.local


def test_stack_target_reads_cloudformation_outputs():
    class FakeCloudFormation:
        def describe_stacks(self, StackName):
            return {
                "Stacks": [
                    {
                        "Outputs": [
                            {"OutputKey": "TableName", "OutputValue": "heed-prod"},
                            {"OutputKey": "DlqUrl", "OutputValue": "https://sqs/dlq"},
                            {"OutputKey": "AlertTopicArn", "OutputValue": "arn:topic"},
                        ]
                    }
                ]
            }

    found = target.from_stack("heed", cloudformation=FakeCloudFormation())
    assert (found.settings.table_name, found.settings.dlq_url, found.settings.alert_topic_arn) == (
        "heed-prod",
        "https://sqs/dlq",
        "arn:topic",
    )


def test_durations():
    assert target.parse_duration("90m") == timedelta(minutes=90)
    assert target.parse_duration("7d") == timedelta(days=7)
    with pytest.raises(ValueError, match="not a duration: 'soon'"):
        target.parse_duration("soon")


def test_dlq_replay_moves_messages_back(aws, monkeypatch):
    sqs = boto3.client("sqs", region_name="us-east-1")
    queue = sqs.create_queue(QueueName="heed-mentions")["QueueUrl"]
    dead = sqs.create_queue(QueueName="heed-mentions-dlq")["QueueUrl"]
    for n in range(3):
        sqs.send_message(QueueUrl=dead, MessageBody=json.dumps({"n": n}))
    monkeypatch.setenv("HEED_TABLE_NAME", TABLE_NAME)
    monkeypatch.setenv("HEED_QUEUE_URL", queue)
    monkeypatch.setenv("HEED_DLQ_URL", dead)
    lines: list[str] = []
    args = build_parser().parse_args(["dlq", "replay"])
    assert dlq_cli.run(args, out=lines.append) == 0
    assert lines == ["3 message(s) moved back to the queue"]
    bodies = [m["Body"] for m in sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10)["Messages"]]
    assert sorted(bodies) == sorted(json.dumps({"n": n}) for n in range(3))
    assert "Messages" not in sqs.receive_message(QueueUrl=dead, MaxNumberOfMessages=10, WaitTimeSeconds=0)


def test_without_an_injected_person_the_identity_comes_from_sts(env, table, brand):
    task = open_task(table, brand, 1)
    conversations.record_message(table, mention(1), customer_id="C-1")
    # moto's STS answers arn:aws:sts::123456789012:user/moto for any credentials
    code, text = heed("tasks", "claim", task.task_id, "--json", who=None)
    assert code == 0 and json.loads(text)["assignee"] == "moto"


@pytest.mark.parametrize(
    ("arn", "person"),
    [
        ("arn:aws:iam::123456789012:user/ana", "ana"),
        ("arn:aws:iam::123456789012:user/staff/ana", "ana"),
        (
            "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Lead_0a1b2c/ana@example.com",
            "ana@example.com",
        ),
        ("arn:aws:sts::123456789012:assumed-role/HeedLead/whatever-i-typed", "HeedLead/whatever-i-typed"),
        ("arn:aws:iam::123456789012:root", "root"),
    ],
)
def test_the_person_is_the_verified_principal(arn, person):
    from heed.followup.console import person_of_arn

    assert person_of_arn(arn) == person
