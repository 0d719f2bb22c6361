"""The console's API on moto: inbox, task, actions under the signed-in person, replies checked and sent
at most once, two people on one task, customers and the report."""

from __future__ import annotations

from typing import Any

from heed.followup import tasks as followup
from heed.models import Platform, Visibility
from heed.platforms.http import DeliveryUncertain, RateLimited
from heed.storage import conversations

from tests.console.conftest import AGENT, LEAD, call, recent
from tests.followup.world import mention, triage


def opened(
    table: Any,
    brand: Any,
    n: int = 1,
    *,
    platform: Platform = Platform.FACEBOOK,
    minutes: float = 5,
    text: str | None = None,
    visibility: Visibility = Visibility.PUBLIC,
    customer_id: str | None = None,
    **triage_args: Any,
):
    """A customer's message, its conversation and the task Heed opened for it."""
    m = mention(
        n, at=recent(minutes), platform=platform, visibility=visibility, **({"text": text} if text else {})
    )
    customer = customer_id or f"C-{n}"
    task, _ = followup.open_for_mention(
        table, m, triage(**triage_args), brand, customer_id=customer, now=m.created_at
    )
    conversations.record_message(table, m, customer_id=customer, triage={"language": "en"})
    return task, m


def test_inbox_lists_active_tasks_by_deadline_with_counts_and_filters(ctx, table, brand, agent):
    first, _ = opened(table, brand, 1, minutes=30)
    second, _ = opened(table, brand, 2, platform=Platform.X, minutes=5, team="billing")
    status, body, _ = call(ctx, "GET", "/console/api/inbox", token=agent)
    assert status == 200
    assert [t["task_id"] for t in body["tasks"]] == [first.task_id, second.task_id]  # soonest deadline first
    assert body["counts"]["all"] == 2 and body["counts"]["unassigned"] == 2 and body["counts"]["mine"] == 0
    assert body["counts"]["platform"] == {"facebook": 1, "x": 1}
    assert body["tasks"][0]["sla"]["clock"] == "first_response"
    assert isinstance(body["tasks"][0]["sla"]["seconds_left"], int)
    # When the agent claims one, "mine" shows it
    assert call(ctx, "POST", f"/console/api/tasks/{second.task_id}/claim", {}, token=agent)[0] == 200
    _, mine, _ = call(ctx, "GET", "/console/api/inbox", token=agent, query={"view": "mine"})
    assert [t["task_id"] for t in mine["tasks"]] == [second.task_id] and mine["counts"]["mine"] == 1
    _, unassigned, _ = call(ctx, "GET", "/console/api/inbox", token=agent, query={"view": "unassigned"})
    assert [t["task_id"] for t in unassigned["tasks"]] == [first.task_id]
    # Filters: platform, team, search by reference and by customer name
    for query, expected in (
        ({"platform": "x"}, [second.task_id]),
        ({"team": "billing"}, [second.task_id]),
        ({"q": first.task_id.lower()}, [first.task_id]),
        ({"q": "customer 2"}, [second.task_id]),
        ({"waiting": "1"}, []),
    ):
        _, found, _ = call(ctx, "GET", "/console/api/inbox", token=agent, query=query)
        assert [t["task_id"] for t in found["tasks"]] == expected, query


def test_a_task_shows_the_whole_customer_triage_clocks_and_history(ctx, table, brand, agent):
    task, m = opened(table, brand, 1)
    # The same customer also wrote on another thread
    other = mention(1, thread="post9", at=recent(2), text="and the router light is red")
    conversations.record_message(table, other.model_copy(update={"message_id": "m9"}), customer_id="C-1")
    call(
        ctx,
        "POST",
        f"/console/api/tasks/{task.task_id}/note",
        {"text": "called the network team"},
        token=agent,
    )
    status, body, _ = call(ctx, "GET", f"/console/api/tasks/{task.task_id}", token=agent)
    assert status == 200
    texts = [(c["text"], c["this_task"]) for c in body["conversation"]]
    assert texts == [(m.text, True), ("and the router light is red", False)]
    assert body["triage"]["intent"] == "complaint" and "priority P2" in body["triage"]["reasons"]
    assert body["sla"]["first_response"]["met"] is None and body["sla"]["first_response"]["seconds_left"] > 0
    assert body["notes"] == [{"at": body["notes"][0]["at"], "by": AGENT, "text": "called the network team"}]
    assert body["history"][-1]["by"] == AGENT
    assert body["last_customer_message_at"] == m.created_at.isoformat()
    assert body["reply"]["can_public"] is True and body["reply"]["max_length"] == 8000


def test_actions_are_recorded_under_the_signed_in_person_never_a_typed_name(ctx, table, brand, agent):
    task, _ = opened(table, brand, 1)
    until = recent(-60).isoformat()
    for action, body in (
        ("claim", {"by": "someone-else"}),
        ("snooze", {"until": until, "by": "x"}),
        ("correct", {"intent": "question", "sentiment": "neutral"}),
        ("wait", {}),
        ("assign", {"to": "Lead@Example.com"}),
        ("resolve", {"outcome": "answered_publicly"}),
    ):
        status, answer, _ = call(
            ctx, "POST", f"/console/api/tasks/{task.task_id}/{action}", body, token=agent
        )
        assert status == 200, (action, answer)
    _, shown, _ = call(ctx, "GET", f"/console/api/tasks/{task.task_id}", token=agent)
    people = {e["by"] for e in shown["history"] if e["kind"] != "opened"}
    assert people == {AGENT}
    assert shown["task"]["status"] == "resolved" and shown["task"]["assignee"] == LEAD
    assert shown["triage"]["corrected_by"] == AGENT
    # Resolving again is a conflict that says why
    status, again, _ = call(
        ctx,
        "POST",
        f"/console/api/tasks/{task.task_id}/resolve",
        {"outcome": "answered_publicly"},
        token=agent,
    )
    assert status == 409 and again["conflict"] == "state"


def test_two_people_one_task_claim_takeover_and_reply(ctx, table, brand, agent, lead, replies):
    task, m = opened(table, brand, 1)
    assert call(ctx, "POST", f"/console/api/tasks/{task.task_id}/claim", {}, token=agent)[0] == 200
    # The lead's claim and reply are refused with a way to take it over
    status, body, _ = call(ctx, "POST", f"/console/api/tasks/{task.task_id}/claim", {}, token=lead)
    assert status == 409 and body["conflict"] == "claimed_by_other" and body["claimed_by"] == AGENT
    status, body, _ = call(
        ctx,
        "POST",
        f"/console/api/tasks/{task.task_id}/reply",
        {"text": "Hi, we are on it.", "seen_last_message_at": m.created_at.isoformat()},
        token=lead,
    )
    assert status == 409 and body["conflict"] == "claimed_by_other"
    assert body["takeover"] == f"/console/api/tasks/{task.task_id}/takeover" and replies.sent == []
    # Taking over, then replying, works; the history names both
    assert call(ctx, "POST", body["takeover"], {}, token=lead)[0] == 200
    status, body, _ = call(
        ctx,
        "POST",
        f"/console/api/tasks/{task.task_id}/reply",
        {"text": "Hi, we are on it.", "seen_last_message_at": m.created_at.isoformat()},
        token=lead,
    )
    assert status == 200 and body["reply"]["status"] == "sent" and len(replies.sent) == 1
    _, shown, _ = call(ctx, "GET", f"/console/api/tasks/{task.task_id}", token=lead)
    kinds = [(e["kind"], e["by"], e["detail"].get("from")) for e in shown["history"]]
    assert ("claimed", AGENT, None) in kinds and ("taken_over", LEAD, AGENT) in kinds
    assert ("human_response", LEAD, None) in kinds
    assert shown["conversation"][-1]["by"] == LEAD and shown["conversation"][-1]["sender"] == "brand"


def test_a_draft_warns_when_the_customer_wrote_again(ctx, table, brand, agent, replies):
    task, _m = opened(table, brand, 1, minutes=10)
    _, shown, _ = call(ctx, "GET", f"/console/api/tasks/{task.task_id}", token=agent)
    seen = shown["last_customer_message_at"]
    newer = mention(1, at=recent(1), text="hello??").model_copy(update={"message_id": "m1b"})
    followup.open_for_mention(table, newer, triage(), brand, customer_id="C-1", now=newer.created_at)
    conversations.record_message(table, newer, customer_id="C-1")
    status, body, _ = call(
        ctx,
        "POST",
        f"/console/api/tasks/{task.task_id}/reply",
        {"text": "Hi, on it.", "seen_last_message_at": seen},
        token=agent,
    )
    assert status == 409 and body["conflict"] == "new_customer_message" and replies.sent == []
    assert body["last_customer_message_at"] == newer.created_at.isoformat()
    status, body, _ = call(
        ctx,
        "POST",
        f"/console/api/tasks/{task.task_id}/reply",
        {"text": "Hi, on it.", "seen_last_message_at": body["last_customer_message_at"]},
        token=agent,
    )
    assert status == 200 and len(replies.sent) == 1


def test_replies_are_checked_by_the_rules_heeds_own_replies_follow(ctx, table, brand, agent, replies):
    facebook, fm = opened(table, brand, 1)
    tweet, tm = opened(table, brand, 2, platform=Platform.X)
    whatsapp, wm = opened(
        table, brand, 3, platform=Platform.WHATSAPP, minutes=25 * 60, visibility=Visibility.PRIVATE
    )

    def reply(task: Any, m: Any, text: str, private: bool = False) -> tuple[int, Any]:
        status, body, _ = call(
            ctx,
            "POST",
            f"/console/api/tasks/{task.task_id}/reply",
            {"text": text, "private": private, "seen_last_message_at": m.created_at.isoformat()},
            token=agent,
        )
        return status, body

    status, body = reply(facebook, fm, "Please send us an email with your card number and we'll fix it")
    assert status == 400 and body["error"] == "refused"
    assert 'forbidden phrase: "send us an email"' in body["reasons"]
    assert any(r.startswith("asks for personal data in public") for r in body["reasons"])
    status, body = reply(facebook, fm, "x" * 9000)
    assert status == 400 and "too long for facebook: 9000 > 8000" in body["reasons"]
    status, body = reply(tweet, tm, "a" * 310)
    assert status == 400 and body["reasons"] == ["too long for x: 310 > 280"]
    status, body = reply(facebook, fm, "We have your number as +34 612 345 678, right?")
    assert status == 400 and any("would publish personal data (phone)" in r for r in body["reasons"])
    status, body = reply(whatsapp, wm, "Sorry for the wait!", private=True)
    assert status == 400 and any("24-hour messaging window" in r for r in body["reasons"])
    assert replies.sent == []
    # The same card question is fine in private
    assert reply(facebook, fm, "Could you give me the card number here in private?", private=True)[0] == 200
    # And the check alone sends nothing
    status, body, _ = call(
        ctx, "POST", f"/console/api/tasks/{tweet.task_id}/reply/check", {"text": "a" * 300}, token=agent
    )
    assert status == 400 and body["reasons"] == ["too long for x: 300 > 280"] and len(replies.sent) == 1


def test_a_reply_from_an_approved_template_has_its_variables_filled(ctx, table, brand, agent, replies):
    task, m = opened(table, brand, 1)
    status, body, _ = call(ctx, "GET", f"/console/api/tasks/{task.task_id}/templates", token=agent)
    assert status == 200 and body["templates"]
    chosen = next(t for t in body["templates"] if t["id"] == "complaint.public")
    assert "Customer 1" in chosen["text"] and task.task_id in chosen["text"] and "Ada" in chosen["text"]
    assert "{" not in chosen["text"]
    status, _sent, _ = call(
        ctx,
        "POST",
        f"/console/api/tasks/{task.task_id}/reply",
        {"template": "complaint.public", "seen_last_message_at": m.created_at.isoformat()},
        token=agent,
    )
    assert status == 200 and replies.sent == [("public", m.message_id, chosen["text"])]
    status, body, _ = call(
        ctx, "POST", f"/console/api/tasks/{task.task_id}/reply", {"template": "nope"}, token=agent
    )
    assert status == 400


def test_a_reply_is_delivered_at_most_once(ctx, table, brand, agent, replies):
    task, m = opened(table, brand, 1)
    draft = {"text": "Hi, a teammate is on it.", "seen_last_message_at": m.created_at.isoformat()}
    path = f"/console/api/tasks/{task.task_id}/reply"
    assert call(ctx, "POST", path, draft, token=agent)[0] == 200
    # A double tap sends nothing more
    status, body, _ = call(ctx, "POST", path, draft, token=agent)
    assert status == 409 and body["conflict"] == "already_sent" and len(replies.sent) == 1


def test_an_uncertain_post_is_never_retried_and_a_refused_one_may_be(ctx, table, brand, agent, replies):
    task, m = opened(table, brand, 1)
    path = f"/console/api/tasks/{task.task_id}/reply"
    # The platform rate-limits before accepting: nothing sent, the same reply may go later
    replies.fail = RateLimited("slow down", retry_after=7)
    draft = {"text": "Hi, a teammate is on it.", "seen_last_message_at": m.created_at.isoformat()}
    status, body, _ = call(ctx, "POST", path, draft, token=agent)
    assert status == 503 and body["retry_after"] == 8
    # The post may have left (no answer after sending): uncertain, recorded, never sent again
    replies.fail = DeliveryUncertain("read timeout")
    status, body, _ = call(ctx, "POST", path, draft, token=agent)
    assert status == 200 and body["reply"]["status"] == "uncertain"
    replies.fail = None
    status, body, _ = call(ctx, "POST", path, draft, token=agent)
    assert status == 409 and body["conflict"] == "uncertain" and replies.sent == []
    _, shown, _ = call(ctx, "GET", f"/console/api/tasks/{task.task_id}", token=agent)
    assert any(e["kind"] == "reply_uncertain" and e["by"] == AGENT for e in shown["history"])


def test_customer_identities_links_suggestions_export_and_forget(ctx, table, brand, agent, lead):
    # Given two identities, each its own customer (ids as the respond path derives them)
    first_id = conversations.identify_customer(table, "messenger", mention(1).author, now=recent())
    second_id = conversations.identify_customer(table, "whatsapp", mention(2).author, now=recent())
    task, _ = opened(
        table,
        brand,
        1,
        platform=Platform.MESSENGER,
        visibility=Visibility.PRIVATE,
        text="my email is sam@example.org",
        customer_id=first_id,
    )
    other, _ = opened(
        table,
        brand,
        2,
        platform=Platform.WHATSAPP,
        visibility=Visibility.PRIVATE,
        text="write to SAM@example.org please",
        customer_id=second_id,
    )
    status, seen_first, _ = call(ctx, "GET", f"/console/api/customers/{first_id}", token=agent)
    assert status == 200 and seen_first["threads"][0]["task_id"] == task.task_id
    assert seen_first["suggestions"] == []  # nobody else gave that address yet
    status, body, _ = call(ctx, "GET", f"/console/api/customers/{second_id}", token=agent)
    # Then the same e-mail address in private messages is a suggestion
    assert [(s["customer_id"], s["because"]) for s in body["suggestions"]] == [(first_id, "same e-mail")]
    # An agent may not link; a lead may
    link = {"platform": "whatsapp", "author_id": "u2"}
    assert call(ctx, "POST", f"/console/api/customers/{first_id}/link", link, token=agent)[0] == 403
    status, linked, _ = call(ctx, "POST", f"/console/api/customers/{first_id}/link", link, token=lead)
    assert status == 200 and linked["linked"] is True
    _, merged, _ = call(ctx, "GET", f"/console/api/customers/{first_id}", token=agent)
    assert {i["platform"] for i in merged["identities"]} == {"messenger", "whatsapp"}
    assert {t["task_id"] for t in merged["threads"]} == {task.task_id, other.task_id}
    # And the task shows the whole customer's conversation, both channels
    _, shown, _ = call(ctx, "GET", f"/console/api/tasks/{task.task_id}", token=agent)
    assert {c["platform"] for c in shown["conversation"]} == {"messenger", "whatsapp"}
    # Unlink puts it back
    assert call(ctx, "POST", f"/console/api/customers/{first_id}/unlink", link, token=lead)[0] == 200
    _, alone, _ = call(ctx, "GET", f"/console/api/customers/{first_id}", token=agent)
    assert {i["platform"] for i in alone["identities"]} == {"messenger"}
    # Export and forget (lead)
    status, exported, _ = call(ctx, "GET", f"/console/api/customers/{first_id}/export", token=lead)
    assert status == 200 and exported["identities"][0]["found"] is True
    assert call(ctx, "POST", f"/console/api/customers/{first_id}/forget", {}, token=lead)[0] == 400
    status, gone, _ = call(
        ctx, "POST", f"/console/api/customers/{first_id}/forget", {"confirm": True}, token=lead
    )
    assert status == 200 and gone["forgotten"]["identities"] == 1
    assert call(ctx, "GET", f"/console/api/customers/{first_id}", token=lead)[0] == 404
    # And the digest of the address noted for the forgotten customer is gone, the other's stays
    from heed.storage.console_items import customers_with_contact

    assert customers_with_contact(table, "email", "sam@example.org") == [second_id]


def test_the_report_gives_heed_reports_figures_for_a_period(ctx, table, brand, agent):
    task, _ = opened(table, brand, 1)
    call(
        ctx,
        "POST",
        f"/console/api/tasks/{task.task_id}/resolve",
        {"outcome": "answered_publicly"},
        token=agent,
    )
    status, body, _ = call(ctx, "GET", "/console/api/report", token=agent)
    assert status == 200 and body["figures"]["tasks_opened"] == 1
    assert body["figures"]["outcomes"] == {"answered_publicly": 1}
    assert call(ctx, "GET", "/console/api/report", token=agent, query={"since": "2026-13-01"})[0] == 400


def test_customer_markup_comes_back_as_json_text_never_html(ctx, table, brand, agent):
    hostile = '<img src=x onerror="alert(document.cookie)"><script>alert(1)</script>'
    task, _ = opened(table, brand, 1, text=hostile)
    status, body, headers = call(ctx, "GET", f"/console/api/tasks/{task.task_id}", token=agent)
    assert status == 200 and headers["content-type"] == "application/json; charset=utf-8"
    assert headers["x-content-type-options"] == "nosniff"
    assert body["conversation"][0]["text"] == hostile  # data, for the page to show with textContent
    raw = route_body(ctx, f"/console/api/tasks/{task.task_id}", agent)
    assert "<script>" in raw and raw.lstrip().startswith("{")  # a JSON document, not markup


def route_body(ctx: Any, path: str, token: str) -> str:
    from heed.console.api import route

    from tests.console.conftest import event

    return str(route(event("GET", path, token=token), ctx)["body"])


def test_contact_details_in_public_and_secrets_anywhere_are_refused(ctx, table, brand, agent, replies):
    task, m = opened(table, brand, 1)
    seen = m.created_at.isoformat()
    path = f"/console/api/tasks/{task.task_id}/reply/check"
    for text, private, expected in (
        ("What is your phone number?", False, 'asks for personal data in public: "your phone number"'),
        (
            "Please confirm your password here",
            True,
            'asks for a secret nobody at the brand may ask for: "confirm your password"',
        ),
    ):
        status, body, _ = call(
            ctx, "POST", path, {"text": text, "private": private, "seen_last_message_at": seen}, token=agent
        )
        assert status == 400 and expected in body["reasons"], body
    status, body, _ = call(
        ctx, "POST", path, {"text": "What is your phone number?", "private": True}, token=agent
    )
    assert status == 200 and body["ok"] is True and replies.sent == []
    # Mentioning a secret to protect it is fine
    safety = {"text": "Never share your password or the verification code with anyone, even us."}
    assert call(ctx, "POST", path, safety, token=agent)[0] == 200


def test_forgetting_a_customer_forgets_their_linked_identities_too(ctx, table, brand, agent, lead):
    from heed.storage.console_items import customers_with_contact

    first_id = conversations.identify_customer(table, "messenger", mention(1).author, now=recent())
    second_id = conversations.identify_customer(table, "whatsapp", mention(2).author, now=recent())
    opened(
        table,
        brand,
        1,
        platform=Platform.MESSENGER,
        visibility=Visibility.PRIVATE,
        text="I am sam@example.org",
        customer_id=first_id,
    )
    opened(
        table,
        brand,
        2,
        platform=Platform.WHATSAPP,
        visibility=Visibility.PRIVATE,
        text="sam@example.org here",
        customer_id=second_id,
    )
    call(ctx, "GET", f"/console/api/customers/{second_id}", token=agent)  # notes its contact digest
    link = {"platform": "whatsapp", "author_id": "u2"}
    assert call(ctx, "POST", f"/console/api/customers/{first_id}/link", link, token=lead)[0] == 200
    # Export carries what the linked identity wrote before the link
    _, exported, _ = call(ctx, "GET", f"/console/api/customers/{first_id}/export", token=lead)
    linked = exported["linked_customers"]
    assert [c["customer_id"] for c in linked] == [second_id]
    assert linked[0]["conversations"][0]["messages"][0]["text"] == "sam@example.org here"
    # Forget takes both identities, their threads and the digests noted for either
    status, gone, _ = call(
        ctx, "POST", f"/console/api/customers/{first_id}/forget", {"confirm": True}, token=lead
    )
    assert status == 200 and gone["forgotten"]["identities"] == 2
    for customer in (first_id, second_id):
        assert call(ctx, "GET", f"/console/api/customers/{customer}", token=lead)[0] == 404
    assert customers_with_contact(table, "email", "sam@example.org") == []


def test_a_task_says_why_heed_replied_neutrally_or_not_at_all(ctx, table, brand, agent):
    # Given a task whose automatic reply was the neutral one (an unsure reading), as decide records it
    task, _ = opened(table, brand, 1)
    reason = "unsure reading (intent complaint 0.44; threshold 0.60): neutral reply"
    table.update_item(
        Key={"pk": f"TASK#{task.task_id}", "sk": "#TASK"},
        UpdateExpression="SET ack_reason = :r",
        ExpressionAttributeValues={":r": reason},
    )
    # When a person opens it in the console
    status, body, _ = call(ctx, "GET", f"/console/api/tasks/{task.task_id}", token=agent)
    # Then the reason is among the triage's reasons
    assert status == 200 and f"automatic reply: {reason}" in body["triage"]["reasons"]
