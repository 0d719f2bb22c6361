"""A typical day of a small brand on the local stack, priced like end_to_end (infra/bench/e2e.py).

end_to_end sends 60 complaints in a few minutes: a negative spike by construction, so its all-in cost
carries a spike's SMS and a burst of urgent e-mails. Alert deliveries follow the incidents, not the
mentions; this section measures what a representative day costs per 1,000 mentions instead:

- traffic: 240 mentions whose message time (`created_at` / the platform's timestamp) is spread over one
  fixed weekday (DAY, local midnight to midnight in the brand's time zone) along a daily curve, texts
  drawn with a fixed seed from the team's corpus (infra/train/corpus, kinds as its READMEs define
  them), on every platform the stack accepts, each delivered signed through the ingest handler, then
  the queue drained by the respond handler, as end_to_end does;
- the clock follows the messages: the respond handler's `process_record(now=...)` is given the message
  time plus a few seconds (the handler reads the real clock only when `now` is not given), and the
  clocks the code reads itself for that day (the SLA watch handler's, Messenger's and WhatsApp's
  24-hour reply window) read the same simulated time, so spike windows, SLA clocks and reply windows
  see a day, not a burst and not a replay a week late;
- the SLA watch (EventBridge, every minute on AWS) runs through its real handler: every hour of the day,
  and at each minute a task's next alert falls due (the bench knows from the tasks), until the desk has
  answered the day's last task (alerts the day causes after midnight are the day's too);
- a help desk answers the tasks (a person's first response, recorded off the bill: the console's own
  requests are not priced), most within their target, one in ten late, so the watch has something
  realistic to alert on.

Priced with e2e.costs over the ingest and respond paths plus every alert publish (respond and watch);
the watch's own per-run requests are a fixed monthly cost, reported apart.
"""

from __future__ import annotations

import contextlib
import heapq
import json
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from infra.bench import common
from infra.bench import cost as costing
from infra.bench.common import RequestCounter, Usage, in_phase
from infra.bench.e2e import Deployed, Observed, costs, logs_as_shipped, observing
from infra.local_secrets import development_secrets
from infra.local_stack import LambdaContext, LocalStack
from infra.sample_deliveries import (
    IG_ACCOUNT_ID,
    PAGE_ID,
    WHATSAPP_BUSINESS_ACCOUNT_ID,
    SampleDelivery,
    facebook_comment,
    generic_signed,
    meta_signed,
    page_envelope,
    x_signed,
)
from infra.stack import ROOT

CORPUS = ROOT / "infra" / "train" / "corpus"
SEED = 20261130
DAY = date(2026, 11, 24)  # a Tuesday without holidays: the desk works 09:00-18:00 (templates/policy.toml)

# The day's new threads by category (210), then follow-ups written in threads opened earlier (30).
# Shares for a small telecom brand: complaints and questions lead, little abuse and spam (the corpus
# itself is balanced by design, README "Known limits").
NEW_THREADS: dict[str, int] = {
    "complaint": 72,
    "question": 40,
    "praise": 25,
    "other": 25,  # news, app posts, job ads, chat, off-topic, shared links
    "spam": 15,
    "feedback": 10,
    "sarcasm": 8,
    "abuse": 5,
    "mixed": 5,  # code-switching, emoji-only
    "personal_data": 2,
    "urgent": 3,
}
FOLLOW_UPS: dict[str, int] = {"followup": 20, "thanks": 10}
MIX: dict[str, int] = {**NEW_THREADS, **FOLLOW_UPS}

# The corpus files' `kind` words per category (the four languages of templates/policy.toml).
CATEGORY_KINDS: dict[str, tuple[str, ...]] = {
    "complaint": ("complaint", "complaint_factual"),
    "question": ("question",),
    "praise": ("praise", "praise_problem_word"),
    "other": ("news", "app_post", "job_ad", "chat", "offtopic", "off_topic", "shared_link"),
    "spam": ("spam",),
    "feedback": ("suggestion", "feedback"),
    "sarcasm": ("sarcasm",),
    "abuse": ("abuse", "abuse_complaint"),
    "mixed": ("emoji", "codeswitch", "code_switching"),
    "personal_data": ("personal_data",),
    "followup": ("followup",),
    "thanks": ("thanks",),
}
# Genuinely urgent, chosen by hand from the English complaints: fraud, drinking water safety, a
# 19-hour power cut.
URGENT_IDS = ("en-01815", "en-00083", "en-00427")
LANGUAGES: dict[str, float] = {"en": 0.70, "es": 0.15, "fr": 0.08, "pt": 0.07}
# Where a corpus line was found decides its channel: public mentions on the brand's pages and
# handles, DMs in the inboxes, listening hits through a listening tool (generic webhook).
CHANNELS: dict[str, dict[str, float]] = {
    "mention": {"facebook": 0.45, "x": 0.30, "instagram": 0.25},
    "dm": {"messenger": 0.6, "whatsapp": 0.4},
    "listening": {"generic": 1.0},
}
THREADED = ("facebook", "instagram", "x", "messenger", "whatsapp")  # a customer can write again there
OPENS_CASE = ("complaint", "question", "sarcasm", "personal_data", "urgent")
# Relative volume by local hour (0-23) in the brand's time zone: quiet nights, a morning and an
# evening peak.
HOURLY = (2, 1, 1, 1, 1, 2, 3, 5, 7, 9, 10, 10, 10, 9, 8, 8, 8, 9, 10, 10, 9, 7, 5, 3)
PROCESSING_LAG = timedelta(seconds=2)  # webhook → queue → respond on AWS, roughly
POSTS = 8  # the page's posts of the day that comments land under

# The desk: share of each task's first-response target (business time where the target counts it)
# used before a person answers; one task in ten is answered late.
ON_TIME_SHARE = (0.2, 0.7)
LATE_SHARE = 1.25
LATE_EVERY = 0.10
RUNS_PER_MONTH = 60 * 24 * 30  # rate(1 minute), template.yaml SlaWatch schedule
MAX_WATCH_RUNS = 600
IDLE_WATCH_EVERY = timedelta(hours=3)


# ---- the day's traffic (pure: the test reads it) --------------------------------------------------


@dataclass(frozen=True)
class DayMention:
    n: int
    at: datetime  # the message time
    category: str
    corpus_id: str
    text: str
    language: str
    found_by: str
    platform: str  # facebook, instagram, x, messenger, whatsapp, generic
    parent: int | None = None  # the mention whose thread this one writes in

    @property
    def root(self) -> int:
        return self.parent if self.parent is not None else self.n


def corpus_lines(corpus: Path = CORPUS) -> list[dict[str, Any]]:
    """The corpus lines of the brand's languages, with their resolved labels (intent, sentiment)."""
    lines = []
    for language in LANGUAGES:
        labels = {}
        labels_path = corpus / "labels" / f"{language}.jsonl"
        if labels_path.is_file():
            for raw in labels_path.read_text("utf-8").splitlines():
                item = json.loads(raw)
                labels[item["id"]] = item
        for raw in (corpus / f"{language}.jsonl").read_text("utf-8").splitlines():
            item = json.loads(raw)
            lines.append({**item, "file": language, "labels": labels.get(item["id"], {})})
    return lines


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def day_bounds(day: date = DAY, timezone: str = "Europe/Madrid") -> tuple[datetime, datetime]:
    """Local midnight to midnight, in UTC."""
    zone = ZoneInfo(timezone)
    start = datetime.combine(day, clock_time(0), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), clock_time(0), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def plan_day(
    day: date = DAY,
    *,
    seed: int = SEED,
    timezone: str = "Europe/Madrid",
    lines: list[dict[str, Any]] | None = None,
) -> list[DayMention]:
    """The day's mentions in message-time order."""
    rng = random.Random(seed)
    lines = lines if lines is not None else corpus_lines()
    start, day_end = day_bounds(day, timezone)
    hours = int((day_end - start).total_seconds() // 3600)  # 23 or 25 on a daylight-saving change
    zone = ZoneInfo(timezone)
    slot_weights = [HOURLY[(start + timedelta(hours=k)).astimezone(zone).hour] for k in range(hours)]
    by_id = {line["id"]: line for line in lines}
    pools: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for line in sorted(lines, key=lambda li: li["id"]):
        if line["id"] in URGENT_IDS:
            continue
        for category, kinds in CATEGORY_KINDS.items():
            if line["kind"] in kinds:
                pools.setdefault((category, line["file"]), []).append(line)

    def draw(category: str, language: str) -> dict[str, Any]:
        pool = pools.get((category, language)) or pools[(category, "en")]
        return pool.pop(rng.randrange(len(pool)))

    def moment() -> datetime:
        slot = rng.choices(range(hours), weights=slot_weights)[0]
        return start + timedelta(hours=slot, seconds=rng.randrange(3600))

    def channel(found_by: str) -> str:
        return _weighted(rng, CHANNELS.get(found_by, CHANNELS["mention"]))

    fresh: list[tuple[datetime, str, dict[str, Any], str]] = []
    for category, count in NEW_THREADS.items():
        for i in range(count):
            if category == "urgent":
                line, language = by_id[URGENT_IDS[i % len(URGENT_IDS)]], "en"
            else:
                language = _weighted(rng, LANGUAGES)
                line = draw(category, language)
            fresh.append((moment(), category, line, channel(line["found_by"])))
    fresh.sort(key=lambda f: (f[0], f[2]["id"]))
    day = [
        DayMention(n, at, category, line["id"], line["text"], line["file"], line["found_by"], platform)
        for n, (at, category, line, platform) in enumerate(fresh)
    ]

    # Follow-ups: the same customer writes again in a case thread opened earlier that day.
    cases = [m for m in day if m.category in OPENS_CASE and m.platform in THREADED]
    cases = [m for m in cases if m.at < day_end - timedelta(minutes=30)]
    rng.shuffle(cases)
    wanted = [c for c, k in FOLLOW_UPS.items() for _ in range(k)]
    follow: list[tuple[datetime, str, dict[str, Any], DayMention]] = []
    for category, parent in zip(wanted, cases, strict=False):
        room = (day_end - parent.at - timedelta(minutes=1)).total_seconds()
        delay = rng.uniform(20 * 60, min(6 * 3600, room))
        follow.append(
            (parent.at + timedelta(seconds=delay), category, draw(category, parent.language), parent)
        )
    follow.sort(key=lambda f: (f[0], f[2]["id"]))
    n = len(day)
    for at, category, line, parent in follow:
        day.append(
            DayMention(
                n,
                at,
                category,
                line["id"],
                line["text"],
                line["file"],
                line["found_by"],
                parent.platform,
                parent.n,
            )
        )
        n += 1
    return sorted(day, key=lambda m: (m.at, m.n))


# ---- signed deliveries, one per mention, as each platform sends them ---------------------------


def delivery(m: DayMention, received: datetime) -> SampleDelivery:
    """`m` as its platform's webhook delivers it; `received` (the real clock) only signs the generic
    webhook's timestamp, which the ingest handler checks against its clock (5 minutes)."""
    root, stamp = m.root, int(m.at.timestamp())
    if m.platform == "facebook":
        post = f"91{root % POSTS:06d}"
        parent = f"{post}_92{root:06d}" if m.parent is not None else None
        change = facebook_comment(
            f"92{m.n:06d}",
            post,
            m.text,
            author_id=f"6156{root:010d}",
            name=f"Customer {root}",
            now=m.at,
            parent=parent,
        )
        return meta_signed("facebook", page_envelope(m.at, change), f"day {m.n}")
    if m.platform == "instagram":
        value: dict[str, Any] = {
            "id": f"1791{m.n:010d}",
            "from": {"id": f"1785{root:010d}", "username": f"ig_cust_{root}"},
            "text": m.text,
            "media": {"id": f"1789{root % POSTS:010d}", "media_product_type": "FEED"},
        }
        if m.parent is not None:
            value["parent_id"] = f"1791{root:010d}"
        payload = {
            "object": "instagram",
            "entry": [
                {"id": IG_ACCOUNT_ID, "time": stamp, "changes": [{"field": "comments", "value": value}]}
            ],
        }
        return meta_signed("instagram", payload, f"day {m.n}")
    if m.platform == "messenger":
        payload = {
            "object": "page",
            "entry": [
                {
                    "id": PAGE_ID,
                    "time": stamp * 1000,
                    "messaging": [
                        {
                            "sender": {"id": f"71{root:014d}"},
                            "recipient": {"id": PAGE_ID},
                            "timestamp": stamp * 1000,
                            "message": {"mid": f"m_day{m.n:06d}", "text": m.text},
                        }
                    ],
                }
            ],
        }
        return meta_signed("messenger", payload, f"day {m.n}")
    if m.platform == "whatsapp":
        wa_id = f"3460{root:08d}"
        value = {
            "messaging_product": "whatsapp",
            "metadata": {
                "display_phone_number": "15550783881",
                "phone_number_id": development_secrets()["whatsapp_phone_number_id"],
            },
            "contacts": [{"profile": {"name": f"Customer {root}"}, "wa_id": wa_id}],
            "messages": [
                {
                    "from": wa_id,
                    "id": f"wamid.DAY{m.n:020d}",
                    "timestamp": str(stamp),
                    "type": "text",
                    "text": {"body": m.text},
                }
            ],
        }
        payload = {
            "object": "whatsapp_business_account",
            "entry": [
                {"id": WHATSAPP_BUSINESS_ACCOUNT_ID, "changes": [{"value": value, "field": "messages"}]}
            ],
        }
        return meta_signed("whatsapp", payload, f"day {m.n}")
    if m.platform == "x":
        brand = development_secrets()["x_brand_user_id"]
        user = f"88{root:010d}"
        post = {
            "id_str": f"19{m.n:015d}",
            "created_at": m.at.strftime("%a %b %d %H:%M:%S +0000 %Y"),
            "timestamp_ms": str(stamp * 1000),
            "text": m.text,
            "in_reply_to_status_id_str": f"19{root:015d}" if m.parent is not None else None,
            "in_reply_to_user_id_str": user if m.parent is not None else None,
            "user": {
                "id_str": user,
                "screen_name": f"cust{root}",
                "name": f"Customer {root}",
                "followers_count": 40 + root * 7 % 900,
                "verified": False,
            },
            "entities": {"user_mentions": [{"id_str": brand, "screen_name": "acmetelecom"}]},
        }
        return x_signed({"for_user_id": brand, "tweet_create_events": [post]}, f"day {m.n}")
    payload = {  # generic: a listening tool's hit
        "type": "mention.created",
        "data": {
            "id": f"day-{m.n}",
            "text": m.text,
            "url": f"https://listening.example/posts/day-{m.n}",
            "created_at": m.at.isoformat(),
            "visibility": "public",
            "source": "listening",
            "found_by": "listening",
            "author": {"id": f"la-{root}", "handle": f"lt{root}", "name": f"Poster {root}", "followers": 120},
        },
    }
    return generic_signed(payload, f"day {m.n}", msg_id=f"msg_day_{m.n}", now=received)


# ---- the clocks of the handlers ------------------------------------------------------------------


@contextlib.contextmanager
def respond_clock(clock: Callable[[], datetime]) -> Iterator[None]:
    """The respond handler processes each record at `clock()`: process_record's `now`, which the
    handler leaves to the real clock."""
    from heed.respond import handler as respond

    original = respond.process_record

    def at_message_time(record: dict[str, Any], *, context: Any = None, now: datetime | None = None) -> str:
        return original(record, context=context, now=now or clock())

    respond.process_record = at_message_time  # type: ignore[assignment]
    try:
        yield
    finally:
        respond.process_record = original  # type: ignore[assignment]


# Modules that read `datetime.now` themselves on the day's path (they only call `.now()` on it): the
# SLA watch handler (once per run) and the 24-hour reply window of Messenger and WhatsApp.
CLOCK_READERS = ("heed.followup.watch_handler", "heed.platforms.messenger", "heed.platforms.whatsapp")


@contextlib.contextmanager
def day_clock(clock: Callable[[], datetime]) -> Iterator[None]:
    """`datetime.now()` in CLOCK_READERS answers `clock()` (the rest of datetime unchanged)."""
    import importlib

    class _Clock(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> datetime:  # type: ignore[override]
            return clock().astimezone(tz) if tz else clock()

    modules = [importlib.import_module(name) for name in CLOCK_READERS]
    saved = [module.datetime for module in modules]
    for module in modules:
        module.datetime = _Clock
    try:
        yield
    finally:
        for module, original in zip(modules, saved, strict=True):
            module.datetime = original


@contextlib.contextmanager
def off_the_bill() -> Iterator[None]:
    """The bench's own reads and the desk's actions: not counted (the counter's own switch, as its item
    reads use) and their log lines not metered."""
    saved = getattr(common._uncounted, "on", False)
    common._uncounted.on = True
    try:
        with logs_as_shipped("WARNING"):
            yield
    finally:
        common._uncounted.on = saved


# ---- usage arithmetic ----------------------------------------------------------------------------


def _added(a: Usage, b: Usage) -> Usage:
    out = a.copy()
    for f in fields(Usage):
        getattr(out, f.name).update(getattr(b, f.name))
    return out


def alert_part(u: Usage) -> Usage:
    """What the watch's alerts cost like a mention's: the SNS calls, billed chunks and publishes."""
    return Usage(
        calls=Counter({k: v for k, v in u.calls.items() if k[1] == "sns"}),
        units=Counter({k: v for k, v in u.units.items() if k[1] == "sns_billed"}),
        publishes=Counter(u.publishes),
    )


def _kinds(usage: Usage) -> dict[str, int]:
    out: Counter[str] = Counter()
    for (_topic, kind), n in usage.published().items():
        out[kind] += n
    return dict(sorted(out.items()))


# ---- the run -------------------------------------------------------------------------------------


@dataclass
class _Watch:
    """The SLA watch's runs on the day: all of them, and the idle ones (nothing due) apart."""

    runs: int = 0
    usage: Usage = field(default_factory=Usage)
    alerts: Counter[str] = field(default_factory=Counter)
    idle_runs: int = 0
    idle_seconds: float = 0.0
    idle_usage: Usage = field(default_factory=Usage)
    idle_log_bytes: int = 0
    idle_log_events: int = 0


class InProcessReads:
    """GetItem on the stack's table straight from moto's in-process backend (as the request counter
    reads item images): the bench's own reads, off the bill and without an HTTP round trip each."""

    def __init__(self, table: Any) -> None:
        from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

        self.table = table
        self._to_wire = TypeSerializer().serialize
        self._from_wire = TypeDeserializer().deserialize

    def get_item(self, *, Key: dict[str, Any], **_: Any) -> dict[str, Any]:
        wire = {k: self._to_wire(v) for k, v in Key.items()}
        found = common._moto_item("us-east-1", self.table.name, wire)
        if found is common._NOT_IN_MOTO:
            return dict(self.table.get_item(Key=Key, ConsistentRead=True))
        return {"Item": {k: self._from_wire(v) for k, v in found.items()}} if found else {}


def _task_of(reads: InProcessReads, d: SampleDelivery) -> str | None:
    """The task the mention's thread is followed in (read off the bill, like e2e's `_tasked`)."""
    from heed.platforms.base import WebhookRequest
    from heed.platforms.registry import webhook_adapter
    from heed.storage import conversations, plans

    adapter = webhook_adapter(d.route)
    if adapter is None:
        return None
    parsed = adapter.parse(WebhookRequest("POST", d.headers, {}, d.body, datetime.now(tz=UTC))).mentions
    for mention in parsed:
        record = plans.get_record(reads, mention.key) or {}
        task_id = record.get("task_id") or conversations.header(reads, mention.thread_key).get("task_id")
        if task_id:
            return str(task_id)
    return None


def _answer_at(task: Any, policy: Any, start: datetime, share: float) -> datetime:
    from heed.followup import sla

    target = policy.sla.target(task.priority, task.visibility.value)
    hours = policy.business_hours if target.business_hours else None
    due = sla.deadlines(policy.sla, policy.business_hours, task.priority, task.visibility.value, start)[0]
    return sla.warning_time(start, due, share, hours)


def measure(
    stack: LocalStack, counter: RequestCounter, *, cold: dict[str, Any] | None = None
) -> dict[str, Any]:
    from heed.followup import tasks as followup
    from heed.followup import watch_handler
    from heed.models import ACTIVE_TASK_STATUSES, TaskStatus
    from heed.storage import tasks as task_store

    deployed = Deployed.from_template()
    policy = stack.policy
    timezone = policy.business_hours.timezone
    day_start, day_end = day_bounds(DAY, timezone)
    day = plan_day(DAY, timezone=timezone)
    by_n = {m.n: m for m in day}
    reads = InProcessReads(stack.table)
    desk_rng = random.Random(SEED + 1)

    clock = {"now": day_start}
    events: list[tuple[datetime, int, str, Any]] = []
    order = 0

    def push(at: datetime, kind: str, payload: Any) -> None:
        nonlocal order
        heapq.heappush(events, (at, order, kind, payload))
        order += 1

    for m in day:
        push(m.at, "mention", m.n)
    sample = day_start + IDLE_WATCH_EVERY
    while sample <= day_end:  # the watch's idle runs, sampled (on AWS: every minute, nothing due)
        push(sample, "watch", None)
        sample += IDLE_WATCH_EVERY

    next_alert: dict[str, datetime | None] = {}
    desk_pending: set[str] = set()
    tasks_seen: dict[str, list[int]] = {}  # task id -> the day's mentions in it
    desk = Counter[str]()
    watch = _Watch()

    def look(task_id: str, *, start: datetime | None = None) -> None:
        """Off the bill: note when the watch must next look at the task; book the desk's answer."""
        with off_the_bill():
            task = task_store.get(reads, task_id)
        if task is None:
            return
        next_alert[task_id] = followup.next_alert_at(task, policy)
        needs_person = task.status in ACTIVE_TASK_STATUSES and (
            task.first_response_at is None or task.status is TaskStatus.OPEN
        )
        if start is None or not needs_person or task_id in desk_pending:
            return
        late = desk_rng.random() < LATE_EVERY
        share = LATE_SHARE if late else desk_rng.uniform(*ON_TIME_SHARE)
        begun = task.opened_at if task.first_response_at is None else start
        desk_pending.add(task_id)
        desk["late" if late else "on_time"] += 1
        push(_answer_at(task, policy, begun, share), "desk", task_id)

    def run_watch(at: datetime) -> None:
        clock["now"] = at
        before = counter.snapshot()
        with in_phase("watch"), logs_as_shipped(deployed.log_level) as meter:
            started = time.perf_counter()
            answer = watch_handler.handler({}, LambdaContext("SlaWatchFunction"))
            took = time.perf_counter() - started
        used = counter.since(before)
        watch.usage = _added(watch.usage, used)
        watch.runs += 1
        watch.alerts.update(answer.get("alerts") or {})
        if not answer.get("looked_at"):
            watch.idle_runs += 1
            watch.idle_seconds += took
            watch.idle_usage = _added(watch.idle_usage, used)
            watch.idle_log_bytes += meter.bytes
            watch.idle_log_events += meter.events
        for task_id, due in list(next_alert.items()):
            if due is not None and due <= at:
                look(task_id)
                if (next_alert.get(task_id) or at + timedelta(minutes=1)) <= at:
                    next_alert[task_id] = at + timedelta(minutes=1)  # still due: the next minute meets it

    def due_watch_before(moment: datetime) -> None:
        """Runs of the every-minute watch that meet a task's next alert before `moment`."""
        while watch.runs < MAX_WATCH_RUNS:
            pending = [d for d in next_alert.values() if d is not None]
            if not pending:
                return
            first = min(pending)
            tick = first.replace(second=0, microsecond=0)
            tick += timedelta(minutes=1) if tick < first else timedelta(0)
            if tick >= moment:
                return
            run_watch(tick)

    delivered = 0
    refused: list[str] = []
    began = time.perf_counter()
    with (
        observing(stack, counter, deployed) as box,
        respond_clock(lambda: clock["now"]),
        day_clock(lambda: clock["now"]),
    ):
        # The day, then the desk's answers to its last tasks (the next morning for the evening's):
        # the SLA alerts those tasks cause belong to the day.
        while events:
            at, _, kind, payload = heapq.heappop(events)
            due_watch_before(at)
            if kind == "watch":
                run_watch(at)
            elif kind == "desk":
                clock["now"] = at
                desk_pending.discard(payload)
                with off_the_bill():
                    followup.record_human_response(
                        stack.table,
                        payload,
                        policy,
                        at=at,
                        by="console:desk",
                        event_id=f"desk-{order}-{payload}",
                    )
                desk["answered_that_day" if at <= day_end else "answered_the_next_day_or_later"] += 1
                look(payload)
            else:
                m = by_n[payload]
                d = delivery(m, datetime.now(tz=UTC))
                with in_phase("ingest"):
                    status, answer = stack.deliver(
                        "POST", f"/webhooks/{d.route}", body=d.body, headers=d.headers
                    )
                delivered += 1
                if status != 200:
                    refused.append(f"{m.n} {m.platform}: {status} {answer[:120]}")
                    continue
                clock["now"] = m.at + PROCESSING_LAG
                with in_phase("respond"):
                    stack.drain()
                with off_the_bill():
                    task_id = _task_of(reads, d)
                if task_id:
                    tasks_seen.setdefault(task_id, []).append(m.n)
                    look(task_id, start=m.at)
        due_watch_before(max(day_end, clock["now"]) + timedelta(minutes=1))
    elapsed = time.perf_counter() - began
    with off_the_bill():
        sent = stack.alert_messages()  # the local inbox subscribed to both topics: which task each was for
    desk["never_answered"] = len(desk_pending)

    total: Usage = box["usage"]
    mention_usage = _added(total - watch.usage, alert_part(watch.usage))
    n = len(day)
    observed = Observed(
        mentions=n,
        deliveries=delivered,
        usage=mention_usage,
        timings=box["timings"],
        log_bytes=box["meter"].bytes,
        log_events=box["meter"].events,
        deployed=deployed,
        topics=box["topics"],
    )
    figures = observed.figures()
    priced = costs(observed, deployed, cold)
    # The same day without the watch's alerts: what a desk that always answers in time would cost.
    in_time = replace(observed, usage=total - watch.usage)
    priced_in_time = costs(in_time, deployed, cold)
    all_alerts = _kinds(mention_usage)
    watch_alerts = _kinds(alert_part(watch.usage))
    respond_alerts = {
        k: v - watch_alerts.get(k, 0) for k, v in all_alerts.items() if v - watch_alerts.get(k, 0)
    }

    zone = ZoneInfo(policy.business_hours.timezone)
    local_hours = Counter(m.at.astimezone(zone).hour for m in day)
    labels = {line["id"]: line["labels"] for line in corpus_lines()}
    return {
        "mentions": n,
        "deliveries": delivered,
        "refused": refused,
        "day": {
            "start": day_start.isoformat(),
            "end": day_end.isoformat(),
            "timezone": policy.business_hours.timezone,
            "local_weekdays": sorted({m.at.astimezone(zone).strftime("%a") for m in day}),
            "by_local_hour": [local_hours.get(h, 0) for h in range(24)],
            "busiest_5_minutes": _busiest(day, timedelta(minutes=5)),
        },
        "mix": dict(Counter(m.category for m in day)),
        "platforms": dict(Counter(m.platform for m in day).most_common()),
        "languages": dict(Counter(m.language for m in day).most_common()),
        "labelled_intent": dict(
            Counter(labels.get(m.corpus_id, {}).get("intent", "?") for m in day).most_common()
        ),
        "labelled_sentiment": dict(
            Counter(labels.get(m.corpus_id, {}).get("sentiment", "?") for m in day).most_common()
        ),
        "tasks": len(tasks_seen),
        "desk": dict(desk),
        "alerts": all_alerts,
        "alerts_by_source": {"respond": respond_alerts, "sla_watch": watch_alerts},
        "alerted_tasks_by_category": _alerted(sent, tasks_seen, by_n),
        "requests_per_mention": figures["requests"],
        "dynamodb_per_mention": figures["dynamodb"],
        "log_bytes_per_mention": figures["log_bytes"],
        "errors": figures["errors"],
        "accounting_errors": dict(counter.accounting_errors),
        "cost_per_1000_mentions": priced,
        "cost_per_1000_if_desk_never_late": {
            k: priced_in_time[k] for k in ("total_usd", "total_usd_without_alert_deliveries", "usd")
        },
        "sla_watch": _watch_figures(watch, deployed),
        "wall_seconds": round(elapsed, 1),
        "how": _how(n, day_start, day_end, policy.business_hours.timezone),
    }


def _alerted(
    sent: list[dict[str, Any]], tasks_seen: dict[str, list[int]], by_n: dict[int, DayMention]
) -> dict[str, dict[str, int]]:
    """Per alert kind, the category of the mention that opened each alerted task: what set it off."""
    out: dict[str, Counter[str]] = {}
    for alert in sent:
        attributes = alert["attributes"]
        mentions = tasks_seen.get(str(attributes.get("task_id")), [])
        category = by_n[mentions[0]].category if mentions else "-"
        out.setdefault(str(attributes.get("kind")), Counter())[category] += 1
    return {kind: dict(c.most_common()) for kind, c in sorted(out.items())}


def _busiest(day: list[DayMention], width: timedelta) -> int:
    times = [m.at for m in day]
    best, j = 0, 0
    for i, t in enumerate(times):
        while times[j] <= t - width:
            j += 1
        best = max(best, i - j + 1)
    return best


def _watch_figures(watch: _Watch, deployed: Deployed) -> dict[str, Any]:
    """The watch's alerts, and what its idle runs (nothing due) cost a month: priced with the same
    arithmetic as a mention, one invocation per run."""
    out: dict[str, Any] = {
        "runs": watch.runs,
        "idle_runs": watch.idle_runs,
        "alerts": dict(sorted(watch.alerts.items())),
        "capped": watch.runs >= MAX_WATCH_RUNS,
    }
    if watch.idle_runs:
        k = watch.idle_runs
        u = watch.idle_usage
        per_run = costing.PerMention(
            http_requests=0.0,
            ingest_invocations=0.0,
            respond_invocations=1.0,
            ingest_seconds=0.0,
            respond_seconds=watch.idle_seconds / k,
            sqs_billed=0.0,
            dynamodb_wru=u.unit_total("WRU") / k,
            dynamodb_rru=u.unit_total("RRU") / k,
            sns_billed=0.0,
            app_log_bytes=(watch.idle_log_bytes + costing.LOG_EVENT_OVERHEAD * watch.idle_log_events) / k,
            memory_gb=deployed.memory_gb,
        )
        per_thousand = costing.cost_per_thousand(per_run, tracing=deployed.tracing == "Active")
        out.update(
            {
                "requests_per_idle_run": {s: round(v / k, 2) for s, v in u.by_service().items()},
                "rru_per_idle_run": round(u.unit_total("RRU") / k, 2),
                "ms_per_idle_run": round(watch.idle_seconds / k * 1000, 1),
                "usd_per_month_idle": round(per_thousand["total_usd"] * RUNS_PER_MONTH / 1000, 4),
                "usd_per_month_note": "43,200 runs (every minute, 30 days) priced like a mention's Lambda, "
                "DynamoDB and log lines; EventBridge Scheduler's own charge is not in prices.py",
            }
        )
    return out


def _how(n: int, start: datetime, end: datetime, timezone: str) -> str:
    mix = ", ".join(f"{k} {v}" for k, v in MIX.items())
    langs = ", ".join(f"{k} {round(v * 100)}%" for k, v in LANGUAGES.items())
    chans = "; ".join(
        f"{found_by}: " + ", ".join(f"{p} {round(s * 100)}%" for p, s in channels.items())
        for found_by, channels in CHANNELS.items()
    )
    return (
        f"{n} mentions with message times on {DAY:%a %Y-%m-%d} ({start:%H:%M} to {end:%H:%M} UTC, midnight "
        f"to midnight in {timezone}, along a daily curve), texts from infra/train/corpus drawn with seed "
        f"{SEED}: {mix} (follow-ups and thanks: the same customer again in a case thread opened earlier "
        f"that day; urgent = {', '.join(URGENT_IDS)}); languages {langs}; channel by the line's found_by "
        f"({chans}). Each mention one signed delivery through the ingest handler, then the queue drained "
        "by the respond handler with process_record's now = message time + 2 s; the SLA watch handler and "
        "the Messenger/WhatsApp 24-hour reply window read the same simulated clock. The watch handler ran "
        f"every {IDLE_WATCH_EVERY.seconds // 3600} h (idle samples) and at each minute a task's next alert "
        "fell due (as the every-minute schedule meets it), until the desk had answered the day's last task; "
        "the desk recorded a person's first response to each task (again after a follow-up) at "
        f"{ON_TIME_SHARE[0]}-{ON_TIME_SHARE[1]} of its first-response target, {LATE_SHARE} for one task "
        f"in {round(1 / LATE_EVERY)}, off the bill. Priced with e2e.costs: the ingest and respond paths "
        "plus every alert publish and delivery (respond and watch); if_desk_never_late leaves out the "
        "watch's alerts; the watch's idle runs are a fixed monthly cost (sla_watch). Not counted, as in "
        "end_to_end: the webhooks echoing Heed's own replies back; nor the desk's console requests."
    )


def measure_on_own_stack(cold: dict[str, Any] | None = None) -> dict[str, Any]:
    """On a fresh stack: the tables end_to_end filled hold its spike (armed state, window counts) in
    the windows of the real clock, which would bend this day's baseline and spike state."""
    from moto.moto_api._internal.models import moto_api_backend

    moto_api_backend.reset()
    with LocalStack(http_port=0) as stack:
        counter = RequestCounter().install()
        try:
            return measure(stack, counter, cold=cold)
        finally:
            counter.uninstall()
