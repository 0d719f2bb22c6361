"""Report figures on a known data set, read through indexes only, printed as a table, JSON and PNG."""

from __future__ import annotations

import json
from datetime import timedelta

from heed.cli import build_parser
from heed.cli import report as report_cli
from heed.followup import tasks
from heed.models import Intent, Platform, Sentiment, TaskOutcome
from heed.reports import stats
from heed.reports.figures import percentile
from heed.reports.read import build_report

from tests.followup.world import MONDAY_MORNING, RequestCounter, mention, open_task, triage

NOW = MONDAY_MORNING + timedelta(days=1)


def given_a_known_week(table, brand):
    # four tasks opened Monday 09:00 UTC (P2: first response due 10:00, resolution due 17:00)
    t = [open_task(table, brand, n) for n in range(1, 5)]
    at = lambda minutes: MONDAY_MORNING + timedelta(minutes=minutes)  # noqa: E731
    # 1: acknowledged at 1 min, answered at 20, resolved publicly at 120 (both SLAs met)
    tasks.record_acknowledgment(table, t[0].task_id, brand, at=at(1), event_id="a1")
    tasks.record_human_response(table, t[0].task_id, brand, at=at(20), by="ana", event_id="h1")
    tasks.resolve(table, t[0].task_id, brand, outcome=TaskOutcome.ANSWERED_PUBLICLY, by="ana", at=at(120))
    # 2: answered at 40, moved to private and resolved at 600 (resolution late)
    tasks.record_human_response(table, t[1].task_id, brand, at=at(40), by="tom", event_id="h2")
    tasks.resolve(table, t[1].task_id, brand, outcome=TaskOutcome.MOVED_TO_PRIVATE, by="tom", at=at(600))
    # 3: acknowledged at 10 min, answered at 90 (late), still waiting for the customer
    tasks.record_acknowledgment(table, t[2].task_id, brand, at=at(10), event_id="a3")
    tasks.record_human_response(table, t[2].task_id, brand, at=at(90), by="ana", event_id="h3")
    # 4: never answered: open and overdue
    # satisfaction on task 1
    tasks.record_csat_asked(table, t[0].task_id, brand, at=at(121))
    answer = mention(1, text="5", at=at(130)).model_copy(update={"message_id": "csat"})
    tasks.record_csat_answer(table, answer, brand, now=at(130))
    # mentions: 3 facebook complaints (negative), 1 x praise (positive)
    for n in range(3):
        stats.count_mention(table, mention(n), triage(), now=MONDAY_MORNING, window_minutes=5)
    stats.count_mention(
        table,
        mention(9, platform=Platform.X),
        triage(intent=Intent.PRAISE, sentiment=Sentiment.POSITIVE),
        now=MONDAY_MORNING,
        window_minutes=5,
    )


def test_figures_on_a_known_data_set(table, brand):
    given_a_known_week(table, brand)
    counter = RequestCounter(table)
    report = build_report(table, since=NOW - timedelta(days=7), now=NOW)
    assert "Scan" not in counter.calls
    assert report.mentions == 4
    assert report.volume_by_platform == {"facebook": 3, "x": 1}
    assert report.volume_by_intent == {"complaint": 3, "praise": 1}
    assert report.sentiment_mix == {"negative": 0.75, "positive": 0.25}
    assert report.tasks_opened == 4
    assert report.first_response.count == 3
    assert report.first_response.median_minutes == 40 and report.first_response.p90_minutes == 90
    assert report.resolution.median_minutes == 120 and report.resolution.p90_minutes == 600
    assert report.first_response_sla_pct == 50.0  # 1 and 2 in time, 3 late, 4 never
    assert report.resolution_sla_pct == 25.0  # only 1 of the four due by now
    assert report.sla_attainment_pct == 25.0
    assert report.acknowledged_within_5_min_pct == 25.0
    assert (report.public_resolutions, report.private_resolutions, report.public_private_ratio) == (1, 1, 0.5)
    assert report.csat_average == 5 and report.csat_responses == 1
    assert report.open_tasks == 2 and report.overdue_tasks == 2


def test_percentile_nearest_rank():
    assert percentile([1, 2, 3, 4], 50) == 2
    assert percentile([5], 90) == 5
    assert percentile([], 50) is None


def test_report_command_prints_a_table_json_and_png(table, brand, tmp_path):
    given_a_known_week(table, brand)
    lines: list[str] = []
    png = tmp_path / "report.png"
    args = build_parser().parse_args(["report", "--since", "7d", "--png", str(png)])
    assert report_cli.run(args, table=table, now=lambda: NOW, out=lines.append) == 0
    text = "\n".join(lines)
    assert "SLA attainment" in text and "25.0%" in text and "Overdue tasks" in text
    assert png.read_bytes()[:4] == b"\x89PNG"
    lines.clear()
    args = build_parser().parse_args(["report", "--json"])
    report_cli.run(args, table=table, now=lambda: NOW, out=lines.append)
    assert json.loads(lines[0])["overdue_tasks"] == 2
