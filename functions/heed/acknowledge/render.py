"""Filling a template: who the customer is, who signs, when a person follows up.

Values are joined to the parsed template pieces; nothing a customer wrote is ever parsed as a
template, so a display name such as "{brand.__class__}" is printed as written.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from heed.acknowledge.length import URL as _URL
from heed.acknowledge.templates import FollowUpWording, parse_template
from heed.models import Author

MAX_CUSTOMER_CHARS = 50  # X display names stop at 50; longer names are spam more often than not

# Facebook/Instagram tags in text: "@[1234567890:1:Ana Pérez]" -> "Ana Pérez"
_FB_TAG = re.compile(r"@\[\d+(?::\d+)?:([^\]]*)\]")
_EMAIL = re.compile(r"\S+@\S+\.\S+")
# someone else's handle or a hashtag in a display name must not ping or tag from the brand account
_MENTION_OR_TAG = re.compile(r"(?<!\w)[@#＠＃]\w[\w.]*")
_LONG_DIGITS = re.compile(r"\d[\d\s.-]{3,}\d")  # phone or ID numbers must not be echoed in public
# HTML tags, WhatsApp/Markdown emphasis and link brackets. Underscores and braces stay: they are
# plain characters in many names, and rendering never interprets them.
_MARKUP = re.compile(r"<[^>]{0,200}>|[*~`|\[\]]")
_HANDLE = re.compile(r"[A-Za-z0-9_.]{1,30}")
_SPACES = re.compile(r"\s+")


def _visible(text: str) -> str:
    # Control, format (bidi overrides, zero-width) and private-use characters can reorder or hide text.
    return "".join(
        " " if c.isspace() else c for c in text if unicodedata.category(c) not in {"Cc", "Cf", "Co", "Cs"}
    )


def clean_customer_name(name: str) -> str:
    """A display name as safe plain text: no markup, links, mentions, hashtags or long numbers."""
    text = unicodedata.normalize("NFC", name)
    text = _FB_TAG.sub(r"\1", text)
    text = _visible(text)
    for pattern in (_EMAIL, _URL, _MENTION_OR_TAG, _LONG_DIGITS, _MARKUP):
        text = pattern.sub(" ", text)
    text = _SPACES.sub(" ", text).strip(" \t-–—:;,.!?")
    if len(text) > MAX_CUSTOMER_CHARS:
        # a name is not a sentence: shorten it at a word boundary
        cut = text[:MAX_CUSTOMER_CHARS].rsplit(" ", 1)[0]
        text = cut if cut else text[:MAX_CUSTOMER_CHARS]
    return text


def customer_label(author: Author) -> str:
    """What `{customer}` says: the cleaned display name, else @handle, else "" (the language's fallback)."""
    name = clean_customer_name(author.name or "")
    # a name of punctuation only ("@@@", "...") greets nobody; emoji names are names
    if any(c.isalnum() or unicodedata.category(c) == "So" for c in name):
        return name
    handle = (author.handle or "").lstrip("@")
    if _HANDLE.fullmatch(handle):
        return f"@{handle}"
    return ""


def first_name(label: str) -> str:
    """The shortest polite form of a label, when the full one does not fit."""
    if label.startswith("@"):
        return label
    return label.split(" ", 1)[0][:20]


def choose_signature(signatures: Sequence[str], task_ref: str) -> str:
    """One name per task, stable across retries and processes (so not `hash()`, which is salted)."""
    digest = hashlib.sha256(task_ref.encode("utf-8")).digest()
    return signatures[int.from_bytes(digest[:8], "big") % len(signatures)]


def follow_up_phrase(wording: FollowUpWording, follow_up_at: datetime, now: datetime, timezone: str) -> str:
    """E.g. "tomorrow at 09:00 CET", in the brand's time zone and the reply's language."""
    zone = ZoneInfo(timezone)
    at, today = follow_up_at.astimezone(zone), now.astimezone(zone).date()
    days = (at.date() - today).days
    values = {
        "time": at.strftime(wording.time_format),
        "weekday": wording.weekdays[at.weekday()],
        "date": at.strftime(wording.date_format),
    }
    if days <= 0:
        pattern = wording.today
    elif days == 1:
        pattern = wording.tomorrow
    elif days < 7:
        pattern = wording.this_week
    else:
        pattern = wording.later
    return render(pattern, values, allowed=frozenset(values))


def render(template: str, values: Mapping[str, str], allowed: frozenset[str] | None = None) -> str:
    """Fill `template` with `values`, each inserted once as plain text.

    An empty value takes the separator before it along ("Hi {customer}!" with no name reads "Hi!",
    "Sorry, {customer}." reads "Sorry."), so a nameless customer never gets "Hola ,".
    """
    pieces = parse_template(template) if allowed is None else parse_template(template, allowed)
    out: list[str] = []
    pending_empty = False
    for kind, content in pieces:
        if kind == "var":
            value = values[content]
            if value:
                out.append(value)
            else:
                pending_empty = True
            continue
        if pending_empty and not out:  # "{customer}, we've sent..." -> "We've sent..."
            content = content.lstrip(" ,;:")
            content = content[:1].upper() + content[1:]
        elif pending_empty:
            if content[:1] in ",.!?;:":
                out[-1] = out[-1].rstrip(
                    " ,;:"
                )  # "made our day, {customer}, thanks" -> "made our day, thanks"
            elif content[:1] == " " and out[-1].endswith(" "):
                content = content.lstrip(" ")
        pending_empty = False
        out.append(content)
    return "".join(out).strip()
