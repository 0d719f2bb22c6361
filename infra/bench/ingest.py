"""Ingest: warm handler latency over signed deliveries, Heed's handler against the bare baseline."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from infra.bench.baseline import BaselineIngest
from infra.bench.common import comment_delivery, summary_ms
from infra.local_secrets import development_secrets
from infra.local_stack import LambdaContext, LocalStack, api_gateway_event

GOAL_RATIO = 1.5


def _purge(stack: LocalStack) -> None:
    assert stack.resources is not None
    stack.sqs.purge_queue(QueueUrl=stack.resources.queue_url)


def measure(stack: LocalStack, *, deliveries: int = 1000, warmup: int = 20) -> dict[str, Any]:
    from heed import clients
    from heed.ingest import handler as ingest

    assert stack.resources is not None
    now = datetime.now(tz=UTC)
    events = [
        api_gateway_event("POST", "/webhooks/facebook", d.headers, d.body)
        for d in (comment_delivery(n, now, prefix="1") for n in range(deliveries + warmup))
    ]
    baseline = BaselineIngest(
        clients.sqs(), stack.resources.queue_url, development_secrets()["meta_app_secret"]
    )
    context = LambdaContext("IngestFunction")

    runs = iter(range(1000))

    def fresh_queue() -> str:
        """Each timed run sends to an empty queue of its own: moto slows as a queue grows."""
        import os

        from heed.settings import get_settings

        url = stack.sqs.create_queue(QueueName=f"bench-ingest-{next(runs)}")["QueueUrl"]
        os.environ["HEED_QUEUE_URL"] = url
        get_settings.cache_clear()
        baseline.queue_url = url
        return url

    def timed(handler: Any) -> list[float]:
        fresh_queue()
        for event in events[:warmup]:
            assert handler(event, context)["statusCode"] == 200
        took: list[float] = []
        for event in events[warmup:]:
            start = time.perf_counter()
            answer = handler(event, context)
            took.append(time.perf_counter() - start)
            assert answer["statusCode"] == 200, answer
        return took

    # Interleave two rounds each so drift on the shared moto server hits both alike.
    heed_times: list[float] = []
    base_times: list[float] = []
    half = deliveries // 2
    full = events
    for round_no, part in enumerate((slice(0, warmup + half), slice(half, warmup + deliveries))):
        events = full[part]
        # Alternate which goes first, so neither always meets a warmer or busier server.
        if round_no % 2 == 0:
            heed_times += timed(ingest.handler)
            base_times += timed(baseline)
        else:
            base_times += timed(baseline)
            heed_times += timed(ingest.handler)
    events = full
    import os

    from heed.settings import get_settings

    os.environ["HEED_QUEUE_URL"] = stack.resources.queue_url
    get_settings.cache_clear()
    heed = summary_ms(heed_times)
    base = summary_ms(base_times)
    return {
        "heed": heed,
        "baseline": base,
        "ratio_p50": round(heed["p50_ms"] / base["p50_ms"], 3),
        "ratio_p99": round(heed["p99_ms"] / base["p99_ms"], 3),
        "goal_ratio": GOAL_RATIO,
        "mean_ingest_seconds": heed["mean_ms"] / 1000,
        "how": "heed.ingest.handler.handler and infra/bench/baseline.py called in-process with API GW v2 "
        "events, moto ThreadedMotoServer over HTTP on 127.0.0.1, warm (30 warm-up calls each)",
    }
