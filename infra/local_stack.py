"""The embedded local stack: Heed's real handlers on moto, with no AWS account and no network.

- moto server on 127.0.0.1 for DynamoDB, SQS, SNS, Secrets Manager, Lambda, CloudFormation;
- Heed's resources created by deploying template.yaml onto it (infra/stack.py), so names and
  environment variables are the ones a real deploy gives the functions;
- an outbox: a small HTTP server standing in for the platform APIs, recording every outbound call
  (method, URL, body) and answering in the platform's shape; Heed reaches it through real requests;
- an HTTP front that turns real requests into API Gateway HTTP API (payload 2.0) events for the
  same handler functions Lambda runs;
- a worker that feeds SQS batches to the respond handler the way the Lambda event source does
  (successes deleted, failures left for redelivery, then the dead-letter queue).
"""

from __future__ import annotations

import base64
import ctypes
import ctypes.util
import functools
import importlib
import itertools
import json
import os
import socket
import sys
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from infra import aws_limits, moto_patches
from infra.outbox_faults import (
    ADMIN_PATH,
    CALLS_PATH,
    FaultKind,
    OutboxFaults,
    OutboxServer,
    platform_error,
    rate_limit_headers,
    reset_on_finish,
)
from infra.stack import ROOT, StackResources, create_development_secrets, deploy

ROUTES = (
    ("/webhooks/", "heed.ingest.handler"),
    ("/privacy/", "heed.privacy.handler"),
    ("/staff/", "heed.staff.handler"),
    ("/console", "heed.console.handler"),  # the pages and /console/api/... (JWT checked in the function)
)
STATE_FILE = ROOT / "var" / "local-stack.json"


# Messages the worker processes between two returns of freed memory to the OS (release_freed_memory).
RELEASE_MEMORY_EVERY = 1000


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim  # type: ignore[no-any-return]
    except (OSError, AttributeError):  # no glibc (musl)
        return None


def release_freed_memory() -> bool:
    """Give the C heap's free memory back to the OS (glibc's malloc_trim). moto's server and the HTTP
    fronts take each request on a new thread, and what those threads free stays in malloc's arenas,
    counted as resident: 5-25 MB after the stack has started (the template deploy), measured. Returns
    False where there is nothing to call (no glibc)."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class LambdaContext:
    """What Lambda hands a handler; remaining time is real so timeouts can be simulated."""

    function_name: str
    deadline: float = field(default_factory=lambda: time.monotonic() + 60)
    memory_limit_in_mb: int = 512
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    @property
    def invoked_function_arn(self) -> str:
        return f"arn:aws:lambda:us-east-1:123456789012:function:{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return max(int((self.deadline - time.monotonic()) * 1000), 0)


# ---- outbox: the platforms' APIs as seen from Heed --------------------------------------------

# Outbound calls the outbox keeps in memory (the newest, ~1 KB each); older ones are read back from
# its file, as recorded (a key a bench adds to a call later, infra/bench/e2e.py's "at", stays only in
# memory: twice the 1,000 calls of its largest default run).
OUTBOX_MEMORY_CALLS = 2000


class CallLog(Sequence[dict[str, Any]]):
    """Every call the outbox recorded since the last `clear()`, in order, used like a list (len,
    indexes and slices from the first call, iteration, == a list). The newest `memory_limit` calls
    are in memory; each call is also a line of the outbox's JSON-lines file, from which older ones
    are read back when asked for. So `make serve` keeps its whole history without holding it."""

    def __init__(self, path: Path, memory_limit: int = OUTBOX_MEMORY_CALLS) -> None:
        if memory_limit < 1:
            raise ValueError("memory_limit must be at least 1")
        self.path = path
        self.memory_limit = memory_limit
        self.recent: deque[dict[str, Any]] = deque(maxlen=memory_limit)
        self._lines = 0  # lines in the file (it starts empty)
        self._first_line = 0  # the file's line holding call 0 (earlier ones were cleared)
        self._lock = threading.RLock()

    def append(self, call: dict[str, Any]) -> None:
        with self._lock:
            with self.path.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(call, ensure_ascii=False) + "\n")
            self._lines += 1
            self.recent.append(call)

    def clear(self) -> None:
        """Forget the calls so far (they stay in the file): the next call is call 0."""
        with self._lock:
            self._first_line = self._lines
            self.recent.clear()

    def __len__(self) -> int:
        return self._lines - self._first_line

    def __getitem__(self, index: Any) -> Any:
        with self._lock:
            count = len(self)
            in_memory_from = count - len(self.recent)
            if isinstance(index, slice):
                wanted = range(*index.indices(count))
                on_disk = [i for i in wanted if i < in_memory_from]
                low = min(on_disk, default=0)
                older = self._read(low, max(on_disk) + 1) if on_disk else []
                return [
                    older[i - low] if i < in_memory_from else self.recent[i - in_memory_from] for i in wanted
                ]
            position = index + count if index < 0 else index
            if not 0 <= position < count:
                raise IndexError("outbox call index out of range")
            if position >= in_memory_from:
                return self.recent[position - in_memory_from]
            return self._read(position, position + 1)[0]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        with self._lock:
            in_memory_from = len(self) - len(self.recent)
            calls = [*self._read(0, in_memory_from), *self.recent]
        return iter(calls)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, CallLog | list | tuple):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"CallLog({len(self)} calls, {len(self.recent)} in memory, {self.path})"

    def _read(self, start: int, stop: int) -> list[dict[str, Any]]:
        """Calls start..stop-1 as the file has them."""
        if stop <= start:
            return []
        with self.path.open(encoding="utf-8") as fh:
            lines = itertools.islice(fh, self._first_line + start, self._first_line + stop)
            return [json.loads(line) for line in lines]


class Outbox:
    def __init__(self, path: Path, *, memory_limit: int = OUTBOX_MEMORY_CALLS) -> None:
        self.path = path
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("")
        self.calls = CallLog(path, memory_limit)
        # Answers for GETs a test or demo scripts: (URL substring) -> JSON body.
        self.get_answers: dict[str, dict[str, Any]] = {}
        # Failures to produce on purpose (infra/outbox_faults.py); released at shutdown.
        self.faults = OutboxFaults()
        self.closing = threading.Event()
        self._server: OutboxServer | None = None
        self.url = ""  # set by serve()

    def serve(self, port: int = 0) -> str:
        """Answer on 127.0.0.1:`port` (0: any free port) in threads; returns the base URL."""
        self._server = OutboxServer(port, _outbox_handler(self))
        self.faults.refuse_connections = self._server.refuse_connections
        self._server.start()
        self.url = f"http://127.0.0.1:{self._server.port}"
        return self.url

    def shutdown(self) -> None:
        self.closing.set()  # hung calls end now
        if self._server is not None:
            self._server.stop()

    def record(
        self, method: str, url: str, headers: dict[str, str], body: bytes, *, fault: str | None = None
    ) -> dict[str, Any]:
        try:
            parsed: Any = json.loads(body) if body else None
        except ValueError:
            parsed = dict(parse_qsl(body.decode(errors="replace")))
        call = {"method": method, "url": url, "body": parsed}
        if fault:
            call["fault"] = fault
        with self._lock:
            self.calls.append(call)  # and to the file
            n = next(self._ids)
        if method == "GET":
            from urllib.parse import unquote

            for fragment, answer in self.get_answers.items():
                if fragment in unquote(url):
                    return answer
            return {"data": [], "meta": {"result_count": 0}}
        reply_id = f"outbox_{n}"
        # One body that satisfies every platform's success shape (Graph, Send API, X v2, relays).
        return {
            "id": reply_id,
            "message_id": f"m_{reply_id}",
            "recipient_id": "recipient",
            "success": True,
            "messages": [{"id": f"wamid.{reply_id}"}],
            "data": {
                "id": reply_id,
                "text": (parsed or {}).get("text") if isinstance(parsed, dict) else None,
                "dm_event_id": reply_id,
                "dm_conversation_id": f"conv_{reply_id}",
            },
        }


def _outbox_handler(outbox: Outbox) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        reset_connection = False

        def _answer(self) -> None:
            if self.path.split("?")[0] in (ADMIN_PATH, CALLS_PATH):
                self._admin()
                return
            fault = outbox.faults.take(self.command, self.path)
            if fault and fault.kind is FaultKind.CLOSE_BEFORE_READ:
                reset_on_finish(self)  # headers read, body left unread: the platform never had it
                return
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            if fault and fault.kind is FaultKind.RATE_LIMIT:  # refused by the platform: not recorded
                headers = rate_limit_headers(self.path, fault.retry_after, time.time())
                self._send(429, platform_error(self.path, 429), headers)
                return
            url = f"http://{self.headers.get('host')}{self.path}"
            if fault is None:
                answer = outbox.record(self.command, url, dict(self.headers.items()), body)
                self._send(200, answer)
                return
            # The platform has the call from here on: it may act on it whatever the client sees.
            outbox.record(self.command, url, dict(self.headers.items()), body, fault=str(fault.kind))
            if fault.kind is FaultKind.ACCEPT_THEN_5XX:
                self._send(fault.status, platform_error(self.path, fault.status))
            elif fault.kind is FaultKind.ACCEPT_THEN_RESET:
                reset_on_finish(self)
            elif fault.kind is FaultKind.ACCEPT_THEN_HANG:
                outbox.closing.wait(fault.hang_seconds)  # then close without a word
                self.close_connection = True

        def _admin(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            if self.path.split("?")[0] == CALLS_PATH:
                self._send(200, {"calls": list(outbox.calls)})
                return
            status, answer = outbox.faults.admin(self.command, body)
            self._send(status, answer)

        def _send(self, status: int, answer: dict[str, Any], headers: dict[str, str] | None = None) -> None:
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def finish(self) -> None:
            super().finish()
            if self.reset_connection:  # makefiles closed: this close is the real one, with SO_LINGER 0
                self.connection.close()

        do_GET = do_POST = do_PUT = do_DELETE = _answer

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


# ---- HTTP front: requests → API Gateway HTTP API events → handlers -----------------------------


def api_gateway_event(
    method: str, target: str, headers: dict[str, str], body: bytes, source_ip: str = "127.0.0.1"
) -> dict[str, Any]:
    parts = urlsplit(target)
    lowered = {k.lower(): v for k, v in headers.items()}
    content_type = lowered.get("content-type", "")
    textual = any(t in content_type for t in ("json", "text", "x-www-form-urlencoded"))
    try:
        text = body.decode("utf-8") if textual else None
    except UnicodeDecodeError:
        text = None
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": parts.path,
        "rawQueryString": parts.query,
        "headers": lowered,
        "queryStringParameters": query or None,
        "requestContext": {
            "http": {
                "method": method,
                "path": parts.path,
                "protocol": "HTTP/1.1",
                "sourceIp": source_ip,
                "userAgent": lowered.get("user-agent", ""),
            },
            "domainName": lowered.get("host", "127.0.0.1"),
            "requestId": str(uuid.uuid4()),
            "timeEpoch": int(time.time() * 1000),
            "stage": "$default",
        },
        "body": text if text is not None else base64.b64encode(body).decode(),
        "isBase64Encoded": text is None,
    }


def invoke_route(method: str, target: str, headers: dict[str, str], body: bytes) -> dict[str, Any]:
    path = urlsplit(target).path
    for prefix, module_name in ROUTES:
        if path.startswith(prefix):
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError:
                break
            event = api_gateway_event(method, target, headers, body)
            return module.handler(event, LambdaContext(module_name.split(".")[1]))
    return {
        "statusCode": 404,
        "headers": {"content-type": "application/json"},
        "body": json.dumps({"error": "no such route"}),
    }


def _front_handler() -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            try:
                answer = invoke_route(self.command, self.path, dict(self.headers.items()), body)
            except Exception:  # the real API Gateway turns a handler crash into a 500 too
                answer = {
                    "statusCode": 500,
                    "headers": {"content-type": "application/json"},
                    "body": '{"message":"Internal Server Error"}',
                }
            data = answer.get("body", "")
            raw = base64.b64decode(data) if answer.get("isBase64Encoded") else str(data).encode()
            self.send_response(int(answer.get("statusCode", 200)))
            for name, value in (answer.get("headers") or {}).items():
                self.send_header(name, value)
            self.send_header("content-length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve

        def _unrouted(self) -> None:
            # API Gateway has no route for these methods: it answers 404 without calling a function.
            data = b'{"message":"Not Found"}'
            self.send_response(404)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def __getattr__(self, name: str) -> Any:
            if name.startswith("do_"):  # any other method (TRACE, OPTIONS, QUERY, ...)
                return self._unrouted
            raise AttributeError(name)

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


# ---- the stack ------------------------------------------------------------------------------------


class LocalStack:
    def __init__(
        self,
        *,
        http_port: int | None = None,
        state_dir: Path | None = None,
        quiet: bool = True,
        publish_state: bool = False,
        outbox_memory_calls: int = OUTBOX_MEMORY_CALLS,
    ) -> None:
        self.http_port = http_port
        self.outbox_memory_calls = outbox_memory_calls
        self.state_dir = state_dir or ROOT / "var"
        self.quiet = quiet
        # Only the long-running server tells the CLI where it is (var/local-stack.json); a demo or a
        # test run must not overwrite or delete what `make serve` published.
        self.publish_state = publish_state
        self._servers: list[Any] = []
        self._processed_since_release = 0
        self.resources: StackResources | None = None
        self.env: dict[str, str] = {}

    # lifecycle
    def start(self) -> LocalStack:
        import logging

        from moto.server import ThreadedMotoServer

        self._saved_environ = dict(os.environ)
        moto_patches.install()  # moto copies and keeps too much (infra/moto_patches.py)
        aws_limits.install()  # what AWS refuses and moto accepts is refused here too

        logging.getLogger("werkzeug").setLevel(logging.ERROR)

        os.environ.update(
            AWS_ACCESS_KEY_ID="local",
            AWS_SECRET_ACCESS_KEY="local",
            AWS_DEFAULT_REGION="us-east-1",
            AWS_REGION="us-east-1",
        )
        os.environ.pop("AWS_PROFILE", None)
        moto_port = free_port()
        self.moto = ThreadedMotoServer(ip_address="127.0.0.1", port=moto_port, verbose=False)
        self.moto.start()
        self.endpoint_url = f"http://127.0.0.1:{moto_port}"
        os.environ["AWS_ENDPOINT_URL"] = self.endpoint_url

        import boto3

        self.session = boto3.session.Session()
        self.resources = deploy(session=self.session)
        # The local worker plays Lambda's event source mapping; moto's own would try to run the
        # function in Docker and swallow the messages.
        lam = self.session.client("lambda")
        for mapping in lam.list_event_source_mappings().get("EventSourceMappings", []):
            lam.update_event_source_mapping(UUID=mapping["UUID"], Enabled=False)
        secret_names = create_development_secrets(self.session)  # inbound and outbound
        # moto's CloudFormation skips Cognito: the console's pool, client and groups are created from
        # the template's definition, with the documented development users (infra/local_cognito.py).
        from infra.local_cognito import create_console_pool, create_dev_users
        from infra.stack import load_template

        cognito = self.session.client("cognito-idp")
        self.console_pool = create_console_pool(
            cognito, load_template(), stack_name=self.resources.stack_name, endpoint_url=self.endpoint_url
        )
        self.dev_users = create_dev_users(cognito, self.console_pool.user_pool_id)

        self.outbox = Outbox(self.state_dir / "outbox.jsonl", memory_limit=self.outbox_memory_calls)
        self.outbox_url = self.outbox.serve()

        # The functions' environment exactly as the template resolved it, plus what moto cannot
        # resolve (the secrets) and where the local stand-ins are (templates layer, platform APIs).
        self.env = {
            **{k: str(v) for k, v in self.resources.function_env["RespondFunction"].items()},
            **secret_names,
            "HEED_TEMPLATES_DIR": str(ROOT / "templates"),
            "HEED_GRAPH_API_BASE": f"{self.outbox_url}/graph",
            "HEED_X_API_BASE": f"{self.outbox_url}/x",
            "HEED_COGNITO_USER_POOL_ID": self.console_pool.user_pool_id,
            "HEED_COGNITO_CLIENT_ID": self.console_pool.client_id,
            "HEED_COGNITO_JWKS_URL": self.console_pool.jwks_url,
        }
        os.environ.update(self.env)
        if self.quiet:
            os.environ["POWERTOOLS_LOG_LEVEL"] = "WARNING"
            os.environ["POWERTOOLS_METRICS_DISABLED"] = "true"
            import warnings

            warnings.filterwarnings("ignore", message="No application metrics to publish")
        self._refresh_heed_caches()

        self.sqs = self.session.client("sqs")
        self.sns = self.session.client("sns")
        self.table = self.session.resource("dynamodb").Table(self.resources.table_name)
        self._subscribe_alert_inbox()

        if self.http_port is not None:
            port = self.http_port or free_port()
            self._serve_in_thread(ThreadingHTTPServer(("127.0.0.1", port), _front_handler()))
            self.base_url = f"http://127.0.0.1:{port}"
            # Alert links open the console served here (template.yaml: ConsoleBaseUrl on AWS).
            self.env["HEED_CONSOLE_URL"] = self.base_url
            os.environ["HEED_CONSOLE_URL"] = self.base_url
            self._refresh_heed_caches()
        if self.publish_state:
            self._write_state()
        release_freed_memory()  # what the deploy left
        return self

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
        self.outbox.shutdown()
        self.moto.stop()
        moto_patches.uninstall()
        aws_limits.uninstall()
        if self.publish_state:
            STATE_FILE.unlink(missing_ok=True)
        # Leave the process as it was (tests run other suites on in-process moto afterwards).
        os.environ.clear()
        os.environ.update(self._saved_environ)
        self._refresh_heed_caches()

    def __enter__(self) -> LocalStack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def settings(self) -> Any:
        from heed.settings import get_settings

        return get_settings()

    @property
    def policy(self) -> Any:
        from heed.policy import load_policy

        return load_policy(self.settings.templates_dir)

    # requests
    def deliver(
        self, method: str, path: str, *, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> tuple[int, str]:
        """Send a request through the real HTTP front when it runs, else straight to the handler."""
        if self.http_port is not None:
            import requests

            answer = requests.request(
                method, f"{self.base_url}{path}", data=body, headers=headers or {}, timeout=10
            )
            return answer.status_code, answer.text
        result = invoke_route(method, path, headers or {}, body)
        return int(result["statusCode"]), str(result.get("body", ""))

    # the queue worker
    def drain(self, *, max_rounds: int = 50, on_batch: Callable[[dict[str, Any]], None] | None = None) -> int:
        """Run the respond function over the queue until it is empty. Returns messages processed."""
        from heed.respond import handler as respond

        assert self.resources is not None
        processed = 0
        for _ in range(max_rounds):
            received = self.sqs.receive_message(
                QueueUrl=self.resources.queue_url,
                MaxNumberOfMessages=10,
                AttributeNames=["All"],
                WaitTimeSeconds=0,
            ).get("Messages", [])
            if not received:
                break
            event = {"Records": [self._sqs_record(m) for m in received]}
            try:
                answer = respond.handler(event, LambdaContext("RespondFunction"))
            except Exception:  # the whole batch failed (Powertools raises): Lambda retries all of it
                answer = {"batchItemFailures": [{"itemIdentifier": m["MessageId"]} for m in received]}
            failed = {f["itemIdentifier"] for f in answer.get("batchItemFailures", [])}
            done = [m for m in received if m["MessageId"] not in failed]
            for start in range(0, len(done), 10):
                self.sqs.delete_message_batch(
                    QueueUrl=self.resources.queue_url,
                    Entries=[
                        {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                        for i, m in enumerate(done[start : start + 10])
                    ],
                )
            processed += len(done)
            if on_batch:
                on_batch(answer)
        self._processed_since_release += processed
        if self._processed_since_release >= RELEASE_MEMORY_EVERY:
            self._processed_since_release = 0
            release_freed_memory()
        return processed

    def _sqs_record(self, message: dict[str, Any]) -> dict[str, Any]:
        assert self.resources is not None
        queue_name = self.resources.queue_url.rsplit("/", 1)[-1]
        return {
            "messageId": message["MessageId"],
            "receiptHandle": message["ReceiptHandle"],
            "body": message["Body"],
            "attributes": message.get("Attributes", {}),
            "messageAttributes": {},
            "md5OfBody": message.get("MD5OfBody", ""),
            "eventSource": "aws:sqs",
            "eventSourceARN": f"arn:aws:sqs:us-east-1:123456789012:{queue_name}",
            "awsRegion": "us-east-1",
        }

    # alerts, as the on-call person's subscriptions would receive them
    def _subscribe_alert_inbox(self) -> None:
        assert self.resources is not None
        self.alert_inbox_url = self.sqs.create_queue(QueueName="heed-local-alert-inbox")["QueueUrl"]
        inbox_arn = self.sqs.get_queue_attributes(QueueUrl=self.alert_inbox_url, AttributeNames=["QueueArn"])[
            "Attributes"
        ]["QueueArn"]
        for topic in (self.resources.alert_topic_arn, self.resources.escalation_topic_arn):
            self.sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=inbox_arn)

    def alert_messages(self) -> list[dict[str, Any]]:
        """Alerts published since the last call: topic, subject, message, attributes."""
        alerts: list[dict[str, Any]] = []
        while True:
            batch = self.sqs.receive_message(QueueUrl=self.alert_inbox_url, MaxNumberOfMessages=10).get(
                "Messages", []
            )
            if not batch:
                return alerts
            for message in batch:
                envelope = json.loads(message["Body"])
                alerts.append(
                    {
                        "topic": envelope.get("TopicArn", "").rsplit(":", 1)[-1],
                        "subject": envelope.get("Subject"),
                        "message": envelope.get("Message", ""),
                        "attributes": {
                            k: v.get("Value") for k, v in envelope.get("MessageAttributes", {}).items()
                        },
                    }
                )
                self.sqs.delete_message(QueueUrl=self.alert_inbox_url, ReceiptHandle=message["ReceiptHandle"])

    # internals
    def _serve_in_thread(self, server: ThreadingHTTPServer) -> None:
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self._servers.append(server)

    def _refresh_heed_caches(self) -> None:
        from heed import clients
        from heed.settings import get_settings

        get_settings.cache_clear()
        clients.reset()  # the platform secrets' cache too

    def _write_state(self) -> None:
        STATE_FILE.parent.mkdir(parents=True, exist_ok=True)
        STATE_FILE.write_text(
            json.dumps(
                {
                    "endpoint_url": self.endpoint_url,
                    "env": self.env,
                    "base_url": getattr(self, "base_url", None),
                    "outbox": str(self.outbox.path),
                },
                indent=2,
            )
        )
