"""Every reply path, recorded with `responses`: URL, method, body; and the answers that mean
"wait" (rate limits) or "a person must act" (permanent refusals)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import responses
from heed.models import Mention, Platform
from heed.platforms.base import ReplyClient
from heed.platforms.http import DeliveryUncertain, PermanentRefusal, RateLimited
from heed.platforms.registry import hydrate, reply_client, webhook_adapter
from heed.settings import Settings
from platform_givens import GRAPH, NOW, SECRETS, X_API, api_session, fixture_bytes, request, sent_json

SETTINGS = Settings(HEED_TABLE_NAME="t", HEED_QUEUE_URL="q", HEED_ALERT_TOPIC_ARN="a", HEED_SECRET_NAME="s")


def mentions_of(route: str, fixture: str) -> list[Mention]:
    return webhook_adapter(route).parse(request(fixture_bytes(fixture))).mentions


def client(platform: Platform, *, sleeps: list[float] | None = None, remaining: float = 900.0) -> ReplyClient:
    api = api_session(platform.value, sleeps=sleeps, remaining=remaining)
    made = reply_client(platform, api, SECRETS, SETTINGS)
    if hasattr(made, "send"):
        made.send._clock = lambda: NOW
    if hasattr(made, "_clock"):
        made._clock = lambda: NOW
    return made


def fresh(mention: Mention) -> Mention:
    return mention.model_copy(update={"created_at": NOW - timedelta(minutes=5)})


# ---- Instagram ---------------------------------------------------------------------------------


@responses.activate
def test_instagram_public_reply_goes_under_the_top_comment_of_the_thread() -> None:
    reply = mentions_of("instagram", "instagram_comments.json")[2]  # a reply under the first comment
    responses.post(f"{GRAPH}/17865799348089039/replies", json={"id": "17870000000000001"})
    posted = client(Platform.INSTAGRAM).reply_public(reply, "Thanks, we're on it")
    call = responses.calls[0]
    assert call.request.method == "POST" and call.request.headers["Authorization"] == "Bearer page-token"
    assert sent_json(call) == {"message": "Thanks, we're on it"}
    assert posted.platform_message_id == "17870000000000001"


@responses.activate
def test_instagram_private_reply_to_a_comment_uses_the_send_api_with_the_comment_id() -> None:
    comment = mentions_of("instagram", "instagram_comments.json")[0]
    responses.post(f"{GRAPH}/me/messages", json={"recipient_id": "232323232", "message_id": "mid.1"})
    posted = client(Platform.INSTAGRAM).reply_private(comment, "We've sent you a DM")
    assert sent_json(responses.calls[0]) == {
        "recipient": {"comment_id": "17865799348089039"},
        "messaging_type": "RESPONSE",
        "message": {"text": "We've sent you a DM"},
    }
    assert posted.platform_message_id == "mid.1"


@responses.activate
def test_instagram_hide_posts_hide_true_on_the_comment() -> None:
    comment = mentions_of("instagram", "instagram_comments.json")[0]
    responses.post(f"{GRAPH}/17865799348089039", json={"success": True})
    assert client(Platform.INSTAGRAM).hide(comment) is True
    assert sent_json(responses.calls[0]) == {"hide": True}


@responses.activate
def test_a_refused_instagram_hide_is_reported_as_not_hidden_not_as_a_failed_reply() -> None:
    comment = mentions_of("instagram", "instagram_comments.json")[0]
    responses.post(
        f"{GRAPH}/17865799348089039",
        status=400,
        json={"error": {"message": "Unsupported post request", "type": "GraphMethodException", "code": 100}},
    )
    assert client(Platform.INSTAGRAM).hide(comment) is False


@responses.activate
def test_an_instagram_mention_gets_its_text_fetched_before_triage() -> None:
    # Given a queued @mention with only ids
    mention = mentions_of("instagram", "instagram_mentions.json")[0]
    responses.get(
        f"{GRAPH}/17841405822304914",
        json={
            "mentioned_comment": {
                "timestamp": "2026-11-22T09:58:00+0000",
                "text": "@acmetelecom my bill doubled this month",
                "id": "17894227972186120",
            },
            "id": "17841405822304914",
        },
    )
    # When the respond path hydrates it
    full = hydrate(mention, lambda platform: client(platform))
    # Then the text and time come from the mentioned comment
    assert full.text == "@acmetelecom my bill doubled this month"
    assert full.created_at.isoformat() == "2026-11-22T09:58:00+00:00"
    call = responses.calls[0]
    assert call.request.method == "GET"
    assert "fields=mentioned_comment.comment_id%2817894227972186120%29" in call.request.url


def test_mentions_with_their_text_and_other_kinds_are_not_fetched_again() -> None:
    comment = mentions_of("instagram", "instagram_comments.json")[0]
    assert hydrate(comment, lambda platform: pytest.fail("no client needed")) is comment


@responses.activate
def test_an_instagram_mention_is_answered_through_the_mentions_edge_and_never_privately() -> None:
    mention = mentions_of("instagram", "instagram_mentions.json")[0].model_copy(update={"text": "hi"})
    responses.post(f"{GRAPH}/17841405822304914/mentions", json={"id": "17870000000000002"})
    instagram = client(Platform.INSTAGRAM)
    instagram.reply_public(mention, "Hi! Sending you details")
    assert sent_json(responses.calls[0]) == {
        "media_id": "17918195224117851",
        "comment_id": "17894227972186120",
        "message": "Hi! Sending you details",
    }
    with pytest.raises(PermanentRefusal):
        instagram.reply_private(mention, "private")
    assert instagram.hide(mention) is False


@responses.activate
def test_an_instagram_dm_is_answered_with_the_send_api_inside_the_window() -> None:
    dm = fresh(mentions_of("instagram", "instagram_messaging.json")[0])
    responses.post(f"{GRAPH}/me/messages", json={"recipient_id": "1277112223334445", "message_id": "mid.2"})
    posted = client(Platform.INSTAGRAM).reply_public(dm, "Hi! Sure")
    assert sent_json(responses.calls[0]) == {
        "recipient": {"id": "1277112223334445"},
        "messaging_type": "RESPONSE",
        "message": {"text": "Hi! Sure"},
    }
    assert posted.visibility.value == "private"


# ---- Messenger ---------------------------------------------------------------------------------


@responses.activate
def test_a_messenger_reply_is_a_response_to_the_customers_psid_from_the_page() -> None:
    dm = fresh(mentions_of("messenger", "messenger_messaging.json")[0])
    responses.post(
        f"{GRAPH}/104729385610001/messages", json={"recipient_id": "6123456789012345", "message_id": "m_1"}
    )
    posted = client(Platform.MESSENGER).reply_private(dm, "Sorry! Checking now")
    assert sent_json(responses.calls[0]) == {
        "recipient": {"id": "6123456789012345"},
        "messaging_type": "RESPONSE",
        "message": {"text": "Sorry! Checking now"},
    }
    assert posted.platform_message_id == "m_1"


@responses.activate
def test_a_messenger_message_older_than_24_hours_is_refused_without_calling_meta() -> None:
    dm = mentions_of("messenger", "messenger_messaging.json")[0].model_copy(
        update={"created_at": NOW - timedelta(hours=25)}
    )
    with pytest.raises(PermanentRefusal, match="window"):
        client(Platform.MESSENGER).reply_private(dm, "late")
    assert len(responses.calls) == 0


@responses.activate
def test_meta_saying_the_window_closed_is_a_permanent_refusal() -> None:
    dm = fresh(mentions_of("messenger", "messenger_messaging.json")[0])
    responses.post(
        f"{GRAPH}/104729385610001/messages",
        status=400,
        json={
            "error": {
                "message": "(#10) This message is sent outside of allowed window.",
                "type": "OAuthException",
                "code": 10,
                "error_subcode": 2018278,
                "fbtrace_id": "AbCd",
            }
        },
    )
    with pytest.raises(PermanentRefusal) as refused:
        client(Platform.MESSENGER).reply_private(dm, "hello")
    assert refused.value.code == 10 and len(responses.calls) == 1


# ---- WhatsApp ----------------------------------------------------------------------------------


@responses.activate
def test_a_whatsapp_reply_is_a_text_message_from_the_business_number_quoting_the_customer() -> None:
    message = fresh(mentions_of("whatsapp", "whatsapp_messages.json")[0])
    responses.post(
        f"{GRAPH}/106540352242922/messages",
        json={
            "messaging_product": "whatsapp",
            "contacts": [{"input": "16505551234", "wa_id": "16505551234"}],
            "messages": [{"id": "wamid.reply1"}],
        },
    )
    posted = client(Platform.WHATSAPP).reply_private(message, "Yes, in blue and red!")
    call = responses.calls[0]
    assert call.request.headers["Authorization"] == "Bearer wa-token"
    assert sent_json(call) == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "16505551234",
        "context": {"message_id": message.message_id},
        "type": "text",
        "text": {"preview_url": False, "body": "Yes, in blue and red!"},
    }
    assert posted.platform_message_id == "wamid.reply1"


@responses.activate
def test_a_whatsapp_conversation_past_the_service_window_is_refused() -> None:
    message = mentions_of("whatsapp", "whatsapp_messages.json")[0]  # from 2025
    with pytest.raises(PermanentRefusal, match="24-hour"):
        client(Platform.WHATSAPP).reply_private(message, "late")
    assert len(responses.calls) == 0


@responses.activate
def test_whatsapp_throughput_limit_is_a_rate_limit() -> None:
    message = fresh(mentions_of("whatsapp", "whatsapp_messages.json")[0])
    responses.post(
        f"{GRAPH}/106540352242922/messages",
        status=400,
        json={"error": {"message": "Rate limit hit", "type": "OAuthException", "code": 130429}},
    )
    with pytest.raises(RateLimited):
        client(Platform.WHATSAPP, remaining=5.0).reply_private(message, "hi")


# ---- X -----------------------------------------------------------------------------------------


@responses.activate
def test_an_x_mention_is_answered_with_a_reply_post() -> None:
    post = mentions_of("x", "x_tweet_create_events.json")[0]
    responses.post(f"{X_API}/2/tweets", status=201, json={"data": {"id": "1860000000000000050", "text": "…"}})
    posted = client(Platform.X).reply_public(post, "Sorry Marta! Checking ^L")
    call = responses.calls[0]
    assert call.request.headers["Authorization"] == "Bearer x-user-token"
    assert sent_json(call) == {
        "text": "Sorry Marta! Checking ^L",
        "reply": {"in_reply_to_tweet_id": "1860000000000000001"},
    }
    assert posted.platform_message_id == "1860000000000000050"


@responses.activate
def test_an_x_dm_and_a_private_reply_to_a_post_go_to_the_dm_conversation_with_the_customer() -> None:
    post = mentions_of("x", "x_tweet_create_events.json")[0]
    dm = mentions_of("x", "x_direct_message_events.json")[0]
    url = f"{X_API}/2/dm_conversations/with/6253282/messages"
    responses.post(
        url, status=201, json={"data": {"dm_conversation_id": "1-2", "dm_event_id": "1860000000000000300"}}
    )
    x = client(Platform.X)
    assert x.reply_private(post, "DM me").platform_message_id == "1860000000000000300"
    assert x.reply_public(dm, "On it").visibility.value == "private"
    assert [sent_json(c) for c in responses.calls] == [{"text": "DM me"}, {"text": "On it"}]


@responses.activate
def test_x_hides_only_replies_and_a_refusal_is_not_a_failure() -> None:
    top = mentions_of("x", "x_tweet_create_events.json")[0]
    reply = top.model_copy(update={"parent_id": "1860000000000000000", "message_id": "1860000000000000077"})
    responses.put(f"{X_API}/2/tweets/1860000000000000077/hidden", json={"data": {"hidden": True}})
    x = client(Platform.X)
    assert x.hide(top) is False
    assert x.hide(reply) is True
    assert sent_json(responses.calls[0]) == {"hidden": True}


@responses.activate
def test_x_429_waits_until_the_reset_when_the_lambda_has_time() -> None:
    post = mentions_of("x", "x_tweet_create_events.json")[0]
    reset = str(int(NOW.timestamp()) + 4)
    responses.post(
        f"{X_API}/2/tweets",
        status=429,
        headers={"x-rate-limit-reset": reset},
        json={"title": "Too Many Requests"},
    )
    responses.post(f"{X_API}/2/tweets", status=201, json={"data": {"id": "9"}})
    sleeps: list[float] = []
    assert client(Platform.X, sleeps=sleeps).reply_public(post, "hi").platform_message_id == "9"
    assert sleeps == [5.0]


@responses.activate
def test_x_429_with_a_long_reset_goes_back_to_the_queue() -> None:
    post = mentions_of("x", "x_tweet_create_events.json")[0]
    reset = str(int(NOW.timestamp()) + 600)
    responses.post(f"{X_API}/2/tweets", status=429, headers={"x-rate-limit-reset": reset}, json={})
    with pytest.raises(RateLimited) as limited:
        client(Platform.X).reply_public(post, "hi")
    assert limited.value.retry_after == 601.0 and len(responses.calls) == 1


@responses.activate
def test_an_expired_x_token_is_a_permanent_refusal_with_the_platforms_reason() -> None:
    post = mentions_of("x", "x_tweet_create_events.json")[0]
    responses.post(
        f"{X_API}/2/tweets",
        status=401,
        json={"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"},
    )
    with pytest.raises(PermanentRefusal, match="Unauthorized") as refused:
        client(Platform.X).reply_public(post, "hi")
    assert refused.value.status == 401


# ---- shared retry rules (Meta) -----------------------------------------------------------------


@responses.activate
def test_meta_business_use_case_throttling_hands_back_with_metas_estimate() -> None:
    comment = mentions_of("instagram", "instagram_comments.json")[0]
    responses.post(
        f"{GRAPH}/17865799348089039/replies",
        status=400,
        headers={
            "X-Business-Use-Case-Usage": '{"17841405822304914":[{"type":"instagram","call_count":100,'
            '"total_cputime":25,"total_time":25,"estimated_time_to_regain_access":12}]}'
        },
        json={"error": {"message": "Application request limit reached", "code": 80002}},
    )
    with pytest.raises(RateLimited) as limited:
        client(Platform.INSTAGRAM).reply_public(comment, "hi")
    assert limited.value.retry_after == 720.0


@responses.activate
def test_a_transient_meta_error_on_a_read_is_retried_with_backoff() -> None:
    mention = mentions_of("instagram", "instagram_mentions.json")[0]
    url = f"{GRAPH}/17841405822304914"
    responses.get(url, status=500, json={"error": {"message": "An unknown error occurred", "code": 1}})
    responses.get(url, status=400, json={"error": {"message": "busy", "code": 2, "is_transient": True}})
    responses.get(
        url, json={"mentioned_comment": {"id": "1", "text": "hi", "timestamp": "2026-11-23T09:00:00+0000"}}
    )
    sleeps: list[float] = []
    assert hydrate(mention, lambda platform: client(platform, sleeps=sleeps)).text == "hi"
    assert len(responses.calls) == 3 and len(sleeps) == 2


@responses.activate
def test_a_5xx_after_a_reply_was_sent_is_uncertain_and_never_retried() -> None:
    # A 500 after the body went out proves nothing: Instagram may have published the reply.
    comment = mentions_of("instagram", "instagram_comments.json")[0]
    url = f"{GRAPH}/17865799348089039/replies"
    responses.post(url, status=500, json={"error": {"message": "An unknown error occurred", "code": 1}})
    responses.post(url, json={"id": "ok"})
    with pytest.raises(DeliveryUncertain):
        client(Platform.INSTAGRAM, sleeps=[]).reply_public(comment, "hi")
    assert len(responses.calls) == 1


@responses.activate
def test_a_deleted_comment_is_refused_once_not_retried() -> None:
    comment = mentions_of("instagram", "instagram_comments.json")[0]
    responses.post(
        f"{GRAPH}/17865799348089039/replies",
        status=400,
        json={
            "error": {
                "message": "Unsupported post request. Object does not exist",
                "code": 100,
                "error_subcode": 33,
            }
        },
    )
    with pytest.raises(PermanentRefusal) as refused:
        client(Platform.INSTAGRAM).reply_public(comment, "hi")
    assert refused.value.code == 100 and len(responses.calls) == 1
