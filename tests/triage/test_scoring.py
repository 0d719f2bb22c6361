"""`heed triage --score`: how often triage agrees with a team's own labelled mentions."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from heed.cli import main
from heed.cli.triage import score
from heed.triage.scoring import Agreement, macro_f1, sentiment_name


def test_given_known_pairs_when_tallied_then_the_figures_are_the_textbook_ones() -> None:
    # Given 3 complaints of which 2 were found, and 1 mention wrongly called a complaint
    agreement = Agreement()
    for gold, predicted in [(True, True), (True, True), (True, False), (False, True), (False, False)]:
        agreement.add(complaint=(gold, predicted))
    # and sentiments: negative found twice of three, one neutral called negative
    for pair in [
        ("negative", "negative"),
        ("negative", "negative"),
        ("negative", "neutral"),
        ("neutral", "negative"),
    ]:
        agreement.add(sentiment=pair)
    # When the figures are computed
    figures = agreement.figures()
    # Then recall is 2/3, precision 2/3, negative recall 2/3, and the class F1s are as computed by hand
    assert figures["complaint_recall"] == pytest.approx(0.667)
    assert figures["complaint_precision"] == pytest.approx(0.667)
    assert figures["negative_recall"] == pytest.approx(0.667)
    assert figures["sentiment_f1"] == {"negative": pytest.approx(0.667), "neutral": 0.0, "positive": 0.0}
    assert figures["sentiment_macro_f1"] == pytest.approx(0.222)


def test_macro_f1_is_the_mean_of_the_class_f1s() -> None:
    assert macro_f1([0, 0, 1, 1], [0, 1, 1, 1], (0, 1)) == pytest.approx((2 / 3 + 0.8) / 2)


def test_sentiment_labels_are_read_in_their_usual_spellings() -> None:
    assert [sentiment_name(x) for x in ("neg", "Neutral", 2)] == ["negative", "neutral", "positive"]
    with pytest.raises(ValueError, match="unknown sentiment"):
        sentiment_name("angry")


def test_given_labelled_mentions_when_scored_then_triage_is_compared_with_each_label() -> None:
    # Given two labelled mentions, one plainly a complaint and one plainly thanks
    lines = [
        json.dumps(
            {
                "text": "@acme still no refund after three weeks, this is ridiculous",
                "complaint": True,
                "sentiment": "neg",
            }
        ),
        json.dumps(
            {
                "text": "@acme thank you so much, the new card arrived today!",
                "complaint": False,
                "sentiment": "positive",
            }
        ),
    ]
    # When they are scored
    figures, problems = score(io.StringIO("\n".join(lines)))
    # Then triage agrees on both
    assert problems == []
    assert figures["complaint_recall"] == 1.0 and figures["complaint_precision"] == 1.0
    assert figures["sentiment_macro_f1"] == pytest.approx(0.667)  # no neutral mention: its F1 is 0


def test_given_unusable_lines_when_scored_then_each_is_named_and_the_command_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    labelled = tmp_path / "labelled.jsonl"
    labelled.write_text(
        json.dumps({"text": "@acme my order never came", "complaint": True})
        + "\nnot json\n"
        + json.dumps({"text": "@acme hi", "complaint": "yes"})
        + "\n",
        encoding="utf-8",
    )
    # When the file is scored from the command line
    code = main(["triage", "--score", str(labelled), "--json"])
    # Then the good line is scored, the two bad ones are reported by number, and the exit code says so
    out, err = capsys.readouterr()
    assert code == 1
    assert json.loads(out)["complaints_labelled"] == 1
    assert "line 2" in err and "line 3: 'complaint' must be true or false" in err


def test_a_missing_labels_file_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["triage", "--score", "/nonexistent/labels.jsonl"]) == 2
    assert "cannot read /nonexistent/labels.jsonl" in capsys.readouterr().err
