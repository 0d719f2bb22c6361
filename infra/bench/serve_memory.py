"""Memory of the local stack over many mentions, pushed the way `make serve` takes them.

    .venv/bin/python -m infra.bench.serve_memory --mentions 2000
    .venv/bin/python -m infra.bench.serve_memory --mentions 300 --moto-as-is   # without infra/moto_patches
    .venv/bin/python -m infra.bench.serve_memory --mentions 2000 --synthetic   # moto alone

Pipeline mode: signed Facebook comments through the HTTP front (ingest), the queue drained by the
respond handler after every `--batch` deliveries (serve drains every 0.2 s, which at this rate is
about one batch). Synthetic mode: the same embedded moto, one TransactWriteItems per mention of the
respond path's shape (five conditional puts and an update of a shared counter), for when the respond
path cannot run. Reports resident memory (VmRSS) at start and end, its peak (VmHWM), mentions/s and
the table's size, sampled ten times along the way; stops early when RSS passes `--max-rss-mb`, to
spare a shared machine. Results: stdout and var/bench/serve_memory.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from infra.stack import ROOT

RESULTS = ROOT / "var" / "bench" / "serve_memory.json"
TEXTS = (
    "My internet has been down since yesterday and nobody answers the phone. Fix it please",
    "Why was I charged twice this month? I want a refund",
    "Llevo 3 días sin servicio y nadie me da una solución, es una vergüenza",
)


def memory_mb() -> dict[str, float]:
    """This process's resident memory now (VmRSS) and at its peak (VmHWM), in MiB."""
    status = Path("/proc/self/status").read_text().splitlines()
    fields = {line.split(":")[0]: line.split()[1] for line in status if line.startswith(("VmRSS", "VmHWM"))}
    return {
        "rss_mb": round(int(fields["VmRSS"]) / 1024, 1),
        "peak_rss_mb": round(int(fields["VmHWM"]) / 1024, 1),
    }


def table_items(stack: Any) -> int:
    """Items in the stack's table, counted inside moto (a Scan of 100k items would take minutes)."""
    from moto.dynamodb.models import dynamodb_backends

    table = dynamodb_backends["123456789012"]["us-east-1"].get_table(stack.resources.table_name)
    return sum(len(by_sort_key) for by_sort_key in table.items.values())


def mention_delivery(n: int, now: datetime) -> Any:
    from infra.sample_deliveries import facebook_comment, meta_signed, page_envelope

    comment_id = f"5{n:07d}"
    comment = facebook_comment(
        comment_id,
        comment_id,
        TEXTS[n % len(TEXTS)],
        author_id=f"61555{n:09d}",
        name=f"Customer {n}",
        now=now,
    )
    return meta_signed("facebook", page_envelope(now, comment), f"serve memory {n}")


class Pipeline:
    """Deliver over HTTP and drain, as `make serve` does."""

    def __init__(self, stack: Any, batch: int) -> None:
        self.stack = stack
        self.batch = batch
        self.now = datetime.now(tz=UTC)
        self.failures = 0
        self.rejected = 0

    def push(self, first: int, count: int) -> None:
        for n in range(first, first + count):
            d = mention_delivery(n, self.now)
            status, _ = self.stack.deliver("POST", "/webhooks/facebook", body=d.body, headers=d.headers)
            self.rejected += status != 200
            if (n + 1) % self.batch == 0:
                self.stack.drain(on_batch=self._count)
        self.stack.drain(on_batch=self._count)

    def _count(self, answer: dict[str, Any]) -> None:
        self.failures += len(answer.get("batchItemFailures", []))

    def outcome(self) -> dict[str, Any]:
        posts = sum(1 for c in self.stack.outbox.calls if c["method"] == "POST")
        return {
            "rejected_deliveries": self.rejected,
            "failed_messages": self.failures,
            "platform_posts": posts,
        }


class Synthetic:
    """One TransactWriteItems per mention, shaped like the respond path's, straight to moto."""

    def __init__(self, stack: Any) -> None:
        self.client = stack.session.client("dynamodb")
        self.table = stack.resources.table_name
        self.cancelled = 0

    def push(self, first: int, count: int) -> None:
        for n in range(first, first + count):
            self.client.transact_write_items(TransactItems=self._transaction(n))
            if n % 50 == 0:  # now and then a duplicate: the claim fails, nothing is written
                try:
                    self.client.transact_write_items(TransactItems=self._transaction(n))
                except self.client.exceptions.TransactionCanceledException:
                    self.cancelled += 1

    def _transaction(self, n: int) -> list[dict[str, Any]]:
        def put(pk: str, sk: str, **attrs: str) -> dict[str, Any]:
            item = {"pk": {"S": pk}, "sk": {"S": sk}, **{k: {"S": v} for k, v in attrs.items()}}
            return {
                "Put": {
                    "TableName": self.table,
                    "Item": item,
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            }

        text = TEXTS[n % len(TEXTS)]
        return [
            put(f"MENTION#facebook#5{n:07d}", "CLAIM", state="claimed"),
            put(f"CONV#facebook#5{n:07d}", "MSG#customer", text=text, sender="customer"),
            put(f"TASK#T-{n:08X}", "TASK", status="acknowledged", priority="P2", text=text),
            put(f"TASK#T-{n:08X}", "EVENT#opened", kind="opened"),
            put(f"OUTBOX#facebook#5{n:07d}", "ACK", message=f"Hi Customer {n}, we are on it."),
            {
                "Update": {
                    "TableName": self.table,
                    "Key": {"pk": {"S": "STATS#day"}, "sk": {"S": "COUNT"}},
                    "UpdateExpression": "ADD mentions :one",
                    "ExpressionAttributeValues": {":one": {"N": "1"}},
                }
            },
        ]

    def outcome(self) -> dict[str, Any]:
        return {"duplicate_transactions_cancelled": self.cancelled}


def run(mentions: int, *, synthetic: bool, moto_as_is: bool, batch: int, max_rss_mb: float) -> dict[str, Any]:
    import logging
    import tempfile

    from infra import moto_patches
    from infra.local_stack import LocalStack

    logging.disable(logging.WARNING)
    state_dir = Path(tempfile.mkdtemp(prefix="heed-serve-memory-"))
    stack = LocalStack(http_port=0, state_dir=state_dir).start()
    if moto_as_is:
        moto_patches.uninstall()  # moto exactly as installed, to compare
    driver: Pipeline | Synthetic = Synthetic(stack) if synthetic else Pipeline(stack, batch)
    start = {**memory_mb(), "table_items": table_items(stack)}
    samples: list[dict[str, Any]] = []
    step = max(mentions // 10, 1)
    began = time.perf_counter()
    done = 0
    error: str | None = None
    try:
        while done < mentions:
            count = min(step, mentions - done)
            driver.push(done, count)
            done += count
            elapsed = time.perf_counter() - began
            sample = {
                "mentions": done,
                "seconds": round(elapsed, 1),
                **memory_mb(),
                "table_items": table_items(stack),
            }
            samples.append(sample)
            print(json.dumps(sample), file=sys.stderr, flush=True)
            if sample["rss_mb"] > max_rss_mb:
                error = f"stopped: RSS {sample['rss_mb']} MiB passed --max-rss-mb {max_rss_mb}"
                break
    except Exception as exc:  # the respond path is being rewritten: say where it broke
        error = f"{type(exc).__name__}: {exc}"[:300]
    elapsed = time.perf_counter() - began
    end = {**memory_mb(), "table_items": table_items(stack)}
    result = {
        "mode": "synthetic TransactWriteItems (6 actions)" if synthetic else "pipeline (deliver + drain)",
        "moto": "as installed" if moto_as_is else "with infra/moto_patches",
        "mentions_requested": mentions,
        "mentions_done": done,
        "seconds": round(elapsed, 1),
        "mentions_per_second": round(done / elapsed, 2) if elapsed else None,
        "start": start,
        "end": end,
        "samples": samples,
        **driver.outcome(),
        "error": error,
    }
    stack.stop()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--mentions", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=10, help="deliveries between drains")
    parser.add_argument("--synthetic", action="store_true", help="moto alone: TransactWriteItems per mention")
    parser.add_argument("--moto-as-is", action="store_true", help="without the local stack's moto fixes")
    parser.add_argument("--max-rss-mb", type=float, default=6000.0)
    args = parser.parse_args(argv)
    result = run(
        args.mentions,
        synthetic=args.synthetic,
        moto_as_is=args.moto_as_is,
        batch=args.batch,
        max_rss_mb=args.max_rss_mb,
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2))
    print(json.dumps({k: v for k, v in result.items() if k != "samples"}, indent=2))
    return 1 if result["error"] else 0


if __name__ == "__main__":
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "ERROR")
    sys.exit(main())
