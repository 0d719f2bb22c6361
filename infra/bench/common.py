"""Shared pieces of the benchmarks: percentiles, AWS request counting, signed deliveries to order."""

from __future__ import annotations

import json
import statistics
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

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


class RequestCounter:
    """Counts every botocore API call by (phase, service, operation), with DynamoDB unit estimates.

    Wraps `BaseClient._make_api_call`, so clients created before or after are all seen. The phase is
    per thread, so a worker thread's calls are told apart from the ingest path's.
    """

    def __init__(self) -> None:
        self.calls: Counter[tuple[str, str, str]] = Counter()
        self.units: Counter[tuple[str, str]] = Counter()  # (phase, "WRU"|"RRU")
        self.seconds: Counter[str] = Counter()  # service:operation -> time spent waiting on it
        self._lock = threading.Lock()
        self._original: Any = None

    def install(self) -> RequestCounter:
        from botocore.client import BaseClient

        self._original = BaseClient._make_api_call
        counter = self

        def counted(client: Any, operation: str, params: dict[str, Any]) -> Any:
            start = time.perf_counter()
            answer = counter._original(client, operation, params)
            service = client.meta.service_model.service_name
            counter.add(phase(), service, operation, params, answer, time.perf_counter() - start)
            return answer

        BaseClient._make_api_call = counted  # type: ignore[method-assign]
        return self

    def uninstall(self) -> None:
        from botocore.client import BaseClient

        if self._original is not None:
            BaseClient._make_api_call = self._original  # type: ignore[method-assign]

    def add(
        self, ph: str, service: str, operation: str, params: dict[str, Any], answer: Any, took: float
    ) -> None:
        wru, rru = dynamodb_units(operation, params, answer) if service == "dynamodb" else (0.0, 0.0)
        with self._lock:
            self.calls[(ph, service, operation)] += 1
            self.seconds[f"{service}:{operation}"] += took
            self.units[(ph, "WRU")] += wru
            self.units[(ph, "RRU")] += rru

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self.units.clear()
            self.seconds.clear()

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
        return sum(v for (ph, k), v in self.units.items() if k == kind and (phases is None or ph in phases))


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


def _kb(value: Any) -> float:
    return len(json.dumps(value, default=str)) / 1024


def dynamodb_units(operation: str, params: dict[str, Any], answer: Any) -> tuple[float, float]:
    """On-demand units a call costs: writes 1 WRU per started KB, reads 1 RRU per started 4 KB
    (half for eventually consistent), transactions twice. Item size is estimated from the JSON sent
    or returned; an UpdateItem is counted at 1 KB (Heed's records are small)."""
    import math

    strong = bool(params.get("ConsistentRead"))
    read_factor = 1.0 if strong else 0.5
    if operation == "PutItem":
        return float(math.ceil(max(_kb(params.get("Item", {})), 0.001))), 0.0
    if operation in ("UpdateItem", "DeleteItem"):
        return 1.0, 0.0
    if operation == "GetItem":
        return 0.0, math.ceil(max(_kb(answer.get("Item", {})) / 4, 0.001)) * read_factor
    if operation == "Query":
        return 0.0, math.ceil(max(_kb(answer.get("Items", [])) / 4, 0.001)) * read_factor
    if operation == "BatchWriteItem":
        items = [r for reqs in params.get("RequestItems", {}).values() for r in reqs]
        return float(sum(math.ceil(max(_kb(r), 0.001)) for r in items)), 0.0
    if operation == "BatchGetItem":
        got = [i for items in answer.get("Responses", {}).values() for i in items]
        return 0.0, sum(math.ceil(max(_kb(i) / 4, 0.001)) for i in got) * read_factor
    if operation == "TransactWriteItems":
        return 2.0 * sum(math.ceil(max(_kb(i), 0.001)) for i in params.get("TransactItems", [])), 0.0
    if operation == "TransactGetItems":
        return 0.0, 2.0 * len(params.get("TransactItems", []))
    return 0.0, 0.0
