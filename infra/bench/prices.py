"""AWS list prices the bench's cost figures use: us-east-1, on-demand, no free tier applied.

Each price carries the date it was checked (and the date it took effect, where AWS announced one)
and the page it comes from. The README's price table is printed from this module
(`python -m infra.bench.prices`), so the two cannot disagree.

Only per-request or per-byte prices are here: fixed monthly items (CloudWatch custom metrics, the
Secrets Manager secret, idle SQS polling by the event source mapping, KMS key use) do not grow with
mentions and are listed as such in `FIXED_MONTHLY` instead.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

CHECKED = "2026-11-30"


@dataclass(frozen=True)
class Price:
    usd: float  # for `per` units
    per: float
    unit: str
    source: str
    checked: str = CHECKED
    effective: str = ""
    note: str = ""
    verified: bool = True  # False: read from secondary sources, check the page before relying on it

    @property
    def each(self) -> float:
        return self.usd / self.per


PRICES: dict[str, Price] = {
    "lambda_request": Price(
        0.20, 1e6, "requests", "https://aws.amazon.com/lambda/pricing/", note="same for x86 and Arm"
    ),
    "lambda_gb_second_arm": Price(
        0.0000133334,
        1,
        "GB-second (Arm, first 7.5 billion GB-s a month)",
        "https://aws.amazon.com/lambda/pricing/",
        note="billed per 1 ms of handler and init duration",
    ),
    "http_api_request": Price(
        1.00,
        1e6,
        "HTTP API requests (first 300 million a month)",
        "https://aws.amazon.com/api-gateway/pricing/",
        note="metered in 512 KB increments; a webhook delivery is one",
    ),
    "sqs_request": Price(
        0.40,
        1e6,
        "standard-queue requests (first 100 billion a month)",
        "https://aws.amazon.com/sqs/pricing/",
        note="each 64 KB chunk of a request's payload is billed as one request",
    ),
    "dynamodb_wru": Price(
        0.625,
        1e6,
        "on-demand write request units",
        "https://aws.amazon.com/dynamodb/pricing/on-demand/",
        effective="2024-11-01",
        note="halved on 2024-11-01: https://aws.amazon.com/about-aws/whats-new/2024/11/"
        "amazon-dynamodb-reduces-prices-on-demand-throughput-global-tables/",
    ),
    "dynamodb_rru": Price(
        0.125,
        1e6,
        "on-demand read request units",
        "https://aws.amazon.com/dynamodb/pricing/on-demand/",
        effective="2024-11-01",
    ),
    "sns_publish": Price(
        0.50,
        1e6,
        "standard-topic publishes",
        "https://aws.amazon.com/sns/pricing/",
        note="each 64 KB chunk of a publish is billed as one request",
    ),
    "sns_email": Price(2.00, 1e5, "e-mail notifications delivered", "https://aws.amazon.com/sns/pricing/"),
    "sns_sqs_delivery": Price(
        0.0, 1e6, "deliveries to SQS queues", "https://aws.amazon.com/sns/pricing/", note="no charge"
    ),
    "sms_us": Price(
        0.00883,
        1,
        "SMS to a US number (per message part, incl. carrier fee)",
        "https://aws.amazon.com/end-user-messaging/pricing/",
        note="varies by country, origination type and carrier; assumed, not read from the page",
        verified=False,
    ),
    "cloudwatch_logs_ingest": Price(
        0.50,
        1,
        "GB of logs ingested (Standard class; Lambda logs, first 10 TB a month)",
        "https://aws.amazon.com/cloudwatch/pricing/",
    ),
    "xray_trace_recorded": Price(
        5.00,
        1e6,
        "traces recorded",
        "https://aws.amazon.com/xray/pricing/",
        note="only when the stack is deployed with Tracing=Active",
    ),
}

# Not per mention: they do not change the figure per 1,000 mentions, only the floor of the bill.
FIXED_MONTHLY = {
    "secrets_manager_secret": "$0.40 per secret-month, API calls cached 5 minutes "
    "(https://aws.amazon.com/secrets-manager/pricing/)",
    "cloudwatch_metrics_alarms_dashboard": "custom metrics, 6 alarms and 1 dashboard "
    "(https://aws.amazon.com/cloudwatch/pricing/)",
    "sqs_idle_polling": "the SQS event source mapping long-polls an empty queue "
    "(https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html)",
    "kms_aws_managed_keys": "SNS and DynamoDB encryption with AWS managed keys cache their data keys "
    "(https://aws.amazon.com/kms/pricing/)",
}


def _dollars(usd: float) -> str:
    return f"${usd:.2f}" if round(usd, 2) == usd else f"${usd:.10f}".rstrip("0")


def markdown_table() -> str:
    rows = [
        "| item | price (us-east-1) | since / checked | source | note |",
        "|---|---|---|---|---|",
    ]
    for name, p in PRICES.items():
        amount = _dollars(p.usd) + (f" per {p.per:,.0f} {p.unit}" if p.per != 1 else f" per {p.unit}")
        when = (f"{p.effective} / " if p.effective else "") + p.checked
        flag = "" if p.verified else " (assumed)"
        note = p.note.split(": https://")[0]
        rows.append(f"| {name}{flag} | {amount} | {when} | {p.source} | {note} |")
    return "\n".join(rows)


if __name__ == "__main__":
    sys.stdout.write(markdown_table() + "\n")
