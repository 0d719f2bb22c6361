"""SLA-watch cost growth: AWS requests of one watch run with 1k, 10k and 100k stored tasks of which
only a few are due. The watch reads the active status partitions of GSI2 (ordered by the next alert
time) up to `now`, so its requests must follow the due tasks, not the stored ones. In-process moto
(`mock_aws`); tasks are bulk-loaded into moto's backend."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from infra.bench.common import RequestCounter, in_phase
from infra.stack import ROOT, load_template

SIZES = (1_000, 10_000, 100_000)
DUE = 5
MONDAY_MORNING = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _table(name: str) -> Any:
    import boto3

    props = load_template()["Resources"]["HeedTable"]["Properties"]
    resource = boto3.resource("dynamodb", region_name="us-east-1")
    table = resource.create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=props["AttributeDefinitions"],
        KeySchema=props["KeySchema"],
        GlobalSecondaryIndexes=props["GlobalSecondaryIndexes"],
    )
    return table


def _bulk(table: Any, items: list[dict[str, Any]]) -> None:
    from boto3.dynamodb.types import TypeSerializer
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    backend = dynamodb_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]
    serializer = TypeSerializer()
    for item in items:
        backend.put_item(table.name, {k: serializer.serialize(v) for k, v in item.items()})


def _open_due_tasks(table: Any, policy: Any, count: int) -> list[str]:
    from heed.followup import tasks
    from heed.models import Author, Intent, Mention, Platform, Priority, Sentiment, Triage, Visibility

    ids = []
    for n in range(count):
        mention = Mention(
            platform=Platform.FACEBOOK,
            message_id=f"due{n}",
            thread_id=f"duepost{n}",
            account_id="page1",
            author=Author(id=f"u{n}", name=f"Customer {n}"),
            text="My internet is down since this morning, nobody answers",
            visibility=Visibility.PUBLIC,
            created_at=MONDAY_MORNING,
        )
        triage = Triage(
            language="en",
            intent=Intent.COMPLAINT,
            needs_response=True,
            confidence=0.9,
            sentiment=Sentiment.NEGATIVE,
            sentiment_score=-0.7,
            priority=Priority.P2,
            team="technical",
        )
        task, _ = tasks.open_for_mention(
            table, mention, triage, policy, customer_id=f"C-{n}", now=MONDAY_MORNING
        )
        ids.append(task.task_id)
    return ids


def measure(sizes: tuple[int, ...] = SIZES) -> dict[str, Any]:
    try:
        from heed.followup import watch
    except ImportError:
        return {"skipped": "heed.followup.watch is not there yet"}
    from heed.policy import load_policy
    from heed.storage import keys
    from moto import mock_aws

    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    policy = load_policy(ROOT / "templates")
    runs = {}
    for size in sizes:
        with mock_aws():
            import boto3

            table = _table(f"watch-{size}")
            sns = boto3.client("sns", region_name="us-east-1")
            topic = sns.create_topic(Name="alerts")["TopicArn"]
            due_ids = _open_due_tasks(table, policy, DUE)
            template = table.get_item(Key=keys.task(due_ids[0]))["Item"]
            far = keys.sortable_time(datetime(2099, 1, 1, tzinfo=UTC))
            clones = []
            for i in range(size - DUE):
                task_id = f"T-B{i:08d}"
                clones.append(
                    {
                        **template,
                        **keys.task(task_id),
                        "task_id": task_id,
                        # A third with every alert sent (sorted before the watch's range), the rest
                        # with their next alert in 2099.
                        **keys.tasks_by_status(
                            "open", task_id, next_alert_iso=None if i % 3 == 0 else far, due_iso=far
                        ),
                    }
                )
            loaded = time.perf_counter()
            _bulk(table, clones)
            load_seconds = time.perf_counter() - loaded
            counter = RequestCounter().install()
            try:
                started = time.perf_counter()
                with in_phase("watch"):
                    result = watch.run(
                        table, sns, policy, alert_topic_arn=topic, now=MONDAY_MORNING + timedelta(days=3)
                    )
                took = time.perf_counter() - started
            finally:
                counter.uninstall()
            runs[str(size)] = {
                "stored_tasks": size,
                "due": result.looked_at,
                "requests": sum(counter.by_service().values()),
                "by_operation": counter.by_operation(),
                "watch_seconds": round(took, 3),
                "load_seconds": round(load_seconds, 1),
            }
    requests = [r["requests"] for r in runs.values()]
    return {
        "runs": runs,
        "flat": len(set(requests)) == 1,
        "how": f"{DUE} due tasks among N stored (the rest with no alert left or the next in 2099); "
        "one watch.run 3 days after they opened; requests counted on botocore",
    }
