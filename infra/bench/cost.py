"""All-in AWS cost per 1,000 mentions from what the bench measured per mention, at the list prices
of infra/bench/prices.py and the configuration template.yaml deploys. Pure arithmetic: the
measuring is done in infra/bench/e2e.py."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from infra.bench.prices import PRICES, Price

# CloudWatch Logs counts each log event as its UTF-8 message plus 26 bytes
# (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html).
LOG_EVENT_OVERHEAD = 26

# The lines Lambda itself writes to the function's log group for every invocation (text format).
_REQUEST_ID = "8f5a2c1e-6d2b-4f7e-9c3a-1b2d3e4f5a6b"
PLATFORM_LINES = (
    f"START RequestId: {_REQUEST_ID} Version: $LATEST",
    f"END RequestId: {_REQUEST_ID}",
    f"REPORT RequestId: {_REQUEST_ID}\tDuration: 123.45 ms\tBilled Duration: 124 ms\t"
    "Memory Size: 512 MB\tMax Memory Used: 101 MB\t",
)
XRAY_REPORT_SUFFIX = (
    "XRAY TraceId: 1-6745c2a1-3f2b4c5d6e7f8a9b0c1d2e3f\tSegmentId: 4a5b6c7d8e9f0a1b\tSampled: true\t"
)


def platform_log_bytes(*, tracing: bool) -> int:
    """Bytes Lambda's START/END/REPORT lines add to CloudWatch Logs per invocation."""
    lines = [*PLATFORM_LINES]
    if tracing:
        lines[-1] += XRAY_REPORT_SUFFIX
    return sum(len(line.encode()) + LOG_EVENT_OVERHEAD for line in lines)


@dataclass
class PerMention:
    """What one mention asks of AWS, averaged over a measured run."""

    http_requests: float  # webhook deliveries through the HTTP API
    ingest_invocations: float
    respond_invocations: float
    ingest_seconds: float  # handler time, all invocations
    respond_seconds: float
    sqs_billed: float  # 64 KB request chunks, incl. the event source's receive and delete
    dynamodb_wru: float  # incl. index writes
    dynamodb_rru: float
    sns_billed: float  # publishes, in 64 KB chunks
    deliveries: dict[str, float] = field(default_factory=dict)  # protocol -> deliveries
    app_log_bytes: float = 0.0  # what the functions log at the shipped level, incl. event overhead
    memory_gb: float = 0.5

    @property
    def invocations(self) -> float:
        return self.ingest_invocations + self.respond_invocations


def _usd(price: Price, quantity: float) -> float:
    return quantity * price.each


def cost_per_thousand(
    m: PerMention, *, tracing: bool, prices: dict[str, Price] = PRICES, cold_init_seconds: float | None = None
) -> dict[str, Any]:
    """USD per 1,000 mentions, by line. `tracing`: the stack is deployed with Tracing=Active.

    Lambda duration is billed per 1 ms per invocation: rounding adds up to 1 ms each, counted.
    Every invocation with active tracing is priced as a recorded trace: at a small brand's volume
    the default sampling rule (one request a second, then 5 %) records nearly all of them
    (https://docs.aws.amazon.com/xray/latest/devguide/xray-console-sampling.html).
    """
    k = 1000.0
    gb_seconds = (m.ingest_seconds + m.respond_seconds + 0.001 * m.invocations) * m.memory_gb
    log_bytes = m.app_log_bytes + m.invocations * platform_log_bytes(tracing=tracing)
    lines = {
        "lambda_requests": _usd(prices["lambda_request"], m.invocations * k),
        "lambda_compute": _usd(prices["lambda_gb_second_arm"], gb_seconds * k),
        "http_api": _usd(prices["http_api_request"], m.http_requests * k),
        "sqs": _usd(prices["sqs_request"], m.sqs_billed * k),
        "dynamodb_writes": _usd(prices["dynamodb_wru"], m.dynamodb_wru * k),
        "dynamodb_reads": _usd(prices["dynamodb_rru"], m.dynamodb_rru * k),
        "sns_publish": _usd(prices["sns_publish"], m.sns_billed * k),
        "sns_email": _usd(prices["sns_email"], m.deliveries.get("email", 0.0) * k),
        "sns_sms": _usd(prices["sms_us"], m.deliveries.get("sms", 0.0) * k),
        "cloudwatch_logs": _usd(prices["cloudwatch_logs_ingest"], log_bytes * k / 1024**3),
        "xray": _usd(prices["xray_trace_recorded"], m.invocations * k) if tracing else 0.0,
    }
    total = sum(lines.values())
    alerts = lines["sns_email"] + lines["sns_sms"]
    out: dict[str, Any] = {
        "usd": {name: round(v, 6) for name, v in lines.items()},
        "total_usd": round(total, 5),
        # Alert deliveries follow the events a brand's traffic holds (a spike sends one SMS however
        # many mentions it spans), not the mention count: the rest is what each mention costs.
        "total_usd_without_alert_deliveries": round(total - alerts, 5),
        "share": {name: round(v / total, 3) for name, v in lines.items() if total and v},
        "tracing": "Active" if tracing else "off",
        "lambda_gb_seconds": round(gb_seconds * k, 3),
        "log_bytes_per_mention": round(log_bytes),
        "per_mention": asdict(m),
    }
    if cold_init_seconds is not None:
        # Init is billed too: if every invocation were a cold start (a quiet stack), add this much.
        cold = _usd(prices["lambda_gb_second_arm"], cold_init_seconds * m.memory_gb * m.invocations * k)
        out["if_every_invocation_cold_usd"] = round(cold, 6)
    return out


def deliveries(
    published: dict[tuple[str, str], float], subscriptions: list[dict[str, Any]]
) -> dict[str, float]:
    """Notifications delivered per protocol: each publish (topic logical id, alert kind) reaches
    every subscription of its topic whose filter policy admits the kind."""
    out: dict[str, float] = {}
    for (topic, kind), count in published.items():
        for sub in subscriptions:
            if sub["topic"] != topic:
                continue
            kinds = sub.get("kinds")
            if kinds is not None and kind not in kinds:
                continue
            out[sub["protocol"]] = out.get(sub["protocol"], 0.0) + count
    return out


def template_subscriptions(template: dict[str, Any]) -> list[dict[str, Any]]:
    """The SNS subscriptions template.yaml creates (all of them: AlertEmail and AlertPhone set)."""
    subs = []
    for resource in template.get("Resources", {}).values():
        if resource.get("Type") != "AWS::SNS::Subscription":
            continue
        props = resource["Properties"]
        topic = props["TopicArn"]
        topic = topic.get("Ref") if isinstance(topic, dict) else str(topic)
        policy = props.get("FilterPolicy") or {}
        subs.append(
            {
                "topic": topic,
                "protocol": props["Protocol"],
                "kinds": list(policy["kind"]) if "kind" in policy else None,
            }
        )
    return subs
