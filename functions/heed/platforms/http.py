"""Outbound calls to platform APIs: one session per client, timeouts everywhere, backoff with jitter,
and rate limits obeyed as the platform says — without outliving the Lambda that makes the call.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from heed.observability import logger

if TYPE_CHECKING:  # imported on first use: ~45 ms of cold start that many invocations never need
    import requests

# Meta error codes that mean "slow down" (Graph API rate limiting), plus the WhatsApp Cloud API's
# own throughput codes (80007 account, 130429 throughput, 131056 pair rate limit).
META_RATE_LIMIT_CODES = frozenset({4, 17, 32, 613, 80001, 80002, 80006, 80007, 130429, 131056})
# Meta error codes that will not get better by retrying: expired/invalid token, permissions,
# object gone, messaging window closed (WhatsApp 131047: more than 24 h since the customer wrote).
META_PERMANENT_CODES = frozenset({10, 100, 190, 200, 368, 551, 2018278, 2534022, 131047, 131026})
# Meta error codes documented as temporary ("API Unknown", "API Service"): retry with backoff.
META_TRANSIENT_CODES = frozenset({1, 2})


class PlatformApiError(Exception):
    def __init__(self, message: str, *, status: int | None = None, code: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class TransientPlatformError(PlatformApiError):
    """5xx, timeouts, connection errors: retried here, then handed back to the queue."""


class DeliveryUncertain(PlatformApiError):
    """The request may have reached the platform (read timeout, 5xx, connection dropped after the body
    went out): posting again could publish a second reply. Never retried; a person checks."""


class RateLimited(PlatformApiError):
    """The platform asked us to wait longer than this invocation can: come back after `retry_after`."""

    def __init__(self, message: str, *, retry_after: float, status: int | None = None) -> None:
        super().__init__(message, status=status)
        self.retry_after = retry_after


class PermanentRefusal(PlatformApiError):
    """Expired token, deleted comment, window closed: retrying will not help; a person must act."""


MAX_INLINE_WAIT_SECONDS = 30.0


@dataclass
class RetryPolicy:
    attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 8.0
    timeout: float = 6.0  # (connect, read) seconds per call


def _meta_error(body: Any) -> tuple[int | None, int | None, str, bool]:
    """(code, subcode, message, is_transient) of a Graph API error body."""
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        err = body["error"]
        code = err.get("code") if isinstance(err.get("code"), int) else None
        sub = err.get("error_subcode") if isinstance(err.get("error_subcode"), int) else None
        return code, sub, str(err.get("message", ""))[:200], err.get("is_transient") is True
    return None, None, "", False


def _x_error(body: Any) -> str:
    """X API v2 problem details: `{"title", "detail", "type"}` or `{"errors": [{"message"}]}`."""
    if isinstance(body, dict):
        if isinstance(body.get("detail"), str):
            return body["detail"][:200]
        errors = body.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            return str(errors[0].get("message") or errors[0].get("detail") or "")[:200]
    return ""


def _meta_usage_wait(headers: Any) -> float | None:
    """Seconds Meta tells us to wait, from X-Business-Use-Case-Usage (minutes)."""
    raw = headers.get("x-business-use-case-usage")
    if not raw:
        return None
    try:
        usage = json.loads(raw)
        minutes = max(
            (int(e.get("estimated_time_to_regain_access", 0)) for v in usage.values() for e in v),
            default=0,
        )
    except (ValueError, TypeError, AttributeError):
        return None
    return minutes * 60.0 if minutes else None


def _never_connected(exc: BaseException) -> bool:
    """True when the request provably never reached the platform: the TCP connection was refused,
    the name did not resolve, or connecting timed out. A read timeout, a reset or a dropped
    connection after the body was sent prove nothing, so they are not in this list."""
    import requests
    from urllib3.exceptions import ConnectTimeoutError, NewConnectionError  # with requests, on first use

    if isinstance(exc, requests.ConnectTimeout):
        return True
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        for inner in (current, getattr(current, "reason", None), *getattr(current, "args", ())):
            # NameResolutionError is a NewConnectionError in urllib3 2.x.
            if isinstance(inner, NewConnectionError | ConnectTimeoutError):
                return True
        current = current.__cause__ or current.__context__
    return False


class ApiSession:
    """A requests session with the retry rules of one platform.

    `remaining_seconds` reports how long the current invocation may still run (the Lambda context's
    `get_remaining_time_in_millis`), so a long rate-limit wait becomes a `RateLimited` for the queue.
    """

    def __init__(
        self,
        *,
        platform: str,
        retry: RetryPolicy | None = None,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        remaining_seconds: Callable[[], float] = lambda: 900.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.platform = platform
        self.retry = retry or RetryPolicy()
        self._session = session
        self._sleep = sleep
        self._clock = clock
        self.remaining_seconds = remaining_seconds

    @property
    def _requests(self) -> Any:
        import requests

        return requests

    @property
    def session(self) -> requests.Session:
        if self._session is None:
            import requests

            self._session = requests.Session()
        return self._session

    def request(self, method: str, url: str, *, at_most_once: bool = False, **kwargs: Any) -> dict[str, Any]:
        """One call, retried while retrying is safe.

        `at_most_once` marks a call that publishes something (a reply, a message) on a platform that
        offers no idempotency key: once the request may have left, a failure raises DeliveryUncertain
        instead of retrying. Only failures that prove nothing was received are retried: no
        connection, a 429 (the platform refused before accepting) or a 4xx validation error.
        """
        last: PlatformApiError | None = None
        for attempt in range(self.retry.attempts):
            try:
                response = self.session.request(method, url, timeout=self.retry.timeout, **kwargs)
            except (self._requests.Timeout, self._requests.ConnectionError) as exc:
                if at_most_once and not _never_connected(exc):
                    raise DeliveryUncertain(
                        f"{self.platform} {method}: no answer after sending ({type(exc).__name__})"
                    ) from exc
                last = TransientPlatformError(f"{self.platform} {method} failed: {type(exc).__name__}")
                self._backoff(attempt, last)
                continue
            try:
                body = response.json() if response.content else {}
            except ValueError:
                body = {}
            if response.ok:
                return body if isinstance(body, dict) else {"data": body}
            error = self._classify(response, body)
            if isinstance(error, PermanentRefusal):
                raise error
            if isinstance(error, RateLimited):
                # Short waits are slept here; anything longer goes back to the queue with a delay.
                if (
                    error.retry_after > MAX_INLINE_WAIT_SECONDS
                    or error.retry_after > self.remaining_seconds() - 10.0
                    or attempt + 1 >= self.retry.attempts
                ):
                    raise error
                logger.info(
                    "platform rate limit: waiting",
                    extra={"platform": self.platform, "wait": round(error.retry_after, 1)},
                )
                self._sleep(error.retry_after)
                last = error
                continue
            if at_most_once:
                # A 5xx or 408 after the body went out: the platform may have published it.
                raise DeliveryUncertain(str(error), status=error.status, code=error.code)
            last = error
            self._backoff(attempt, error)
        assert last is not None  # nosec B101 - type narrowing; the loop always sets it
        raise last

    def _backoff(self, attempt: int, error: PlatformApiError) -> None:
        if attempt + 1 >= self.retry.attempts:
            return
        delay = min(self.retry.max_delay, self.retry.base_delay * 2**attempt) * random.uniform(0.5, 1.0)  # nosec B311 - backoff jitter, not security
        if delay > self.remaining_seconds() - 10.0:
            raise error
        logger.info("platform call retried", extra={"platform": self.platform, "attempt": attempt + 1})
        self._sleep(delay)

    def _classify(self, response: requests.Response, body: Any) -> PlatformApiError:
        status = response.status_code
        code, subcode, message, transient = _meta_error(body)
        if status == 429 or code in META_RATE_LIMIT_CODES:
            reset = response.headers.get("x-rate-limit-reset", "").strip()
            wait = None
            if reset.isdigit():
                # X gives the epoch second the window reopens; one more second absorbs clock skew.
                wait = max(float(reset) - self._clock(), 0.0) + 1.0
            wait = wait or _meta_usage_wait(response.headers)
            if wait is None and response.headers.get("retry-after", "").strip().isdigit():
                wait = float(response.headers["retry-after"])
            return RateLimited(f"{self.platform} rate limited", retry_after=wait or 60.0, status=status)
        if status >= 500 or status == 408 or transient or code in META_TRANSIENT_CODES:
            return TransientPlatformError(f"{self.platform} answered {status}", status=status, code=code)
        detail = message or _x_error(body) or f"HTTP {status}"
        return PermanentRefusal(f"{self.platform} refused: {detail}", status=status, code=code or subcode)
