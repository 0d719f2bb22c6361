"""X (Twitter): Account Activity webhooks in, API v2 replies and DMs out, and the v2 post shape that
polling (heed.polling.x_search) reads.

- CRC: `GET ?crc_token=T` → `{"response_token": "sha256=" + base64(HMAC-SHA256(consumer_secret, T))}`.
- Deliveries: `x-twitter-webhooks-signature: sha256=<base64 HMAC-SHA256(consumer_secret, body)>`.
- `tweet_create_events`: mentions and replies; the brand's own posts come back too (Sender.BRAND) and
  posts by users who blocked the brand (`user_has_blocked`) are skipped. `direct_message_events`: DMs.
- Replies: `POST /2/tweets` with `reply.in_reply_to_tweet_id`; DMs:
  `POST /2/dm_conversations/with/{participant_id}/messages`.

One post is one mention whichever way it arrives: platform "x" + the post id, and the same thread rule
for webhook (v1.1 shape) and polling (v2 shape). A public thread is one customer in one X
conversation, `thread_id = "{conversation_id}:{customer_id}"`: customers answering the same brand
post are separate threads (and tasks), and a customer answering Heed's acknowledgment stays on their
own. The brand's posts (Heed's echo, a person at the brand) belong to the customer they answer. A DM
thread is the DM conversation with the customer (`dm:{customer_id}`).

Contract: ../shared/docs/platforms.md, "X"; docs.x.com/x-api/webhooks, .../posts/creation-of-a-post.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

from heed.models import Author, Mention, Platform, PostedReply, Sender, Visibility
from heed.observability import logger
from heed.platforms.base import (
    Delivery,
    HandshakeRefused,
    MalformedPayload,
    PlatformSecrets,
    WebhookAnswer,
    WebhookRequest,
)
from heed.platforms.http import ApiSession, PermanentRefusal
from heed.platforms.messenger import DM_KIND, customer_of, dm_thread
from heed.platforms.meta import _epoch, _str, label
from heed.platforms.payload import X_ID, optional_id, require_id, timestamp_int, without
from heed.platforms.signatures import hmac_sha256, require_base64_signature

SIGNATURE_HEADER = "x-twitter-webhooks-signature"
MENTION_KIND = "mention"
KEYWORD_KIND = "keyword"


def crc_response_token(consumer_secret: str, crc_token: str) -> str:
    return "sha256=" + base64.b64encode(hmac_sha256(consumer_secret, crc_token.encode())).decode()


def post_url(username: str | None, post_id: str) -> str:
    return f"https://x.com/{username or 'i/web'}/status/{post_id}"


def _flag(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


def _created(post: dict[str, Any], fallback: datetime) -> datetime:
    stamp = timestamp_int(post.get("timestamp_ms"))
    if stamp is not None:
        return _epoch(stamp, fallback)
    try:
        return parsedate_to_datetime(str(post.get("created_at")))  # "Wed Oct 10 20:19:24 +0000 2018"
    except (TypeError, ValueError, IndexError):
        return fallback


def public_thread(conversation_id: str, customer_id: str) -> str:
    return f"{conversation_id}:{customer_id}"


def _conversation(post: dict[str, Any], post_id: str, parent: str | None) -> str:
    """The X conversation a post belongs to: the id of the original post that started it.

    v2 posts carry `conversation_id` (docs.x.com/x-api/fundamentals/conversation-id); an original
    post's conversation id is its own id, so a post that replies to nothing is its own root. v1.1
    objects, which Account Activity delivers, have no `conversation_id` (a v2-only field:
    docs.x.com/x-api/posts/lookup/migrate/overview) and name only the parent of a reply; the ingest
    path makes no lookups, so the parent stands in. That is exact when the parent is an original post
    (customers answering a brand's announcement, a first answer to a customer's mention) and only a
    guess for a reply to a reply: see `conversation_is_inferred`.
    """
    return _str(post.get("conversation_id")) or parent or post_id


def _customer(author_id: str, brand_id: str, replied_to_user: str | None) -> str:
    """Whose thread a post is on: its author's, unless the brand wrote it to a customer."""
    if author_id == brand_id and replied_to_user is not None and replied_to_user != brand_id:
        return replied_to_user
    return author_id


def conversation_is_inferred(mention: Mention) -> bool:
    """True for a public reply whose payload gave no conversation id (a v1.1 reply): its thread is
    named after the post it answers, which is the conversation's root only when that post is one.
    Heed's records of that post (a mention, or Heed's own reply) know the real conversation."""
    return (
        mention.kind != DM_KIND
        and mention.parent_id is not None
        and _str(mention.raw.get("conversation_id")) is None
    )


def _author(user_id: str, user: dict[str, Any]) -> Author:
    """An X user object (v1.1 shape, as Account Activity sends it) as Heed's Author."""
    followers = user.get("followers_count")
    return Author(
        id=user_id,
        handle=_str(user.get("screen_name")),
        name=_str(user.get("name")),
        followers=followers if isinstance(followers, int) and not isinstance(followers, bool) else None,
        verified=_flag(user.get("verified")),
    )


class XWebhook:
    def handshake(self, request: WebhookRequest, secrets: PlatformSecrets) -> WebhookAnswer:
        token = request.query.get("crc_token", "")
        if not token:
            raise HandshakeRefused("not a CRC request: crc_token missing")
        if not token.isascii():  # X sends an ASCII token; anything else (a lone surrogate) cannot be hashed
            raise HandshakeRefused("crc_token is not ASCII")
        if not secrets.x_consumer_secret:
            raise HandshakeRefused("X consumer secret not configured")
        return WebhookAnswer(200, {"response_token": crc_response_token(secrets.x_consumer_secret, token)})

    def verify(self, request: WebhookRequest, secrets: PlatformSecrets) -> None:
        require_base64_signature(
            secrets.x_consumer_secret, request.headers.get(SIGNATURE_HEADER), request.body
        )

    def parse(self, request: WebhookRequest, secrets: PlatformSecrets | None = None) -> Delivery:
        """`secrets` names the brand's account (x_brand_user_id): events for another account are
        ignored. Without it (a test of the shape alone) `for_user_id` is taken as the brand."""
        try:
            envelope = json.loads(request.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise MalformedPayload("body is not JSON") from exc
        if not isinstance(envelope, dict):
            raise MalformedPayload("not an Account Activity event")
        if envelope.get("for_user_id") is None:
            raise MalformedPayload("not an Account Activity event: for_user_id missing")
        brand_id = require_id(envelope.get("for_user_id"), X_ID, "for_user_id")
        delivery = Delivery()
        posts = _objects(envelope.get("tweet_create_events"), "tweet_create_events")
        events = _objects(envelope.get("direct_message_events"), "direct_message_events")
        configured = secrets.x_brand_user_id if secrets is not None else ""
        if configured and brand_id != configured:
            # One webhook URL can be subscribed for several accounts; Heed answers for the brand only.
            delivery.ignored.extend("x.other_account" for _ in range(max(1, len(posts) + len(events))))
            return delivery
        if posts and _flag(envelope.get("user_has_blocked")):
            delivery.ignored.extend("x.tweet.blocked" for _ in posts)
            posts = []
        for post in posts:
            try:
                self._post(brand_id, post, request.received_at, delivery)
            except MalformedPayload as exc:
                delivery.rejected.append(("x.tweet", exc.reason))
        users = envelope.get("users") if isinstance(envelope.get("users"), dict) else {}
        for event in events:
            try:
                self._direct_message(brand_id, event, users, request.received_at, delivery)
            except MalformedPayload as exc:
                delivery.rejected.append(("x.dm", exc.reason))
        known = {
            "for_user_id",
            "user_has_blocked",
            "tweet_create_events",
            "direct_message_events",
            "users",
            "apps",
            "source",
        }
        delivery.ignored.extend(label("x", key)[:40] for key in envelope if key not in known)
        return delivery

    def _post(self, brand_id: str, post: dict[str, Any], received: datetime, delivery: Delivery) -> None:
        if "retweeted_status" in post:
            delivery.ignored.append("x.tweet.retweet")
            return
        user = post.get("user") if isinstance(post.get("user"), dict) else {}
        if _str(post.get("id_str")) is None or _str(user.get("id_str")) is None:
            raise MalformedPayload("tweet_create_events item without id_str or user.id_str")
        post_id = require_id(post.get("id_str"), X_ID, "tweet.id_str")
        author_id = require_id(user.get("id_str"), X_ID, "tweet.user.id_str")
        extended = post.get("extended_tweet") if isinstance(post.get("extended_tweet"), dict) else {}
        text = extended.get("full_text") or post.get("full_text") or post.get("text")
        if not isinstance(text, str):
            delivery.ignored.append("x.tweet.no_text")
            return
        parent = optional_id(post.get("in_reply_to_status_id_str"), X_ID, "tweet.in_reply_to_status_id_str")
        replied_to_user = optional_id(
            post.get("in_reply_to_user_id_str") or post.get("in_reply_to_user_id"),
            X_ID,
            "tweet.in_reply_to_user_id_str",
        )
        if author_id != brand_id and replied_to_user != brand_id and not _mentions(post, brand_id):
            # Not addressed to the brand: answering it publicly would be Heed butting in.
            delivery.ignored.append("x.tweet.not_for_brand")
            return
        delivery.mentions.append(
            Mention(
                platform=Platform.X,
                message_id=post_id,
                thread_id=public_thread(
                    _conversation(post, post_id, parent), _customer(author_id, brand_id, replied_to_user)
                ),
                parent_id=parent,
                account_id=brand_id,
                author=_author(author_id, user),
                text=text,
                visibility=Visibility.PUBLIC,
                sender=Sender.BRAND if author_id == brand_id else Sender.CUSTOMER,
                kind=MENTION_KIND,
                created_at=_created(post, received),
                url=post_url(_str(user.get("screen_name")), post_id),
                # The text travels once, in Mention.text.
                raw=without(without(without(post, "text"), "full_text"), "extended_tweet", "full_text"),
            )
        )

    def _direct_message(
        self,
        brand_id: str,
        event: dict[str, Any],
        users: dict[str, Any],
        received: datetime,
        delivery: Delivery,
    ) -> None:
        if event.get("type") != "message_create":
            delivery.ignored.append(f"x.dm.{str(event.get('type'))[:20]}")
            return
        create = event.get("message_create") if isinstance(event.get("message_create"), dict) else {}
        target = create.get("target") if isinstance(create.get("target"), dict) else {}
        data = create.get("message_data") if isinstance(create.get("message_data"), dict) else {}
        if any(
            _str(v) is None for v in (event.get("id"), create.get("sender_id"), target.get("recipient_id"))
        ):
            raise MalformedPayload("direct_message_events item without id, sender_id or recipient_id")
        event_id = require_id(event.get("id"), X_ID, "dm.id")
        sender_id = require_id(create.get("sender_id"), X_ID, "dm.sender_id")
        recipient_id = require_id(target.get("recipient_id"), X_ID, "dm.recipient_id")
        text = data.get("text")
        if not isinstance(text, str) or not text:
            delivery.ignored.append("x.dm.no_text")
            return
        from_brand = sender_id == brand_id
        profile = users.get(sender_id) if isinstance(users.get(sender_id), dict) else {}
        stamp = timestamp_int(event.get("created_timestamp"))
        created = _epoch(stamp, received) if stamp is not None else received
        delivery.mentions.append(
            Mention(
                platform=Platform.X,
                message_id=event_id,
                thread_id=dm_thread(recipient_id if from_brand else sender_id),
                account_id=brand_id,
                author=_author(sender_id, profile),
                text=text,
                visibility=Visibility.PRIVATE,
                sender=Sender.BRAND if from_brand else Sender.CUSTOMER,
                kind=DM_KIND,
                created_at=created,
                raw=without(event, "message_create", "message_data", "text"),
            )
        )


def _mentions(post: dict[str, Any], brand_id: str) -> bool:
    """Whether the post @-mentions the brand (v1.1 entities, or those of an extended post)."""
    extended = post.get("extended_tweet") if isinstance(post.get("extended_tweet"), dict) else {}
    for holder in (post, extended):
        entities = holder.get("entities") if isinstance(holder.get("entities"), dict) else {}
        mentions = entities.get("user_mentions")
        if isinstance(mentions, list) and any(
            isinstance(m, dict) and _str(m.get("id_str") or m.get("id")) == brand_id for m in mentions
        ):
            return True
    return False


def _objects(value: Any, what: str) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise MalformedPayload(f"{what} is not a list of objects")
    return value


def mention_from_v2(
    post: dict[str, Any], users: dict[str, dict[str, Any]], *, brand_id: str, kind: str, fallback: datetime
) -> Mention:
    """An API v2 post (with `expansions=author_id`) as a Mention: same id and thread as the webhook's."""
    post_id = str(post["id"])
    author_id = str(post.get("author_id", ""))
    user = users.get(author_id, {})
    metrics = user.get("public_metrics") if isinstance(user.get("public_metrics"), dict) else {}
    replied_to = next(
        (
            str(ref["id"])
            for ref in post.get("referenced_tweets") or []
            if isinstance(ref, dict) and ref.get("type") == "replied_to" and ref.get("id")
        ),
        None,
    )
    note = post.get("note_tweet") if isinstance(post.get("note_tweet"), dict) else {}
    created = post.get("created_at")
    customer = _customer(author_id or "unknown", brand_id, _str(post.get("in_reply_to_user_id")))
    return Mention(
        platform=Platform.X,
        message_id=post_id,
        thread_id=public_thread(_conversation(post, post_id, replied_to), customer),
        parent_id=replied_to,
        account_id=brand_id,
        author=Author(
            id=author_id or "unknown",
            handle=_str(user.get("username")),
            name=_str(user.get("name")),
            followers=metrics.get("followers_count")
            if isinstance(metrics.get("followers_count"), int)
            else None,
            verified=user.get("verified") is True,
        ),
        text=str(note.get("text") or post.get("text") or ""),
        visibility=Visibility.PUBLIC,
        sender=Sender.BRAND if author_id == brand_id else Sender.CUSTOMER,
        kind=kind,
        created_at=_epoch(created.replace("Z", "+00:00"), fallback) if isinstance(created, str) else fallback,
        url=post_url(_str(user.get("username")), post_id),
        raw=post,
    )


class XReplies:
    """Replies as the brand account (OAuth 2.0 user token with tweet.write and dm.write)."""

    can_reply = True
    text_limit = 280  # weighted: acknowledge.length counts URLs as 23
    dm_text_limit = 10_000

    def __init__(self, api: ApiSession, *, api_base: str, user_token: str) -> None:
        self.api = api
        self.api_base = api_base.rstrip("/")
        self._auth = {"Authorization": f"Bearer {user_token}"}

    def reply_public(self, mention: Mention, text: str) -> PostedReply:
        if mention.kind == DM_KIND:
            return self.reply_private(mention, text)
        body = self.api.request(
            "POST",
            f"{self.api_base}/2/tweets",
            json={"text": text, "reply": {"in_reply_to_tweet_id": mention.message_id}},
            headers=self._auth,
            at_most_once=True,
        )
        data = body.get("data") if isinstance(body.get("data"), dict) else {}
        return PostedReply(platform_message_id=_str(data.get("id")), visibility=Visibility.PUBLIC)

    def reply_private(self, mention: Mention, text: str) -> PostedReply:
        participant = customer_of(mention) if mention.kind == DM_KIND else mention.author.id
        body = self.api.request(
            "POST",
            f"{self.api_base}/2/dm_conversations/with/{participant}/messages",
            json={"text": text},
            headers=self._auth,
            at_most_once=True,
        )
        data = body.get("data") if isinstance(body.get("data"), dict) else {}
        return PostedReply(platform_message_id=_str(data.get("dm_event_id")), visibility=Visibility.PRIVATE)

    def hide(self, mention: Mention) -> bool:
        """Hide a reply in a conversation the brand started (X allows nothing else to be hidden)."""
        if mention.kind == DM_KIND or mention.parent_id is None:
            return False
        try:
            body = self.api.request(
                "PUT",
                f"{self.api_base}/2/tweets/{mention.message_id}/hidden",
                json={"hidden": True},
                headers=self._auth,
            )
        except PermanentRefusal as exc:
            logger.warning("x hide refused", extra={"mention": mention.key, "status": exc.status})
            return False
        data = body.get("data") if isinstance(body.get("data"), dict) else {}
        return data.get("hidden") is True
