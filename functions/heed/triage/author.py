"""Who wrote the mention: a VIP the brand wants to hear first, or a customer who came back."""

from __future__ import annotations

from heed.models import Author, CustomerHistory, TriageRules


def _normal_handle(handle: str) -> str:
    return handle.strip().lstrip("@").casefold()


def vip_reasons(author: Author | None, rules: TriageRules) -> list[str]:
    if author is None:
        return []
    reasons: list[str] = []
    if author.followers is not None and author.followers >= rules.vip_follower_threshold:
        reasons.append("followers")
    if author.verified and rules.verified_is_vip:
        reasons.append("verified")
    listed = {_normal_handle(h) for h in rules.vip_handles}
    if author.handle and _normal_handle(author.handle) in listed:
        reasons.append("listed")
    return reasons


def is_repeat_customer(history: CustomerHistory | None) -> bool:
    return history is not None and history.previous_mentions > 0


def is_repeat_contact(history: CustomerHistory | None, rules: TriageRules) -> bool:
    return history is not None and history.recent_contacts_24h >= rules.repeat_contact_threshold
