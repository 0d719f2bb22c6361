"""How long a reply is, as each platform counts it.

X does not count characters: it weighs them (twitter-text configuration v3, the one X publishes).
Text is NFC-normalised; a URL costs 23 whatever its length; an emoji sequence (flags, keycaps, skin
tones, ZWJ families) costs 2 as a whole; a code point in the Latin/Greek/Cyrillic/Hebrew/Arabic/...
ranges below costs 1 and everything else (CJK, Hangul, most symbols) costs 2. The limit is 280.
"""

from __future__ import annotations

import re
import unicodedata

from heed.models import Platform

# Where a reply goes, and the most it may hold (X: weighted characters; the others: characters).
PLATFORM_LIMITS: dict[Platform, int] = {
    Platform.X: 280,
    Platform.MESSENGER: 2_000,
    Platform.INSTAGRAM: 2_200,
    Platform.FACEBOOK: 8_000,
    Platform.WHATSAPP: 4_096,
    Platform.GENERIC: 2_000,  # integrations vary; the tightest common chat limit keeps them safe
}

X_URL_WEIGHT = 23
X_DEFAULT_WEIGHT = 2
# twitter-text v3 "ranges" with weight 100 (= 1 character), as inclusive code point spans
_X_LIGHT_RANGES: tuple[tuple[int, int], ...] = (
    (0x0000, 0x10FF),
    (0x2000, 0x200D),
    (0x2010, 0x201F),
    (0x2032, 0x2037),
)

# URLs as twitter-text finds them: with a scheme, with www., or a bare domain on a common TLD.
# Trailing punctuation belongs to the sentence, not the link.
URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"]+"
    r"|(?<![\w@.-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+"
    r"(?:com|net|org|info|io|co|es|fr|pt|br|mx|ar|pe|cl|uk|de|it|nl|eu|app|ly|me|tv|gl)"
    r"(?![\w-])(?:/[^\s<>\"]*)?",
    re.IGNORECASE,
)
_URL_TRAILING = ".,;:!?)]}'\"…"

# Emoji sequences, counted as one unit of weight 2 (twitter-text's emojiParsingEnabled).
_PICTO = (
    "\u231a-\u231b\u2328\u23cf\u23e9-\u23f3\u23f8-\u23fa\u24c2\u25aa-\u25ab\u25b6\u25c0\u25fb-\u25fe"
    "\u2600-\u27bf\u2934-\u2935\u2b05-\u2b07\u2b1b-\u2b1c\u2b50\u2b55\u3030\u303d\u3297\u3299"
    "\U0001f000-\U0001faff"
)
_MODIFIERS = "\ufe0f\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f\u20e3"
_EMOJI = re.compile(
    r"[\U0001f1e6-\U0001f1ff]{2}"  # a flag: two regional indicators
    r"|[0-9#*]\ufe0f?\u20e3"  # a keycap
    rf"|(?:[{_PICTO}]|[\u00a9\u00ae\u203c\u2049\u2122\u2139\u2194-\u2199\u21a9-\u21aa]\ufe0f)"
    rf"[{_MODIFIERS}]*(?:\u200d[{_PICTO}][{_MODIFIERS}]*)*"
)


# Code points outside the light ranges: each adds one more to the count.
_X_HEAVY = re.compile("[^" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in _X_LIGHT_RANGES) + "]")


def _x_count(text: str) -> int:
    return len(text) + len(_X_HEAVY.findall(text)) * (X_DEFAULT_WEIGHT - 1)


def _x_weighted_length(text: str) -> int:
    text = unicodedata.normalize("NFC", text)
    total = 0
    position = 0
    for match in URL.finditer(text):
        url = match.group(0).rstrip(_URL_TRAILING)
        if "." not in url:  # "www" or a scheme alone is not a link
            continue
        total += _x_plain_weight(text[position : match.start()])
        total += X_URL_WEIGHT
        position = match.start() + len(url)
    return total + _x_plain_weight(text[position:])


def _x_plain_weight(text: str) -> int:
    total = 0
    position = 0
    for match in _EMOJI.finditer(text):
        total += _x_count(text[position : match.start()])
        total += X_DEFAULT_WEIGHT
        position = match.end()
    return total + _x_count(text[position:])


def weighted_length(text: str, platform: Platform) -> int:
    """The length `platform` counts against its limit (see PLATFORM_LIMITS)."""
    if platform is Platform.X:
        return _x_weighted_length(text)
    return len(text)


def fits(text: str, platform: Platform, limit: int | None = None) -> bool:
    return weighted_length(text, platform) <= (PLATFORM_LIMITS[platform] if limit is None else limit)
