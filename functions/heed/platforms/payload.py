"""What every parser needs from a payload that passed its signature but may still be hostile: bounded
ASCII-only timestamps, ids checked against their platform's shape before they can reach a URL, text
that is valid Unicode, and the platform's item kept without the text the mention already carries.

A signature proves who sent the bytes, not that they are sane: a platform bug, a replayed fixture or a
compromised relay can still send a 5,000-digit timestamp or an id of `../../x`.
"""

from __future__ import annotations

import re
from typing import Any

from heed.platforms.base import MalformedPayload

# Epoch milliseconds stay at 13 digits until the year 2286; anything longer is not a timestamp, and
# int() on 4,301+ digits raises (Python's int max_str_digits) instead of answering.
MAX_TIMESTAMP_DIGITS = 13

# Id shapes, anchored with fullmatch. Each keeps `/`, `?`, `#`, `%` and `..` out of the ids that are
# put into outbound URL paths (`{graph}/{comment-id}/comments`, `/2/dm_conversations/with/{id}`).
# Graph API object ids are decimal, joined by `_` for page-scoped objects ("{page}_{post}").
META_ID = re.compile(r"[0-9]{1,32}(?:_[0-9]{1,32}){0,3}")
# Messenger / Instagram message ids: "m_<base64url>", older "mid.<digits>:<hex>", Instagram base64.
META_MESSAGE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:=+-]{0,1023}")
# WhatsApp Cloud API message ids: "wamid." + base64 (developers.facebook.com/docs/whatsapp/cloud-api/
# webhooks/components: messages[].id). Only ever sent back inside a JSON body (`context.message_id`).
WHATSAPP_MESSAGE_ID = re.compile(r"wamid\.[A-Za-z0-9+/=_-]{1,1024}")
# X ids are unsigned 64-bit integers as decimal strings (docs.x.com/resources/fundamentals/x-ids).
X_ID = re.compile(r"[0-9]{1,20}")
# Generic sources name their own ids: letters, digits and a few separators, never a path or a query.
GENERIC_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:@+-]{0,199}")

_SURROGATE = re.compile("[\ud800-\udfff]")


def timestamp_int(value: Any) -> int | None:
    """An epoch number from an int or a string of ASCII digits, at most 13 of them; else None.

    `str.isdigit()` accepts '²' and Arabic-Indic digits, which `int()` then refuses or reads; only
    0-9 count here, and the length is bounded before `int()` sees it.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value < 10**MAX_TIMESTAMP_DIGITS else None
    if (
        isinstance(value, str)
        and 0 < len(value) <= MAX_TIMESTAMP_DIGITS
        and value.isascii()
        and value.isdigit()
    ):
        return int(value)
    return None


def require_id(value: Any, shape: re.Pattern[str], what: str) -> str:
    """The id as a string when it has the platform's shape; MalformedPayload (that change only) if not.

    The reason names the field, never the value: the value is the attacker's text.
    """
    text = str(value) if isinstance(value, str | int) and not isinstance(value, bool) else None
    if text is None or not text:
        raise MalformedPayload(f"{what} missing or not a string")
    if not text.isascii() or shape.fullmatch(text) is None:
        raise MalformedPayload(f"{what} is not a valid id")
    return text


def optional_id(value: Any, shape: re.Pattern[str], what: str) -> str | None:
    """Like require_id for a field that may be absent (None, "" or missing)."""
    if value is None or value == "":
        return None
    return require_id(value, shape, what)


def valid_unicode(value: Any) -> Any:
    """The value with every unpaired surrogate (from a JSON `\\ud800` escape) replaced by U+FFFD.

    Such a string cannot be encoded as UTF-8, so it would fail every later step (SQS, DynamoDB, a log
    line) and the message would end in the dead-letter queue.
    """
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {valid_unicode(k): valid_unicode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [valid_unicode(v) for v in value]
    return value


def has_surrogates(text: str) -> bool:
    return _SURROGATE.search(text) is not None


def without(item: dict[str, Any], *path: str) -> dict[str, Any]:
    """A copy of the platform's item without the field at `path` (the text the mention already holds),
    so the queue message carries the text once."""
    if not path or not isinstance(item, dict):
        return item
    head, rest = path[0], path[1:]
    if head not in item:
        return item
    copy = dict(item)
    if rest:
        inner = copy[head]
        if isinstance(inner, dict):
            copy[head] = without(inner, *rest)
    else:
        del copy[head]
    return copy
