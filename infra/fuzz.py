"""`make fuzz`: hypothesis at scale over the real ingest handler (API Gateway v2 events in), for a
fixed time, printing the number of cases run. Then schemathesis against the local server when it is
installed (openapi.yaml). Any 5xx, crash or half-queued delivery fails the run.

    .venv/bin/python -m infra.fuzz [--seconds 60] [--no-schemathesis]
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from infra.local_secrets import development_secrets
from infra.stack import ROOT

ROUTES = ("facebook", "instagram", "messenger", "whatsapp", "meta", "x", "generic", "nope", "")


# SQS refuses a message, and a whole SendMessageBatch, over 256 KiB (262,144 bytes), and any character
# outside #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF; at most 10 entries.
# docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html
SQS_MAX_BYTES = 262_144
SQS_MAX_ENTRIES = 10


@dataclass
class RecordingSqs:
    """Stands in for SQS: records what would be queued, validating each body as a Mention and each
    batch against SQS's documented limits (moto does not enforce the batch total)."""

    sent: list[dict[str, Any]] = field(default_factory=list)
    batches: list[list[dict[str, Any]]] = field(default_factory=list)
    claims: dict[str, dict[str, Any]] = field(default_factory=dict)

    def send_message_batch(self, *, QueueUrl: str, Entries: list[dict[str, Any]]) -> dict[str, Any]:
        from heed.models import Mention

        assert 0 < len(Entries) <= SQS_MAX_ENTRIES, "TooManyEntriesInBatchRequest"
        sizes = [len(e["MessageBody"].encode("utf-8")) for e in Entries]  # raises on a lone surrogate
        assert max(sizes) <= SQS_MAX_BYTES, "message longer than SQS allows"
        assert sum(sizes) <= SQS_MAX_BYTES, "BatchRequestTooLong"
        self.batches.append(list(Entries))
        for entry in Entries:
            message = json.loads(entry["MessageBody"])
            if "claim_check" in message:
                assert message["claim_check"] in self.claims, "claim check not stored before queueing"
                Mention.model_validate(self.claims[message["claim_check"]])
            else:
                Mention.model_validate(message["mention"])  # never a half-record on the queue
            self.sent.append(message)
        return {"Successful": [{"Id": e["Id"]} for e in Entries], "Failed": []}


@dataclass
class RecordingTable:
    """Stands in for the DynamoDB table ingest writes claim checks to (PutItem only)."""

    sqs: RecordingSqs

    def put_item(self, *, Item: dict[str, Any], **_: Any) -> dict[str, Any]:
        from heed.storage import claim_checks

        self.sqs.claims[claim_checks.claim_id_of(Item)] = claim_checks.decode(Item)["mention"]
        return {}


class Harness:
    """The ingest handler with development secrets and a recording queue; no AWS needed."""

    def __init__(self) -> None:
        os.environ.update(
            HEED_TABLE_NAME="fuzz",
            HEED_QUEUE_URL="https://sqs.us-east-1.amazonaws.com/123456789012/fuzz",
            HEED_ALERT_TOPIC_ARN="arn:aws:sns:us-east-1:123456789012:fuzz",
            HEED_INBOUND_SECRET_NAME="fuzz",
            AWS_DEFAULT_REGION="us-east-1",
            POWERTOOLS_LOG_LEVEL="CRITICAL",
            POWERTOOLS_METRICS_DISABLED="true",
        )
        from heed import clients
        from heed.ingest import handler as ingest
        from heed.platforms.base import PlatformSecrets
        from heed.settings import get_settings

        get_settings.cache_clear()
        self.sqs = RecordingSqs()
        self.ingest = ingest
        self._patches = [
            (
                ingest,
                "load_platform_secrets",
                lambda name, **_: PlatformSecrets(**development_secrets("inbound")),
            ),
            (clients, "sqs", lambda: self.sqs),
            (clients, "dynamodb_table", lambda name: RecordingTable(self.sqs)),
        ]
        self._saved = [(m, n, getattr(m, n)) for m, n, _ in self._patches]
        for module, name, value in self._patches:
            setattr(module, name, value)
        self.cases = 0

    @property
    def claims(self) -> dict[str, dict[str, Any]]:
        return self.sqs.claims

    def close(self) -> None:
        for module, name, value in self._saved:
            setattr(module, name, value)

    def call(
        self,
        route: str,
        body: bytes,
        headers: dict[str, str],
        *,
        method: str = "POST",
        b64: bool | None = None,
        query: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        from infra.local_stack import LambdaContext, api_gateway_event

        event = api_gateway_event(method, f"/webhooks/{route}", headers, body)
        if query is not None:  # as API Gateway decodes it: any text, not only what a URL parser yields
            event["queryStringParameters"] = query
        if b64 is not None:
            event["isBase64Encoded"] = b64
            event["body"] = base64.b64encode(body).decode() if b64 else body.decode("utf-8", "replace")
        before = len(self.sqs.sent)
        answer = self.ingest.handler(event, LambdaContext("IngestFunction"))
        self.cases += 1
        status = int(answer["statusCode"])
        assert status < 500 or status == 503, answer
        assert status in (200, 400, 401, 403, 404, 405, 413), answer
        json.loads(answer["body"]) if answer["headers"]["content-type"] == "application/json" else None
        if status != 200:
            assert len(self.sqs.sent) == before, "refused delivery queued something"
        return answer


def sign(route: str, body: bytes, *, now: float | None = None, msg_id: str = "msg_fuzz") -> dict[str, str]:
    """Headers a real platform would send for this body (so parsing, not only the check, is fuzzed)."""
    secrets = development_secrets()
    if route == "x":
        digest = hmac.new(secrets["x_consumer_secret"].encode(), body, hashlib.sha256).digest()
        return {"x-twitter-webhooks-signature": "sha256=" + base64.b64encode(digest).decode()}
    if route == "generic":
        from heed.platforms.generic import sign as generic_sign

        stamp = int(now or time.time())
        return {
            "webhook-id": msg_id,
            "webhook-timestamp": str(stamp),
            "webhook-signature": generic_sign(secrets["generic_webhook_secret"], msg_id, stamp, body),
        }
    digest = hmac.new(secrets["meta_app_secret"].encode(), body, hashlib.sha256).hexdigest()
    return {"x-hub-signature-256": f"sha256={digest}"}


# Unauthenticated input that reaches a comparison or a parser before any signature is checked.
SIGNATURE_HEADERS = (
    "x-hub-signature-256",
    "x-twitter-webhooks-signature",
    "webhook-id",
    "webhook-timestamp",
    "webhook-signature",
)
HANDSHAKE_KEYS = ("hub.mode", "hub.verify_token", "hub.challenge", "crc_token")


def hostile_header_text() -> Any:
    """Header and query values: arbitrary text, non-ASCII look-alikes of valid values, huge digits."""
    from hypothesis import strategies as st

    return st.one_of(
        st.text(max_size=80),
        st.sampled_from(
            [
                "é",
                "sha256=é",
                "v1,é",
                "v1,😀 v1,abc",
                "²",
                "١٧٩٠٠٠٠٠٠٠",
                "9" * 5_000,
                "-1",
                "\ud800",
                "\x00",
                "subscribe",
                "dev-verify-tokén",
            ]
        ),
    )


def hostile_headers(route: str, body: bytes) -> Any:
    """A real signature for the body, with some of the signature headers replaced by hostile text."""
    from hypothesis import strategies as st

    return st.dictionaries(st.sampled_from(SIGNATURE_HEADERS), hostile_header_text(), max_size=3).map(
        lambda over: {"content-type": "application/json", **sign(route, body), **over}
    )


def hostile_handshake() -> Any:
    """GET query strings: a subscription check or CRC with any of its values hostile."""
    from hypothesis import strategies as st

    real = {
        "hub.mode": "subscribe",
        "hub.verify_token": "dev-verify-token",
        "hub.challenge": "1",
        "crc_token": "t",
    }
    return st.dictionaries(st.sampled_from(HANDSHAKE_KEYS), hostile_header_text(), max_size=4).map(
        lambda over: {**real, **over}
    ) | st.dictionaries(st.sampled_from(HANDSHAKE_KEYS), hostile_header_text(), max_size=4)


def strategies() -> Any:
    """Bodies: arbitrary bytes, arbitrary JSON, and platform-shaped JSON with hostile leaves."""
    from hypothesis import strategies as st

    hostile_text = st.one_of(
        st.text(),
        st.sampled_from(
            [
                "\u202eevil\u202c",
                "a\u200bb\u200d\u2060",
                "👩\u200d👩\u200d👧\u200d👦🏳️\u200d🌈",
                "\ud800",
                "{brand} {{name}} ${jndi:ldap://x} <script>alert(1)</script> **bold**",
                "x" * 70_000,
                "4539 1488 0343 6467",
            ]
        ),
    )
    leaf = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), hostile_text)
    any_json = st.recursive(
        leaf,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    )
    meta_value = st.fixed_dictionaries(
        {},
        optional={
            "item": st.sampled_from(["comment", "post", "reaction"]) | hostile_text,
            "verb": st.sampled_from(["add", "edited", "remove"]) | leaf,
            "comment_id": leaf,
            "post_id": leaf,
            "parent_id": leaf,
            "message": hostile_text | leaf,
            "text": hostile_text | leaf,
            "id": leaf,
            "from": st.fixed_dictionaries({}, optional={"id": leaf, "name": hostile_text, "username": leaf})
            | leaf,
            "created_time": leaf,
            "media": any_json,
        },
    )
    meta = st.fixed_dictionaries(
        {
            "object": st.sampled_from(["page", "instagram", "whatsapp_business_account"]) | leaf,
            "entry": st.lists(
                st.fixed_dictionaries(
                    {"id": leaf, "time": leaf},
                    optional={
                        "changes": st.lists(
                            st.fixed_dictionaries(
                                {
                                    "field": st.sampled_from(["feed", "comments", "mentions", "messages"])
                                    | leaf
                                },
                                optional={"value": meta_value | any_json},
                            ),
                            max_size=3,
                        )
                        | leaf,
                        "messaging": st.lists(any_json, max_size=3) | leaf,
                    },
                ),
                max_size=3,
            )
            | leaf,
        }
    )
    x = st.fixed_dictionaries(
        {"for_user_id": leaf},
        optional={
            "tweet_create_events": st.lists(any_json, max_size=3) | leaf,
            "direct_message_events": any_json,
        },
    )
    generic = st.fixed_dictionaries(
        {"type": st.sampled_from(["mention.created"]) | leaf},
        optional={
            "data": any_json | st.fixed_dictionaries({"id": leaf, "text": hostile_text, "author": any_json})
        },
    )
    as_bytes = st.one_of(meta, x, generic, any_json).map(lambda v: json.dumps(v).encode())
    deep = st.integers(min_value=50, max_value=100_000).map(lambda n: b"[" * n + b"]" * n)
    return st.one_of(as_bytes, st.binary(max_size=2048), deep)


def fuzz(seconds: float) -> int:
    import warnings

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    warnings.filterwarnings("ignore")
    harness = Harness()
    deadline = time.monotonic() + seconds

    @settings(
        max_examples=500,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        route=st.sampled_from(ROUTES),
        body=strategies(),
        signed=st.booleans(),
        upper=st.booleans(),
        b64=st.sampled_from([None, True]),
    )
    def one(route: str, body: bytes, signed: bool, upper: bool, b64: bool | None) -> None:
        if time.monotonic() > deadline:
            return
        headers = {"content-type": "application/json", **(sign(route, body) if signed else {})}
        if upper:
            headers = {k.upper(): v for k, v in headers.items()}
        harness.call(route, body, headers, b64=b64)

    @settings(max_examples=200, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(route=st.sampled_from(ROUTES), data=st.data())
    def headers_and_handshakes(route: str, data: Any) -> None:
        # No deadline check here: draws must not depend on the clock (hypothesis replays examples).
        body = data.draw(strategies())
        harness.call(route, body, data.draw(hostile_headers(route, body)))
        harness.call(route, b"", {}, method="GET", query=data.draw(hostile_handshake()))

    try:
        while time.monotonic() < deadline:
            one()
            headers_and_handshakes()
    finally:
        harness.close()
    return harness.cases


def schemathesis_run(seconds: float) -> int:
    """schemathesis against the local server's HTTP front, when installed. Returns its exit code."""
    binary = ROOT / ".venv" / "bin" / "schemathesis"
    if not binary.exists():
        print("schemathesis not installed: skipped")
        return 0
    from infra.local_stack import LocalStack

    with LocalStack(http_port=0) as stack:
        done = subprocess.run(
            [
                str(binary),
                "run",
                str(ROOT / "openapi.yaml"),
                "--url",
                stack.base_url,
                "--checks",
                "not_a_server_error",
                "--max-examples",
                "30",
                "--max-response-time",
                "20000",
            ],
            timeout=max(seconds * 4, 120),
            check=False,
        )
    return done.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="fuzz the ingest handler")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--no-schemathesis", action="store_true")
    args = parser.parse_args(argv)
    started = time.monotonic()
    cases = fuzz(args.seconds)
    took = time.monotonic() - started
    print(f"fuzz: {cases} ingest cases in {took:.0f} s ({cases / took:.0f}/s), no 5xx, crash or half-record")
    (ROOT / "var").mkdir(exist_ok=True)
    (ROOT / "var" / "fuzz.json").write_text(json.dumps({"cases": cases, "seconds": round(took, 1)}))
    if args.no_schemathesis:
        return 0
    return schemathesis_run(args.seconds)


if __name__ == "__main__":
    sys.exit(main())
