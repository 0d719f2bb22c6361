"""`heed users add|list|remove` against the console's user pool (moto's Cognito, as the template
defines the pool): invited people are in their group and can sign in once they choose a password."""

from __future__ import annotations

import json
from typing import Any

import boto3
from heed.cli import build_parser, target
from heed.cli import users as users_cli
from heed.settings import Settings


def heed(pool: Any, *argv: str) -> tuple[int, list[str]]:
    lines: list[str] = []
    settings = Settings.from_env(
        {
            "HEED_TABLE_NAME": "t",
            "HEED_QUEUE_URL": "",
            "HEED_ALERT_TOPIC_ARN": "",
            "HEED_COGNITO_USER_POOL_ID": pool.user_pool_id,
        }
    )
    code = users_cli.run(
        build_parser().parse_args(list(argv)), target=target.Target(settings), out=lines.append
    )
    return code, lines


def test_add_list_remove(pool, capsys):
    # When a lead invites a person
    code, lines = heed(pool, "users", "add", "Ana@Example.com", "--name", "Ana Ruiz", "--group", "lead")
    assert code == 0 and lines == [
        "invited ana@example.com (lead): Cognito has e-mailed a temporary password"
    ]
    # Then Cognito has them, unconfirmed until their first sign-in, in the lead group
    cognito = boto3.client("cognito-idp")
    user = cognito.admin_get_user(UserPoolId=pool.user_pool_id, Username="ana@example.com")
    assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    groups = cognito.admin_list_groups_for_user(UserPoolId=pool.user_pool_id, Username="ana@example.com")[
        "Groups"
    ]
    assert [g["GroupName"] for g in groups] == ["lead"]
    # And the list shows everyone with their groups
    code, lines = heed(pool, "users", "list", "--json")
    listed = {u["email"]: u["groups"] for u in json.loads(lines[0])}
    assert listed == {
        "agent@example.com": ["agent"],
        "ana@example.com": ["lead"],
        "lead@example.com": ["lead"],
    }
    # Twice is refused; a bad group never reaches Cognito (argparse); removing works once
    assert heed(pool, "users", "add", "ana@example.com")[0] == 2
    assert "already a user" in capsys.readouterr().err
    assert heed(pool, "users", "remove", "ana@example.com") == (0, ["removed ana@example.com"])
    assert heed(pool, "users", "remove", "ana@example.com")[0] == 4


def test_the_cli_finds_the_pool_in_the_stack_outputs():
    assert target.STACK_OUTPUTS["ConsoleUserPoolId"] == "HEED_COGNITO_USER_POOL_ID"


def test_no_pool_is_a_clear_error(capsys):
    settings = Settings.from_env({"HEED_TABLE_NAME": "t", "HEED_QUEUE_URL": "", "HEED_ALERT_TOPIC_ARN": ""})
    code = users_cli.run(
        build_parser().parse_args(["users", "list"]), target=target.Target(settings), out=print
    )
    assert code == 2 and "no console user pool" in capsys.readouterr().err
