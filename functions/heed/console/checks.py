"""A person's reply, checked before it leaves by the rules Heed's own replies follow. Pure: no I/O.

- Forbidden phrases (acknowledge/forbidden.py): asking a customer to repeat themselves by e-mail or
  phone, the brand's own list, and in public asking for card or ID numbers.
- Personal data in public: a reply that would publish an e-mail, phone, card or ID number
  (triage/personal_data.py, the detector that masks customers' messages).
- The platform's length limit, as the platform counts it (acknowledge/length.py; X weighs characters).
- Where the platform allows it: WhatsApp and Messenger have no public side; WhatsApp and Messenger
  replies only within 24 hours of the customer's last message (WhatsApp's customer service window,
  https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-messages#customer-service-windows;
  Messenger's standard messaging window,
  https://developers.facebook.com/docs/messenger-platform/policy/policy-overview/#24hours_window).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from heed.acknowledge.forbidden import CARD_OR_ID_NUMBERS, find_forbidden, forbidden_for
from heed.acknowledge.length import PLATFORM_LIMITS, weighted_length
from heed.models import Platform, Visibility
from heed.policy import BrandPolicy

PRIVATE_ONLY = frozenset({Platform.WHATSAPP, Platform.MESSENGER})
MESSAGING_WINDOW = timedelta(hours=24)
WINDOWED = frozenset({Platform.WHATSAPP, Platform.MESSENGER})
MAX_REPLY_CHARACTERS = 10_000  # above every platform's limit: refused before any counting
# A person writes freely, so beyond Heed's own list: contact details asked for where everyone reads
# the answer, and secrets no one at the brand may ask for anywhere.
ASKS_FOR_CONTACT: tuple[str, ...] = (
    "your phone number",
    "your mobile number",
    "your email address",
    "your e-mail address",
    "your home address",
    "your date of birth",
    "tu número de teléfono",
    "tu correo electrónico",
    "votre numéro de téléphone",
    "votre adresse e-mail",
    "seu número de telefone",
    "seu e-mail",
)
# Asking, not mentioning: "never share your password" is a safety line a brand must be able to write.
NEVER_ASK: tuple[str, ...] = (
    "send us your password",
    "send me your password",
    "tell us your password",
    "give us your password",
    "confirm your password",
    "send us your pin",
    "send us the code we sent",
    "send us the verification code",
    "envíanos tu contraseña",
    "envoyez-nous votre mot de passe",
    "envie sua senha",
)


def can_public(platform: Platform) -> bool:
    return platform not in PRIVATE_ONLY


def window_open(platform: Platform, last_customer_message_at: datetime | None, now: datetime) -> bool | None:
    """None where the platform has no messaging window."""
    if platform not in WINDOWED:
        return None
    return last_customer_message_at is not None and now - last_customer_message_at <= MESSAGING_WINDOW


def check_reply(
    text: str,
    *,
    platform: Platform,
    visibility: Visibility,
    policy: BrandPolicy,
    last_customer_message_at: datetime | None,
    now: datetime,
) -> list[str]:
    """Every reason the reply may not be sent; empty when it may."""
    if not text.strip():
        return ["a reply needs some text"]
    if len(text) > MAX_REPLY_CHARACTERS:
        return [f"too long for {platform.value}: {len(text)} characters > {PLATFORM_LIMITS[platform]}"]
    reasons: list[str] = []
    public = visibility is Visibility.PUBLIC and can_public(platform)
    if visibility is Visibility.PUBLIC and not can_public(platform):
        reasons.append(f"{platform.value} has no public replies: send it privately")
    asks_for_numbers = {p.casefold() for p in CARD_OR_ID_NUMBERS}
    for phrase in find_forbidden(
        text, forbidden_for(Visibility.PUBLIC if public else Visibility.PRIVATE, policy.forbidden_phrases)
    ):
        if phrase.casefold() in asks_for_numbers and phrase not in policy.forbidden_phrases:
            reasons.append(f'asks for personal data in public: "{phrase}"')
        else:
            reasons.append(f'forbidden phrase: "{phrase}"')
    for phrase in find_forbidden(text, NEVER_ASK):
        reasons.append(f'asks for a secret nobody at the brand may ask for: "{phrase}"')
    if public:
        for phrase in find_forbidden(text, ASKS_FOR_CONTACT):
            reasons.append(f'asks for personal data in public: "{phrase}"')
        from heed.triage.personal_data import find_personal_data

        kinds = sorted({f.kind for f in find_personal_data(text)})
        if kinds:
            reasons.append(f"would publish personal data ({', '.join(kinds)}): send it privately")
    length, limit = weighted_length(text, platform), PLATFORM_LIMITS[platform]
    if length > limit:
        reasons.append(f"too long for {platform.value}: {length} > {limit}")
    if window_open(platform, last_customer_message_at, now) is False:
        reasons.append(
            f"outside {platform.value}'s 24-hour messaging window: the customer last wrote "
            + (
                last_customer_message_at.strftime("%Y-%m-%d %H:%M UTC")
                if last_customer_message_at
                else "never"
            )
        )
    return reasons
