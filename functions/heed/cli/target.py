"""Which Heed the `heed` command talks to, and how it prints.

- environment variables (HEED_TABLE_NAME, ...) and the user's AWS credentials: the default;
- `--local`: `var/local-stack.json` written by `make serve` ({"endpoint_url": ..., "env": {...}});
- `--stack NAME`: the Outputs of a deployed CloudFormation stack.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property
from pathlib import Path
from typing import Any

from heed.settings import Settings

LOCAL_STACK_FILE = Path("var") / "local-stack.json"
# CloudFormation output name -> Heed setting
# (template.yaml's Outputs; tests/pipeline/test_deploy_rehearsal.py keeps the two in step)
STACK_OUTPUTS = {
    "TableName": "HEED_TABLE_NAME",
    "QueueUrl": "HEED_QUEUE_URL",
    "AlertTopicArn": "HEED_ALERT_TOPIC_ARN",
    "EscalationTopicArn": "HEED_ESCALATION_TOPIC_ARN",
    "OutboundSecretArn": "HEED_OUTBOUND_SECRET_NAME",  # `heed tasks reply` posts as the brand
    "DlqUrl": "HEED_DLQ_URL",
    "ApiBaseUrl": "HEED_PUBLIC_BASE_URL",
    "ConsoleUserPoolId": "HEED_COGNITO_USER_POOL_ID",  # `heed users`
}
_REQUIRED_DEFAULTS = {"HEED_QUEUE_URL": "", "HEED_ALERT_TOPIC_ARN": ""}


class TargetError(Exception):
    """The command cannot tell which Heed to talk to."""


@dataclass
class Target:
    settings: Settings
    endpoint_url: str | None = None
    region: str | None = None
    local: bool = False
    _clients: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def session(self) -> Any:
        import boto3

        if self.local:  # the local stack accepts any credentials
            return boto3.session.Session(
                aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "local"),
                aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "local"),
                region_name=self.region or os.environ.get("AWS_DEFAULT_REGION", "us-east-1"),
            )
        return boto3.session.Session(region_name=self.region)

    def client(self, service: str) -> Any:
        if service not in self._clients:
            self._clients[service] = self.session.client(service, endpoint_url=self.endpoint_url)
        return self._clients[service]

    @cached_property
    def table(self) -> Any:
        return self.session.resource("dynamodb", endpoint_url=self.endpoint_url).Table(
            self.settings.table_name
        )


def add_arguments(parser: argparse.ArgumentParser, *, top_level: bool = False) -> None:
    """`--local | --stack NAME` and `--region`, before the command (`heed --local tasks list`) or
    after it (`heed tasks list --local`). Sub-commands default to SUPPRESS so that they never
    overwrite what was given before the command."""
    default: dict[str, Any] = {} if top_level else {"default": argparse.SUPPRESS}
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--local", action="store_true", help="the local stack (var/local-stack.json)", **default
    )
    where.add_argument("--stack", metavar="NAME", help="a deployed CloudFormation stack", **default)
    parser.add_argument("--region", help="AWS region (default: your AWS configuration)", **default)


def _settings(env: Mapping[str, str]) -> Settings:
    merged = {**_REQUIRED_DEFAULTS, **{k: v for k, v in env.items() if k.startswith("HEED_")}}
    if not merged.get("HEED_TABLE_NAME"):
        raise TargetError("no Heed table: set HEED_TABLE_NAME, or use --local or --stack NAME")
    return Settings.from_env(merged)


def from_local(root: Path | None = None) -> Target:
    path = (root or Path.cwd()) / LOCAL_STACK_FILE
    if not path.exists():
        raise TargetError(f"{path} not found: start the local stack with `make serve`")
    data = json.loads(path.read_text())
    return Target(_settings(data.get("env", {})), endpoint_url=data.get("endpoint_url"), local=True)


def from_stack(name: str, *, region: str | None = None, cloudformation: Any = None) -> Target:
    if cloudformation is None:
        import boto3

        cloudformation = boto3.session.Session(region_name=region).client("cloudformation")
    stacks = cloudformation.describe_stacks(StackName=name)["Stacks"]
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stacks[0].get("Outputs", [])}
    env = {STACK_OUTPUTS[k]: v for k, v in outputs.items() if k in STACK_OUTPUTS}
    return Target(_settings(env), region=region)


def resolve(args: argparse.Namespace, environ: Mapping[str, str] | None = None) -> Target:
    if getattr(args, "local", False):
        return from_local()
    if getattr(args, "stack", None):
        return from_stack(args.stack, region=getattr(args, "region", None))
    return Target(_settings(os.environ if environ is None else environ), region=getattr(args, "region", None))


# ---- durations ------------------------------------------------------------------------------------

_DURATION = re.compile(r"^(\d+)\s*([mhdw])$")


def parse_duration(text: str) -> timedelta:
    """ "90m", "2h", "7d", "1w"."""
    match = _DURATION.match(text.strip().lower())
    if match is None:
        raise ValueError(f"not a duration: {text!r} (use 90m, 2h, 7d, 1w)")
    amount, unit = int(match[1]), match[2]
    return {
        "m": timedelta(minutes=amount),
        "h": timedelta(hours=amount),
        "d": timedelta(days=amount),
        "w": timedelta(weeks=amount),
    }[unit]


# ---- terminal output --------------------------------------------------------------------------------

COLOURS = {"red": "31", "yellow": "33", "green": "32", "cyan": "36", "dim": "2", "bold": "1"}


@dataclass
class Style:
    """ANSI colours only when writing to a terminal (and NO_COLOR is not set): plain when piped."""

    enabled: bool

    @classmethod
    def for_stream(cls, stream: Any = None) -> Style:
        stream = stream or sys.stdout
        return cls(bool(getattr(stream, "isatty", lambda: False)()) and "NO_COLOR" not in os.environ)

    def __call__(self, text: str, colour: str) -> str:
        return f"\033[{COLOURS[colour]}m{text}\033[0m" if self.enabled and colour in COLOURS else text


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    style: Style | None = None,
    colours: Sequence[str | None] | None = None,
) -> str:
    """An aligned text table; `colours` colours whole rows (the width ignores the escape codes)."""
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    numeric = [
        all(_is_number(r[i]) for r in cells[1:] if r[i]) and len(cells) > 1 for i in range(len(headers))
    ]

    def line(row: list[str]) -> str:
        return "  ".join(
            (c.rjust(w) if num else c.ljust(w)) for c, w, num in zip(row, widths, numeric, strict=True)
        ).rstrip()

    style = style or Style(False)
    out = [style(line(cells[0]), "bold"), style("  ".join("-" * w for w in widths), "dim")]
    for n, row in enumerate(cells[1:]):
        colour = colours[n] if colours else None
        out.append(style(line(row), colour) if colour else line(row))
    return "\n".join(out)


def _is_number(text: str) -> bool:
    return bool(re.fullmatch(r"-?\d+(\.\d+)?%?", text))
