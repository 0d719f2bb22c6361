"""`make serve`: the local stack as a long-running server on 127.0.0.1.

Accepts real webhook requests at /webhooks/{platform}, works the queue continuously, runs the
scheduled jobs (SLA watch every minute; X polling when a bearer token is configured) and logs
structured lines. Port: HEED_PORT (default 8787). Secrets: infra/local_secrets.py (documented
development values, each overridable through its environment variable).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import signal
import sys
import threading
import time
from typing import Any

from infra.local_secrets import DEFAULTS
from infra.local_stack import LambdaContext, LocalStack


def _scheduled(module_name: str) -> Any | None:
    if importlib.util.find_spec(module_name) is None:
        return None
    return importlib.import_module(module_name)


def main() -> int:
    port = int(os.environ.get("HEED_PORT", "8787"))
    stack = LocalStack(http_port=port, quiet=False, publish_state=True).start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print(f"Heed local stack on {stack.base_url}")
    print(f"  webhooks:  {stack.base_url}/webhooks/{{facebook|instagram|messenger|whatsapp|x|generic}}")
    print(f"  privacy:   {stack.base_url}/privacy/meta/data-deletion")
    print(f"  staff API: {stack.base_url}/staff/tasks  (IAM auth in AWS; local only on 127.0.0.1)")
    print(f"  console:   {stack.base_url}/console/  (sign in with a development user below)")
    for email, password, group in stack.dev_users:
        print(f"    {group:<6} {email:<20} password {password}")
    print(f"  outbox:    {stack.outbox.path}  (every outbound platform call)")
    # Platform failures on purpose, e.g. HEED_OUTBOX_FAULTS="accept_then_hang:/comments:1"
    # (infra/outbox_faults.py); more at any time through the outbox's /_outbox/faults.
    try:
        faults = stack.outbox.faults.load(os.environ.get("HEED_OUTBOX_FAULTS", ""))
    except ValueError as exc:
        stack.stop()
        print(f"HEED_OUTBOX_FAULTS: {exc}", file=sys.stderr)
        return 2
    for fault in faults:
        print(f"  fault:     {fault.as_json()}")
    print(f"  faults:    {stack.outbox_url}/_outbox/faults  (POST JSON to add, GET to list, DELETE to clear)")
    print("  development secrets (override with the environment variable shown):")
    for field, (env, default) in DEFAULTS.items():
        print(f"    {field:<26} {os.environ.get(env, default):<44} ${env}")
    print("  CLI against this stack: .venv/bin/heed --local tasks list")
    watch = _scheduled("heed.followup.watch_handler")
    polling = _scheduled("heed.polling.handler")
    next_watch = next_poll = time.monotonic()
    try:
        while not stop.is_set():
            stack.drain()
            now = time.monotonic()
            if watch and now >= next_watch:
                watch.handler({"source": "local.schedule"}, LambdaContext("WatchFunction"))
                next_watch = now + 60
            if polling and now >= next_poll and os.environ.get("HEED_DEV_X_BEARER_TOKEN"):
                polling.handler({"source": "local.schedule"}, LambdaContext("PollingFunction"))
                next_poll = now + 300
            stop.wait(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
