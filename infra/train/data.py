"""Training examples from the sources whose terms allow shipping derived weights, and nothing else.

Each source is mapped to Heed's heads; a head a source says nothing about is left unlabelled (None)
and does not train on that example. The research-only sets in ../shared/data (XLM-T, TweetEval,
twcs, the Free export) are never read here: they only measure (infra/bench/triage_eval.py).
"""

from __future__ import annotations

import csv
import hashlib
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "data"
PERMISSIVE = SHARED / "permissive"
CORPUS = REPO / "infra" / "train" / "corpus"
CORPUS_LANGUAGES = ("en", "es", "fr", "pt", "de", "it")
DEV_SHARE = 5  # one example in five (by a hash of its id) is held out for the development figures
CORPUS_WEIGHT = 8.0  # the customer-care register is what the model is for; the seeds are not it
# everyday posts the team wrote (infra/train/general): the general register of listening traffic, so
# the sentiment head learns how people write about their lives, not only to a brand
GENERAL = REPO / "infra" / "train" / "general"
GENERAL_WEIGHT = 8.0

# banking77 queries that report something wrong (the rest ask how to do something): complaints.
# Fee categories are complaints only when told as a statement ("I was charged a fee for ...");
# "why is there a fee?" / "how much is the fee?" are questions.
BANKING_FEES = frozenset({"card_payment_fee_charged", "cash_withdrawal_charge", "transfer_fee_charged"})
BANKING_PROBLEMS = frozenset(
    {
        "card_not_working",
        "contactless_not_working",
        "wrong_amount_of_cash_received",
        "card_payment_wrong_exchange_rate",
        "wrong_exchange_rate_for_cash_withdrawal",
        "extra_charge_on_statement",
        "transfer_not_received_by_recipient",
        "top_up_reverted",
        "top_up_failed",
        "balance_not_updated_after_cheque_or_cash_deposit",
        "balance_not_updated_after_bank_transfer",
        "card_payment_not_recognised",
        "direct_debit_payment_not_recognised",
        "cash_withdrawal_not_recognised",
        "unable_to_verify_identity",
        "compromised_card",
        "declined_cash_withdrawal",
        "declined_card_payment",
        "declined_transfer",
        "failed_transfer",
        "transaction_charged_twice",
        "refund_not_showing_up",
        "card_swallowed",
        "pin_blocked",
        "lost_or_stolen_card",
        "lost_or_stolen_phone",
        "reverted_card_payment?",
    }
)
# XED emotions (Plutchik): 1 anger, 2 anticipation, 3 disgust, 4 fear, 5 joy, 6 sadness, 7 surprise, 8 trust
XED_NEGATIVE = frozenset({1, 3, 4, 6})
XED_POSITIVE = frozenset({5, 8})
XED_LANGUAGES = {"en": "en", "es": "es", "fr": "fr", "it": "it", "pt": "pt", "de": "de", "nl": "und"}
HATECHECK = {
    "spanish": "es",
    "french": "fr",
    "portuguese": "pt",
    "german": "de",
    "italian": "it",
    "dutch": "und",
}
HATECHECK_SENTIMENT = {"ident_neutral_nh": "neutral", "ident_pos_nh": "positive"}
QUESTION_STARTS = (
    "what", "how", "when", "where", "why", "who", "which", "can", "could", "is", "are", "do", "does",
    "did", "will", "would", "should", "may", "have", "has",
)  # fmt: skip


@dataclass
class Example:
    text: str
    source: str
    dev: bool
    labels: dict[str, str] = field(default_factory=dict)  # head -> label; absent heads do not train
    weight: float = 1.0
    platform: str | None = None


def _dev(key: str) -> bool:
    return zlib.crc32(key.encode("utf-8")) % DEV_SHARE == 0


class MissingData(RuntimeError):
    """The training sources are not where they should be."""


@dataclass
class Sources:
    """Every file read, for the manifest: path -> (sha256, bytes)."""

    files: dict[str, tuple[str, int]] = field(default_factory=dict)

    def open_text(self, path: Path) -> str:
        raw = path.read_bytes()
        self.files[str(path)] = (hashlib.sha256(raw).hexdigest(), len(raw))
        return raw.decode("utf-8")


def banking77(sources: Sources) -> Iterator[Example]:
    for split in ("train", "test"):
        rows = csv.DictReader(sources.open_text(PERMISSIVE / "banking77" / f"{split}.csv").splitlines())
        for row in rows:
            complaint = row["category"] in BANKING_PROBLEMS or (
                row["category"] in BANKING_FEES and "?" not in row["text"]
            )
            yield Example(
                row["text"],
                "banking77",
                _dev("banking77" + row["text"]),
                {
                    "language": "en",
                    "intent": "complaint" if complaint else "question",
                    **({"sentiment": "negative"} if complaint else {}),
                    "spam": "no",
                    "abuse": "no",
                    "addressed": "to_brand",
                },
            )


def clinc150(sources: Sources) -> Iterator[Example]:
    data = json.loads(sources.open_text(PERMISSIVE / "clinc150" / "data_full.json"))
    for split in ("train", "val", "test", "oos_train", "oos_val", "oos_test"):
        for text, _intent in data[split]:
            first = text.split(" ", 1)[0].lower()
            asks = "?" in text or first in QUESTION_STARTS
            # out-of-scope queries and commands ("set an alarm") are not questions to a brand
            intent = "question" if asks and not split.startswith("oos") else "other"
            yield Example(
                text,
                "clinc150",
                _dev("clinc150" + text),
                {"language": "en", "intent": intent, "spam": "no", "abuse": "no"},
            )


def _xed_sentiment(raw: str) -> str | None:
    emotions = {int(x) for x in raw.replace(" ", "").split(",") if x.strip().isdigit()}
    if not emotions:
        return None
    if emotions <= XED_NEGATIVE:
        return "negative"
    if emotions <= XED_POSITIVE:
        return "positive"
    return None  # mixed, or anticipation/surprise only: no clear polarity


def xed(sources: Sources) -> Iterator[Example]:
    files = [("en", PERMISSIVE / "xed" / "en-annotated.tsv")] + [
        (code, PERMISSIVE / "xed" / f"{code}-projections.tsv") for code in XED_LANGUAGES
    ]
    for code, path in files:
        for line in sources.open_text(path).splitlines():
            text, _, raw = line.rpartition("\t")
            sentiment = _xed_sentiment(raw)
            labels = {"language": XED_LANGUAGES[code], "spam": "no", "addressed": "neither"}
            if sentiment is not None:
                labels["sentiment"] = sentiment
            if text.strip():
                yield Example(text, "xed", _dev(f"xed{code}" + text), labels)
    for line in sources.open_text(PERMISSIVE / "xed" / "neu_en.txt").splitlines():
        _, _, text = line.partition("\t")
        if text.strip():
            yield Example(
                text,
                "xed",
                _dev("xedneu" + text),
                {"language": "en", "sentiment": "neutral", "spam": "no", "addressed": "neither"},
            )


def davidson(sources: Sources) -> Iterator[Example]:
    rows = csv.DictReader(
        sources.open_text(PERMISSIVE / "davidson_offensive" / "labeled_data.csv").splitlines()
    )
    for row in rows:
        # class 0 hate speech, 1 offensive, 2 neither
        yield Example(
            row["tweet"],
            "davidson",
            _dev("davidson" + row[""]),
            {"language": "en", "abuse": "no" if row["class"] == "2" else "yes", "spam": "no"},
        )


def hatecheck(sources: Sources) -> Iterator[Example]:
    for name, code in HATECHECK.items():
        rows = csv.DictReader(
            sources.open_text(PERMISSIVE / "multilingual_hatecheck" / f"{name}.csv").splitlines()
        )
        for row in rows:
            labels = {
                "language": code,
                "abuse": "yes" if row["label_gold"] == "hateful" else "no",
                "spam": "no",
                "addressed": "neither",
            }
            # the two functionalities whose polarity is plain: neutral and positive statements about
            # a group (the non-English sources otherwise have no neutral line and few positive ones)
            polarity = HATECHECK_SENTIMENT.get(row["functionality"])
            if polarity is not None:
                labels["sentiment"] = polarity
            yield Example(row["test_case"], "hatecheck", _dev("hatecheck" + row["mhc_case_id"]), labels)


_CORPUS_HEADS = ("language", "sentiment", "intent", "addressed")


def corpus_labels(language: str) -> Path | None:
    """The resolved labels when they exist, else the first labeller's."""
    for name in (f"{language}.jsonl", f"{language}.a.jsonl"):
        path = CORPUS / "labels" / name
        if path.is_file():
            return path
    return None


def corpus(sources: Sources) -> Iterator[Example]:
    """The team's own labelled customer-care mentions (partial files are fine: ids join texts and labels)."""
    for language in CORPUS_LANGUAGES:
        texts_path = CORPUS / f"{language}.jsonl"
        labels_path = corpus_labels(language)
        if not texts_path.is_file() or labels_path is None:
            continue
        labels: dict[str, dict[str, object]] = {}
        for line in sources.open_text(labels_path).splitlines():
            try:
                item = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line being written right now
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                labels[item["id"]] = item
        for line in sources.open_text(texts_path).splitlines():
            try:
                item = json.loads(line)
            except json.JSONDecodeError:
                continue
            if (
                not isinstance(item, dict)
                or item.get("id") not in labels
                or not isinstance(item.get("text"), str)
            ):
                continue
            label = labels[item["id"]]
            heads = {h: str(label[h]) for h in _CORPUS_HEADS if isinstance(label.get(h), str)}
            for flag in ("spam", "abuse"):
                if isinstance(label.get(flag), bool):
                    heads[flag] = "yes" if label[flag] else "no"
            yield Example(
                item["text"],
                f"corpus_{language}",
                _dev(item["id"]),
                heads,
                CORPUS_WEIGHT,
                item.get("platform") if isinstance(item.get("platform"), str) else None,
            )


def general(sources: Sources) -> Iterator[Example]:
    """The team's everyday posts: language and sentiment as labelled (resolved labels when present,
    else the writer's). Not `addressed`: a post about no brand reads like a customer's post to other
    users about one ("anyone else's internet down again?"), and the model cannot tell a brand's name
    from the text alone; taught "neither" on these posts it read the listening sample about Acme
    Telecom "neither" (0.73) and the pipeline, rightly by its rule, tasked nobody."""
    for language in CORPUS_LANGUAGES:
        texts_path = GENERAL / f"{language}.jsonl"
        resolved = GENERAL / "labels" / f"{language}.jsonl"
        labels_path = resolved if resolved.is_file() else GENERAL / "labels" / f"{language}.a.jsonl"
        if not texts_path.is_file() or not labels_path.is_file():
            continue
        labels = {
            item["id"]: item
            for item in map(json.loads, sources.open_text(labels_path).splitlines())
            if isinstance(item, dict)
        }
        for item in map(json.loads, sources.open_text(texts_path).splitlines()):
            label = labels.get(item.get("id"))
            if label is None or not isinstance(item.get("text"), str):
                continue
            heads = {h: str(label[h]) for h in ("language", "sentiment") if isinstance(label.get(h), str)}
            yield Example(
                item["text"],
                f"general_{language}",
                _dev(item["id"]),
                heads,
                GENERAL_WEIGHT,
            )


PERMISSIVE_SOURCES = {
    "banking77": banking77,
    "clinc150": clinc150,
    "xed": xed,
    "davidson": davidson,
    "hatecheck": hatecheck,
}


def load_all(sources: Sources, *, with_corpus: bool = True) -> list[Example]:
    if not PERMISSIVE.is_dir():
        raise MissingData(
            f"training data not found at {PERMISSIVE}: `make train` needs ../shared/data/permissive "
            "(see infra/train/MANIFEST.json for the sources and their origin); the shipped weights need no data"
        )
    examples: list[Example] = []
    for load in PERMISSIVE_SOURCES.values():
        examples.extend(load(sources))
    if with_corpus:
        examples.extend(corpus(sources))
        examples.extend(general(sources))
    return examples
