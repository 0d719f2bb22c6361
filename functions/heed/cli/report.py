"""`heed report --since 7d [--json] [--png FILE]`: the figures a brand steers by."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from heed.cli import target as targets
from heed.reports.figures import Report


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("report", help="volume, response times, SLA attainment, CSAT")
    parser.add_argument("--since", default="7d", help="period ending now: 24h, 7d, 4w (default 7d)")
    parser.add_argument("--json", action="store_true", help="JSON instead of a table")
    parser.add_argument("--png", metavar="FILE", help="also draw a chart (needs matplotlib)")
    targets.add_arguments(parser)
    parser.set_defaults(handler=lambda args: run(args))


def _value(value: Any, suffix: str = "") -> str:
    return "-" if value is None else f"{value}{suffix}"


def render(report: Report, style: targets.Style | None = None) -> str:
    style = style or targets.Style(False)
    rows: list[list[Any]] = [
        ["Mentions", report.mentions],
        *[[f"  on {k}", v] for k, v in report.volume_by_platform.items()],
        *[[f"  {k}", v] for k, v in report.volume_by_intent.items()],
        ["Sentiment", ", ".join(f"{k} {round(v * 100)}%" for k, v in report.sentiment_mix.items()) or "-"],
        ["Tasks opened", report.tasks_opened],
        [
            "First response median / p90 (min)",
            f"{_value(report.first_response.median_minutes)} / {_value(report.first_response.p90_minutes)}",
        ],
        [
            "Resolution median / p90 (min)",
            f"{_value(report.resolution.median_minutes)} / {_value(report.resolution.p90_minutes)}",
        ],
        ["SLA attainment", _value(report.sla_attainment_pct, "%")],
        ["  first response", _value(report.first_response_sla_pct, "%")],
        ["  resolution", _value(report.resolution_sla_pct, "%")],
        ["Acknowledged within 5 min", _value(report.acknowledged_within_5_min_pct, "%")],
        ["Resolved public / private", f"{report.public_resolutions} / {report.private_resolutions}"],
        [
            "CSAT (1-5) / NPS",
            f"{_value(report.csat_average)} / {_value(report.nps)} ({report.csat_responses} answers)",
        ],
        ["Open tasks", report.open_tasks],
        ["Overdue tasks", report.overdue_tasks],
    ]
    colours = [("red" if r[0] == "Overdue tasks" and report.overdue_tasks else None) for r in rows]
    title = style(f"Heed report {report.since:%Y-%m-%d %H:%M} → {report.until:%Y-%m-%d %H:%M} UTC", "bold")
    return title + "\n" + targets.table(["FIGURE", "VALUE"], rows, style=style, colours=colours)


def run(
    args: argparse.Namespace,
    *,
    table: Any = None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    out: Callable[[str], None] = print,
) -> int:
    from heed.reports.read import build_report

    try:
        period = targets.parse_duration(args.since)
        table = table if table is not None else targets.resolve(args).table
    except (ValueError, targets.TargetError) as exc:
        print(f"heed: {exc}", file=sys.stderr)
        return 2
    moment = now()
    report = build_report(table, since=moment - period, now=moment)
    out(report.model_dump_json(indent=2) if args.json else render(report, targets.Style.for_stream()))
    if args.png:
        from heed.reports.chart import write_png

        try:
            write_png(report, Path(args.png))
        except RuntimeError as exc:
            print(f"heed: {exc}", file=sys.stderr)
            return 2
    return 0
