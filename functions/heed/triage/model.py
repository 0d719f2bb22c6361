"""The trained reading of a mention: one multi-head linear model over hashed features, pure Python.

Heads: language, sentiment, intent, spam, abuse, addressed (to the brand / about it / neither).
Features: word unigrams and bigrams (folded, numbers as <n>), character 3- and 4-grams of each
whitespace token, shape cues (handles, links, hashtags, "?", length) and the rules' own cues
(`cues.find`, `intent.find_cues`, the lexicon score, the rules' language) as extra tokens. Each
feature string is hashed (CRC-32, stable across processes) into 2**bits buckets.

Weights: one int8 row per bucket (all heads' classes side by side), a float scale per class, a float
bias per class. Logits are `scale * (W . x) / sqrt(n) + bias` with x the feature counts and n their
sum. Inference adds rows as packed Python integers: each row becomes one int with a 32-bit lane per
class (value + 128) and a last lane holding 1, so adding a mention's ~100-300 rows is one C-level
big-int addition each and the last lane of the sum counts the features; rows, feature strings and
whole tokens are remembered once computed, in dicts looked up from C (`map(d.__getitem__, ...)`). No numpy: nothing is imported but the standard
library, and the weights file is read on the first reading, not at import.

`infra/train` builds the weights (`python -m infra.train`); `features()` is shared with it so both
sides hash exactly the same strings.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import struct
import zlib
from collections.abc import Callable, Iterable
from functools import cache
from itertools import pairwise, repeat
from operator import sub, truediv
from pathlib import Path
from typing import Any, NamedTuple

MAGIC = b"HEEDTRI1"
WEIGHTS = Path(__file__).resolve().parent / "model" / "triage.bin"
BRAND_WEIGHTS_ENV = "HEED_TRIAGE_BRAND_MODEL"  # a brand's corrections (see README, "Brand corrections")
BRAND_FILE = "triage-brand.json"
HEADS: dict[str, tuple[str, ...]] = {
    "language": ("en", "es", "fr", "pt", "de", "it", "und"),
    "sentiment": ("negative", "neutral", "positive"),
    "intent": ("complaint", "question", "praise", "feedback", "spam", "abuse", "other"),
    "spam": ("no", "yes"),
    "abuse": ("no", "yes"),
    "addressed": ("to_brand", "about_brand", "neither"),
}
_LANE_BYTES = 4  # 32-bit lanes: 16 million features of value <= 255 per mention before a lane overflows
_BIAS = 128
_MAX_CHARS = 4000  # a mention longer than this is read by its first 4,000 characters
_TOKEN_CHARS = 24  # character n-grams of the first 24 characters of a token
_MAX_WORDS = 1000  # word and word-pair features of the first 1,000 words
_CACHE_LIMIT = 200_000


class Reading(NamedTuple):
    """What the model reads in one mention: each head's label and its probability."""

    language: str
    language_confidence: float
    sentiment: str
    sentiment_confidence: float
    sentiment_score: float  # P(positive) - P(negative), -1..1
    sentiment_probabilities: list[float]  # in the order of HEADS["sentiment"]
    intent: str
    intent_confidence: float
    intent_probabilities: list[float]  # in the order of HEADS["intent"]
    spam: float  # probability
    abuse: float  # probability
    addressed: str
    addressed_confidence: float


class RuleCues(NamedTuple):
    """The rules' findings the model takes as extra features (computed by the engine anyway)."""

    found: Iterable[str]  # categories of `cues.find` (after `register.refine`) that matched
    complaint: int
    question: bool
    praise: int
    feedback: int
    spam: int
    abuse: int
    negative_beyond_abuse: bool
    score: float  # the lexicon sentiment score, -1..1
    language: str  # the rules' language
    intent: str  # the rules' intent decision and its confidence
    intent_confidence: float


def _length_bin(n: int) -> str:
    for limit, name in ((0, "0"), (2, "2"), (5, "5"), (10, "10"), (20, "20"), (40, "40")):
        if n <= limit:
            return name
    return "more"


_LENGTH_BINS = tuple(map(_length_bin, range(42)))  # n -> its bin, for n <= 41 ("more" from 41 on)


def token_features(token: str) -> list[str]:
    """Character 3- and 4-grams of one whitespace token, with word boundaries marked."""
    padded = "<" + token[:_TOKEN_CHARS] + ">"
    grams = [padded[i : i + 3] for i in range(len(padded) - 2)]
    grams += [padded[i : i + 4] for i in range(len(padded) - 3)]
    return grams


def message_features(
    original: str, lowered: str, cue_words: tuple[str, ...], cues: RuleCues
) -> tuple[list[str], list[str]]:
    """(whitespace tokens for character n-grams, every other feature string) of one mention."""
    tokens = lowered[:_MAX_CHARS].split()
    words = cue_words[:_MAX_WORDS]
    other = ["§bias"]
    other += map("w".__add__, words)
    other += map("b{} {}".format, words, words[1:])  # "b" + a + " " + b of each pair, built in C
    return tokens, other + shape_and_cue_features(original, words, cues)


# what the shape and cue features of a mention depend on, each value already binned as its feature
# string bins it: few distinct keys, so inference remembers the sum of their rows per key
_ShapeAndCues = tuple[Any, ...]  # see shape_and_cue_key


def shape_and_cue_key(original: str, word_count: int, cues: RuleCues) -> _ShapeAndCues:
    """The binned values `shape_and_cue_features` reads (its one source: both go through here)."""
    # conditional expressions rather than min()/max() calls: the same values, a few calls fewer
    handles = original.count("@")
    hashtags = original.count("#")
    (found, complaint, question, praise, feedback, spam, abuse, negx, score, language, intent, confidence) = (
        cues
    )
    return (
        handles if handles < 3 else 3,
        handles > 0 and original.lstrip().startswith("@"),
        "http" in original or "www." in original,
        hashtags if hashtags < 4 else 4,
        "?" in original,
        "!" in original,
        word_count if word_count < 41 else 41,
        tuple(found),
        complaint if complaint < 3 else 3,
        question,
        praise if praise < 2 else 2,
        feedback > 0,
        spam if spam < 3 else 3,
        abuse if abuse < 2 else 2,
        negx,
        round((-1.0 if score <= -1.0 else 1.0 if score >= 1.0 else score) * 4),  # clamped to -1..1
        language,
        intent,
        round(confidence * 10),
    )


def features_of_key(key: _ShapeAndCues) -> list[str]:
    """The shape and cue feature strings of a `shape_and_cue_key`."""
    (handles, lead, url, hashtags, question_mark, bang, word_count, found, complaint, question, praise,
     feedback, spam, abuse, negx, score, language, intent, confidence) = key  # fmt: skip
    other = ["§h" + str(handles)]
    if lead:
        other.append("§lead@")
    if url:
        other.append("§url")
    other.append("§ht" + str(hashtags))
    if question_mark:
        other.append("§q")
    if bang:
        other.append("§!")
    other.append("§len" + _LENGTH_BINS[word_count])
    if not word_count:
        other.append("§nowords")
    other += map("§f:".__add__, found)
    other.append("§c:complaint" + str(complaint))
    if question:
        other.append("§c:question")
    other.append("§c:praise" + str(praise))
    if feedback:
        other.append("§c:feedback")
    other.append("§c:spam" + str(spam))
    other.append("§c:abuse" + str(abuse))
    if negx:
        other.append("§c:negx")
    other.append("§s" + str(score))
    other.append("§rl:" + language)
    other.append("§ri:" + intent)
    other.append("§ri:" + intent + str(confidence))
    return other


def shape_and_cue_features(original: str, words: tuple[str, ...], cues: RuleCues) -> list[str]:
    """The features of a mention beyond its tokens, words and word pairs: its shape and the rules' cues."""
    return features_of_key(shape_and_cue_key(original, len(words), cues))


def features(original: str, lowered: str, cue_words: tuple[str, ...], cues: RuleCues) -> list[str]:
    """Every feature string of one mention (with repeats): what training hashes."""
    tokens, other = message_features(original, lowered, cue_words, cues)
    out: list[str] = []
    for token in tokens:
        out += token_features(token)
    return out + other


def bucket(feature: str, bits: int) -> int:
    return zlib.crc32(feature.encode("utf-8")) & ((1 << bits) - 1)


def write_weights(
    path: Path, *, bits: int, matrix: bytes, scales: list[float], biases: list[float], meta: dict[str, object]
) -> None:
    """The weights file: magic, header length, JSON header, zlib-compressed uint8 rows (int8 + 128)."""
    header = json.dumps(
        {
            "bits": bits,
            "heads": [[k, list(v)] for k, v in HEADS.items()],
            "scales": scales,
            "biases": biases,
            "meta": meta,
        },
        sort_keys=True,
        separators=(",", ":"),
    ).encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as out:
        out.write(MAGIC + struct.pack("<I", len(header)) + header + zlib.compress(matrix, 9))


class _Rows(dict[Any, int]):
    """key -> packed row, computed by `compute` on first look-up; cleared when it grows past
    _CACHE_LIMIT keys (the memo must not grow without bound in a long-running process)."""

    __slots__ = ("compute",)

    def __init__(self, compute: Callable[[Any], int]) -> None:
        super().__init__()
        self.compute = compute

    def __missing__(self, key: Any) -> int:
        if len(self) > _CACHE_LIMIT:
            self.clear()
        row = self[key] = self.compute(key)
        return row


class _BucketRows(dict[int, int]):
    """bucket -> its packed row (one 32-bit lane per class, value + 128, then the count lane holding
    1), built on first look-up; at most 2**bits entries."""

    __slots__ = ("matrix", "spread", "width")

    def __init__(self, matrix: bytes, width: int) -> None:
        super().__init__()
        self.matrix = matrix
        self.width = width
        self.spread = bytearray((width + 1) * _LANE_BYTES)
        self.spread[width * _LANE_BYTES] = 1

    def __missing__(self, index: int) -> int:
        width = self.width
        spread = self.spread
        spread[: width * _LANE_BYTES : _LANE_BYTES] = self.matrix[index * width : (index + 1) * width]
        row = self[index] = int.from_bytes(spread, "little")
        return row


class _FeatureRows(dict[str, int]):
    """feature string -> its bucket's row: what the other memos below are made of. Each computes its
    entries in its own __missing__ (one Python frame per new entry: the cold path of a first reading
    of new text is mostly these)."""

    __slots__ = ("buckets", "mask")

    def __init__(self, buckets: _BucketRows, mask: int) -> None:
        super().__init__()
        self.buckets = buckets
        self.mask = mask

    def __missing__(self, feature: str) -> int:
        if len(self) > _CACHE_LIMIT:
            self.clear()
        row = self[feature] = self.buckets[zlib.crc32(feature.encode("utf-8")) & self.mask]
        return row


class _UnigramRows(_FeatureRows):
    """word -> the row of "w" + word (the words are the same string objects mention after mention:
    text.py remembers them, so the feature string is built once)."""

    def __missing__(self, word: str) -> int:  # type: ignore[override]
        if len(self) > _CACHE_LIMIT:
            self.clear()
        row = self[word] = self.buckets[zlib.crc32(("w" + word).encode("utf-8")) & self.mask]
        return row


class _PairRows(dict[tuple[str, str], int]):
    """(a, b) -> the row of the pair "b" + a + " " + b plus the row of b: one look-up per word after
    the first covers every unigram and bigram."""

    __slots__ = ("buckets", "mask", "unigrams")

    def __init__(self, buckets: _BucketRows, mask: int, unigrams: _UnigramRows) -> None:
        super().__init__()
        self.buckets = buckets
        self.mask = mask
        self.unigrams = unigrams

    def __missing__(self, pair: tuple[str, str]) -> int:
        if len(self) > _CACHE_LIMIT:
            self.clear()
        first, second = pair
        pair_row = self.buckets[zlib.crc32(("b" + first + " " + second).encode("utf-8")) & self.mask]
        row = self[pair] = pair_row + self.unigrams[second]
        return row


# the slices of a padded token ("<" + token + ">", 3 to 26 characters) that are its 3-grams then 4-grams
_GRAM_SLICES = {
    n: tuple(slice(i, i + 3) for i in range(n - 2)) + tuple(slice(i, i + 4) for i in range(n - 3))
    for n in range(3, _TOKEN_CHARS + 3)
}


class _TokenRows(dict[str, int]):
    """whitespace token -> the sum of the rows of its character n-grams (`token_features`)."""

    __slots__ = ("features",)

    def __init__(self, features: _FeatureRows) -> None:
        super().__init__()
        self.features = features

    def __missing__(self, token: str) -> int:
        if len(self) > _CACHE_LIMIT:
            self.clear()
        padded = "<" + token[:_TOKEN_CHARS] + ">"
        grams = map(padded.__getitem__, _GRAM_SLICES[len(padded)])
        row = self[token] = sum(map(self.features.__getitem__, grams))
        return row


class Model:
    """Loaded weights and the memo of rows, tokens and features seen so far."""

    def __init__(self, path: Path) -> None:
        blob = path.read_bytes()
        if blob[: len(MAGIC)] != MAGIC:
            raise ValueError(f"{path} is not a Heed triage weights file")
        (size,) = struct.unpack_from("<I", blob, len(MAGIC))
        start = len(MAGIC) + 4
        header = json.loads(blob[start : start + size])
        self.meta: dict[str, object] = header.get("meta", {})
        self.bits: int = header["bits"]
        self.heads: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in header["heads"]}  # in matrix order
        self.classes = sum(len(v) for v in self.heads.values())
        self.scales: list[float] = header["scales"]
        self.biases: list[float] = header["biases"]
        self.matrix = zlib.decompress(blob[start + size :])
        if len(self.matrix) != self.classes << self.bits or len(self.scales) != self.classes:
            raise ValueError(f"{path}: weights do not match their header")
        self._mask = (1 << self.bits) - 1
        # one lane per class, then the count lane: 1 in every row, so a sum of rows counts its features
        self._lanes_bytes = (self.classes + 1) * _LANE_BYTES
        # the class lanes as signed sums: total - count * (128 in every class lane) would borrow across
        # lanes, so 2**31 is added to every class lane (no lane goes negative) and its top bit flipped
        # back by XOR, which reads as the signed value (lane - 2**31) once unpacked as "i"
        self._count_shift = self.classes * _LANE_BYTES * 8
        self._flip = sum(1 << (32 * c + 31) for c in range(self.classes))
        self._offset_lanes = sum(_BIAS << (32 * c) for c in range(self.classes))
        self._unpack_signed = struct.Struct(f"<{self.classes}i").unpack_from
        self._standard_heads = self.heads == HEADS
        self._head_spans: list[tuple[tuple[str, ...], int, int]] = []
        start = 0
        for labels in self.heads.values():
            self._head_spans.append((labels, start, start + len(labels)))
            start += len(labels)
        self._rows = _BucketRows(self.matrix, self.classes)
        self._features = _FeatureRows(self._rows, self._mask)  # feature string -> its packed row
        self._unigrams = _UnigramRows(self._rows, self._mask)
        self._pairs = _PairRows(self._rows, self._mask, self._unigrams)
        self._bias_row = self._features["§bias"]
        self._tokens = _TokenRows(self._features)
        # a shape_and_cue_key -> the sum of its features' rows (and the bias row): few distinct keys
        self._shape_and_cues = _Rows(self._row_of_shape_and_cues)
        self.sha256 = hashlib.sha256(blob).hexdigest()
        self.delta: BrandDelta | None = None

    def _row_of_shape_and_cues(self, key: _ShapeAndCues) -> int:
        return sum(map(self._features.__getitem__, features_of_key(key)), self._bias_row)

    def logits(self, tokens: list[str], other: list[str]) -> list[float]:
        # C-level look-ups of remembered rows (a dict subclass computes a missing one), one big-int
        # sum, one unpack of the lanes; the count lane gives the number of features
        total = sum(map(self._tokens.__getitem__, tokens), sum(map(self._features.__getitem__, other)))
        logits, norm = self._logits(total)
        if self.delta is not None:
            self.delta.add_to(logits, self.buckets(tokens, other), norm)
        return logits

    def _logits(self, total: int) -> tuple[list[float], float]:
        """The logits of a sum of packed rows, and 1 / sqrt(the number of features)."""
        count = total >> self._count_shift  # the last lane: 1 in every row
        flip = self._flip
        centred = ((total - (count * self._offset_lanes - flip)) ^ flip).to_bytes(self._lanes_bytes, "little")
        norm = 1.0 / math.sqrt(count)
        # scale * (lane - offset) * norm + bias per class: the same float operations in the same order
        lanes = self._unpack_signed(centred)
        return [s * v * norm + b for s, v, b in zip(self.scales, lanes, self.biases, strict=True)], norm

    def buckets(self, tokens: list[str], other: list[str]) -> list[int]:
        """Every feature's bucket, with repeats (what a brand's corrections train on)."""
        mask = self._mask
        grams = [g for token in tokens for g in token_features(token)]
        return [zlib.crc32(f.encode("utf-8")) & mask for f in grams + other]

    def read(
        self,
        original: str,
        lowered: str,
        cue_words: tuple[str, ...],
        cues: RuleCues,
        tokens: list[str] | None = None,
    ) -> Reading:
        """The reading of one mention; `tokens`: lowered.split() when the caller has it already."""
        if self.delta is not None:
            return self.reading(self.logits(*message_features(original, lowered, cue_words, cues)))
        # the sum `logits` makes of message_features(), without building the word and pair strings;
        # the bias, shape and cue features' rows summed once per binned key
        words = cue_words[:_MAX_WORDS]
        total = (
            sum(
                map(
                    self._tokens.__getitem__,
                    tokens
                    if tokens is not None and len(lowered) <= _MAX_CHARS
                    else lowered[:_MAX_CHARS].split(),
                )
            )
            # every word's row and every pair's: the first word's, then per pair its own and its second word's
            + (sum(map(self._pairs.__getitem__, pairwise(words)), self._unigrams[words[0]]) if words else 0)
            + self._shape_and_cues[shape_and_cue_key(original, len(words), cues)]
        )
        return self.reading(self._logits(total)[0])

    def reading(self, logits: list[float]) -> Reading:
        if self._standard_heads:
            return _standard_reading(logits)
        heads: list[tuple[str, float, list[float]]] = []
        for labels, start, end in self._head_spans:
            probs = _softmax(logits[start:end])
            best = probs.index(max(probs))  # the first of equals, as max(range, key) picked
            heads.append((labels[best], probs[best], probs))
        language, sentiment, intent, spam, abuse, addressed = heads
        return Reading(
            language[0],
            language[1],
            sentiment[0],
            sentiment[1],
            sentiment[2][2] - sentiment[2][0],
            sentiment[2],
            intent[0],
            intent[1],
            intent[2],
            spam[2][1],
            abuse[2][1],
            addressed[0],
            addressed[1],
        )


def _softmax(part: list[float]) -> list[float]:
    # map over C functions rather than comprehensions: the same float operations, no frames
    exps = list(map(math.exp, map(sub, part, repeat(max(part)))))
    return list(map(truediv, exps, repeat(sum(exps))))


_LANGUAGES, _SENTIMENTS, _INTENTS, _, _, _ADDRESSED = HEADS.values()
_tuple_new = tuple.__new__  # a named tuple built from its fields in C, without its Python __new__


def _standard_reading(logits: list[float]) -> Reading:
    """`Model.reading` for the heads of HEADS, in their order (7, 3, 7, 2, 2, 3 classes), written
    out: the same float operations in the same order as `_softmax` per head (max() and index() keep
    the first of equals, sum() adds from 0.0 left to right and 0.0 + x is x), fewer calls."""
    exp = math.exp
    part = logits[0:7]
    top = max(part)
    exps = [exp(z - top) for z in part]
    total = sum(exps)
    language = [e / total for e in exps]
    language_confidence = max(language)
    part = logits[10:17]
    top = max(part)
    exps = [exp(z - top) for z in part]
    total = sum(exps)
    intent = [e / total for e in exps]
    intent_confidence = max(intent)
    a, b, c = logits[7:10]
    top = a if a >= b and a >= c else b if b >= c else c
    a, b, c = exp(a - top), exp(b - top), exp(c - top)
    total = a + b + c
    sentiment = [a / total, b / total, c / total]
    no, yes = logits[17:19]
    top = no if no >= yes else yes
    no, yes = exp(no - top), exp(yes - top)
    spam = yes / (no + yes)
    no, yes = logits[19:21]
    top = no if no >= yes else yes
    no, yes = exp(no - top), exp(yes - top)
    abuse = yes / (no + yes)
    a, b, c = logits[21:24]
    top = a if a >= b and a >= c else b if b >= c else c
    a, b, c = exp(a - top), exp(b - top), exp(c - top)
    total = a + b + c
    a, b, c = a / total, b / total, c / total
    addressed, addressed_confidence = (
        (_ADDRESSED[0], a) if a >= b and a >= c else (_ADDRESSED[1], b) if b >= c else (_ADDRESSED[2], c)
    )
    a, b, c = sentiment
    label, confidence = (
        (_SENTIMENTS[0], a) if a >= b and a >= c else (_SENTIMENTS[1], b) if b >= c else (_SENTIMENTS[2], c)
    )
    return _tuple_new(
        Reading,
        (
            _LANGUAGES[language.index(language_confidence)],
            language_confidence,
            label,
            confidence,
            c - a,
            sentiment,
            _INTENTS[intent.index(intent_confidence)],
            intent_confidence,
            intent,
            spam,
            abuse,
            addressed,
            addressed_confidence,
        ),
    )


class BrandDelta:
    """A brand's corrections: float rows added to some heads' logits for the buckets its labelled
    mentions touched (`heed triage train --labels FILE`, see brand.py). JSON, a few hundred KB."""

    def __init__(
        self, columns: list[int], rows: dict[int, list[float]], bias: list[float], base: str
    ) -> None:
        self.columns = columns  # the model classes (logit positions) the delta adds to
        self.rows = rows
        self.bias = bias
        self.base = base  # sha256 of the shipped weights it was trained on

    @classmethod
    def read(cls, path: Path) -> BrandDelta:
        raw = json.loads(path.read_text(encoding="utf-8"))
        rows = {int(k): [float(x) for x in v] for k, v in raw["rows"].items()}
        return cls([int(c) for c in raw["columns"]], rows, [float(x) for x in raw["bias"]], str(raw["base"]))

    def write(self, path: Path) -> None:
        body = {
            "base": self.base,
            "columns": self.columns,
            "bias": [round(b, 5) for b in self.bias],
            "rows": {str(k): [round(x, 5) for x in v] for k, v in sorted(self.rows.items())},
        }
        path.write_text(json.dumps(body, separators=(",", ":")) + "\n", encoding="utf-8")

    def add_to(self, logits: list[float], buckets: list[int], norm: float) -> None:
        width = len(self.columns)
        sums = [0.0] * width
        rows = self.rows
        for b in buckets:
            row = rows.get(b)
            if row is not None:
                for i in range(width):
                    sums[i] += row[i]
        for i, column in enumerate(self.columns):
            logits[column] += sums[i] * norm + self.bias[i]


def brand_delta_path() -> Path:
    """Where a brand's corrections live once deployed: `triage-brand.json` beside the policy in the
    templates directory (the templates layer, shipped with every deploy), or HEED_TRIAGE_BRAND_MODEL."""
    named = os.environ.get(BRAND_WEIGHTS_ENV)
    if named:
        return Path(named)
    templates = os.environ.get("HEED_TEMPLATES_DIR")
    base = Path(templates) if templates else Path(__file__).resolve().parents[3] / "templates"
    return base / BRAND_FILE


@cache
def load() -> Model:
    """The shipped weights, with the brand's corrections on top when a brand file exists and was
    trained on these same weights. Loaded once per process, on the first reading, never at import."""
    loaded = Model(WEIGHTS)
    delta_path = brand_delta_path()
    if delta_path.is_file():
        delta = BrandDelta.read(delta_path)
        if delta.base == loaded.sha256:
            loaded.delta = delta
    return loaded
