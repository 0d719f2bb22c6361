"""How a mention found by listening is marked: X keyword and hashtag search, and the generic webhook
when the integrator says so. The respond path's listening etiquette reads this mark."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any

import pytest
import responses
from heed.ingest.queue import send_mentions
from heed.models import FoundBy, Mention
from heed.platforms.base import MalformedPayload, PlatformSecrets, WebhookRequest
from heed.platforms.generic import GenericWebhook, sign
from heed.platforms.http import ApiSession, RetryPolicy
from heed.policy import ListeningPolicy
from heed.polling.x_search import poll_x

from tests.respond.test_confidence_and_listening import ROOT

NOW = datetime(2026, 11, 22, 10, 30, tzinfo=UTC)
X_API = "https://api.x.com"
BRAND = "2244994945"
FIXTURES = ROOT / "tests" / "fixtures" / "platforms"
SECRET = "whsec_" + base64.b64encode(b"found-by-secret").decode()


def queued(queue: tuple[Any, str]) -> list[Mention]:
    sqs, url = queue
    found: list[Mention] = []
    while got := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
        found += [Mention.model_validate(json.loads(m["Body"])["mention"]) for m in got]
        for m in got:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    return found


@responses.activate
def test_x_search_posts_are_found_by_listening_and_mentions_are_not(table: Any, queue: Any) -> None:
    # Given X answering the mentions timeline with two posts and the keyword search with one
    responses.get(
        f"{X_API}/2/users/{BRAND}/mentions",
        json=json.loads((FIXTURES / "x_v2_mentions.json").read_text()),
    )
    responses.get(
        f"{X_API}/2/tweets/search/recent", json=json.loads((FIXTURES / "x_v2_search.json").read_text())
    )
    sqs, url = queue
    # When the poller runs
    poll_x(
        api=ApiSession(
            platform="x",
            retry=RetryPolicy(attempts=1, base_delay=0.01, max_delay=0.02, timeout=1.0),
            sleep=lambda _: None,
            remaining_seconds=lambda: 900.0,
            clock=lambda: NOW.timestamp(),
        ),
        api_base=X_API,
        bearer_token="x-bearer",
        brand_id=BRAND,
        listening=ListeningPolicy(keywords=["acme telecom"]),
        table=table,
        send=lambda mentions: send_mentions(sqs, url, mentions),
        now=NOW,
    )
    # Then what the search found is marked as found by listening, through the queue
    by_id = {m.message_id: m.found_by for m in queued(queue)}
    assert by_id == {
        "1860000000000000001": FoundBy.MENTION,
        "1860000000000000005": FoundBy.MENTION,
        "1860000000000000200": FoundBy.LISTENING,
    }


def delivery(data: dict[str, Any]) -> WebhookRequest:
    body = json.dumps({"type": "mention.created", "data": data}).encode()
    stamp = int(NOW.timestamp())
    return WebhookRequest(
        method="POST",
        headers={
            "webhook-id": "msg-1",
            "webhook-timestamp": str(stamp),
            "webhook-signature": sign(SECRET, "msg-1", stamp, body),
        },
        query={},
        body=body,
        received_at=NOW,
    )


ITEM = {"id": "p-1", "text": "acme is down again", "source": "brandwatch", "author": {"id": "u-1"}}


@pytest.mark.parametrize(
    ("extra", "expected"),
    [({}, FoundBy.MENTION), ({"found_by": "listening"}, FoundBy.LISTENING)],
)
def test_the_generic_webhook_marks_listening_when_the_integrator_says_so(
    extra: dict[str, Any], expected: FoundBy
) -> None:
    request = delivery({**ITEM, **extra})
    GenericWebhook().verify(request, PlatformSecrets(generic_webhook_secret=SECRET))
    (found,) = GenericWebhook().parse(request).mentions
    assert found.found_by is expected
    assert found.listening_source == "brandwatch"


def test_the_generic_webhook_refuses_an_unknown_found_by() -> None:
    with pytest.raises(MalformedPayload, match="found_by"):
        GenericWebhook().parse(delivery({**ITEM, "found_by": "scraping"}))


def test_a_platform_mention_names_its_platform_as_its_listening_source() -> None:
    m = Mention.model_validate(
        {
            "platform": "x",
            "message_id": "1",
            "thread_id": "1",
            "account_id": BRAND,
            "author": {"id": "u"},
            "text": "hi",
            "kind": "keyword",
            "created_at": NOW.isoformat(),
        }
    )
    assert m.found_by is FoundBy.MENTION and m.listening_source == "x"
