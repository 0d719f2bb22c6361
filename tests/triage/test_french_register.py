"""The French everyday register of outage threads and listening posts (fresh customer-care sample of
2026-11-30, README "Customer-care tweets, sample C"): complaints with no emotion word, stated as a
fact, an order to the brand or a count of days, in SMS spelling and without a handle. Checked on the
rules' own findings (a model retrain does not move these) and, for the clearest, on the whole triage.
Every sentence is written for this test; none is taken from the sample."""

from __future__ import annotations

import pytest
from heed.models import Intent
from heed.triage import cues, register, triage
from heed.triage.intent import find_cues
from heed.triage.text import read

PLAIN_COMPLAINTS = [
    "ça capte plus du tout chez moi",
    "c'est infernal, ça ne fait que sauter",
    "franchement quelle incompétence",
    "wsh faut remettre la co là",
    "votre appli qui beug toutes les 10 minutes, c'est normal ?",
    "ça fait 3 ans qu'on nous mène en bateau pour la fibre",
    "jamais là quand on a besoin de vous",
    "remettez internet svp, on bosse nous",
    "plus de télé ni de téléphone depuis dimanche",
    "ça rame depuis 18h, impossible de jouer",
    "aucune nouvelle du technicien, on fait comment ?",
    "la box redémarre en boucle",
    "c'est n'importe quoi ce réseau",
    "bougez-vous un peu, 5 jours sans fibre",
]
# general posts and sincere ones with the same words: no complaint cue
NO_COMPLAINT = [
    "merci, la connexion est revenue 👍",
    "comment je fais pour changer d'offre ?",
    "on a fait une balade en bateau ce week-end",
    "le match d'hier était incroyable",
]
# the English counterparts found in the same sample: a plea to stop, a rhetorical expectation
EN_PLAIN_COMPLAINTS = [
    "can you stop texting me every hour",
    "please stop sending me these emails",
    "do you expect people to stand for three hours?",
    # about to leave, or waiting for the end of a case, with no problem word
    "thinking of switching to another provider after this week",
    "going to see what other companies offer",
    "still hoping for a resolution on my case",
    "where are the rest of my photos?",
    "me voy a la competencia, ya está",
    "je vais partir chez un autre opérateur",
]


def _complaint_cues(text: str) -> int:
    """The rules' count of complaint cues (guards such as "no problem" taken off)."""
    read_text = read(text)
    return find_cues(read_text, register.refine(read_text, cues.find(read_text))).complaint


@pytest.mark.parametrize("text", PLAIN_COMPLAINTS + EN_PLAIN_COMPLAINTS)
def test_plain_complaints_of_the_everyday_register_carry_a_complaint_cue(text: str) -> None:
    assert _complaint_cues(text)


@pytest.mark.parametrize("text", NO_COMPLAINT)
def test_sincere_and_general_posts_with_the_same_words_carry_none(text: str) -> None:
    assert not _complaint_cues(text)


@pytest.mark.parametrize(
    "text",
    [
        "ça capte plus du tout chez moi",
        "franchement quelle incompétence",
        "jamais là quand on a besoin de vous",
        "ça fait 3 ans qu'on nous mène en bateau pour la fibre",
    ],
)
def test_the_whole_triage_reads_them_as_complaints_that_need_a_person(text: str) -> None:
    reading = triage(text)
    assert reading.intent is Intent.COMPLAINT
    assert reading.needs_response


@pytest.mark.parametrize(
    "text",
    ["aucune coupure depuis le changement de box, top", "merci c'est réglé, ça remarche nickel 👍"],
)
def test_sincere_thanks_that_name_a_past_problem_stay_praise(text: str) -> None:
    assert triage(text).intent is Intent.PRAISE
