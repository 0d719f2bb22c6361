"""What the Meta parsers need to turn media into a mention (issue 11 item 9): the lasting references
only (a media id of the platform's shape, a URL that is not a signed CDN link), a filename that cannot
break the placeholder, and the mention's text: the caption or the text sent with it, else the
placeholder ("[photo]").

Nothing here fails a message: a payload value of the wrong shape is dropped and the media is still a
mention, because a customer's photo must reach a person even when its metadata is odd.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from heed.models import Attachment, media_placeholder
from heed.platforms.payload import META_ID

# Signed, expiring CDN links (Messenger and Instagram attachments, WhatsApp's lookaside that needs a
# token): a person opens the conversation in the platform's inbox instead.
_EXPIRING_HOSTS = ("fbcdn.net", "fbsbx.com", "cdninstagram.com", "whatsapp.net")
MAX_URL = 500
MAX_FILENAME = 80
_MIME = re.compile(r"[a-z0-9.+-]{1,40}/[a-z0-9.+-]{1,60}(?:; ?[a-z0-9.+-]{1,30}=[a-z0-9.+-]{1,30})?")
# Control characters, brackets (they close the placeholder) and line breaks are replaced.
_UNSAFE_IN_NAME = re.compile(r"[\x00-\x1f\x7f\[\]]+")


def media_id(value: Any) -> str | None:
    """A Graph API media id (WhatsApp media, a Facebook photo, a sticker, an Instagram post), or None."""
    text = str(value) if isinstance(value, str | int) and not isinstance(value, bool) else ""
    return text if text.isascii() and META_ID.fullmatch(text) else None


def lasting_url(value: Any) -> str | None:
    """An http(s) URL worth keeping: not on a Meta CDN (signed, it expires), ASCII, bounded."""
    if not isinstance(value, str) or not value.isascii() or len(value) > MAX_URL:
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        return None
    if any(host == h or host.endswith("." + h) for h in _EXPIRING_HOSTS):
        return None
    return value


def mime_type(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    return text if _MIME.fullmatch(text) else None


def filename(value: Any) -> str | None:
    """The name a customer's file was sent with, shortened, without what would break "[document: x]"."""
    if not isinstance(value, str):
        return None
    text = " ".join(_UNSAFE_IN_NAME.sub(" ", value).split())
    if len(text) > MAX_FILENAME:
        text = text[: MAX_FILENAME - 3].rstrip() + "..."
    return text or None


def text_of(words: Any, attachments: list[Attachment]) -> str | None:
    """The mention's text: the customer's caption or words when there are some, else the placeholder
    of what arrived; None when there is neither (nothing to read)."""
    if isinstance(words, str) and words:
        return words
    return media_placeholder(attachments) if attachments else None
