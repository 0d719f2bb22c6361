"""English word valences from the VADER lexicon (vaderSentiment 3.3.2, MIT licence, C.J. Hutto;
the notice is in LICENSE-vaderSentiment.txt). The file keeps VADER's mean rating per term, -4..4.

Loaded on first use into one dict: a mention costs one look-up per word. Words that carry no
opinion in customer care ("help", "please", "support", "free", "credit", brand-like names) are
left out, and a few are re-weighted for the register ("joke" is an insult to a service, not fun).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_FILE = Path(__file__).with_name("vader_lexicon.txt")

# neutral in customer care: requests, politeness, account and product words, brand-like names
_NEUTRAL_IN_CARE = frozenset(
    """
    no yes yeah yep yea help helps helping helped please pls plz like likes want wants wanted amazon
    pay paid well wells free number support supports care ready play playing played plays treat trick
    top giving give share shared dear leave chance join allow allowed matter clear clearly security
    safety safe created create solution solutions original straight important reached legal gt lt amp
    xp god excuse true promise promised complimentary redeemed redeem worth kind kindly save saved
    saving hope hopes hoping hopefully wish wishes friend friends holiday special gift gifts party
    award united progress fresh apple prime credit credits sure certain feeling feel ok okay pretty
    lol lmao rofl haha hehe yes fine interested interest honestly truly definitely cheers
    """.split()  # noqa: SIM905 - a word list reads better as text
)
_OVERRIDES = {"joke": -1.5, "jokes": -1.2, "lol": 0.6, "lmao": 0.6, "haha": 0.8, "ok": 0.4, "okay": 0.4}


@cache
def valences() -> dict[str, float]:
    """word -> valence in -4..4 (one-word alphabetic entries only; emoticons are read elsewhere)."""
    table: dict[str, float] = {}
    for line in _FILE.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        word, _, value = line.partition("\t")
        if word.isalpha() and word not in _NEUTRAL_IN_CARE:
            table[word] = float(value)
    table.update(_OVERRIDES)
    return table
