"""Faults the outbox (the platforms' APIs on the local stack) can be told to produce.

Switched on from tests (`stack.outbox.faults.add("accept_then_5xx", path_contains="/comments")`),
from `make serve` (`HEED_OUTBOX_FAULTS`, see `parse_spec`) or by any HTTP client
(`POST|GET|DELETE /_outbox/faults` on the outbox).

What each kind does, whether the platform has the call (recorded in the outbox), and what a
`requests` 2.x client (urllib3 2.x, no urllib3 retries, as Heed's `requests.Session`) gets:

| kind | recorded | the client sees | requests raises (args[0] → cause) |
|---|---|---|---|
| accept_then_hang | yes | no answer for `hang_seconds` (7 s), then a close | `ReadTimeout` (a `Timeout`, not a `ConnectionError`) → urllib3 `ReadTimeoutError`; with a read timeout above `hang_seconds`: `ConnectionError` → `ProtocolError('Connection aborted.', RemoteDisconnected)` |
| accept_then_5xx | yes | `status` (503) and the platform's error body | nothing: a response |
| accept_then_reset | yes | the whole call is read, then a TCP reset | `ConnectionError` → `ProtocolError('Connection aborted.', ConnectionResetError(104))` |
| rate_limit | no | 429, `Retry-After: retry_after`; X paths also `x-rate-limit-reset` | nothing: a response |
| close_before_read | no | a reset after the headers, the body unread | `ConnectionError` → `ProtocolError('Connection aborted.', ConnectionResetError(104))`, the same as accept_then_reset |
| refuse | no | connection refused for `refuse_seconds` (1 s) | `ConnectionError` (not `ConnectTimeout`) → `MaxRetryError`, `.reason` `NewConnectionError`, its `__cause__` `ConnectionRefusedError(111)` |

Only the last row proves nothing was sent: the connection never opened. A `ConnectionError` whose
`args[0]` is a `ProtocolError` came after the request was written, whatever the platform did with
it. `refuse` is a real ECONNREFUSED; a refused connection carries no path, so refuse applies to
every call in its window and takes neither `path_contains` nor `times`. `close_before_read` is the
nearest path-scoped stand-in: nothing reaches the platform, but the client cannot tell.
With urllib3 retries mounted on the session, every failure arrives as `ConnectionError` →
`MaxRetryError` whose `.reason` is the last cause (a retried hang too: `.reason` `ReadTimeoutError`,
not a `ReadTimeout`), and each retry is one more call the platform may have: classify by the cause.
The outbox answers HTTP/1.0 and closes after each call, so every call opens a new connection and
meets the fault switched on for it.
"""

from __future__ import annotations

import itertools
import json
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from enum import StrEnum
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

ADMIN_PATH = "/_outbox/faults"
CALLS_PATH = "/_outbox/calls"
# Heed's platform client reads with a 6 s timeout (heed.platforms.http.RetryPolicy.timeout); a hang
# must outlast it to be a timeout rather than a slow answer.
DEFAULT_HANG_SECONDS = 7.0
DEFAULT_REFUSE_SECONDS = 1.0


class FaultKind(StrEnum):
    ACCEPT_THEN_HANG = "accept_then_hang"
    ACCEPT_THEN_5XX = "accept_then_5xx"
    ACCEPT_THEN_RESET = "accept_then_reset"
    RATE_LIMIT = "rate_limit"
    CLOSE_BEFORE_READ = "close_before_read"
    REFUSE = "refuse"

    @property
    def recorded(self) -> bool:
        """Whether the platform has the call (and so may have acted on it) when this fault fires."""
        return self in (FaultKind.ACCEPT_THEN_HANG, FaultKind.ACCEPT_THEN_5XX, FaultKind.ACCEPT_THEN_RESET)


@dataclass
class Fault:
    kind: FaultKind
    path_contains: str = ""
    method: str | None = None
    times: int | None = 1  # calls left to fault; None: until cleared
    hang_seconds: float = DEFAULT_HANG_SECONDS
    status: int = 503
    retry_after: int = 1
    refuse_seconds: float = DEFAULT_REFUSE_SECONDS
    id: int = 0
    hits: int = 0
    refusing_until: float | None = field(default=None, repr=False)

    def matches(self, method: str, path: str) -> bool:
        return (self.method is None or self.method.upper() == method.upper()) and self.path_contains in path

    def as_json(self) -> dict[str, Any]:
        described: dict[str, Any] = {
            "id": self.id,
            "kind": str(self.kind),
            "path_contains": self.path_contains,
            "method": self.method,
            "times": self.times,
            "hits": self.hits,
        }
        described.update(
            {
                FaultKind.ACCEPT_THEN_HANG: {"hang_seconds": self.hang_seconds},
                FaultKind.ACCEPT_THEN_5XX: {"status": self.status},
                FaultKind.RATE_LIMIT: {"retry_after": self.retry_after},
                FaultKind.REFUSE: {"refuse_seconds": self.refuse_seconds},
            }.get(self.kind, {})
        )
        return described


_OPTIONS = {
    "hang_seconds": float,
    "status": int,
    "retry_after": int,
    "refuse_seconds": float,
    "method": str,
}


class OutboxFaults:
    """The faults switched on, consumed call by call; safe to use from the outbox's threads."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self.refuse_connections: Any = None  # set by the server that can stop listening

    def add(
        self,
        kind: FaultKind | str,
        *,
        path_contains: str = "",
        times: int | None = 1,
        method: str | None = None,
        hang_seconds: float = DEFAULT_HANG_SECONDS,
        status: int = 503,
        retry_after: int = 1,
        refuse_seconds: float = DEFAULT_REFUSE_SECONDS,
    ) -> Fault:
        """Fault the next `times` calls whose path contains `path_contains` (None: every one)."""
        fault = Fault(
            kind=FaultKind(kind),
            path_contains=path_contains,
            method=method,
            times=times,
            hang_seconds=hang_seconds,
            status=status,
            retry_after=retry_after,
            refuse_seconds=refuse_seconds,
            id=next(self._ids),
        )
        if times is not None and times < 1:
            raise ValueError("times must be at least 1 (or None for every call until cleared)")
        if fault.kind is FaultKind.ACCEPT_THEN_5XX and not 500 <= status <= 599:
            raise ValueError("accept_then_5xx answers a 5xx status")
        if fault.kind is FaultKind.REFUSE:
            if path_contains or method or times != 1:
                raise ValueError("refuse closes the port for refuse_seconds: a refused call has no path")
            if self.refuse_connections is None:
                raise ValueError("refuse needs the outbox to be serving")
            fault.refusing_until = time.monotonic() + refuse_seconds
            fault.hits = 1
            self.refuse_connections(refuse_seconds)
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def active(self) -> list[Fault]:
        now = time.monotonic()
        with self._lock:
            self._faults = [f for f in self._faults if f.refusing_until is None or f.refusing_until > now]
            return list(self._faults)

    def take(self, method: str, path: str) -> Fault | None:
        """The fault this call meets, if any (first added first), counted against its `times`."""
        with self._lock:
            for fault in self._faults:
                if fault.kind is FaultKind.REFUSE or not fault.matches(method, path):
                    continue
                fault.hits += 1
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times == 0:
                        self._faults.remove(fault)
                return fault
        return None

    def load(self, spec: str) -> list[Fault]:
        return [self.add(kind, **options) for kind, options in parse_spec(spec)]

    def admin(self, method: str, body: bytes) -> tuple[int, dict[str, Any]]:
        """`/_outbox/faults`: POST one fault or a list of them (JSON), GET lists, DELETE clears."""
        if method == "DELETE":
            self.clear()
        elif method == "POST":
            try:
                wanted = json.loads(body or b"null")
                specs = wanted if isinstance(wanted, list) else [wanted]
                if not all(isinstance(s, dict) and "kind" in s for s in specs):
                    raise ValueError('each fault is an object with a "kind"')
                added = [self.add(**s) for s in specs]
            except (ValueError, TypeError) as exc:  # TypeError: an unknown option
                return 400, {"error": str(exc), "kinds": [str(k) for k in FaultKind]}
            return 201, {"added": [f.as_json() for f in added], "faults": self._listed()}
        elif method != "GET":
            return 405, {"error": "GET, POST or DELETE"}
        return 200, {"faults": self._listed()}

    def _listed(self) -> list[dict[str, Any]]:
        return [f.as_json() for f in self.active()]


def parse_spec(spec: str) -> list[tuple[str, dict[str, Any]]]:
    """`kind[:path_contains[:times[:option=value...]]]`, comma-separated; times `*` = every call.

    e.g. `accept_then_hang:/comments:1:hang_seconds=8,rate_limit:/x/:*:retry_after=5`
    """
    parsed: list[tuple[str, dict[str, Any]]] = []
    for entry in filter(None, (e.strip() for e in spec.split(","))):
        kind, *rest = entry.split(":")
        options: dict[str, Any] = {}
        if rest:
            options["path_contains"] = rest[0]
        if len(rest) > 1 and rest[1]:
            options["times"] = None if rest[1] == "*" else int(rest[1])
        for option in rest[2:]:
            name, _, value = option.partition("=")
            if name not in _OPTIONS:
                raise ValueError(f"unknown fault option {name!r} in {entry!r}")
            options[name] = _OPTIONS[name](value)
        FaultKind(kind)  # fail at start-up, not at the first call
        parsed.append((kind, options))
    return parsed


# ---- what a faulted call gets back ------------------------------------------------------------


def platform_error(path: str, status: int) -> dict[str, Any]:
    """The error body the platform behind `path` sends with `status`.

    Graph API: https://developers.facebook.com/docs/graph-api/guides/error-handling/ (code 2: service
    temporarily unavailable; code 4: application request limit reached).
    X API v2: problem details, https://docs.x.com/x-api/fundamentals/response-codes-and-errors
    """
    if "/graph" in path:
        code, message = (
            (4, "(#4) Application request limit reached")
            if status == 429
            else (
                2,
                "An unexpected error has occurred. Please retry your request later.",
            )
        )
        return {
            "error": {
                "message": message,
                "type": "OAuthException",
                "is_transient": True,
                "code": code,
                "fbtrace_id": "AoutboxFault",
            }
        }
    title = "Too Many Requests" if status == 429 else "Service Unavailable"
    return {"title": title, "detail": title, "type": "about:blank", "status": status}


def rate_limit_headers(path: str, retry_after: int, now: float) -> dict[str, str]:
    """Retry-After for every platform; X also sends its window's reset (epoch seconds).
    https://docs.x.com/x-api/fundamentals/rate-limits"""
    headers = {"retry-after": str(retry_after)}
    if "/x/" in path:
        headers.update(
            {
                "x-rate-limit-limit": "300",
                "x-rate-limit-remaining": "0",
                "x-rate-limit-reset": str(int(now) + retry_after),
            }
        )
    return headers


def reset_on_finish(handler: BaseHTTPRequestHandler) -> None:
    """Make the handler's connection end with a TCP reset (SO_LINGER 0) instead of an answer."""
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    handler.close_connection = True
    handler.reset_connection = True  # type: ignore[attr-defined]


# ---- the server, which can stop listening ----------------------------------------------------


class OutboxServer(ThreadingHTTPServer):
    """A threaded HTTP server on 127.0.0.1 that can refuse connections for a while.

    To refuse, it closes its listening socket while a second socket, bound to the same port with
    SO_REUSEPORT but not listening, keeps the port: the kernel answers each connection attempt with
    a reset (ECONNREFUSED) and no other process can take the port; then that socket listens.
    """

    daemon_threads = True

    def __init__(self, port: int, handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(("127.0.0.1", port), handler, bind_and_activate=False)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        self.server_bind()
        self.server_activate()
        self._control = threading.Lock()
        self._closing = threading.Event()
        self._refusing_until = 0.0
        self._serving = False

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def start(self) -> None:
        with self._control:
            self._start_serving()

    def stop(self) -> None:
        self._closing.set()
        with self._control:
            if self._serving:
                self.shutdown()
                self._serving = False
            self.server_close()

    def refuse_connections(self, seconds: float) -> None:
        """Refuse every connection from now for `seconds` (returns once the port refuses)."""
        with self._control:
            until = time.monotonic() + seconds
            if self._refusing_until > time.monotonic():  # already refusing: extend the window
                self._refusing_until = max(self._refusing_until, until)
                return
            self._refusing_until = until
            keeper = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            keeper.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            keeper.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            keeper.bind(self.server_address)
            self.shutdown()
            self._serving = False
            self.socket.close()
            self.socket = keeper
        threading.Thread(target=self._listen_again, daemon=True).start()

    def _listen_again(self) -> None:
        while not self._closing.is_set():
            with self._control:
                if self._closing.is_set():
                    return
                left = self._refusing_until - time.monotonic()
                if left <= 0:
                    self.socket.listen(self.request_queue_size)
                    self._start_serving()
                    return
            self._closing.wait(left)

    def _start_serving(self) -> None:
        self._serving = True
        threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
