"""Small builders for the acknowledgment tests: a mention, a triage, a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime

from heed.models import Author, Intent, Mention, PersonalDataFinding, Platform, Sentiment, Triage, Visibility
from heed.settings import _REPO_TEMPLATES

REPO_TEMPLATES = _REPO_TEMPLATES
NOW = datetime(2026, 11, 22, 11, 0, tzinfo=UTC)  # Sunday noon in Madrid


def mention(
    *,
    platform: Platform = Platform.FACEBOOK,
    visibility: Visibility = Visibility.PUBLIC,
    name: str | None = "Lucía Gómez",
    handle: str | None = "lucia_g",
    text: str = "My internet has been down since Monday",
) -> Mention:
    return Mention(
        platform=platform,
        message_id="m-1",
        thread_id="t-1",
        account_id="page-1",
        author=Author(id="u-1", name=name, handle=handle),
        text=text,
        visibility=visibility,
        kind="comment" if visibility is Visibility.PUBLIC else "direct_message",
        created_at=NOW,
    )


def triage(
    intent: Intent = Intent.COMPLAINT,
    *,
    language: str = "en",
    needs_response: bool = True,
    intents: list[Intent] | None = None,
    personal_data: list[PersonalDataFinding] | None = None,
) -> Triage:
    return Triage(
        language=language,
        intent=intent,
        needs_response=needs_response,
        confidence=0.9,
        sentiment=Sentiment.NEGATIVE if intent is Intent.COMPLAINT else Sentiment.NEUTRAL,
        sentiment_score=-0.6 if intent is Intent.COMPLAINT else 0.0,
        intents=intents if intents is not None else [intent],
        personal_data=personal_data or [],
    )


CARD_FINDING = PersonalDataFinding(kind="card", start=10, end=29)
