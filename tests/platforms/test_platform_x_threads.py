"""X thread identity: one thread (so one task) per conversation and customer, the same whether a post
arrives by Account Activity webhook (v1.1 objects) or by polling (v2 objects)."""

from __future__ import annotations

import json
from typing import Any

import responses
from heed.models import Mention, Platform, Sender
from heed.platforms.registry import reply_client, webhook_adapter
from heed.platforms.x import MENTION_KIND, conversation_is_inferred, mention_from_v2
from heed.settings import Settings
from platform_givens import NOW, SECRETS, X_API, api_session, fixture_bytes, fixture_json, request, sent_json

BRAND = "2244994945"
OUTAGE_POST = "1860000000000000400"  # the brand's announcement the customers answer
MARTA, RAVI, JON = "6253282", "3141592", "5550001"


def hooked(fixture: str) -> dict[str, Mention]:
    delivery = webhook_adapter("x").parse(request(fixture_bytes(fixture)))
    return {m.message_id: m for m in delivery.mentions}


def polled(fixture: str) -> dict[str, Mention]:
    page = fixture_json(fixture)
    users = {u["id"]: u for u in page["includes"]["users"]}
    return {
        post["id"]: mention_from_v2(post, users, brand_id=BRAND, kind=MENTION_KIND, fallback=NOW)
        for post in page["data"]
    }


def test_three_customers_answering_one_brand_post_are_three_threads() -> None:
    # Given Marta, Ravi and Jon each answering the brand's outage announcement
    webhook, polling = hooked("x_outage_replies.json"), polled("x_v2_outage_replies.json")
    for mentions in (webhook, polling):
        firsts = [mentions[i] for i in ("1860000000000000401", "1860000000000000402", "1860000000000000403")]
        # Then each has a thread of their own in that conversation: three tasks, three acknowledgments
        assert [m.thread_id for m in firsts] == [f"{OUTAGE_POST}:{c}" for c in (MARTA, RAVI, JON)]
        assert len({m.thread_key for m in firsts}) == 3


def test_a_customers_second_post_in_the_conversation_continues_their_thread() -> None:
    webhook, polling = hooked("x_outage_replies.json"), polled("x_v2_outage_replies.json")
    # Ravi answers the announcement twice: the same thread by either route
    for mentions in (webhook, polling):
        assert mentions["1860000000000000406"].thread_key == mentions["1860000000000000402"].thread_key
    # Marta answers Heed's acknowledgment: X's conversation id puts it on her first thread
    assert polling["1860000000000000405"].thread_key == webhook["1860000000000000401"].thread_key


def test_a_customer_answering_the_acknowledgment_of_their_own_mention_stays_on_its_thread() -> None:
    # Given Marta's mention (an original post), the brand's answer, and Marta's reply to that answer
    first = hooked("x_tweet_create_events.json")["1860000000000000001"]
    again = polled("x_v2_mentions.json")["1860000000000000005"]
    # Then her reply, in the conversation her mention started, is on her mention's thread
    assert first.thread_id == f"1860000000000000001:{MARTA}"
    assert again.thread_key == first.thread_key and again.parent_id == "1860000000000000002"


def test_a_brand_persons_reply_lands_on_the_thread_of_the_customer_it_answers() -> None:
    # Lucia (a person at the brand, on X) answers Marta's mention: by webhook...
    first, lucia = (
        hooked("x_tweet_create_events.json")[i] for i in ("1860000000000000001", "1860000000000000002")
    )
    assert lucia.sender is Sender.BRAND and lucia.thread_key == first.thread_key
    # ...and answers Ravi under the announcement, polled (v2): the customer is the user she replied to
    v2_reply = {
        "id": "1860000000000000407",
        "author_id": BRAND,
        "conversation_id": OUTAGE_POST,
        "in_reply_to_user_id": RAVI,
        "referenced_tweets": [{"type": "replied_to", "id": "1860000000000000402"}],
        "text": "@ravi_k Sorry Ravi, Chamberi should be back within the hour. ^Lucia",
    }
    to_ravi = mention_from_v2(v2_reply, {}, brand_id=BRAND, kind=MENTION_KIND, fallback=NOW)
    assert to_ravi.sender is Sender.BRAND
    assert to_ravi.thread_key == hooked("x_outage_replies.json")["1860000000000000402"].thread_key


def test_the_brands_own_announcement_is_on_no_customers_thread() -> None:
    announcement = hooked("x_outage_replies.json")[OUTAGE_POST]
    assert announcement.sender is Sender.BRAND and announcement.thread_id == f"{OUTAGE_POST}:{BRAND}"


def test_polling_and_the_webhook_give_the_same_thread_to_the_same_post() -> None:
    webhook, polling = hooked("x_outage_replies.json"), polled("x_v2_outage_replies.json")
    webhook |= hooked("x_tweet_create_events.json")
    polling |= polled("x_v2_mentions.json")
    reply_to_a_reply = "1860000000000000405"  # its v1.1 object cannot say which conversation: below
    both = sorted(set(webhook) & set(polling) - {reply_to_a_reply})
    assert len(both) == 5
    for post_id in both:
        assert webhook[post_id].thread_key == polling[post_id].thread_key, post_id


def test_a_webhook_reply_names_its_conversation_after_its_parent_and_says_so() -> None:
    # Account Activity sends v1.1 objects: no conversation_id, and a reply names only its parent.
    # The parent is the root when it is an original post (Ravi answering the announcement)...
    webhook, polling = hooked("x_outage_replies.json"), polled("x_v2_outage_replies.json")
    assert webhook["1860000000000000402"].thread_id == f"{OUTAGE_POST}:{RAVI}"
    # ...but not for Marta answering Heed's acknowledgment, nor for Lucia answering Ravi's reply:
    # those threads are marked, so Heed's records of the parent post can put them right.
    marta, lucia = webhook["1860000000000000405"], webhook["1860000000000000407"]
    assert marta.thread_id == f"1860000000000000404:{MARTA}" and conversation_is_inferred(marta)
    assert lucia.thread_id == f"1860000000000000402:{RAVI}" and conversation_is_inferred(lucia)
    # An original post, every v2 post and every DM know their conversation for sure
    assert not conversation_is_inferred(webhook[OUTAGE_POST])
    assert not any(conversation_is_inferred(m) for m in polling.values())
    assert not any(conversation_is_inferred(m) for m in hooked("x_direct_message_events.json").values())


def test_a_v11_post_that_carries_its_conversation_id_uses_it() -> None:
    body: dict[str, Any] = {
        "for_user_id": BRAND,
        "tweet_create_events": [
            {
                "id_str": "1860000000000000405",
                "conversation_id": OUTAGE_POST,
                "text": "@acmetelecom still nothing",
                "in_reply_to_status_id_str": "1860000000000000404",
                "in_reply_to_user_id_str": BRAND,
                "user": {"id_str": MARTA, "screen_name": "martaruiz"},
            }
        ],
    }
    (mention,) = webhook_adapter("x").parse(request(json.dumps(body).encode())).mentions
    assert mention.thread_id == f"{OUTAGE_POST}:{MARTA}" and not conversation_is_inferred(mention)


def test_two_dms_from_one_customer_are_one_thread() -> None:
    body = fixture_json("x_direct_message_events.json")
    later = {
        **body["direct_message_events"][0],
        "id": "1860000000000000110",
        "created_timestamp": "1795342000000",
    }
    body["direct_message_events"] = [body["direct_message_events"][0], later]
    first, second = webhook_adapter("x").parse(request(json.dumps(body).encode())).mentions
    assert first.message_id != second.message_id
    assert first.thread_key == second.thread_key == f"x#dm:{MARTA}"


@responses.activate
def test_the_reply_goes_under_the_customers_own_post_not_the_thread() -> None:
    # Given Ravi's second post, on a thread named after the conversation
    again = hooked("x_outage_replies.json")["1860000000000000406"]
    assert again.thread_id != again.message_id
    settings = Settings(
        HEED_TABLE_NAME="t", HEED_QUEUE_URL="q", HEED_ALERT_TOPIC_ARN="a", HEED_SECRET_NAME="s"
    )
    x = reply_client(Platform.X, api_session("x"), SECRETS, settings)
    responses.post(f"{X_API}/2/tweets", status=201, json={"data": {"id": "1860000000000000450"}})
    responses.post(
        f"{X_API}/2/dm_conversations/with/{RAVI}/messages",
        status=201,
        json={"data": {"dm_event_id": "1860000000000000451"}},
    )
    # When Heed answers him in public and in private
    x.reply_public(again, "On it, Ravi")
    x.reply_private(again, "Could you DM us your address?")
    # Then the public reply answers his post and the DM goes to him
    assert sent_json(responses.calls[0])["reply"] == {"in_reply_to_tweet_id": "1860000000000000406"}
    assert responses.calls[1].request.url == f"{X_API}/2/dm_conversations/with/{RAVI}/messages"
