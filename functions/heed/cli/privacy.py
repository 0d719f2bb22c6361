"""`heed forget` and `heed export`: GDPR requests that arrive by other routes than Meta's callback,
over the same code (heed.privacy.customer_data).

The table is the one named by HEED_TABLE_NAME; AWS_ENDPOINT_URL points boto3 at a local stack.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from heed.models import Platform


def _table() -> Any:
    from heed import clients

    name = os.environ.get("HEED_TABLE_NAME", "")
    if not name:
        raise SystemExit("HEED_TABLE_NAME is not set: name the Heed table (see the stack Outputs)")
    return clients.dynamodb_table(name)


def _forget(args: argparse.Namespace) -> int:
    from heed.privacy.customer_data import forget_customer

    report = forget_customer(_table(), args.platform, args.author_id)
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

    data = export_customer(_table(), args.platform, args.author_id)
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
        command.set_defaults(handler=run)
