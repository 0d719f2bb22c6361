"""X weighs characters (twitter-text v3); the other platforms count them."""

from __future__ import annotations

import pytest
from heed.acknowledge.length import PLATFORM_LIMITS, weighted_length
from heed.models import Platform


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hello", 5),
        ("café ñandú ção", 14),  # Latin with accents: 1 each
        ("cafe\u0301", 4),  # decomposed é is normalised (NFC) before counting
        ("日本語", 6),  # CJK: 2 each
        ("안녕", 4),  # Hangul: 2 each
        ("👍", 2),
        ("👍🏽", 2),  # skin tone modifier is part of the emoji
        ("👨\u200d👩\u200d👧\u200d👦", 2),  # a ZWJ family is one emoji
        ("🇪🇸", 2),  # a flag
        ("“quoted” – dash", 15),  # quotes and dashes (U+2010–U+201F): 1 each
        ("wait…", 6),  # but the ellipsis U+2026 is outside X's light ranges: 2
        ("see https://example.com/a/very/long/path?with=query", 4 + 23),
        ("visit acme.com.", 6 + 23 + 1),  # bare domain; the full stop is not part of the link
    ],
)
def test_x_weighs_characters_like_twitter_text(text: str, expected: int) -> None:
    # Given a text / When X measures it / Then it counts as twitter-text does
    assert weighted_length(text, Platform.X) == expected


def test_other_platforms_count_characters() -> None:
    # Given text with CJK and emoji / When measured for Messenger / Then each character counts once
    assert weighted_length("日本語👍", Platform.MESSENGER) == 4


def test_platform_limits_are_the_published_ones() -> None:
    assert PLATFORM_LIMITS[Platform.X] == 280
    assert PLATFORM_LIMITS[Platform.MESSENGER] == 2_000
    assert PLATFORM_LIMITS[Platform.INSTAGRAM] == 2_200
    assert PLATFORM_LIMITS[Platform.FACEBOOK] == 8_000
    assert PLATFORM_LIMITS[Platform.WHATSAPP] == 4_096
    assert set(PLATFORM_LIMITS) == set(Platform)
