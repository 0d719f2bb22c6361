"""The optional Comprehend backend refines local triage and never blocks it."""

from __future__ import annotations

import boto3
from botocore.exceptions import EndpointConnectionError
from botocore.stub import Stubber
from heed.models import Priority, Sentiment
from heed.triage import triage
from heed.triage.comprehend import ComprehendTriage


def comprehend_client() -> tuple[object, Stubber]:
    client = boto3.client("comprehend", region_name="us-east-1")
    return client, Stubber(client)


def test_comprehend_adds_personal_data_the_local_rules_did_not_see() -> None:
    # Given a question whose local triage finds no personal data
    text = "Hi, can you check why my account shows the wrong address? My password is hunter2, thanks"
    local = triage(text)
    client, stub = comprehend_client()
    stub.add_response(
        "detect_sentiment",
        {
            "Sentiment": "NEUTRAL",
            "SentimentScore": {"Positive": 0.1, "Negative": 0.2, "Neutral": 0.7, "Mixed": 0.0},
        },
        {"Text": text, "LanguageCode": "en"},
    )
    start = text.index("hunter2")
    stub.add_response(
        "detect_pii_entities",
        {"Entities": [{"Score": 0.99, "Type": "PASSWORD", "BeginOffset": start, "EndOffset": start + 7}]},
        {"Text": text, "LanguageCode": "en"},
    )
    # When the Comprehend backend triages it
    with stub:
        result = ComprehendTriage(client, triage)(text)
    # Then the password is an exposed account reference, the mention is P1, and nothing of the value is kept
    assert not any(f.kind == "account_reference" for f in local.personal_data)
    assert [(f.kind, f.start, f.end) for f in result.personal_data if f.detail == "comprehend:password"] == [
        ("account_reference", start, start + 7)
    ]
    assert result.priority is Priority.P1 and result.needs_response
    assert "hunter2" not in result.model_dump_json()


def test_a_complaint_stays_negative_whatever_the_general_model_says() -> None:
    text = "Third time this week the app logs me out. Fix it."
    client, stub = comprehend_client()
    stub.add_response(
        "detect_sentiment",
        {
            "Sentiment": "NEUTRAL",
            "SentimentScore": {"Positive": 0.1, "Negative": 0.3, "Neutral": 0.6, "Mixed": 0.0},
        },
    )
    stub.add_response("detect_pii_entities", {"Entities": []})
    with stub:
        result = ComprehendTriage(client, triage)(text)
    assert result.intent.value == "complaint" and result.sentiment is Sentiment.NEGATIVE


def test_comprehend_unavailable_falls_back_to_local_triage() -> None:
    # Given Comprehend cannot be reached
    text = "Merci beaucoup, le technicien était génial !"
    client, stub = comprehend_client()
    stub.add_client_error("detect_sentiment", service_error_code="ThrottlingException", http_status_code=400)
    errors: list[Exception] = []
    # When triage runs
    with stub:
        result = ComprehendTriage(client, triage, on_error=errors.append)(text)
    # Then the local answer stands and the error was reported
    assert result == triage(text)
    assert len(errors) == 1


def test_unreachable_endpoint_is_a_fallback_too() -> None:
    class Down:
        def detect_sentiment(self, **kwargs: object) -> dict:
            raise EndpointConnectionError(endpoint_url="https://comprehend.us-east-1.amazonaws.com")

    text = "Where is my parcel? It was due yesterday"
    assert ComprehendTriage(Down(), triage)(text) == triage(text)
