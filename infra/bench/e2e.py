"""End to end on the local stack: delivery accepted → acknowledgment recorded in the outbox; what each
kind of mention asks of AWS (requests, DynamoDB units with index writes, log bytes); the all-in cost
per 1,000 mentions at list prices, next to a per-seat SaaS plan.

Everything is observed from outside the code under test (botocore calls, the handlers' entry
points, what the functions print), so it holds whatever the respond path does inside."""

from __future__ import annotations

import contextlib
import importlib
import io
import logging
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from infra.bench import cost as costing
from infra.bench.common import (
    NEEDS_REPLY,
    PRAISE,
    RequestCounter,
    Usage,
    comment_delivery,
    facebook_batch,
    in_phase,
    percentile,
)
from infra.local_stack import LocalStack
from infra.sample_deliveries import facebook_comment, meta_signed, page_envelope
from infra.stack import load_template

# Assumption, stated in the output: a small brand's social-care seats on a per-seat SaaS plan.
SAAS_ASSUMPTION = {
    "plan": "per-seat social customer-care suite, 'standard' tier (assumed list price)",
    "usd_per_seat_month": 199.0,
    "seats": 3,
    "mentions_per_month": 10_000,
}
FOLLOW_UP = "Still nothing working here, any news? I have been waiting all day"


class AckClock:
    """Timestamps each outbound platform call as the outbox records it."""

    def __init__(self, stack: LocalStack) -> None:
        self.first_post: dict[str, float] = {}
        original = stack.outbox.record

        def record(method: str, url: str, headers: dict[str, str], body: bytes) -> dict[str, Any]:
            answer = original(method, url, headers, body)
            if method == "POST":
                stack.outbox.calls[-1]["at"] = time.perf_counter()
            return answer

        stack.outbox.record = record  # type: ignore[method-assign]


def comment_target(call: dict[str, Any]) -> str | None:
    """The comment a Graph call answers: /{comment}/comments, or /{page}/messages to a comment."""
    path = call["url"].split("/graph/", 1)[-1]
    if path.endswith("/comments"):
        return path.removesuffix("/comments")
    body = call.get("body") or {}
    recipient = body.get("recipient") if isinstance(body, dict) else None
    if isinstance(recipient, dict) and recipient.get("comment_id"):
        return str(recipient["comment_id"])
    return None


# ---- what template.yaml deploys ------------------------------------------------------------------


def _resolved(template: dict[str, Any], value: Any) -> Any:
    """A template value, with a `!Ref` to a parameter replaced by the parameter's default."""
    if isinstance(value, dict) and "Ref" in value:
        return template.get("Parameters", {}).get(value["Ref"], {}).get("Default")
    return value


@dataclass(frozen=True)
class Deployed:
    memory_gb: float
    tracing: str
    log_level: str
    ingest_handler: str
    respond_handler: str
    subscriptions: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def from_template(cls) -> Deployed:
        t = load_template()
        glob = t.get("Globals", {}).get("Function", {})
        functions = t["Resources"]
        return cls(
            memory_gb=float(_resolved(t, glob.get("MemorySize", 128))) / 1024,
            tracing=str(_resolved(t, glob.get("Tracing")) or "Disabled"),
            log_level=str(_resolved(t, {"Ref": "LogLevel"}) or "INFO"),
            ingest_handler=functions["IngestFunction"]["Properties"]["Handler"],
            respond_handler=functions["RespondFunction"]["Properties"]["Handler"],
            subscriptions=costing.template_subscriptions(t),
        )


# ---- observing the functions -----------------------------------------------------------------------


class _Meter(io.TextIOBase):
    """A stream that only counts: bytes and lines (each line is one CloudWatch log event)."""

    def __init__(self) -> None:
        self.bytes = 0
        self.events = 0
        self._lock = threading.Lock()

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        with self._lock:
            lines = text.count("\n")
            self.events += lines
            self.bytes += len(text.encode()) - lines
        return len(text)


@contextlib.contextmanager
def logs_as_shipped(level: str) -> Iterator[_Meter]:
    """Counts what the functions would send to CloudWatch Logs at `level`: Powertools log lines and
    the metrics Powertools prints (EMF), which the bench otherwise silences."""
    meter = _Meter()
    heed_logger = logging.getLogger("heed")  # Powertools' Logger(service="heed")
    saved_level = heed_logger.level
    saved_streams = []
    saved_metrics = os.environ.get("POWERTOOLS_METRICS_DISABLED")
    heed_logger.setLevel(level)
    for handler in heed_logger.handlers:
        if isinstance(handler, logging.StreamHandler):
            saved_streams.append((handler, handler.setStream(meter)))
    os.environ["POWERTOOLS_METRICS_DISABLED"] = "false"
    try:
        with contextlib.redirect_stdout(meter):
            yield meter
    finally:
        for handler, stream in saved_streams:
            handler.setStream(stream)
        heed_logger.setLevel(saved_level)
        if saved_metrics is None:
            os.environ.pop("POWERTOOLS_METRICS_DISABLED", None)
        else:
            os.environ["POWERTOOLS_METRICS_DISABLED"] = saved_metrics


@dataclass
class Timed:
    invocations: int = 0
    seconds: float = 0.0


@contextlib.contextmanager
def timed_handlers(*handlers: str) -> Iterator[dict[str, Timed]]:
    """Times each Lambda handler ("module.function", as template.yaml names it) where it is entered:
    the local stack looks the handler up on its module at every call."""
    timings: dict[str, Timed] = {}
    saved = []
    lock = threading.Lock()
    for path in handlers:
        module_name, name = path.rsplit(".", 1)
        module = importlib.import_module(module_name)
        original = getattr(module, name)
        timings[path] = Timed()

        def timed(event: Any, context: Any, _original: Any = original, _path: str = path) -> Any:
            start = time.perf_counter()
            try:
                return _original(event, context)
            finally:
                with lock:
                    timings[_path].invocations += 1
                    timings[_path].seconds += time.perf_counter() - start

        setattr(module, name, timed)
        saved.append((module, name, original))
    try:
        yield timings
    finally:
        for module, name, original in saved:
            setattr(module, name, original)


@dataclass
class Observed:
    """One stretch of work on the local stack, as AWS would bill it."""

    mentions: int
    deliveries: int
    usage: Usage
    timings: dict[str, Timed]
    log_bytes: int
    log_events: int
    deployed: Deployed
    topics: dict[str, str]  # topic ARN -> logical id in template.yaml

    def per_mention(self) -> costing.PerMention:
        n = self.mentions
        ingest = self.timings.get(self.deployed.ingest_handler, Timed())
        respond = self.timings.get(self.deployed.respond_handler, Timed())
        published = {
            (self.topics.get(topic, topic), kind): count / n
            for (topic, kind), count in self.usage.published().items()
        }
        return costing.PerMention(
            http_requests=self.deliveries / n,
            ingest_invocations=ingest.invocations / n,
            # On AWS at low volume the event source hands over one message per invocation (1 s
            # batching window): price the worst case, one respond invocation per mention.
            respond_invocations=max(respond.invocations, n) / n,
            ingest_seconds=ingest.seconds / n,
            respond_seconds=respond.seconds / n,
            sqs_billed=self.usage.unit_total("sqs_billed") / n,
            dynamodb_wru=self.usage.unit_total("WRU") / n,
            dynamodb_rru=self.usage.unit_total("RRU") / n,
            sns_billed=self.usage.unit_total("sns_billed") / n,
            deliveries=costing.deliveries(published, self.deployed.subscriptions),
            app_log_bytes=(self.log_bytes + costing.LOG_EVENT_OVERHEAD * self.log_events) / n,
            memory_gb=self.deployed.memory_gb,
        )

    def figures(self) -> dict[str, Any]:
        n = self.mentions
        u = self.usage
        return {
            "requests": {k: round(v / n, 3) for k, v in u.by_service().items()},
            "operations": {k: round(v / n, 3) for k, v in u.by_operation().items()},
            "dynamodb": {
                "requests": round(u.by_service().get("dynamodb", 0) / n, 3),
                "wru": round(u.unit_total("WRU") / n, 3),
                "wru_table": round(u.unit_total("table_WRU") / n, 3),
                "wru_indexes": round(u.unit_total("index_WRU") / n, 3),
                "index_writes": round(u.unit_total("index_writes") / n, 3),
                "rru": round(u.unit_total("RRU") / n, 3),
                "failed_conditional_writes": round(u.unit_total("failed_conditions") / n, 3),
                "transactional_items": round(u.unit_total("transactional_items") / n, 3),
                "wru_by_operation": {k: round(v / n, 2) for k, v in u.units_by_operation("WRU").items()},
                "rru_by_operation": {k: round(v / n, 2) for k, v in u.units_by_operation("RRU").items()},
            },
            "errors": {f"{op} {code}": c for (op, code), c in u.errors.items()},
            "alerts_published": {f"{self.topics.get(t, t)}:{k}": c for (t, k), c in u.published().items()},
            "log_bytes": round((self.log_bytes + costing.LOG_EVENT_OVERHEAD * self.log_events) / n),
            "log_events": round(self.log_events / n, 2),
        }


@contextlib.contextmanager
def observing(stack: LocalStack, counter: RequestCounter, deployed: Deployed) -> Iterator[dict[str, Any]]:
    """Collects an `Observed` (under key "observed") for whatever runs inside."""
    box: dict[str, Any] = {}
    assert stack.resources is not None
    topics = {
        stack.resources.alert_topic_arn: "AlertTopic",
        stack.resources.escalation_topic_arn: "EscalationTopic",
    }
    before = counter.snapshot()
    with (
        timed_handlers(deployed.ingest_handler, deployed.respond_handler) as timings,
        logs_as_shipped(deployed.log_level) as meter,
    ):
        yield box
    box["usage"] = counter.since(before)
    box["timings"] = timings
    box["meter"] = meter
    box["topics"] = topics


def _observed(box: dict[str, Any], mentions: int, deliveries: int, deployed: Deployed) -> Observed:
    return Observed(
        mentions=mentions,
        deliveries=deliveries,
        usage=box["usage"],
        timings=box["timings"],
        log_bytes=box["meter"].bytes,
        log_events=box["meter"].events,
        deployed=deployed,
        topics=box["topics"],
    )


def _deliver(stack: LocalStack, body: bytes, headers: dict[str, str]) -> None:
    with in_phase("ingest"):
        status, answer = stack.deliver("POST", "/webhooks/facebook", body=body, headers=headers)
    if status != 200:
        raise RuntimeError(f"delivery refused: {status} {answer[:200]}")


def _drain(stack: LocalStack) -> int:
    with in_phase("respond"):
        return stack.drain()


def _cold_init_seconds(cold: dict[str, Any] | None) -> float | None:
    """The handlers' import time from the cold-start section, for the 'every invocation cold' line."""
    handlers = (cold or {}).get("handlers") or {}
    times = [
        h["import_ms"]
        for name, h in handlers.items()
        if any(part in name.split(".") for part in ("ingest", "respond")) and "import_ms" in h
    ]
    return sum(times) / len(times) / 1000 if times else None


def costs(observed: Observed, deployed: Deployed, cold: dict[str, Any] | None) -> dict[str, Any]:
    """The all-in cost per 1,000 mentions of an observed stretch, at the deployed configuration; shared
    by every section that prices a workload (end_to_end, typical_day), so they price alike."""
    per = observed.per_mention()
    init = _cold_init_seconds(cold)
    shipped = costing.cost_per_thousand(per, tracing=deployed.tracing == "Active", cold_init_seconds=init)
    traced = costing.cost_per_thousand(per, tracing=True)
    saas = SAAS_ASSUMPTION
    return {
        **shipped,
        "template_tracing": deployed.tracing,
        "total_usd_with_tracing_active": traced["total_usd"],
        "xray_usd_if_tracing_active": traced["usd"]["xray"],
        "saas_assumption": saas,
        "saas_usd_per_1000": round(
            saas["usd_per_seat_month"] * saas["seats"] / saas["mentions_per_month"] * 1000, 2
        ),
        "goal_usd": 0.01,
        "notes": "Lambda durations are the handlers' wall time on moto over local HTTP (an upper bound: "
        "DynamoDB and SQS answer faster in-region); one respond invocation per mention (the worst "
        "case at low volume); the local worker's receive and delete stand for the event source's; "
        "deliveries assume both AlertEmail and AlertPhone are set; list prices without free tiers. "
        "Fixed monthly items are listed in infra/bench/prices.py FIXED_MONTHLY.",
    }


# ---- the figures -----------------------------------------------------------------------------------


def measure(
    stack: LocalStack,
    counter: RequestCounter,
    *,
    mentions: int = 1000,
    batch: int = 10,
    cold: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """`mentions` new public complaints and questions (one thread each), `batch` delivered at a time,
    then the queue drained like the SQS event source: latency, throughput, requests, units, cost."""
    AckClock(stack)
    deployed = Deployed.from_template()
    now = datetime.now(tz=UTC)
    accepted_at: dict[str, float] = {}
    calls_before = len(stack.outbox.calls)
    start = time.perf_counter()
    delivered = 0
    with observing(stack, counter, deployed) as box:
        while delivered < mentions:
            # Lambda scales out with the queue: each batch is picked up as soon as it is queued.
            for n in range(delivered, min(delivered + batch, mentions)):
                d = comment_delivery(n, now, prefix="2")
                _deliver(stack, d.body, d.headers)
                accepted_at[f"2{n:07d}_2{n:07d}"] = time.perf_counter()
            delivered = min(delivered + batch, mentions)
            _drain(stack)
    elapsed = time.perf_counter() - start
    observed = _observed(box, mentions, mentions, deployed)

    lags: list[float] = []
    for call in stack.outbox.calls[calls_before:]:
        target = comment_target(call)
        if target in accepted_at and "at" in call:
            lags.append(call["at"] - accepted_at.pop(target))
    figures = observed.figures()
    respond = observed.timings.get(deployed.respond_handler, Timed())
    return {
        "mentions": mentions,
        "acknowledged": len(lags),
        "unacknowledged": len(accepted_at),
        "time_to_ack_p50_s": round(percentile(lags, 50), 4),
        "time_to_ack_p99_s": round(percentile(lags, 99), 4),
        "mentions_per_second": round(mentions / elapsed, 2),
        "respond_ms_per_mention": round(respond.seconds / mentions * 1000, 2),
        "requests_per_mention": figures["requests"],
        "operations_per_mention": figures["operations"],
        "dynamodb_per_mention": figures["dynamodb"],
        "dynamodb_wru_per_mention": figures["dynamodb"]["wru"],
        "dynamodb_rru_per_mention": figures["dynamodb"]["rru"],
        "log_bytes_per_mention": figures["log_bytes"],
        "alerts_published": figures["alerts_published"],
        "errors": figures["errors"],
        "accounting_errors": dict(counter.accounting_errors),
        "cost_per_1000_mentions": costs(observed, deployed, cold),
        "how": f"{mentions} signed Facebook comments (each its own thread), delivered {batch} at a time "
        "through the ingest handler, then the respond handler drained the queue like the SQS event source",
    }


def _comment(
    n: int, now: datetime, text: str, *, post: str, author: str, parent: str | None = None
) -> tuple[bytes, dict[str, str], str]:
    """A signed comment (a reply when `parent` is given); also its comment id as Graph knows it."""
    change = facebook_comment(
        f"{n:07d}", post, text, author_id=author, name="Ana Customer", now=now, parent=parent
    )
    delivery = meta_signed("facebook", page_envelope(now, change), f"bench comment {n}")
    return delivery.body, delivery.headers, f"{post}_{n:07d}"


def _one(
    stack: LocalStack,
    counter: RequestCounter,
    deployed: Deployed,
    body: bytes,
    headers: dict[str, str],
    target: str,
) -> dict[str, Any]:
    calls_before = len(stack.outbox.calls)
    with observing(stack, counter, deployed) as box:
        _deliver(stack, body, headers)
        _drain(stack)
    observed = _observed(box, 1, 1, deployed)
    answered = [c for c in stack.outbox.calls[calls_before:] if comment_target(c) == target]
    return {
        **observed.figures(),
        "acknowledged": bool(answered),
        "cost_per_1000_usd": costing.cost_per_thousand(
            observed.per_mention(), tracing=deployed.tracing == "Active"
        )["total_usd"],
    }


def _tasked(stack: LocalStack, thread_comment: str) -> bool | None:
    """Whether the thread has a follow-up task (read after the measurement, uncounted by design)."""
    try:
        from heed.storage import keys

        item = stack.table.get_item(
            Key=keys.task(keys.task_id_for(f"facebook#{thread_comment}")), ConsistentRead=True
        ).get("Item")
        return item is not None
    except Exception:
        return None


def per_kind(stack: LocalStack, counter: RequestCounter) -> dict[str, Any]:
    """Requests, WRU (with index writes) and RRU for one mention of each kind, measured alone."""
    AckClock(stack)
    deployed = Deployed.from_template()
    now = datetime.now(tz=UTC)
    post, author = "30000001", "61559000000001"
    out: dict[str, Any] = {}

    body, headers, complaint = _comment(1, now, NEEDS_REPLY[0], post=post, author=author)
    out["new_public_complaint"] = _one(stack, counter, deployed, body, headers, complaint)
    out["new_public_complaint"]["tasked"] = _tasked(stack, complaint)
    out["duplicate_delivery"] = _one(stack, counter, deployed, body, headers, complaint)

    body, headers, reply = _comment(
        2, now + timedelta(seconds=30), FOLLOW_UP, post=post, author=author, parent=complaint
    )
    out["follow_up_in_thread"] = _one(stack, counter, deployed, body, headers, reply)

    body, headers, praise = _comment(3, now, PRAISE, post="30000002", author="61559000000002")
    out["praise_not_tasked"] = _one(stack, counter, deployed, body, headers, praise)
    out["praise_not_tasked"]["tasked"] = _tasked(stack, praise)
    out["how"] = (
        "one signed Facebook comment at a time on the warm local stack, delivered and drained; "
        "duplicate: the complaint's delivery again; follow-up: a reply by the same customer under the "
        "complaint; praise: a thank-you comment on another post"
    )
    return out


def thread_length(stack: LocalStack, counter: RequestCounter, *, length: int = 50) -> dict[str, Any]:
    """The same customer writes `length` messages in one thread: what message 1 (it opens the thread
    and the task), 2, 10 and 50 (follow-ups) cost. Flat: the follow-ups cost the same however long
    the thread has grown."""
    AckClock(stack)
    deployed = Deployed.from_template()
    now = datetime.now(tz=UTC)
    post, author = "40000001", "61559000000003"
    positions = {1, 2, min(10, length), length}
    rows: dict[str, Any] = {}
    first = ""
    for i in range(1, length + 1):
        text = NEEDS_REPLY[0] if i == 1 else FOLLOW_UP
        body, headers, comment = _comment(
            100 + i, now + timedelta(seconds=i), text, post=post, author=author, parent=first or None
        )
        first = first or comment
        if i in positions:
            fig = _one(stack, counter, deployed, body, headers, comment)
            rows[str(i)] = {
                "dynamodb_requests": fig["dynamodb"]["requests"],
                "wru": fig["dynamodb"]["wru"],
                "rru": fig["dynamodb"]["rru"],
                "requests": fig["requests"],
            }
        else:
            _deliver(stack, body, headers)
            _drain(stack)
    follow_ups = [rows[str(p)] for p in sorted(positions) if p > 1]
    flat = all(
        max(r[m] for r in follow_ups) <= 1.1 * min(r[m] for r in follow_ups)
        for m in ("dynamodb_requests", "wru", "rru")
    )
    return {
        "messages": rows,
        "flat": flat,
        "how": f"{length} comments by one customer in one thread (the first, then replies under it), "
        "each delivered and drained alone; figures for the messages at the positions shown",
    }


def batch_latency(stack: LocalStack, *, rounds: int = 5, batch: int = 10) -> dict[str, Any]:
    """Deliver `batch` mentions in one delivery, drain, time delivery → acknowledgment for each."""
    AckClock(stack)
    now = datetime.now(tz=UTC)
    lags: list[float] = []
    missing = 0
    for r in range(rounds):
        ns = list(range(r * batch, (r + 1) * batch))
        calls_before = len(stack.outbox.calls)
        d = facebook_batch(ns, now, prefix="5")
        _deliver(stack, d.body, d.headers)
        accepted = time.perf_counter()
        _drain(stack)
        acked = {
            comment_target(c): c["at"]
            for c in stack.outbox.calls[calls_before:]
            if "at" in c and comment_target(c)
        }
        for n in ns:
            at = acked.get(f"5{n:07d}_5{n:07d}")
            if at is None:
                missing += 1
            else:
                lags.append(at - accepted)
    return {
        "mentions": rounds * batch,
        "acknowledged": len(lags),
        "unacknowledged": missing,
        "ack_p50_s": round(percentile(lags, 50), 4),
        "ack_p99_s": round(percentile(lags, 99), 4),
        "ack_max_s": round(max(lags), 4) if lags else None,
        "how": f"{rounds} rounds: one signed Facebook delivery carrying {batch} comments (one SQS batch), "
        "then the queue drained; time from the delivery's 200 to each acknowledgment in the outbox",
    }
