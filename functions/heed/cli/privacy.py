"""`heed forget` and `heed export`: GDPR requests that arrive by other routes than Meta's callback,
over the same code (heed.privacy.customer_data).

The table is the target's: `--local` (make serve), `--stack NAME` (a deployed stack) or HEED_TABLE_NAME.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from heed.cli import target
from heed.models import Platform


def _table(args: argparse.Namespace) -> Any:
    """The table of the chosen target: `--local`, `--stack NAME`, or HEED_TABLE_NAME."""
    try:
        return target.resolve(args).table
    except target.TargetError as exc:
        raise SystemExit(f"heed: {exc}") from exc


def _forget(args: argparse.Namespace) -> int:
    from heed.privacy.customer_data import forget_customer

    report = forget_customer(_table(args), args.platform, args.author_id)
    json.dump(
        {
            "found": report.found,
            "customer_ids": report.customer_ids,
            "deleted": report.deleted,
            "anonymised": report.anonymised,
        },
        sys.stdout,
        indent=2,
    )
    sys.stdout.write("\n")
    return 0 if report.found else 3


def _export(args: argparse.Namespace) -> int:
    from heed.privacy.customer_data import export_customer

    data = export_customer(_table(args), args.platform, args.author_id)
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")
    return 0 if data.get("found") else 3


def register(subparsers: Any) -> None:
    for name, run, summary in (
        ("forget", _forget, "delete or anonymise everything stored about a customer"),
        ("export", _export, "print everything stored about a customer as JSON"),
    ):
        command = subparsers.add_parser(name, help=summary, description=summary)
        command.add_argument("--platform", required=True, choices=[p.value for p in Platform])
        command.add_argument("--author-id", required=True, help="the customer's id on that platform")
        target.add_arguments(command)
        command.set_defaults(handler=run)
