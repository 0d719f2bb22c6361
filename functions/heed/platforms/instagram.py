"""Instagram (Meta webhook `object: instagram`): comments, @mentions and direct messages.

- `comments`: public reply `POST /{ig-comment-id}/replies`, private reply through the Page's Send API
  with `recipient.comment_id`, hide with `POST /{ig-comment-id}` `hide=true`. The webhook carries a
  comment's id, author, text, media (the post) and parent only (graph-api/webhooks/reference/instagram):
  media in a comment never reaches it, so a comment without text is counted as ignored.
- `mentions`: the webhook carries only ids (`comment_id` + `media_id`, or `media_id` alone for a
  caption). Ingest queues a Mention with empty text; `hydrate` (respond path, registry.HYDRATORS)
  fetches the text with `GET /{ig-user-id}?fields=mentioned_comment.comment_id(..){..}` (or
  `mentioned_media`). Replies go through `POST /{ig-user-id}/mentions`: the comment sits on someone
  else's media, so it can be neither replied to privately nor hidden.
- DMs (`messaging[]`): see messenger.py.

Contract: ../shared/docs/platforms.md, "Meta"; developers.facebook.com/docs/instagram-platform
(webhooks/examples, instagram-api-with-facebook-login/mentions, reference/ig-user/mentioned_comment).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from heed.models import Author, Mention, Platform, PostedReply, Sender, Visibility
from heed.observability import logger
from heed.platforms.base import Delivery
from heed.platforms.http import ApiSession, PermanentRefusal
from heed.platforms.messenger import DM_KIND, SendApi, customer_of, messaging_parser
from heed.platforms.meta import _epoch, _str
from heed.platforms.payload import META_ID, optional_id, require_id, without

COMMENT_KIND = "comment"
MENTION_KIND = "instagram_mention"  # a comment elsewhere that @-mentions the brand: text fetched later
CAPTION_MENTION_KIND = "instagram_caption_mention"  # a post caption that @-mentions the brand
UNKNOWN_AUTHOR_PREFIX = "ig-mention:"  # the mention webhook does not say who wrote it


def _comments(entry: dict[str, Any], value: dict[str, Any], delivery: Delivery) -> None:
    account_id = require_id(entry.get("id"), META_ID, "entry.id")
    comment_id = require_id(value.get("id"), META_ID, "value.id")
    text = value.get("text")
    if not isinstance(text, str):
        delivery.ignored.append("instagram.comments.no_text")
        return
    sender = value.get("from") if isinstance(value.get("from"), dict) else {}
    author_id = require_id(sender.get("id"), META_ID, "value.from.id")
    media = value.get("media") if isinstance(value.get("media"), dict) else {}
    parent = optional_id(value.get("parent_id"), META_ID, "value.parent_id")
    media_id = optional_id(media.get("id"), META_ID, "value.media.id")
    received = _epoch(entry.get("time"), datetime.now(tz=UTC))
    delivery.mentions.append(
        Mention(
            platform=Platform.INSTAGRAM,
            message_id=comment_id,
            # A reply under a comment belongs to that comment's thread; a top-level comment starts one.
            thread_id=parent or comment_id,
            parent_id=parent or media_id,
            account_id=account_id,
            author=Author(id=author_id, handle=_str(sender.get("username"))),
            text=text,
            visibility=Visibility.PUBLIC,
            sender=Sender.BRAND
            if author_id in (account_id, _str(sender.get("self_ig_scoped_id")))
            else Sender.CUSTOMER,
            kind=COMMENT_KIND,
            created_at=received,
            raw=without(value, "text"),  # the text travels once, in Mention.text
        )
    )


def _mentions(entry: dict[str, Any], value: dict[str, Any], delivery: Delivery) -> None:
    account_id = require_id(entry.get("id"), META_ID, "entry.id")
    media_id = require_id(value.get("media_id"), META_ID, "value.media_id")
    comment_id = optional_id(value.get("comment_id"), META_ID, "value.comment_id")
    message_id = comment_id or media_id
    delivery.mentions.append(
        Mention(
            platform=Platform.INSTAGRAM,
            message_id=message_id,
            thread_id=message_id,
            parent_id=media_id if comment_id else None,
            account_id=account_id,
            author=Author(id=f"{UNKNOWN_AUTHOR_PREFIX}{message_id}"),
            text="",
            visibility=Visibility.PUBLIC,
            kind=MENTION_KIND if comment_id else CAPTION_MENTION_KIND,
            created_at=_epoch(entry.get("time"), datetime.now(tz=UTC)),
            raw=value,
        )
    )


CHANGE_PARSERS = {("instagram", "comments"): _comments, ("instagram", "mentions"): _mentions}
MESSAGING_PARSERS = {"instagram": messaging_parser(Platform.INSTAGRAM)}


class InstagramReplies:
    """Graph API calls for an Instagram comment, @mention or DM (Instagram API with Facebook Login)."""

    can_reply = True
    text_limit = 2200  # comments; DMs allow 1,000
    dm_text_limit = 1000

    def __init__(self, api: ApiSession, *, graph_base: str, page_token: str, send: SendApi) -> None:
        self.api = api
        self.graph_base = graph_base.rstrip("/")
        self._auth = {"Authorization": f"Bearer {page_token}"}
        self.send = send

    # ---- the text of an @mention, fetched in the respond path ---------------------------------

    def hydrate(self, mention: Mention) -> Mention:
        """Fill in the text (and what else the API tells) of an @mention whose webhook carried only ids."""
        if mention.kind == MENTION_KIND:
            fields = f"mentioned_comment.comment_id({mention.message_id}){{id,text,timestamp,media{{id}}}}"
            found = self._get_node(mention, fields).get("mentioned_comment")
            text_field, time_field = "text", "timestamp"
        elif mention.kind == CAPTION_MENTION_KIND:
            fields = f"mentioned_media.media_id({mention.message_id}){{id,caption,timestamp,permalink}}"
            found = self._get_node(mention, fields).get("mentioned_media")
            text_field, time_field = "caption", "timestamp"
        else:
            return mention
        if not isinstance(found, dict):
            raise PermanentRefusal("instagram refused: the mentioned comment or media is not available")
        author = mention.author
        owner = found.get("from") if isinstance(found.get("from"), dict) else {}
        if _str(owner.get("id")):
            author = Author(id=str(owner["id"]), handle=_str(owner.get("username")))
        text = found.get(text_field)
        return mention.model_copy(
            update={
                "text": text if isinstance(text, str) else "",
                "author": author,
                "created_at": _epoch(found.get(time_field), mention.created_at),
                "url": _str(found.get("permalink")) or mention.url,
                "raw": {**mention.raw, "fetched": found},
            }
        )

    def _get_node(self, mention: Mention, fields: str) -> dict[str, Any]:
        return self.api.request(
            "GET", f"{self.graph_base}/{mention.account_id}", params={"fields": fields}, headers=self._auth
        )

    # ---- replies ------------------------------------------------------------------------------

    def reply_public(self, mention: Mention, text: str) -> PostedReply:
        if mention.kind == DM_KIND:
            return self.reply_private(mention, text)
        if mention.kind in (MENTION_KIND, CAPTION_MENTION_KIND):
            payload = {"media_id": mention.parent_id or mention.message_id, "message": text}
            if mention.kind == MENTION_KIND:
                payload["comment_id"] = mention.message_id
            url = f"{self.graph_base}/{mention.account_id}/mentions"
        else:
            # Instagram nests one level deep: reply under the top comment of the thread.
            payload, url = {"message": text}, f"{self.graph_base}/{mention.thread_id}/replies"
        body = self.api.request("POST", url, json=payload, headers=self._auth, at_most_once=True)
        return PostedReply(platform_message_id=_str(body.get("id")), visibility=Visibility.PUBLIC)

    def reply_private(self, mention: Mention, text: str) -> PostedReply:
        if mention.kind == DM_KIND:
            self.send.within_window(mention)
            return self.send.send_text("me", {"id": customer_of(mention)}, text)
        if mention.kind in (MENTION_KIND, CAPTION_MENTION_KIND):
            raise PermanentRefusal(
                "instagram refused: a mention on someone else's post cannot be answered privately", code=10
            )
        # One private reply per comment, within 7 days of it (Meta's private replies).
        return self.send.send_text("me", {"comment_id": mention.message_id}, text)

    def hide(self, mention: Mention) -> bool:
        if mention.kind != COMMENT_KIND:
            return False  # DMs have nothing to hide; mentions sit on media the brand does not own
        try:
            body = self.api.request(
                "POST", f"{self.graph_base}/{mention.message_id}", json={"hide": True}, headers=self._auth
            )
        except PermanentRefusal as exc:
            # The reply already went out: a refused hide must not turn it into a failed acknowledgment.
            logger.warning("instagram hide refused", extra={"mention": mention.key, "code": exc.code})
            return False
        return bool(body.get("success", True))
