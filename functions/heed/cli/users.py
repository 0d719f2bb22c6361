"""`heed users add|list|remove`: the console's people, in the stack's Cognito user pool.

heed users add ana@example.com --name "Ana Ruiz" --group agent [--stack NAME | --local]
heed users list
heed users remove ana@example.com

Runs with a lead's AWS credentials (Cognito's admin APIs); Cognito e-mails the invitation with a
temporary password, and the person chooses their own at first sign-in.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from heed.cli import target as targets


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("users", help="the console's people: add (invite), list, remove")
    sub = parser.add_subparsers(dest="users_command", required=True)
    add = sub.add_parser("add", help="invite by e-mail (Cognito sends a temporary password)")
    add.add_argument("email")
    add.add_argument("--name", default="", help="shown in the console and signs their replies")
    add.add_argument("--group", choices=["agent", "lead"], default="agent")
    listing = sub.add_parser("list", help="everyone who can sign in, with their groups")
    listing.add_argument("--json", action="store_true")
    remove = sub.add_parser("remove", help="remove a person (they can no longer sign in)")
    remove.add_argument("email")
    for p in (add, listing, remove):
        targets.add_arguments(p)
        p.set_defaults(handler=run)


def run(args: argparse.Namespace, *, target: targets.Target | None = None, out: Any = print) -> int:
    from heed.console.users import UserError, Users

    try:
        target = target or targets.resolve(args)
    except targets.TargetError as exc:
        print(f"heed: {exc}", file=sys.stderr)
        return 2
    pool = target.settings.cognito_user_pool_id
    if not pool:
        print(
            "heed: no console user pool (HEED_COGNITO_USER_POOL_ID, --local or --stack NAME)", file=sys.stderr
        )
        return 2
    users = Users(target.client("cognito-idp"), pool)
    try:
        if args.users_command == "add":
            added = users.add(args.email, name=args.name, group=args.group)
            out(f"invited {added['email']} ({args.group}): Cognito has e-mailed a temporary password")
        elif args.users_command == "remove":
            users.remove(args.email)
            out(f"removed {args.email}")
        else:
            found = users.list()
            if args.json:
                out(json.dumps(found, indent=2))
            else:
                for user in found:
                    out(f"{user['email']:<32} {','.join(user['groups']) or '-':<12} {user['status']}")
                out(f"{len(found)} user(s)")
    except UserError as exc:
        print(f"heed: {exc}", file=sys.stderr)
        return 2
    except LookupError:
        print(f"heed: no user {args.email}", file=sys.stderr)
        return 4
    return 0
