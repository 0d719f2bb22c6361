"""A small world of stored customer data, written through Heed's own storage functions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from heed.models import (
    Author,
    FollowUpTask,
    Intent,
    Mention,
    Platform,
    Priority,
    Sender,
    TaskStatus,
    Visibility,
)
from heed.storage import conversations, keys, mentions
from heed.storage import tasks as task_store

NOW = datetime(2026, 11, 22, 10, 30, tzinfo=UTC)
PAGE = "104729385610001"


def mention(
    message_id: str,
    *,
    author_id: str,
    thread: str,
    platform: Platform = Platform.MESSENGER,
    text: str = "My card 4111 1111 1111 1111 was charged twice",
    sender: Sender = Sender.CUSTOMER,
    minutes: int = 0,
    name: str = "Ana Rios",
) -> Mention:
    return Mention(
        platform=platform,
        message_id=message_id,
        thread_id=thread,
        account_id=PAGE,
        author=Author(id=author_id, name=name if sender is Sender.CUSTOMER else "Acme"),
        text=text,
        visibility=Visibility.PRIVATE if thread.startswith("dm:") else Visibility.PUBLIC,
        sender=sender,
        kind="direct_message" if thread.startswith("dm:") else "comment",
        created_at=NOW + timedelta(minutes=minutes),
        raw={"message": {"mid": message_id, "text": text}, "sender": {"id": author_id}},
    )


def store_customer_message(table: Any, m: Mention) -> str:
    customer_id = conversations.identify_customer(table, m.platform.value, m.author, now=m.created_at)
    mentions.claim(table, m, customer_id=customer_id, now=m.created_at, raw_days=90)
    conversations.count_contact(table, customer_id, now=m.created_at)
    conversations.record_message(table, m, customer_id=customer_id)
    return customer_id


def store_task(table: Any, m: Mention, customer_id: str) -> FollowUpTask:
    task = FollowUpTask(
        task_id=keys.task_id_for(m.thread_key),
        thread_key=m.thread_key,
        platform=m.platform,
        customer_id=customer_id,
        status=TaskStatus.OPEN,
        priority=Priority.P2,
        intent=Intent.COMPLAINT,
        visibility=m.visibility,
        opened_at=m.created_at,
        first_response_due=m.created_at + timedelta(hours=1),
        resolution_due=m.created_at + timedelta(days=1),
        author_display="Ana Rios",
        excerpt="My card **** was charged twice",
        url="https://m.me/ana",
        personal_data=["card"],
    )
    task_store.create(table, task, next_alert_at=None, event_id=m.key)
    return task


def build(table: Any) -> dict[str, Any]:
    """Ana writes a DM (Heed replies, a person replies from the inbox), and comments in a thread Bea
    started. Bea's data must survive Ana's deletion."""
    ana_dm = mention("m_ana_1", author_id="ana-psid", thread="dm:ana-psid")
    ana_id = store_customer_message(table, ana_dm)
    conversations.record_reply(
        table,
        ana_dm,
        text="Sorry Ana!",
        visibility=Visibility.PRIVATE,
        reply_id="m_heed_1",
        at=NOW + timedelta(minutes=1),
        sender=Sender.HEED,
        by="Lucia",
    )
    echo = mention(
        "m_brand_1",
        author_id=PAGE,
        thread="dm:ana-psid",
        text="Ana, your refund is on its way",
        sender=Sender.BRAND,
        minutes=5,
    )
    mentions.claim(table, echo, customer_id=f"BRAND-{PAGE}", now=echo.created_at, raw_days=90)
    conversations.record_message(table, echo, customer_id=ana_id)
    task = store_task(table, ana_dm, ana_id)

    bea_comment = mention(
        "post_1_c1",
        author_id="bea-id",
        thread="post_1_c1",
        platform=Platform.FACEBOOK,
        text="No signal since Monday",
        name="Bea Soto",
    )
    bea_id = store_customer_message(table, bea_comment)
    ana_in_bea_thread = mention(
        "post_1_c2",
        author_id="ana-fb",
        thread="post_1_c1",
        platform=Platform.FACEBOOK,
        text="Same here, call me on +34 600 000 000",
        minutes=2,
        name="Ana R.",
    )
    ana_fb_id = store_customer_message(table, ana_in_bea_thread)
    return {
        "ana_id": ana_id,
        "ana_fb_id": ana_fb_id,
        "bea_id": bea_id,
        "ana_dm": ana_dm,
        "echo": echo,
        "task": task,
        "bea_comment": bea_comment,
        "ana_in_bea_thread": ana_in_bea_thread,
    }
