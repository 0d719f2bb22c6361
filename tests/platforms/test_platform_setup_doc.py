"""The generic webhook example in docs/platform-setup.md really produces a delivery Heed accepts."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import responses
from heed.platforms.base import PlatformSecrets, WebhookRequest
from heed.platforms.generic import GenericWebhook

DOC = Path(__file__).resolve().parents[2] / "docs" / "platform-setup.md"


@responses.activate
def test_the_documented_python_example_signs_a_delivery_the_generic_webhook_accepts() -> None:
    # Given the example from the setup guide, posting to a recorded URL
    code = re.search(r"```python\n(.*?)```", DOC.read_text(), re.S).group(1)
    url = "https://abc123.execute-api.eu-west-1.amazonaws.com/webhooks/generic"
    responses.post(url, json={"accepted": 1, "ignored": 0})
    # When it runs
    exec(compile(code, "platform-setup.md", "exec"), {"print": lambda *a: None})
    # Then what it sent verifies and parses as one mention
    sent = responses.calls[0].request
    request = WebhookRequest(
        method="POST",
        headers={k.lower(): v for k, v in sent.headers.items()},
        query={},
        body=sent.body,
        received_at=datetime.now(tz=UTC),
    )
    secrets = PlatformSecrets(generic_webhook_secret="whsec_ZGV2LWdlbmVyaWMtd2ViaG9vay1zZWNyZXQ=")
    GenericWebhook().verify(request, secrets)
    (mention,) = GenericWebhook().parse(request).mentions
    assert mention.message_id == "forum:post-8812" and mention.author.handle == "leeds_dan"
