"""A responder on moto with the platforms intercepted by `responses`: the world of the respond tests."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
from heed.acknowledge.templates import load_templates
from heed.models import Author, Mention, Platform, Sender, Visibility
from heed.platforms.base import ReplyClient
from heed.platforms.generic import GenericReplies
from heed.platforms.http import ApiSession, RetryPolicy
from heed.platforms.messenger import MessengerReplies, SendApi
from heed.platforms.meta import FacebookReplies
from heed.platforms.x import XReplies
from heed.policy import load_policy
from heed.respond.pipeline import Responder
from heed.storage import keys
from heed.storage import tasks as task_store

ROOT = Path(__file__).resolve().parents[2]
GRAPH = "https://graph.test/v21.0"
X_API = "https://x.test"
MONDAY_10_MADRID = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # inside business hours
PAGE = "PAGE"


class World:
    def __init__(self, table: Any) -> None:
        self.table = table
        self.sns = boto3.client("sns")
        self.topic = self.sns.create_topic(Name="alerts")["TopicArn"]
        self.sqs = boto3.client("sqs")
        self.inbox = self.sqs.create_queue(QueueName="alert-inbox")["QueueUrl"]
        arn = self.sqs.get_queue_attributes(QueueUrl=self.inbox, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        self.sns.subscribe(TopicArn=self.topic, Protocol="sqs", Endpoint=arn)
        self.policy = load_policy(ROOT / "templates")
        self.scheduled: list[tuple[str, int]] = []
        self.generic_reply_url = ""
        self.remaining = 900.0

    def api(self, platform: str) -> ApiSession:
        return ApiSession(
            platform=platform,
            retry=RetryPolicy(attempts=3, base_delay=0, timeout=0.5),
            sleep=lambda s: None,
            remaining_seconds=lambda: self.remaining,
        )

    def client(self, platform: Platform) -> ReplyClient:
        if platform is Platform.X:
            return XReplies(self.api("x"), api_base=X_API, user_token="token")
        if platform is Platform.MESSENGER:
            return MessengerReplies(SendApi(self.api("messenger"), graph_base=GRAPH, page_token="token"))
        if platform is Platform.GENERIC:
            return GenericReplies(
                self.api("generic"), reply_url=self.generic_reply_url, secret="whsec_dGVzdA=="
            )
        return FacebookReplies(self.api("facebook"), graph_base=GRAPH, page_token="token")

    def responder(self) -> Responder:
        return Responder(
            table=self.table,
            sns=self.sns,
            alert_topic_arn=self.topic,
            policy=self.policy,
            templates=load_templates(ROOT / "templates"),
            reply_client=self.client,
            triage=__import__("heed.triage", fromlist=["triage"]).triage,
            schedule_acknowledgment=lambda m, delay: self.scheduled.append((m.key, delay)),
            remaining_seconds=lambda: self.remaining,
        )

    def alerts(self) -> list[str]:
        kinds: list[str] = []
        while True:
            got = self.sqs.receive_message(QueueUrl=self.inbox, MaxNumberOfMessages=10).get("Messages", [])
            if not got:
                return kinds
            for message in got:
                kinds.append(json.loads(message["Body"])["MessageAttributes"]["kind"]["Value"])
                self.sqs.delete_message(QueueUrl=self.inbox, ReceiptHandle=message["ReceiptHandle"])

    def task_of(self, mention: Mention) -> Any:
        return task_store.get(self.table, keys.task_id_for(mention.thread_key))

    def record(self, mention: Mention) -> dict[str, Any]:
        from heed.storage import plans

        return plans.get_record(self.table, mention.key) or {}


def comment(
    n: int = 1,
    text: str = "My internet has been down since yesterday, this is unacceptable",
    *,
    author: str | None = None,
    thread: str | None = None,
    at: datetime = MONDAY_10_MADRID,
) -> Mention:
    return Mention(
        platform=Platform.FACEBOOK,
        message_id=f"555_{n}",
        thread_id=thread or f"555_{n}",
        account_id=PAGE,
        author=Author(id=author or f"user{n}", name="Ana"),
        text=text,
        created_at=at,
    )


def brand_comment(text: str, *, reply_to: Mention, message_id: str = "555_1_echo") -> Mention:
    """A message by the brand's own page on the customer's thread (Heed's echo, or a person)."""
    return reply_to.model_copy(
        update={
            "message_id": message_id,
            "parent_id": reply_to.message_id,
            "sender": Sender.BRAND,
            "author": Author(id=PAGE),
            "text": text,
        }
    )


def tweet(
    n: int, text: str, *, author: str, conversation: str = "1000", parent: str | None = None
) -> Mention:
    from heed.platforms.x import public_thread

    return Mention(
        platform=Platform.X,
        message_id=str(n),
        thread_id=public_thread(conversation, author),
        parent_id=parent,
        account_id="BRAND",
        author=Author(id=author, handle=f"u{author}", name=f"User {author}"),
        text=text,
        visibility=Visibility.PUBLIC,
        kind="mention",
        created_at=MONDAY_10_MADRID,
        raw={} if parent else {"conversation_id": conversation},
    )


def decided_at_once(
    table: Any, policy: Any, templates: Any, mentions: tuple[Mention, ...], now: datetime = MONDAY_10_MADRID
) -> tuple[list[Any], list[Any]]:
    """Each mention read, then each decided, before any is committed: what two workers at once see.
    Returns (snapshots, plans) for storage/plans.commit."""
    from heed.respond.decide import ReplyChannel, ThreadState, decide
    from heed.storage import plans
    from heed.triage import triage

    snapshots = [plans.read(table, m) for m in mentions]
    decided = [
        decide(
            m,
            triage(m.text),
            customer_id=snap.customer_id,
            thread=ThreadState(task=snap.task, customer_task=snap.customer_task),
            channel=ReplyChannel(True, 8000),
            policy=policy,
            templates=templates,
            now=now,
        )
        for m, snap in zip(mentions, snapshots, strict=True)
    ]
    return snapshots, decided
