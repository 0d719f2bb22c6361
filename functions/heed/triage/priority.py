"""How soon a person must look, and which team: the rules of issue 4 in one place."""

from __future__ import annotations

from heed.models import Intent, Priority
from heed.triage.cues import has_keyword
from heed.triage.text import Text

_P4_INTENTS = frozenset({Intent.PRAISE, Intent.SPAM, Intent.ABUSE})


def priority_of(
    intent: Intent, *, urgent: bool, exposes_personal_data: bool, vip: bool, repeat_contact: bool
) -> Priority:
    if urgent or exposes_personal_data or (vip and intent is Intent.COMPLAINT):
        return Priority.P1
    if intent is Intent.COMPLAINT or vip or repeat_contact:
        return Priority.P2
    if intent in _P4_INTENTS:
        return Priority.P4
    return Priority.P3


def route_team(text: Text, teams: dict[str, list[str]]) -> str | None:
    """The first team (in policy order) one of whose keywords appears."""
    for team, keywords in teams.items():
        if has_keyword(text, tuple(keywords)):
            return team
    return None
