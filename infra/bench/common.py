"""Shared pieces of the benchmarks: percentiles, AWS request counting (with DynamoDB capacity as
the bill counts it), signed deliveries to order."""

from __future__ import annotations

import json
import math
import statistics
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from infra.bench import capacity
from infra.sample_deliveries import (
    PAGE_ID,
    SampleDelivery,
    facebook_comment,
    generic_signed,
    meta_signed,
    page_envelope,
    x_signed,
)

# Texts a customer really writes; each needs a reply and opens a task (complaints and questions).
NEEDS_REPLY = (
    "My internet has been down since yesterday and nobody answers the phone. Fix it please",
    "Llevo 3 días sin servicio y nadie me da una solución, es una vergüenza",
    "Bonjour, ma facture est le double du mois dernier, pouvez-vous vérifier ?",
    "Olá, vocês têm fibra disponível em Porto? Quanto custa o plano?",
    "Why was I charged twice this month? I want a refund",
    "How do I change the plan on my account? The app gives an error",
)
PRAISE = "Thank you for the quick repair yesterday, the technician was great!"
SPAM = "EARN $5000 A WEEK FROM HOME!!! click bit.ly/xx-cash-now DM me 💰💰💰"


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary_ms(seconds: list[float]) -> dict[str, float]:
    return {
        "n": len(seconds),
        "p50_ms": round(percentile(seconds, 50) * 1000, 3),
        "p99_ms": round(percentile(seconds, 99) * 1000, 3),
        "mean_ms": round(statistics.fmean(seconds) * 1000, 3) if seconds else float("nan"),
    }


def comment_delivery(
    n: int, now: datetime, *, text: str | None = None, post: str | None = None, prefix: str = "7"
) -> SampleDelivery:
    """One signed Facebook comment with a unique id, on its own post (one thread, one task)."""
    comment = facebook_comment(
        f"{prefix}{n:07d}",
        post or f"{prefix}{n:07d}",
        text or NEEDS_REPLY[n % len(NEEDS_REPLY)],
        author_id=f"6155{prefix}{n:09d}",
        name=f"Customer {n}",
        now=now,
    )
    return meta_signed("facebook", page_envelope(now, comment), f"bench comment {n}")


def facebook_batch(ns: list[int], now: datetime, prefix: str = "8") -> SampleDelivery:
    changes = [
        facebook_comment(
            f"{prefix}{n:07d}",
            f"{prefix}{n:07d}",
            NEEDS_REPLY[n % len(NEEDS_REPLY)],
            author_id=f"6155{prefix}{n:09d}",
            name=f"Customer {n}",
            now=now,
        )
        for n in ns
    ]
    return meta_signed("facebook", page_envelope(now, *changes), "bench batch")


def instagram_comment(n: int, now: datetime) -> SampleDelivery:
    payload = {
        "object": "instagram",
        "entry": [
            {
                "id": "17841400000000001",
                "time": int(now.timestamp()),
                "changes": [
                    {
                        "field": "comments",
                        "value": {
                            "id": f"1790{n:010d}",
                            "from": {"id": f"1784{n:010d}", "username": f"cust_{n}"},
                            "text": NEEDS_REPLY[n % len(NEEDS_REPLY)],
                            "media": {"id": f"1789{n:010d}", "media_product_type": "FEED"},
                        },
                    }
                ],
            }
        ],
    }
    return meta_signed("instagram", payload, "bench instagram comment")


def x_mention(n: int, now: datetime) -> SampleDelivery:
    payload = {
        "for_user_id": "2244994945",
        "tweet_create_events": [
            {
                "id_str": f"18{n:015d}",
                "created_at": now.strftime("%a %b %d %H:%M:%S +0000 %Y"),
                "text": "@AcmeTelecom " + NEEDS_REPLY[n % len(NEEDS_REPLY)],
                "in_reply_to_status_id_str": None,
                "user": {
                    "id_str": f"99{n:010d}",
                    "screen_name": f"cust{n}",
                    "name": f"Customer {n}",
                    "followers_count": 10,
                    "verified": False,
                },
                "entities": {"user_mentions": [{"id_str": "2244994945", "screen_name": "AcmeTelecom"}]},
            }
        ],
    }
    return x_signed(payload, "bench x mention")


def generic_mention(n: int, now: datetime) -> SampleDelivery:
    payload = {
        "type": "mention.created",
        "data": {
            "id": f"g-{n}",
            "text": NEEDS_REPLY[n % len(NEEDS_REPLY)],
            "created_at": now.isoformat(),
            "source": "listening",
            "author": {"id": f"ga-{n}", "handle": f"g{n}", "name": f"Customer {n}"},
        },
    }
    return generic_signed(payload, "bench generic", msg_id=f"msg_g_{n}", now=now)


__all__ = ["PAGE_ID", "json"]


# ---- counting AWS requests ------------------------------------------------------------------------

_phase = threading.local()
_uncounted = threading.local()  # set while the counter reads items for itself


@dataclass
class Usage:
    """What a stretch of work asked of AWS: calls by (phase, service, operation), DynamoDB units and
    billed SQS/SNS request chunks by (phase, measure), SNS publishes by (phase, topic, kind)."""

    calls: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    units: Counter[tuple[str, str]] = field(default_factory=Counter)
    errors: Counter[tuple[str, str]] = field(default_factory=Counter)  # (service:operation, code)
    publishes: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    seconds: Counter[str] = field(default_factory=Counter)  # service:operation -> time waited
    operation_units: Counter[tuple[str, str]] = field(default_factory=Counter)  # (service:op, measure)

    def copy(self) -> Usage:
        return Usage(*(Counter(getattr(self, f.name)) for f in fields(self)))

    def __sub__(self, earlier: Usage) -> Usage:
        return Usage(*(getattr(self, f.name) - getattr(earlier, f.name) for f in fields(self)))

    def by_service(self, phases: tuple[str, ...] | None = None) -> dict[str, int]:
        out: Counter[str] = Counter()
        for (ph, service, _), n in self.calls.items():
            if phases is None or ph in phases:
                out[service] += n
        return dict(out)

    def by_operation(self, phases: tuple[str, ...] | None = None) -> dict[str, int]:
        out: Counter[str] = Counter()
        for (ph, service, op), n in self.calls.items():
            if phases is None or ph in phases:
                out[f"{service}:{op}"] += n
        return dict(sorted(out.items()))

    def unit_total(self, kind: str, phases: tuple[str, ...] | None = None) -> float:
        """kind: WRU, RRU, table_WRU, index_WRU, index_writes, failed_conditions, transactional_items,
        sqs_billed, sns_billed (billed request chunks of 64 KB), sqs_empty_receives."""
        return sum(v for (ph, k), v in self.units.items() if k == kind and (phases is None or ph in phases))

    def units_by_operation(self, kind: str) -> dict[str, float]:
        """One measure (as in `unit_total`) by service:operation: where the units go."""
        return dict(sorted((op, v) for (op, k), v in self.operation_units.items() if k == kind))

    def published(self) -> dict[tuple[str, str], int]:
        """SNS publishes by (topic ARN, alert kind)."""
        out: Counter[tuple[str, str]] = Counter()
        for (_, topic, kind), n in self.publishes.items():
            out[(topic, kind)] += n
        return dict(out)


class RequestCounter:
    """Counts every AWS call the process makes, and prices DynamoDB calls in request units as the
    bill does (infra/bench/capacity.py): item sizes, index writes, transactions, failed conditions.

    Wraps `BaseClient._make_request`, below boto3's type conversion and above the retries, so every
    client is seen, requests and answers are DynamoDB JSON as on the wire, and failed calls (a
    condition that did not hold) are counted too. The items a write touches are read before and after
    it, uncounted, from moto's in-process backend when the table lives there (microseconds), else
    with a strongly consistent GetItem of the counter's own (works against any endpoint). The
    accounting never breaks the call it observes: a problem is counted in `accounting_errors`.
    The phase is per thread, so a worker thread's calls are told apart from the ingest path's.
    """

    def __init__(self, peeker: ItemPeeker | None = None) -> None:
        self.usage = Usage()
        self.peeker = peeker or ItemPeeker()
        self.accounting_errors: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._original: Any = None

    # the same questions as Usage, over everything counted since the last reset
    @property
    def calls(self) -> Counter[tuple[str, str, str]]:
        return self.usage.calls

    @property
    def seconds(self) -> Counter[str]:
        return self.usage.seconds

    def by_service(self, phases: tuple[str, ...] | None = None) -> dict[str, int]:
        return self.usage.by_service(phases)

    def by_operation(self, phases: tuple[str, ...] | None = None) -> dict[str, int]:
        return self.usage.by_operation(phases)

    def unit_total(self, kind: str, phases: tuple[str, ...] | None = None) -> float:
        return self.usage.unit_total(kind, phases)

    def snapshot(self) -> Usage:
        with self._lock:
            return self.usage.copy()

    def since(self, earlier: Usage) -> Usage:
        return self.snapshot() - earlier

    def reset(self) -> None:
        with self._lock:
            self.usage = Usage()

    def install(self) -> RequestCounter:
        from botocore.client import BaseClient

        self._original = BaseClient._make_request
        counter = self

        def counted(client: Any, operation_model: Any, request_dict: dict[str, Any], context: Any) -> Any:
            if getattr(_uncounted, "on", False):
                return counter._original(client, operation_model, request_dict, context)
            service = operation_model.service_model.service_name
            operation = operation_model.name
            prepared = counter._guard(lambda: counter._prepare(client, service, operation, request_dict))
            start = time.perf_counter()
            try:
                http, parsed = counter._original(client, operation_model, request_dict, context)
            except Exception:
                counter._count(phase(), service, operation, time.perf_counter() - start)
                raise
            took = time.perf_counter() - start
            counter._count(phase(), service, operation, took)
            counter._guard(
                lambda: counter._account(client, service, operation, request_dict, prepared, http, parsed)
            )
            return http, parsed

        BaseClient._make_request = counted  # type: ignore[method-assign]
        return self

    def uninstall(self) -> None:
        from botocore.client import BaseClient

        if self._original is not None:
            BaseClient._make_request = self._original  # type: ignore[method-assign]
            self._original = None

    # internals
    def _guard(self, work: Any) -> Any:
        try:
            return work()
        except Exception as exc:  # the bench must observe, never change, what the code does
            with self._lock:
                self.accounting_errors[type(exc).__name__] += 1
            return None

    def _count(self, ph: str, service: str, operation: str, took: float) -> None:
        with self._lock:
            self.usage.calls[(ph, service, operation)] += 1
            self.usage.seconds[f"{service}:{operation}"] += took

    def _prepare(
        self, client: Any, service: str, operation: str, request_dict: dict[str, Any]
    ) -> dict[str, Any] | None:
        """Before a DynamoDB call: its request, the tables' definitions, the items it will touch."""
        if service != "dynamodb" or operation not in capacity.WRITE_OPERATIONS | capacity.READ_OPERATIONS:
            return None
        request = json.loads(_text(request_dict.get("body")) or "{}")
        schemas = {t: self.peeker.schema(client, t) for t in _tables(request)}
        before, after = capacity.targets(operation, request, schemas)
        images = {capacity.image_key(t, k): self.peeker.item(client, t, k) for t, k in before}
        return {"request": request, "schemas": schemas, "before": images, "after_targets": after}

    def _account(
        self,
        client: Any,
        service: str,
        operation: str,
        request_dict: dict[str, Any],
        prepared: dict[str, Any] | None,
        http: Any,
        parsed: dict[str, Any],
    ) -> None:
        ph = phase()
        failed = getattr(http, "status_code", 200) >= 300
        code = (parsed.get("Error") or {}).get("Code") if failed else None
        if failed:
            with self._lock:
                self.usage.errors[(f"{service}:{operation}", str(code))] += 1
        if service in ("sqs", "sns"):
            if operation == "ReceiveMessage" and not failed and not parsed.get("Messages"):
                # An empty receive is the event source polling an idle queue: a fixed monthly cost
                # of having the queue, not something a mention adds.
                with self._lock:
                    self.usage.units[(ph, "sqs_empty_receives")] += 1
                return
            # Each 64 KB chunk of a request's payload is billed as one request (SQS and SNS pricing).
            size = max(
                len(_text(request_dict.get("body")).encode()), len(getattr(http, "content", b"") or b"")
            )
            with self._lock:
                self.usage.units[(ph, f"{service}_billed")] += max(1, math.ceil(size / (64 * 1024)))
            if service == "sns" and operation == "Publish" and not failed:
                topic, kind = _publish_topic_kind(_text(request_dict.get("body")))
                with self._lock:
                    self.usage.publishes[(ph, topic, kind)] += 1
            return
        if prepared is None:
            return
        request, schemas = prepared["request"], prepared["schemas"]
        after = {}
        if not failed:
            after = {
                capacity.image_key(t, k): self.peeker.item(client, t, k) for t, k in prepared["after_targets"]
            }
        full_items = None
        if operation in ("Query", "Scan") and not failed and _projected(request):
            full_items = self.peeker.read_all(client, operation, request)
        cost = capacity.call_capacity(
            operation,
            request,
            parsed,
            error=code,
            schemas=schemas,
            images=capacity.Images(prepared["before"], after),
            full_items=full_items,
        )
        with self._lock:
            for kind, value in (
                ("WRU", cost.wru),
                ("RRU", cost.rru),
                ("table_WRU", cost.table_wru),
                ("index_WRU", cost.index_wru),
                ("index_writes", cost.index_writes),
                ("failed_conditions", cost.failed_conditions),
                ("transactional_items", cost.transactional_items),
            ):
                if value:
                    self.usage.units[(ph, kind)] += value
                    self.usage.operation_units[(f"dynamodb:{operation}", kind)] += value


class ItemPeeker:
    """Reads tables' definitions and items for the counter, without being counted."""

    def __init__(self) -> None:
        self._schemas: dict[tuple[str, str, str], capacity.TableSchema] = {}
        self._clients: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()

    def schema(self, client: Any, table: str) -> capacity.TableSchema:
        where = (client.meta.endpoint_url, client.meta.region_name, table)
        if where not in self._schemas:
            described = self._quietly(client, "describe_table", TableName=table)["Table"]
            self._schemas[where] = capacity.TableSchema.from_definition(table, described)
        return self._schemas[where]

    def item(self, client: Any, table: str, key: dict[str, Any]) -> dict[str, Any] | None:
        found = _moto_item(client.meta.region_name, table, key)
        if found is not _NOT_IN_MOTO:
            return found  # type: ignore[return-value]
        answer = self._quietly(client, "get_item", TableName=table, Key=key, ConsistentRead=True)
        return answer.get("Item")

    def read_all(self, client: Any, operation: str, request: dict[str, Any]) -> list[dict[str, Any]]:
        """The whole items a projected Query/Scan read: capacity counts them, not the projection."""
        plain = {
            k: v
            for k, v in request.items()
            if k not in ("ProjectionExpression", "Select", "Limit", "ExclusiveStartKey")
        }
        if "ExpressionAttributeNames" in plain:  # names only the projection used would be rejected
            text = json.dumps({k: v for k, v in plain.items() if k != "ExpressionAttributeNames"})
            names = {n: v for n, v in plain["ExpressionAttributeNames"].items() if n in text}
            plain["ExpressionAttributeNames"] = names or None
            if not names:
                plain.pop("ExpressionAttributeNames")
        if "Limit" in request:
            plain["Limit"] = request["Limit"]
        if "ExclusiveStartKey" in request:
            plain["ExclusiveStartKey"] = request["ExclusiveStartKey"]
        method = "query" if operation == "Query" else "scan"
        return list(self._quietly(client, method, **plain).get("Items", []))

    def _quietly(self, client: Any, method: str, **params: Any) -> dict[str, Any]:
        where = (client.meta.endpoint_url, client.meta.region_name)
        with self._lock:
            if where not in self._clients:
                import boto3

                self._clients[where] = boto3.session.Session().client(
                    "dynamodb", region_name=client.meta.region_name, endpoint_url=client.meta.endpoint_url
                )
            own = self._clients[where]
        _uncounted.on = True
        try:
            return dict(getattr(own, method)(**params))
        finally:
            _uncounted.on = False


_NOT_IN_MOTO = object()


def _moto_item(region: str, table: str, key: dict[str, Any]) -> Any:
    """The item from moto's in-process backend (the local stack and mock_aws run in this process),
    or _NOT_IN_MOTO when moto does not hold that table here."""
    try:
        from moto.dynamodb.models import dynamodb_backends
        from moto.dynamodb.models.dynamo_type import DynamoType
    except ImportError:
        return _NOT_IN_MOTO
    for account in list(dynamodb_backends.keys()):
        found = dynamodb_backends[account][region].tables.get(table)
        if found is None:
            continue
        hash_value = DynamoType(key[found.hash_key_attr])
        range_value = DynamoType(key[found.range_key_attr]) if found.range_key_attr else None
        item = found.get_item(hash_value, range_value)
        return item.to_json()["Attributes"] if item is not None else None
    return _NOT_IN_MOTO


def _text(body: Any) -> str:
    """A request body as sent: JSON protocols carry bytes, the query protocol (SNS) a dict of form
    fields that botocore encodes later."""
    if body is None:
        return ""
    if isinstance(body, dict):
        from urllib.parse import urlencode

        return urlencode(body)
    return body.decode() if isinstance(body, bytes | bytearray) else str(body)


def _tables(request: dict[str, Any]) -> set[str]:
    names = {request["TableName"]} if "TableName" in request else set()
    names |= set(request.get("RequestItems", {}))
    for entry in request.get("TransactItems", []):
        names |= {
            body["TableName"] for body in entry.values() if isinstance(body, dict) and "TableName" in body
        }
    return names


def _projected(request: dict[str, Any]) -> bool:
    return "ProjectionExpression" in request or request.get("Select") in ("COUNT", "SPECIFIC_ATTRIBUTES")


def _publish_topic_kind(body: str) -> tuple[str, str]:
    """TopicArn and the `kind` message attribute of an SNS Publish (query protocol, form-encoded)."""
    from urllib.parse import parse_qs

    form = {k: v[0] for k, v in parse_qs(body).items()}
    kind = "-"
    for name_key, name in form.items():
        if name_key.startswith("MessageAttributes.entry.") and name_key.endswith(".Name") and name == "kind":
            kind = form.get(name_key.removesuffix(".Name") + ".Value.StringValue", "-")
    return form.get("TopicArn", "-"), kind


def phase() -> str:
    return getattr(_phase, "name", "other")


@contextmanager
def in_phase(name: str) -> Iterator[None]:
    before = phase()
    _phase.name = name
    try:
        yield
    finally:
        _phase.name = before
