"""Every DynamoDB key and index of Heed's single table, and nowhere else.

Table `HeedTable` (template.yaml): `pk`, `sk` strings; TTL attribute `expires_at`.

Access patterns                         | how
----------------------------------------|----------------------------------------------------------
mention by platform id (+ dedupe claim)  | GetItem / conditional PutItem  pk=MENTION#{platform}#{id}, sk=#MENTION
count a mention once (reports, spike)   | conditional UpdateItem SET counted_at on the mention item
raw payload of a mention (expires)      | pk=MENTION#..., sk=#RAW, expires_at = received + retention
conversation by thread                  | Query pk=CONV#{platform}#{thread}: sk=#META then MSG#{time}#{id}
customer identity on one platform       | GetItem pk=IDENTITY#{platform}#{author}, sk=#IDENTITY
customer profile                        | GetItem pk=CUSTOMER#{id}, sk=#PROFILE
everything about a customer, all        | Query GSI1 gsi1pk=CUSTOMER#{id}: identities, conversations,
  platforms (history, export, forget)   |   mentions, tasks (gsi1sk prefixes IDENTITY#, CONV#, MENTION#, TASK#)
task of a thread (one per thread)       | GetItem pk=TASK#{task_id}, sk=#TASK; task_id derives from the thread
task history                            | Query pk=TASK#{id}, sk begins_with EVENT#
earlier lives of a reopened task        | Query pk=TASK#{id}, sk begins_with LIFE# (reports)
Heed's outbound text (echo before id)   | GetItem pk=ECHO#{digest of normalised text}, sk=#ECHO
tasks by status, ordered by due time    | Query GSI2 gsi2pk=TASKS#{status}, gsi2sk={due}#{task_id}
                                        |   (open and acknowledged share TASKS#open; filter on status)
tasks opened in a period (reports)      | Query GSI2 each status partition from the period's first day
                                        |   (a task is due after it opened), keep opened_at in the period
mentions per day (reports)              | UpdateItem ADD pk=STATS#{yyyy-mm-dd}, sk={platform}#{intent}#{sentiment}
tasks whose next SLA alert is due       | Query GSI3 gsi3pk=WATCH#{shard}, gsi3sk <= {now} (sparse: only
                                        |   tasks with an alert still to send carry it)
one alert per task and threshold        | conditional PutItem pk=ALERT#{task}#{threshold}, sk=#SENT
negative-mention counters (spike)       | UpdateItem ADD pk=COUNTER#{platform}#{signal}, sk={window start}
                                        |   Query the trailing windows by sk range
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
GSI_SLA_WATCH = "gsi3"
WATCH_SHARDS = 1  # one partition is plenty for a small brand; raise to spread a large one


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


# Open and acknowledged tasks share one GSI2 partition: Heed's acknowledgment then changes no index key,
# so it writes no index entry (a key change is a delete and a put in the index: two write units).
# https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.ThroughputConsiderations
_STATUS_BUCKET = {"acknowledged": "open"}


def tasks_by_status(status: str, due_iso: str, task_id: str) -> dict[str, str]:
    return {"gsi2pk": tasks_by_status_pk(status), "gsi2sk": f"{due_iso}#{task_id}"}


def tasks_by_status_pk(status: str) -> str:
    """The GSI2 partition of a status: a status may share it with another (`_STATUS_BUCKET`), so a
    reader keeps the tasks whose `status` is the one it asked for."""
    return f"TASKS#{_STATUS_BUCKET.get(status, status)}"


def sla_watch(next_alert_iso: str, task_id: str) -> dict[str, str]:
    shard = int(_digest(task_id, 4), 16) % WATCH_SHARDS
    return {"gsi3pk": f"WATCH#{shard}", "gsi3sk": f"{next_alert_iso}#{task_id}"}


def sla_watch_pks() -> list[str]:
    return [f"WATCH#{shard}" for shard in range(WATCH_SHARDS)]


def alert_sent(scope: str, threshold: str) -> dict[str, str]:
    return {"pk": f"ALERT#{scope}#{threshold}", "sk": "#SENT"}


def counter(platform: str, signal: str, window_iso: str) -> dict[str, str]:
    return {"pk": f"COUNTER#{platform}#{signal}", "sk": window_iso}


def counter_pk(platform: str, signal: str) -> str:
    return f"COUNTER#{platform}#{signal}"


def cursor(query_id: str) -> dict[str, str]:
    return {"pk": f"CURSOR#{query_id}", "sk": "#CURSOR"}


def deletion(code: str) -> dict[str, str]:
    return {"pk": f"DELETION#{code}", "sk": "#STATUS"}


def heed_reply(platform: str, reply_id: str) -> dict[str, str]:
    return {"pk": f"REPLY#{platform}#{reply_id}", "sk": "#REPLY"}


def sortable_time(moment: datetime) -> str:
    """UTC and fixed width, so the time-ordered sort keys (GSI2, GSI3, counters) compare as strings."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def mention_stats(day_iso: str, platform: str, intent: str, sentiment: str) -> dict[str, str]:
    return {"pk": f"STATS#{day_iso}", "sk": f"{platform}#{intent}#{sentiment}"}


def mention_stats_pk(day_iso: str) -> str:
    return f"STATS#{day_iso}"


def spike_state(platform: str) -> dict[str, str]:
    return {"pk": f"SPIKE#{platform}", "sk": "#STATE"}
