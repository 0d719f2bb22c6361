"""The report as a PNG for people who would rather look than read. matplotlib is a dev dependency
(requirements-dev.txt), imported only here and only for `heed report --png`."""

from __future__ import annotations

from pathlib import Path

from heed.reports.figures import Report


def write_png(report: Report, path: Path) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError("--png needs matplotlib: pip install -r requirements-dev.txt") from exc

    fig, axes = plt.subplots(2, 2, figsize=(11, 7))
    fig.suptitle(f"Heed — {report.since:%Y-%m-%d} to {report.until:%Y-%m-%d}")
    ax = axes[0][0]
    ax.bar(list(report.volume_by_platform), list(report.volume_by_platform.values()), color="#4477aa")
    ax.set_title("Mentions by platform")
    ax = axes[0][1]
    ax.barh(list(report.volume_by_intent), list(report.volume_by_intent.values()), color="#66ccee")
    ax.set_title("Mentions by intent")
    ax = axes[1][0]
    labels = ["first response", "resolution"]
    medians = [report.first_response.median_minutes or 0, report.resolution.median_minutes or 0]
    p90s = [report.first_response.p90_minutes or 0, report.resolution.p90_minutes or 0]
    ax.bar([0, 1], medians, width=0.4, label="median", color="#228833")
    ax.bar([0.4, 1.4], p90s, width=0.4, label="p90", color="#ccbb44")
    ax.set_xticks([0.2, 1.2], labels)
    ax.set_ylabel("minutes")
    ax.legend()
    ax.set_title("Response times")
    ax = axes[1][1]
    names = ["SLA met %", "ack ≤5 min %"]
    values = [report.sla_attainment_pct or 0, report.acknowledged_within_5_min_pct or 0]
    ax.bar(names, values, color=["#ee6677", "#aa3377"])
    ax.set_ylim(0, 100)
    ax.set_title(f"Open {report.open_tasks}, overdue {report.overdue_tasks}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
