"""Heed's echo marker for a new thread's reply is written on the thread's header (no item of its own),
where the echo comes back: in the thread, or as a direct reply to the thread's post. An answer whose
echo may land elsewhere (a private reply, a Facebook @mention that Facebook attaches higher up) keeps
an ECHO item of its own. Either way a person's clock is never stopped by Heed's own words."""

from __future__ import annotations

import json
from typing import Any

import pytest
import responses
from heed.models import Author, Mention, Platform, Sender

from tests.respond.world import GRAPH, MONDAY_10_MADRID, PAGE, World, brand_comment, comment


@pytest.fixture
def world(table: Any) -> World:
    return World(table)


def _page_comment(message_id: str, *, thread: str, parent: str, text: str) -> Mention:
    """A comment by the brand's page as Facebook's feed webhook delivers it (Heed's echo)."""
    return Mention(
        platform=Platform.FACEBOOK,
        message_id=message_id,
        thread_id=thread,
        parent_id=parent,
        account_id=PAGE,
        author=Author(id=PAGE),
        text=text,
        sender=Sender.BRAND,
        created_at=MONDAY_10_MADRID,
    )


def _echo_items(world: World) -> list[Any]:
    return [i for i in world.table.scan()["Items"] if str(i["pk"]).startswith("ECHO#")]


@responses.activate
def test_a_comment_threads_echo_is_found_on_its_header_before_the_reply_is_recorded(world: World) -> None:
    responder = world.responder()
    mention = comment()
    seen: list[str] = []

    def echo_first(request: Any) -> Any:
        echo = brand_comment(json.loads(request.body)["message"], reply_to=mention, message_id="555_1_r1")
        seen.append(responder.handle(echo, now=MONDAY_10_MADRID).status)
        return 200, {}, json.dumps({"id": "555_1_r1"})

    responses.add_callback(responses.POST, f"{GRAPH}/555_1/comments", callback=echo_first)
    responder.handle(mention, now=MONDAY_10_MADRID)
    assert seen == ["own_reply"] and _echo_items(world) == []
    assert world.task_of(mention).first_response_at is None


@responses.activate
def test_a_visitor_posts_echo_comes_back_as_a_comment_under_the_post_and_is_recognised(world: World) -> None:
    responder = world.responder()
    post = comment(text="Your shop in Gran Via charged me twice and nobody answers the phone").model_copy(
        update={"message_id": "9_1", "thread_id": "9_1", "kind": "post"}
    )
    seen: list[str] = []

    def echo_first(request: Any) -> Any:
        # Facebook makes the page's reply a top-level comment of the post: a thread of its own,
        # whose parent is the post
        echo = _page_comment(
            "9_1_c7", thread="9_1_c7", parent="9_1", text=json.loads(request.body)["message"]
        )
        seen.append(responder.handle(echo, now=MONDAY_10_MADRID).status)
        return 200, {}, json.dumps({"id": "9_1_c7"})

    responses.add_callback(responses.POST, f"{GRAPH}/9_1/comments", callback=echo_first)
    responder.handle(post, now=MONDAY_10_MADRID)
    assert seen == ["own_reply"] and _echo_items(world) == []


@responses.activate
def test_an_answer_to_an_at_mention_keeps_an_echo_item_and_its_flattened_echo_is_recognised(
    world: World,
) -> None:
    responder = world.responder()
    # The page @-mentioned in a reply to someone's comment (thread: that nested comment)
    mention = comment(text="@SkyLink my router has been dead for a week, help").model_copy(
        update={"message_id": "9_2_n5", "thread_id": "9_2_n5", "kind": "mention"}
    )
    seen: list[str] = []

    def echo_first(request: Any) -> Any:
        # Facebook attaches the page's reply under the top comment, another thread
        echo = _page_comment(
            "9_2_c9", thread="9_2_top", parent="9_2_top", text=json.loads(request.body)["message"]
        )
        seen.append(responder.handle(echo, now=MONDAY_10_MADRID).status)
        return 200, {}, json.dumps({"id": "9_2_c9"})

    responses.add_callback(responses.POST, f"{GRAPH}/9_2_n5/comments", callback=echo_first)
    responder.handle(mention, now=MONDAY_10_MADRID)
    assert seen == ["own_reply"] and len(_echo_items(world)) == 1
