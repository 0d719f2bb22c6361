"""`heed alerts subscribe|list`: per-team alert routing (SNS filter policies, alerts/routing.py).

heed alerts subscribe --team billing --email ana@example.com [--stack NAME | --local]
heed alerts subscribe --team billing --phone +34600111222
heed alerts list
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from heed.cli import target as targets


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("alerts", help="who gets which alerts: per-team subscriptions")
    sub = parser.add_subparsers(dest="alerts_command", required=True)
    subscribe = sub.add_parser("subscribe", help="a team member gets that team's alerts")
    subscribe.add_argument("--team", required=True)
    how = subscribe.add_mutually_exclusive_group(required=True)
    how.add_argument("--email")
    how.add_argument("--phone", help="E.164, e.g. +34600111222 (SMS for breaches, escalations, urgent)")
    listing = sub.add_parser("list", help="the alert topic's subscriptions and their teams")
    for p in (subscribe, listing):
        targets.add_arguments(p)
        p.set_defaults(handler=run)


def run(args: argparse.Namespace, *, target: targets.Target | None = None, out: Any = print) -> int:
    from heed.alerts.routing import subscribe_team, team_subscriptions

    try:
        target = target or targets.resolve(args)
    except targets.TargetError as exc:
        print(f"heed: {exc}", file=sys.stderr)
        return 2
    sns, topic = target.client("sns"), target.settings.alert_topic_arn
    if not topic:
        print("heed: no alert topic (HEED_ALERT_TOPIC_ARN, --local or --stack NAME)", file=sys.stderr)
        return 2
    if args.alerts_command == "subscribe":
        try:
            arn = subscribe_team(sns, topic, args.team, email=args.email, phone=args.phone)
        except ValueError as exc:
            print(f"heed: {exc}", file=sys.stderr)
            return 2
        out(f"{args.email or args.phone} gets team {args.team}'s alerts ({arn})")
        return 0
    for sub in team_subscriptions(sns, topic):
        out(f"{sub['protocol']:<6} {sub['endpoint']:<40} {sub['team'] or 'all alerts'}")
    return 0
