"""Sincere praise in support threads that names a problem in passing (fresh customer-care sample D,
2026-11-30, README "sample C and D"): a problem negated ("no fees", "zero delays") is no sarcasm, and a
fix named with the problem ("restarting does resolve the issue") takes the problem's cue back. Every
sentence is written for this test; none is taken from the sample."""

from __future__ import annotations

import pytest
from heed.triage import cues, register
from heed.triage.intent import find_cues
from heed.triage.text import read


def _reading(text: str) -> tuple[int, bool]:
    """(the rules' complaint count after guards, whether the register read sarcasm)."""
    read_text = read(text)
    found = cues.find(read_text)
    refined = register.refine(read_text, found)
    sarcasm = len(refined.get("complaint", ())) > len(found.get("complaint", ()))
    return find_cues(read_text, refined).complaint, sarcasm


@pytest.mark.parametrize(
    "text",
    [
        "great airline. No fees to check bags and free snacks on board",
        "love that there's no queue at all this morning",
        "great, zero delays all week on my commute",
        "amazing service, no hidden charges anywhere",
    ],
)
def test_praise_of_a_problem_that_is_absent_is_no_sarcasm(text: str) -> None:
    assert _reading(text) == (0, False)


@pytest.mark.parametrize(
    "text",
    [
        "great, no signal again",
        "love waiting 3 hours for a reply",
        "great, another delay",
    ],
)
def test_praise_of_a_real_problem_is_still_sarcasm(text: str) -> None:
    complaint, sarcasm = _reading(text)
    assert sarcasm and complaint > 0


@pytest.mark.parametrize(
    "text",
    [
        "Restarting does resolve the issue. Thanks.",
        "that fixed the issue, thank you Sam",
        "resetting the router solved the problem, cheers",
    ],
)
def test_a_fix_named_with_the_problem_takes_its_cue_back(text: str) -> None:
    complaint, _ = _reading(text)
    assert complaint <= 0
