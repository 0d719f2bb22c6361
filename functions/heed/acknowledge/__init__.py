"""Where a mention is answered: reply templates, the policy on who gets which reply, and the rendering
that fits each platform. Pure: no boto3, no clock reads, no environment reads."""

from heed.acknowledge.compose import (
    ComposedAcknowledgment,
    ReplyTooLong,
    compose_acknowledgment,
    reply_channel,
    reply_intent,
    reply_language,
    uncertain_reading,
)
from heed.acknowledge.length import PLATFORM_LIMITS, weighted_length
from heed.acknowledge.templates import (
    ReplyTemplate,
    ReplyTemplates,
    TemplateError,
    TemplateKind,
    load_templates,
    read_templates,
)

__all__ = [
    "PLATFORM_LIMITS",
    "ComposedAcknowledgment",
    "ReplyTemplate",
    "ReplyTemplates",
    "ReplyTooLong",
    "TemplateError",
    "TemplateKind",
    "compose_acknowledgment",
    "load_templates",
    "read_templates",
    "reply_channel",
    "reply_intent",
    "reply_language",
    "uncertain_reading",
    "weighted_length",
]
