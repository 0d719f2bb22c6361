"""The trained reading of a mention: one multi-head linear model over hashed features, pure Python.

Heads: language, sentiment, intent, spam, abuse, addressed (to the brand / about it / neither).
Features: word unigrams and bigrams (folded, numbers as <n>), character 3- and 4-grams of each
whitespace token, shape cues (handles, links, hashtags, "?", length) and the rules' own cues
(`cues.find`, `intent.find_cues`, the lexicon score, the rules' language) as extra tokens. Each
feature string is hashed (CRC-32, stable across processes) into 2**bits buckets.

Weights: one int8 row per bucket (all heads' classes side by side), a float scale per class, a float
bias per class. Logits are `scale * (W . x) / sqrt(n) + bias` with x the feature counts and n their
sum. Inference adds rows as packed Python integers: each row becomes one int with a 24-bit lane per
class (value + 128), so adding a mention's ~100-300 rows is one C-level big-int addition each, and
rows, tokens and words are remembered once computed. No numpy: nothing is imported but the standard
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
from collections.abc import Iterable
from functools import cache
from itertools import pairwise
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
_LANE_BYTES = 3  # 24-bit lanes: 65,000 features of value <= 255 per mention before a lane overflows
_BIAS = 128
_MAX_CHARS = 4000  # a mention longer than this is read by its first 4,000 characters
_TOKEN_CHARS = 24  # character n-grams of the first 24 characters of a token
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
    words = cue_words[:1000]
    other = ["§bias"]
    other += ["w" + w for w in words]
    other += ["b" + a + " " + b for a, b in pairwise(words)]
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
    other += ["§f:" + name for name in cues.found]
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
    return tokens, other


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
        self._spread = bytearray(self.classes * _LANE_BYTES)
        self._rows: dict[int, int] = {}
        self._features: dict[str, int] = {}
        self._tokens: dict[str, tuple[int, int]] = {}
        self.sha256 = hashlib.sha256(blob).hexdigest()
        self.delta: BrandDelta | None = None

    def _row(self, index: int) -> int:
        row = self._rows.get(index)
        if row is None:
            width = self.classes
            spread = self._spread
            spread[::_LANE_BYTES] = self.matrix[index * width : (index + 1) * width]
            row = int.from_bytes(spread, "little")
            self._rows[index] = row
        return row

    def _feature(self, feature: str) -> int:
        packed = self._features.get(feature)
        if packed is None:
            if len(self._features) > _CACHE_LIMIT:
                self._features.clear()
                self._tokens.clear()
            packed = self._row(zlib.crc32(feature.encode("utf-8")) & self._mask)
            self._features[feature] = packed
        return packed

    def _token(self, token: str) -> tuple[int, int]:
        known = self._tokens.get(token)
        if known is None:
            grams = token_features(token)
            known = (sum(map(self._feature, grams)), len(grams))
            self._tokens[token] = known
        return known

    def logits(self, tokens: list[str], other: list[str]) -> list[float]:
        total = sum(map(self._feature, other))
        count = len(other)
        for token in tokens:
            packed, n = self._token(token)
            total += packed
            count += n
        raw = total.to_bytes(self.classes * _LANE_BYTES, "little")
        offset = _BIAS * count
        norm = 1.0 / math.sqrt(count)
        logits = [
            scale * (int.from_bytes(raw[i * _LANE_BYTES : (i + 1) * _LANE_BYTES], "little") - offset) * norm
            + bias
            for i, (scale, bias) in enumerate(zip(self.scales, self.biases, strict=True))
        ]
        if self.delta is not None:
            self.delta.add_to(logits, self.buckets(tokens, other), norm)
        return logits

    def buckets(self, tokens: list[str], other: list[str]) -> list[int]:
        """Every feature's bucket, with repeats (what a brand's corrections train on)."""
        mask = self._mask
        grams = [g for token in tokens for g in token_features(token)]
        return [zlib.crc32(f.encode("utf-8")) & mask for f in grams + other]

    def read(self, original: str, lowered: str, cue_words: tuple[str, ...], cues: RuleCues) -> Reading:
        tokens, other = message_features(original, lowered, cue_words, cues)
        return self.reading(self.logits(tokens, other))

    def reading(self, logits: list[float]) -> Reading:
        out: dict[str, tuple[str, float, list[float]]] = {}
        start = 0
        for head, labels in self.heads.items():
            part = logits[start : start + len(labels)]
            start += len(labels)
            top = max(part)
            exps = [math.exp(z - top) for z in part]
            total = sum(exps)
            probs = [e / total for e in exps]
            best = max(range(len(labels)), key=probs.__getitem__)
            out[head] = (labels[best], probs[best], probs)
        return Reading(
            language=out["language"][0],
            language_confidence=out["language"][1],
            sentiment=out["sentiment"][0],
            sentiment_confidence=out["sentiment"][1],
            sentiment_score=out["sentiment"][2][2] - out["sentiment"][2][0],
            sentiment_probabilities=out["sentiment"][2],
            intent=out["intent"][0],
            intent_confidence=out["intent"][1],
            intent_probabilities=out["intent"][2],
            spam=out["spam"][2][1],
            abuse=out["abuse"][2][1],
            addressed=out["addressed"][0],
            addressed_confidence=out["addressed"][1],
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
