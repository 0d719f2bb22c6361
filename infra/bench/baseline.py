"""The bare baseline ingest handler: what any webhook receiver must do at least.

Checks Meta's HMAC over the raw body and sends one SQS message; no routing, parsing, models,
logging or metrics. Heed's ingest handler is measured against it on the same stack.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any


class BaselineIngest:
    def __init__(self, sqs: Any, queue_url: str, secret: str) -> None:
        self.sqs = sqs
        self.queue_url = queue_url
        self.secret = secret.encode()

    def __call__(self, event: dict[str, Any], context: Any = None) -> dict[str, Any]:
        body = event.get("body") or ""
        raw = base64.b64decode(body) if event.get("isBase64Encoded") else body.encode()
        given = (event.get("headers") or {}).get("x-hub-signature-256", "")
        expected = "sha256=" + hmac.new(self.secret, raw, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, given):
            return {"statusCode": 401, "body": "{}"}
        self.sqs.send_message(QueueUrl=self.queue_url, MessageBody=raw.decode())
        return {"statusCode": 200, "body": json.dumps({"accepted": 1})}
