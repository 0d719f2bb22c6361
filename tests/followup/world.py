"""A small world for follow-up tests: the table (from tests/support when the lead's builder exists),
the brand policy, mentions and triage results, and a clock that only moves when told."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from heed.models import Author, Intent, Mention, Platform, Priority, Sentiment, Triage, Visibility
from heed.policy import BrandPolicy, load_policy

from tests.support.table import TABLE_NAME, create_table

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

# A Monday, 10:00 in Madrid (business hours), 09:00 UTC.
MONDAY_MORNING = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def make_table(name: str = TABLE_NAME) -> Any:
    """The table as template.yaml defines it (tests/support/table.py)."""
    return create_table(name)


def policy(**changes: Any) -> BrandPolicy:
    base = load_policy(TEMPLATES)
    return base.model_copy(update=changes) if changes else base


@dataclass
class Clock:
    now: datetime = MONDAY_MORNING

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now = self.now + timedelta(**delta)
        return self.now


def mention(
    n: int = 1,
    *,
    thread: str | None = None,
    text: str = "My internet is down since this morning, nobody answers",
    platform: Platform = Platform.FACEBOOK,
    at: datetime = MONDAY_MORNING,
    visibility: Visibility = Visibility.PUBLIC,
) -> Mention:
    return Mention(
        platform=platform,
        message_id=f"m{n}",
        thread_id=thread or f"post{n}",
        account_id="page1",
        author=Author(id=f"u{n}", name=f"Customer {n}"),
        text=text,
        visibility=visibility,
        created_at=at,
        url=f"https://facebook.com/post{n}",
    )


def triage(
    *,
    priority: Priority = Priority.P2,
    intent: Intent = Intent.COMPLAINT,
    sentiment: Sentiment = Sentiment.NEGATIVE,
    team: str | None = "technical",
    **extra: Any,
) -> Triage:
    return Triage(
        language="en",
        intent=intent,
        needs_response=True,
        confidence=0.9,
        sentiment=sentiment,
        sentiment_score=-0.7 if sentiment is Sentiment.NEGATIVE else 0.3,
        priority=priority,
        team=team,
        **extra,
    )


def open_task(
    table: Any, brand: BrandPolicy, n: int = 1, *, at: datetime = MONDAY_MORNING, **triage_args: Any
):
    from heed.followup import tasks

    task, _ = tasks.open_for_mention(
        table, mention(n, at=at), triage(**triage_args), brand, customer_id=f"C-{n}", now=at
    )
    return task


class RequestCounter:
    """Counts DynamoDB API calls through botocore's event hooks."""

    def __init__(self, table: Any) -> None:
        self.calls: list[str] = []
        table.meta.client.meta.events.register("before-call.dynamodb.*", self._count)

    def _count(self, model: Any, **_: Any) -> None:
        self.calls.append(model.name)


def atomic_moto(monkeypatch: Any) -> None:
    """moto's in-memory DynamoDB checks a condition and writes in two Python steps; real DynamoDB does
    both atomically. A lock around the write operations restores that for race tests."""
    import threading

    import moto.dynamodb.models as backend

    lock = threading.RLock()
    for name in ("transact_write_items", "put_item", "update_item", "delete_item", "get_item", "query"):
        original = getattr(backend.DynamoDBBackend, name)

        def locked(*args: Any, __original: Any = original, **kwargs: Any) -> Any:
            with lock:
                return __original(*args, **kwargs)

        monkeypatch.setattr(backend.DynamoDBBackend, name, locked)


def read_together(monkeypatch: Any, module: Any, parties: int = 2) -> None:
    """Make the first read of each of `parties` threads wait for the others: they all act on the same
    state, the worst interleaving a race can have."""
    import threading

    barrier = threading.Barrier(parties, timeout=10)
    seen: set[int] = set()
    original = module.get

    def get(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        me = threading.get_ident()
        if me not in seen and threading.current_thread() is not threading.main_thread():
            seen.add(me)
            barrier.wait()
        return result

    monkeypatch.setattr(module, "get", get)


class RecordingSns:
    """An SNS client that keeps what was published (the real one is tested in tests/alerts)."""

    def __init__(self, fail_times: int = 0) -> None:
        self.published: list[dict[str, Any]] = []
        self.fail_times = fail_times
        import threading

        self._lock = threading.Lock()

    def publish(self, **kwargs: Any) -> dict[str, str]:
        with self._lock:
            if self.fail_times:
                self.fail_times -= 1
                raise RuntimeError("sns unavailable")
            self.published.append(kwargs)
            return {"MessageId": str(len(self.published))}

    def kinds(self) -> list[str]:
        return [m["MessageAttributes"]["kind"]["StringValue"] for m in self.published]

    def to(self, topic: str) -> list[dict[str, Any]]:
        return [m for m in self.published if m["TopicArn"] == topic]


def store_directly(table: Any, items: list[dict[str, Any]]) -> None:
    """Bulk load into moto's backend without the HTTP round trip (10,000 items in a second or two)."""
    from boto3.dynamodb.types import TypeSerializer
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    backend = dynamodb_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]
    serializer = TypeSerializer()
    for item in items:
        backend.put_item(table.name, {k: serializer.serialize(v) for k, v in item.items()})
