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
from typing import NamedTuple

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


def shape_and_cue_features(original: str, words: tuple[str, ...], cues: RuleCues) -> list[str]:
    """The features of a mention beyond its tokens, words and word pairs: its shape and the rules' cues."""
    other: list[str] = []
    handles = original.count("@")
    other.append("§h" + str(min(handles, 3)))
    stripped = original.lstrip()
    if stripped.startswith("@"):
        other.append("§lead@")
    if "http" in original or "www." in original:
        other.append("§url")
    other.append("§ht" + str(min(original.count("#"), 4)))
    if "?" in original:
        other.append("§q")
    if "!" in original:
        other.append("§!")
    other.append("§len" + _length_bin(len(words)))
    if not words:
        other.append("§nowords")
    other += map("§f:".__add__, cues.found)
    other.append("§c:complaint" + str(min(cues.complaint, 3)))
    if cues.question:
        other.append("§c:question")
    other.append("§c:praise" + str(min(cues.praise, 2)))
    if cues.feedback:
        other.append("§c:feedback")
    other.append("§c:spam" + str(min(cues.spam, 3)))
    other.append("§c:abuse" + str(min(cues.abuse, 2)))
    if cues.negative_beyond_abuse:
        other.append("§c:negx")
    other.append("§s" + str(round(max(-1.0, min(1.0, cues.score)) * 4)))
    other.append("§rl:" + cues.language)
    other.append("§ri:" + cues.intent)
    other.append("§ri:" + cues.intent + str(round(cues.intent_confidence * 10)))
    return other


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


class _Rows(dict[str, int]):
    """key -> packed row, computed by `compute` on first look-up; cleared when it grows past
    _CACHE_LIMIT keys (the memo must not grow without bound in a long-running process)."""

    __slots__ = ("compute",)

    def __init__(self, compute: Callable[[str], int]) -> None:
        super().__init__()
        self.compute = compute

    def __missing__(self, key: str) -> int:
        if len(self) > _CACHE_LIMIT:
            self.clear()
        row = self[key] = self.compute(key)
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
        self._unpack = struct.Struct(f"<{self.classes + 1}I").unpack
        self._spread = bytearray(self._lanes_bytes)
        self._spread[self.classes * _LANE_BYTES] = 1
        self._scale_bias = list(zip(self.scales, self.biases, strict=True))
        self._head_spans: list[tuple[tuple[str, ...], int, int]] = []
        start = 0
        for labels in self.heads.values():
            self._head_spans.append((labels, start, start + len(labels)))
            start += len(labels)
        self._rows: dict[int, int] = {}
        self._features = _Rows(self._row_of_feature)  # feature string -> its packed row
        # a word -> the row of "w" + word, a pair of words -> the row of "b" + a + " " + b: the words
        # are the same string objects mention after mention (text.py remembers them), so neither the
        # feature string nor its hash is built again
        self._unigrams = _Rows(self._row_of_unigram)
        self._bigrams = _Rows(self._row_of_bigram)
        self._bias_row = self._features["§bias"]
        self._tokens = _Rows(self._row_of_token)  # whitespace token -> the sum of its n-grams' rows
        self.sha256 = hashlib.sha256(blob).hexdigest()
        self.delta: BrandDelta | None = None

    def _row(self, index: int) -> int:
        """One bucket's weights as one packed int (see _Rows), remembered per bucket."""
        row = self._rows.get(index)
        if row is None:
            width = self.classes
            spread = self._spread
            spread[: width * _LANE_BYTES : _LANE_BYTES] = self.matrix[index * width : (index + 1) * width]
            row = int.from_bytes(spread, "little")
            self._rows[index] = row
        return row

    def _row_of_feature(self, feature: str) -> int:
        return self._row(zlib.crc32(feature.encode("utf-8")) & self._mask)

    def _row_of_unigram(self, word: str) -> int:
        return self._row_of_feature("w" + word)

    def _row_of_bigram(self, pair: tuple[str, str]) -> int:
        return self._row_of_feature("b" + pair[0] + " " + pair[1])

    def _row_of_token(self, token: str) -> int:
        return sum(map(self._features.__getitem__, token_features(token)))

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
        lanes = self._unpack(total.to_bytes(self._lanes_bytes, "little"))
        count = lanes[-1]
        offset = _BIAS * count
        norm = 1.0 / math.sqrt(count)
        logits = [
            scale * (lane - offset) * norm + bias
            for (scale, bias), lane in zip(self._scale_bias, lanes, strict=False)
        ]
        return logits, norm

    def buckets(self, tokens: list[str], other: list[str]) -> list[int]:
        """Every feature's bucket, with repeats (what a brand's corrections train on)."""
        mask = self._mask
        grams = [g for token in tokens for g in token_features(token)]
        return [zlib.crc32(f.encode("utf-8")) & mask for f in grams + other]

    def read(self, original: str, lowered: str, cue_words: tuple[str, ...], cues: RuleCues) -> Reading:
        if self.delta is not None:
            return self.reading(self.logits(*message_features(original, lowered, cue_words, cues)))
        # the sum `logits` makes of message_features(), without building the word and pair strings
        words = cue_words[:_MAX_WORDS]
        total = (
            sum(map(self._tokens.__getitem__, lowered[:_MAX_CHARS].split()), self._bias_row)
            + sum(map(self._unigrams.__getitem__, words))
            + sum(map(self._bigrams.__getitem__, pairwise(words)))
            + sum(map(self._features.__getitem__, shape_and_cue_features(original, words, cues)))
        )
        return self.reading(self._logits(total)[0])

    def reading(self, logits: list[float]) -> Reading:
        heads: list[tuple[str, float, list[float]]] = []
        exp = math.exp
        for labels, start, end in self._head_spans:
            part = logits[start:end]
            # map over C functions rather than comprehensions: the same float operations, no frames
            exps = list(map(exp, map(sub, part, repeat(max(part)))))
            total = sum(exps)
            probs = list(map(truediv, exps, repeat(total)))
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
