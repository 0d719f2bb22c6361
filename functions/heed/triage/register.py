"""The customer-care register beyond single terms, read on the cue words after the lexicon look-up.

- Sarcasm without a marker: a positive word whose object is a bad situation, in the same clause
  ("love waiting <n> hours", "thanks for the soggy fries", "great, another delay"). The positive
  word stops counting as praise and the mention gains a complaint cue.
- A broken expectation across a gap: "ordered X ... got Y", "says/shows X ... but".
- Polite thanks is no sarcasm: "thanks so much for the help" is not "so much for".
"""

from __future__ import annotations

from heed.triage.cues import Found
from heed.triage.english_valence import valences
from heed.triage.lexicon import Span, overlaps
from heed.triage.text import Text

_SARCASTIC_OPENERS = frozenset(
    [
        "love",
        "loving",
        "loved",
        "great",
        "nice",
        "awesome",
        "wonderful",
        "fantastic",
        "perfect",
        "brilliant",
        "amazing",
        "excellent",
        "lovely",
    ]
)
_THANKS = frozenset(("thanks", "thank", "thx", "ty", "cheers"))
_WISH = frozenset(("would", "i'd", "we'd", "you'd", "to", "will", "i'll", "gonna"))
# what a thank or a "love" is for when it is sincere: help, repair, speed
_RESOLUTION = frozenset(
    """
    fix fixed fixing fixes solved solving resolved resolving sorted sorting help helping helped reply
    response responding answer quick quickly fast speedy prompt replaced replacing refunded refunding
    finally back update updating info information patience understanding support assistance service
    more less again now new upgrade free
    """.split()  # noqa: SIM905 - a word list reads better as text
)
_BAD_SITUATION = frozenset(
    """
    waiting wait waited losing lost late delay delayed delays cancelled canceled cancel hold another
    soggy cold stale broken stuck missing nothing no never paying charged overcharged fees fee queue
    queues line lines buffering lag lagging crashing crashes outage outages sitting standing stuck
    """.split()  # noqa: SIM905
)
_CLAUSE_END = frozenset(("but", "and", "so", "because", "though", "if", "when"))
_WINDOW = 6
_SAYS = frozenset(
    ("says", "said", "saying", "shows", "showed", "showing", "states", "claims", "tracking", "status")
)
_BUT = frozenset(("but", "yet", "though", "although", "however"))
_GOT = frozenset(("got", "received", "receive", "sent", "came", "arrived", "delivered"))
_GAP = 8
_ORDERED = frozenset(("ordered", "bought", "paid"))
_TRYING = frozenset(("trying", "tried", "attempting", "attempted"))
# a mention with none of these words has no reading to apply (most mentions): one set test
_TRIGGERS = _SARCASTIC_OPENERS | _THANKS | _ORDERED | _SAYS | _TRYING


def _bad_after(words: tuple[str, ...], start: int, negative: list[Span]) -> bool:
    """A bad situation within a few words after `start`, before the clause ends, with no sign that
    the thanks or love is for a fix ("thanks for fixing the lag")."""
    table = valences()
    for i in range(start, min(start + _WINDOW, len(words))):
        word = words[i]
        if word in _CLAUSE_END or word in _RESOLUTION:
            return False
        if (
            word in _BAD_SITUATION
            or table.get(word, 0.0) <= -1.0
            or overlaps((i, i + 1), negative)
            or (
                word == "<n>"
                and i + 1 < len(words)
                and words[i + 1] in ("minutes", "mins", "hours", "hrs", "days")
            )
        ):
            return True
    return False


def _sarcastic(words: tuple[str, ...], found: Found) -> list[Span]:
    """Spans of positive words used sarcastically."""
    negative = [*found.get("negative", ()), *found.get("strong_negative", ()), *found.get("complaint", ())]
    spans: list[Span] = []
    for i, word in enumerate(words):
        if i and words[i - 1] in _WISH:
            continue  # "would love", "I'd love to": a wish, not sarcasm
        if word in _SARCASTIC_OPENERS:
            if _bad_after(words, i + 1, negative):
                spans.append((i, i + 1))
        elif word in _THANKS and i + 1 < len(words) and words[i + 1] == "for":
            # "thanks for the soggy fries": skip the article
            start = i + 2 + (i + 2 < len(words) and words[i + 2] in ("the", "a", "an", "all", "this", "that"))
            if _bad_after(words, start, negative):
                spans.append((i, i + 2))
    return spans


def _gapped(words: tuple[str, ...]) -> int:
    """ "ordered X ... got Y", "says X ... but" and "trying to X ... but": what happened is not what
    was expected."""
    count = 0
    for i, word in enumerate(words):
        if (
            (word in _ORDERED and any(w in _GOT for w in words[i + 2 : i + 2 + _GAP]))
            or (word in _SAYS and any(w in _BUT for w in words[i + 1 : i + 1 + _GAP]))
            or (
                word in _TRYING
                and words[i + 1 : i + 2] == ("to",)
                and any(w in _BUT for w in words[i + 2 : i + 2 + _GAP])
            )
        ):
            count += 1
    return count


def refine(text: Text, found: Found) -> Found:
    """`found` with the register's readings applied (a new dict; the lists are not shared)."""
    words = text.cue_words
    if _TRIGGERS.isdisjoint(words):
        return found
    sarcastic = (
        _sarcastic(words, found) if any(w in _SARCASTIC_OPENERS or w in _THANKS for w in words) else []
    )
    gapped = _gapped(words)
    thanks_for = [
        (i, i + 4)
        for i, w in enumerate(words)
        if w in _THANKS and words[i + 1 : i + 4] in (("so", "much", "for"), ("you", "so", "much"))
    ]
    if not (sarcastic or gapped or thanks_for):
        return found
    refined = dict(found)
    if thanks_for:
        for category in ("complaint", "strong_negative", "negative"):
            if category in refined:
                refined[category] = [s for s in refined[category] if not overlaps(s, thanks_for)]
    if sarcastic:
        for category in ("praise", "positive", "strong_positive"):
            if category in refined:
                refined[category] = [s for s in refined[category] if not overlaps(s, sarcastic)]
    extra = sarcastic + [(len(words), len(words))] * gapped
    if extra:
        refined["complaint"] = [*refined.get("complaint", ()), *extra]
    return refined
