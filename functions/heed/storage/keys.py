"""Every DynamoDB key and index of Heed's single table, and nowhere else.

Table `HeedTable` (template.yaml): `pk`, `sk` strings; TTL attribute `expires_at`.

Access patterns                         | how
----------------------------------------|----------------------------------------------------------
mention by platform id (+ dedupe claim)  | GetItem / conditional PutItem  pk=MENTION#{platform}#{id}, sk=#MENTION
count a mention once (reports, spike)   | conditional UpdateItem SET counted_at on the mention item
raw payload of a mention (expires)      | pk=MENTION#..., sk=#RAW, expires_at = received + retention
conversation by thread                  | Query pk=CONV#{platform}#{thread}: sk=#META (with the first
                                        |   message inside) then MSG#{time}#{id}
customer identity linked elsewhere      | GetItem pk=IDENTITY#{platform}#{author}, sk=#IDENTITY (written
                                        |   by a link only; an identity first seen is carried by its
                                        |   profile, whose id derives from it: customer_id_for)
customer profile                        | GetItem pk=CUSTOMER#{id}, sk=#PROFILE
everything about a customer, all        | GetItem the profile (its identity, its first threads: `threads`)
  platforms (history, export, forget)   |   + Query GSI1 gsi1pk=CUSTOMER#{id}: linked identities, threads
                                        |   past the profile's list, mentions outside their own threads,
                                        |   tasks of older versions (gsi1sk IDENTITY#, CONV#, MENTION#, TASK#)
task of a thread (one per thread)       | GetItem pk=TASK#{task_id}, sk=#TASK; task_id derives from the thread
task history                            | Query pk=TASK#{id}, sk begins_with EVENT#
earlier lives of a reopened task        | Query pk=TASK#{id}, sk begins_with LIFE# (reports)
Heed's outbound text (echo before id)   | GetItem pk=ECHO#{digest of normalised text}, sk=#ECHO
tasks by status (lists; they sort       | Query GSI2 gsi2pk=TASKS#{status}: gsi2sk={next SLA alert}#{task_id}
  themselves)                           |   while an alert is to come, else !{resolution due}#{task_id}
                                        |   (open and acknowledged share TASKS#open; filter on status)
tasks whose next SLA alert is due       | Query GSI2 each active status partition, gsi2sk from "0" to
                                        |   {now}#~ ("!" keys sort before "0": no alert left, not read)
tasks opened in a period (reports)      | Query GSI2 each status partition, gsi2sk >= !{period's first day}
                                        |   (every key is at or after its task's opening), keep opened_at
mentions per day (reports)              | UpdateItem ADD pk=STATS#{yyyy-mm-dd}, sk={platform}#{intent}#{sentiment}
                                        |   for positive and neutral ones (all, in earlier versions), and
                                        |   sk={platform}#negative#{window start HH:MM} for negative ones
                                        |   (count + intent_{intent}); one Query per day; counts, no text
one alert per task and threshold        | conditional PutItem pk=ALERT#{task}#{threshold}, sk=#SENT
negative mentions per window (spike)    | the negative STATS rows above: Query sk range
                                        |   {platform}#negative#{from}..{to}, one per day of the range
spike examples of a window (expire)     | UpdateItem pk=COUNTER#{platform}#{signal}, sk=EXAMPLES#{window start}
earlier versions' counters (expire)     | Query pk=COUNTER#{platform}#{signal}, sk={window start} range
spike alert state (armed / firing)      | conditional UpdateItem pk=SPIKE#{platform}, sk=#STATE
polling cursors (since_id)              | GetItem/PutItem pk=CURSOR#{query id}, sk=#CURSOR
data-deletion request status            | GetItem pk=DELETION#{code}, sk=#STATUS
Heed's own replies (recognise echoes)   | GetItem pk=REPLY#{platform}#{reply id}, sk=#REPLY

No Scan anywhere: every read above is a GetItem or a Query on a key.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

GSI_CUSTOMER = "gsi1"
GSI_TASKS_BY_STATUS = "gsi2"


def _digest(value: str, length: int = 10) -> str:
    return hashlib.blake2b(value.encode(), digest_size=10).hexdigest()[:length].upper()


def mention(mention_key: str) -> dict[str, str]:
    return {"pk": f"MENTION#{mention_key}", "sk": "#MENTION"}


def mention_raw(mention_key: str) -> dict[str, str]:
    return {"pk": f"MENTION#{mention_key}", "sk": "#RAW"}


def conversation(thread_key: str) -> dict[str, str]:
    return {"pk": f"CONV#{thread_key}", "sk": "#META"}


def conversation_pk(thread_key: str) -> str:
    return f"CONV#{thread_key}"


def message(thread_key: str, created_iso: str, message_key: str) -> dict[str, str]:
    return {"pk": f"CONV#{thread_key}", "sk": f"MSG#{created_iso}#{message_key}"}


MESSAGE_PREFIX = "MSG#"
# The thread's first message, kept inside its header item (`sk` included): storage/conversations.py
# lists it with the others.
FIRST_MESSAGE = "first"


def identity(customer_key: str) -> dict[str, str]:
    return {"pk": f"IDENTITY#{customer_key}", "sk": "#IDENTITY"}


def customer_id_for(customer_key: str) -> str:
    """A stable customer id for a first-seen platform identity; identities can be linked later."""
    return f"C-{_digest(customer_key)}"


def customer(customer_id: str) -> dict[str, str]:
    return {"pk": f"CUSTOMER#{customer_id}", "sk": "#PROFILE"}


def customer_index(customer_id: str, kind: str, suffix: str) -> dict[str, str]:
    return {"gsi1pk": f"CUSTOMER#{customer_id}", "gsi1sk": f"{kind}#{suffix}"}


def customer_index_kind(gsi1sk: str) -> str:
    """IDENTITY, CONV, MENTION or TASK: what a customer-index entry is (export, forget)."""
    return gsi1sk.split("#", 1)[0]


def message_of_mention(mention_index_sk: str, thread_key: str) -> dict[str, str]:
    """The conversation message recorded for a mention, from the mention's customer-index sort key
    (`MENTION#{created}#{mention key}`): found without reading the whole thread."""
    created, mention_key = mention_index_sk.removeprefix("MENTION#").split("#", 1)
    return message(thread_key, created, mention_key)


def task_id_for(thread_key: str) -> str:
    """One task per thread, enforced by the primary key: the id derives from the thread."""
    return f"T-{_digest(thread_key, 8)}"


def task(task_id: str) -> dict[str, str]:
    return {"pk": f"TASK#{task_id}", "sk": "#TASK"}


def task_event(task_id: str, at_iso: str, seq: str) -> dict[str, str]:
    return {"pk": f"TASK#{task_id}", "sk": f"EVENT#{at_iso}#{seq}"}


TASK_EVENT_PREFIX = "EVENT#"


def task_life(task_id: str, life: int) -> dict[str, str]:
    """A finished life of a reopened task, kept as it was so reports still count it."""
    return {"pk": f"TASK#{task_id}", "sk": f"LIFE#{life:04d}"}


TASK_LIFE_PREFIX = "LIFE#"


def echo_marker(text_digest: str) -> dict[str, str]:
    """Heed's outbound text, written before it is posted, so its webhook echo is recognised even when
    it arrives before the platform's id (and on another surface: a Facebook private reply echoes
    through Messenger)."""
    return {"pk": f"ECHO#{text_digest}", "sk": "#ECHO"}


# A task sits in one index only (GSI2): each index it entered would cost one more write unit per task
# opened, and two per key it moves (a delete and a put).
# https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.ThroughputConsiderations.Writes
# Open and acknowledged tasks share one partition: Heed's acknowledgment then changes no index key.
_STATUS_BUCKET = {"acknowledged": "open"}
# Sorts before every time ("0"…): a task with no SLA alert to come is outside the watch's range.
NO_ALERT_LEFT = "!"
ALERT_TIMES_FROM = "0"


def tasks_by_status(status: str, task_id: str, *, next_alert_iso: str | None, due_iso: str) -> dict[str, str]:
    """A task's one index entry: its status partition, ordered by its next SLA alert while one is to
    come (the SLA watch reads each active partition up to `now`, so only the tasks that are due), else
    by `!{resolution due}`, before every alert time (an active task whose every alert went out is the
    most overdue: lists read it first). Both times must be at or after the task's opening: reports
    find a period's tasks from its first day (`tasks_opened_from`)."""
    order = next_alert_iso if next_alert_iso is not None else f"{NO_ALERT_LEFT}{due_iso}"
    return {"gsi2pk": tasks_by_status_pk(status), "gsi2sk": f"{order}#{task_id}"}


def tasks_by_status_pk(status: str) -> str:
    """The GSI2 partition of a status: a status may share it with another (`_STATUS_BUCKET`), so a
    reader keeps the tasks whose `status` is the one it asked for."""
    return f"TASKS#{_STATUS_BUCKET.get(status, status)}"


def alert_due_range(now_iso: str) -> tuple[str, str]:
    """GSI2 sort keys of the tasks whose next alert time is `now_iso` or earlier."""
    return ALERT_TIMES_FROM, f"{now_iso}#~"  # every task id sorts below "~"


def tasks_opened_from(first_iso: str) -> str:
    """The lowest GSI2 sort key of a task opened at `first_iso` or later: `!{due}` keys from there up,
    then every alert-time key (an alert time is after its task opened; older ones are read and left)."""
    return f"{NO_ALERT_LEFT}{first_iso}"


def task_id_of_index_entry(gsi2sk: str) -> str:
    return gsi2sk.rsplit("#", 1)[1]


def alert_sent(scope: str, threshold: str) -> dict[str, str]:
    return {"pk": f"ALERT#{scope}#{threshold}", "sk": "#SENT"}


def counter(platform: str, signal: str, window_iso: str) -> dict[str, str]:
    """A window's counter as versions before the per-window STATS rows wrote it (read, expiring)."""
    return {"pk": f"COUNTER#{platform}#{signal}", "sk": window_iso}


def spike_examples(platform: str, signal: str, window_iso: str) -> dict[str, str]:
    # "E" sorts after every window start ("2..."): a Query of counters by window never reads examples
    return {"pk": f"COUNTER#{platform}#{signal}", "sk": f"EXAMPLES#{window_iso}"}


def counter_pk(platform: str, signal: str) -> str:
    return f"COUNTER#{platform}#{signal}"


def cursor(query_id: str) -> dict[str, str]:
    return {"pk": f"CURSOR#{query_id}", "sk": "#CURSOR"}


def deletion(code: str) -> dict[str, str]:
    return {"pk": f"DELETION#{code}", "sk": "#STATUS"}


def heed_reply(platform: str, reply_id: str) -> dict[str, str]:
    return {"pk": f"REPLY#{platform}#{reply_id}", "sk": "#REPLY"}


def sortable_time(moment: datetime) -> str:
    """UTC and fixed width, so the time-ordered sort keys (GSI2, counters) compare as strings."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def mention_stats(day_iso: str, platform: str, intent: str, sentiment: str) -> dict[str, str]:
    return {"pk": f"STATS#{day_iso}", "sk": f"{platform}#{intent}#{sentiment}"}


def mention_stats_pk(day_iso: str) -> str:
    return f"STATS#{day_iso}"


def mention_window_stats(day_iso: str, platform: str, sentiment: str, time_of_day: str) -> dict[str, str]:
    """A window's row: `time_of_day` (HH:MM, UTC) is the window's start on `day_iso`, the day it starts in."""
    return {"pk": f"STATS#{day_iso}", "sk": mention_window_stats_sk(platform, sentiment, time_of_day)}


def mention_window_stats_sk(platform: str, sentiment: str, time_of_day: str) -> str:
    return f"{platform}#{sentiment}#{time_of_day}"


def spike_state(platform: str) -> dict[str, str]:
    return {"pk": f"SPIKE#{platform}", "sk": "#STATE"}
