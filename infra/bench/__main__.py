"""`make bench`: Heed's speed, cost and load figures, printed as a table and written to
var/bench/results.json. Exits non-zero when the load run's reconciliation finds any difference.

    .venv/bin/python -m infra.bench            # the quick run (a few minutes on 2 cores)
    .venv/bin/python -m infra.bench --full     # 1,000 mentions end to end, 100k tasks for the watch
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import time
import warnings
from typing import Any

from infra.stack import ROOT

RESULTS = ROOT / "var" / "bench" / "results.json"


def _triage(timeout: float = 180) -> dict[str, Any]:
    out = ROOT / "var" / "bench" / "triage.json"
    try:
        subprocess.run(
            [sys.executable, "-m", "infra.bench.triage_eval", "--json", str(out)],
            cwd=ROOT,
            check=True,
            timeout=timeout,
            capture_output=True,
        )
        return json.loads(out.read_text())
    except (subprocess.SubprocessError, OSError, ValueError) as exc:
        return {"skipped": f"triage_eval did not finish: {type(exc).__name__}"}


def _quiet() -> None:
    warnings.filterwarnings("ignore")
    os.environ["POWERTOOLS_LOG_LEVEL"] = "WARNING"
    os.environ["POWERTOOLS_METRICS_DISABLED"] = "true"
    logging.getLogger().setLevel(logging.WARNING)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Heed benchmarks")
    parser.add_argument("--full", action="store_true", help="1,000 mentions end to end, 100k watch tasks")
    parser.add_argument("--ingest", type=int, default=1000, help="signed deliveries for ingest latency")
    parser.add_argument("--e2e", type=int, default=None, help="mentions end to end (default 60, --full 1000)")
    parser.add_argument("--load-per-step", type=int, default=12)
    parser.add_argument("--skip", action="append", default=[], help="section to skip")
    args = parser.parse_args(argv)
    _quiet()
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"started": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "cpus": os.cpu_count()}
    began = time.perf_counter()

    def section(name: str, fn: Any) -> None:
        if name in args.skip:
            results[name] = {"skipped": "--skip"}
            return
        t0 = time.perf_counter()
        print(f"… {name}", file=sys.stderr, flush=True)
        try:
            results[name] = fn()
        except Exception as exc:  # one broken section (code mid-change) must not hide the others
            import traceback

            results[name] = {
                "error": f"{type(exc).__name__}: {exc}"[:500],
                "trace": traceback.format_exc()[-2000:],
            }
            print(f"  {name} failed: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
        results[name]["section_seconds"] = round(time.perf_counter() - t0, 1)
        RESULTS.write_text(json.dumps(results, indent=2, default=str))

    from infra.bench import coldstart, e2e, ingest, triage_speed, watch

    section("cold_start", coldstart.measure)
    section("triage", _triage)
    section("triage_speed", triage_speed.measure)
    section("sla_watch", lambda: watch.measure(watch.SIZES if args.full else watch.SIZES[:2]))

    from infra import load
    from infra.bench.common import RequestCounter
    from infra.local_stack import LocalStack

    with LocalStack(http_port=0) as stack:
        counter = RequestCounter().install()
        section("ingest", lambda: ingest.measure(stack, deliveries=args.ingest))
        mentions = args.e2e or (1000 if args.full else 60)
        section(
            "end_to_end",
            lambda: e2e.measure(stack, counter, mentions=mentions, cold=results.get("cold_start")),
        )
        section("per_mention", lambda: e2e.per_kind(stack, counter))
        section("thread_length", lambda: e2e.thread_length(stack, counter))
        section("ack_batch", lambda: e2e.batch_latency(stack))
        counter.uninstall()
    from infra.bench import typical_day

    # A representative day (240 mentions over 24 h of message time) on a stack of its own: the
    # tables above hold end_to_end's spike, which would bend the day's spike windows.
    section("typical_day", lambda: typical_day.measure_on_own_stack(cold=results.get("cold_start")))
    # The load run gets a stack of its own: moto copies a whole table on every transaction, so the
    # tables filled above would slow it down for reasons AWS does not have.
    from moto.moto_api._internal.models import moto_api_backend

    moto_api_backend.reset()
    with LocalStack(http_port=0) as stack:
        from infra.bench.e2e import AckClock

        AckClock(stack)
        section("load", lambda: load.run(stack, per_step=args.load_per_step))
    results["total_seconds"] = round(time.perf_counter() - began, 1)
    RESULTS.write_text(json.dumps(results, indent=2, default=str))
    print_table(results)
    print(f"\nwritten: {RESULTS.relative_to(ROOT)}")
    ok = results.get("load", {}).get("reconciliation", {}).get("ok", True)
    if not ok:
        print("\nRECONCILIATION FAILED:", file=sys.stderr)
        for problem in results["load"]["reconciliation"]["problems"]:
            print("  " + problem, file=sys.stderr)
        return 1
    return 0


def _row(name: str, value: Any, goal: str = "", verdict: str = "") -> str:
    return f"| {name:<46} | {value!s:>22} | {goal:>10} | {verdict:<4} |"


def print_table(r: dict[str, Any]) -> None:
    lines = [
        _row("figure", "measured", "goal", "ok?"),
        "|" + "-" * 48 + "|" + "-" * 24 + "|" + "-" * 12 + "|------|",
    ]
    ing = r.get("ingest", {})
    if "heed" in ing:
        lines.append(_row("ingest p50 / p99 (ms)", f"{ing['heed']['p50_ms']} / {ing['heed']['p99_ms']}"))
        lines.append(
            _row("baseline p50 / p99 (ms)", f"{ing['baseline']['p50_ms']} / {ing['baseline']['p99_ms']}")
        )
        ok = ing["ratio_p99"] <= ing["goal_ratio"]
        lines.append(
            _row(
                "ingest/baseline ratio p50 / p99",
                f"{ing['ratio_p50']} / {ing['ratio_p99']}",
                "≤ 1.5",
                "yes" if ok else "NO",
            )
        )
    cold = r.get("cold_start", {})
    if "handlers" in cold:
        lines.append(_row("import boto3, median of the pairs (ms)", cold["boto3_import_ms"]))
        for module, fig in cold["handlers"].items():
            lines.append(
                _row(
                    f"import {module} (ms, ×boto3 paired)",
                    f"{fig['import_ms']} ×{fig['ratio_to_boto3']}",
                    f"≤ {fig['goal_ratio']}",
                    "yes" if fig["ok"] else "NO",
                )
            )
        if "package" in cold:
            lines.append(_row("package per function (MB, no boto3)", cold["package"]["total_mb"]))
    tri = r.get("triage", {})
    for key in ("mentions_per_second", "throughput_per_s", "per_second"):
        if key in tri:
            lines.append(_row("triage mentions/s/core", tri[key]))
    speed = r.get("triage_speed", {})
    for name in ("corpus", "research"):
        if name not in speed:
            continue
        a, b = speed[name]["per_message"], speed[name]["whole_command"]
        lines.append(
            _row(
                f"{name}: triage()/VADER msg/s (ratio)",
                f"{a['heed_messages_per_s']}/{a['vader_messages_per_s']} ×{a['ratio']}",
                "≥ 1.0",
                "yes" if a["ok"] else "NO",
            )
        )
        lines.append(
            _row(
                f"{name}: heed triage/VADER, 20k lines (s)",
                f"{b['heed_wall_s']}/{b['vader_wall_s']} ×{b['ratio']}",
                "≥ 1.0",
                "yes" if b["ok"] else "NO",
            )
        )
        if "compiled" in a:
            c = a["compiled"]
            lines.append(
                _row(
                    f"{name}: triage() compiled by mypyc/VADER msg/s",
                    f"{c['heed_messages_per_s']}/{c['vader_messages_per_s']} ×{c['ratio']}",
                )
            )
        steps = speed[name].get("stages", {}).get("steps", {})
        for step, short in (
            ("all the rules (rule_reading)", "rules"),
            ("the model's reading (six heads)", "model"),
        ):
            if step in steps:
                lines.append(_row(f"{name}: the {short} alone, time ×VADER's", f"×{steps[step]['of_vader']}"))
    e = r.get("end_to_end", {})
    if "mentions" in e:
        lines.append(
            _row(
                f"delivery→ack p50 / p99 (s, n={e['mentions']})",
                f"{e['time_to_ack_p50_s']} / {e['time_to_ack_p99_s']}",
            )
        )
        lines.append(_row("mentions/s (one worker)", e["mentions_per_second"]))
        for svc, n in e["requests_per_mention"].items():
            lines.append(_row(f"{svc} requests per mention", n))
        d = e["dynamodb_per_mention"]
        lines.append(
            _row(
                "DynamoDB WRU (table + indexes) / RRU",
                f"{d['wru']} ({d['wru_table']}+{d['wru_indexes']}) / {d['rru']}",
            )
        )
        c = e["cost_per_1000_mentions"]
        ok = c["total_usd"] <= c["goal_usd"]
        lines.append(
            _row(
                f"AWS cost per 1,000 (USD, tracing {c['tracing']})",
                c["total_usd"],
                "≤ 0.01",
                "yes" if ok else "NO",
            )
        )
        lines.append(
            _row(
                "…without alert e-mail/SMS deliveries (USD)",
                c["total_usd_without_alert_deliveries"],
                "≤ 0.01",
                "yes" if c["total_usd_without_alert_deliveries"] <= c["goal_usd"] else "NO",
            )
        )
        lines.append(_row("…with Tracing=Active (USD)", c["total_usd_with_tracing_active"]))
        lines.append(_row("per-seat SaaS per 1,000 (USD, assumed)", c["saas_usd_per_1000"]))
    day = r.get("typical_day", {})
    if "cost_per_1000_mentions" in day:
        c = day["cost_per_1000_mentions"]
        lines.append(
            _row(
                f"typical day ({day['mentions']}): AWS per 1,000 all-in",
                c["total_usd"],
                "≤ 0.01",
                "yes" if c["total_usd"] <= c["goal_usd"] else "NO",
            )
        )
        lines.append(
            _row(
                "…without alert e-mail/SMS deliveries (USD)",
                c["total_usd_without_alert_deliveries"],
                "≤ 0.01",
                "yes" if c["total_usd_without_alert_deliveries"] <= c["goal_usd"] else "NO",
            )
        )
        lines.append(
            _row(
                "…all-in if the desk is never late (USD)",
                day["cost_per_1000_if_desk_never_late"]["total_usd"],
            )
        )
        for kind, n in day["alerts"].items():
            lines.append(_row(f"typical day alerts: {kind}", n))
        watch_fixed = day.get("sla_watch", {}).get("usd_per_month_idle")
        if watch_fixed is not None:
            lines.append(_row("SLA watch idle runs (USD per month, fixed)", watch_fixed))
    for kind, fig in r.get("per_mention", {}).items():
        if isinstance(fig, dict) and "dynamodb" in fig:
            dd = fig["dynamodb"]
            lines.append(
                _row(f"{kind}: DDB req / WRU / RRU", f"{dd['requests']} / {dd['wru']} / {dd['rru']}")
            )
    for pos, fig in r.get("thread_length", {}).get("messages", {}).items():
        lines.append(
            _row(
                f"message {pos} of a thread: DDB req / WRU / RRU",
                f"{fig['dynamodb_requests']} / {fig['wru']} / {fig['rru']}",
            )
        )
    ab = r.get("ack_batch", {})
    if "ack_p99_s" in ab:
        lines.append(
            _row(
                f"ack p50 / p99, batch of 10 (s, n={ab['mentions']})",
                f"{ab['ack_p50_s']} / {ab['ack_p99_s']}",
            )
        )
    for name, value in r.items():
        if isinstance(value, dict) and "error" in value:
            lines.append(_row(f"{name}: FAILED", value["error"][:22]))
    w = r.get("sla_watch", {})
    for size, run in w.get("runs", {}).items():
        lines.append(_row(f"SLA watch requests, {size} tasks ({run['due']} due)", run["requests"]))
    ld = r.get("load", {})
    for step in ld.get("steps", []):
        lines.append(
            _row(
                f"load @{step['target_rate']}/s accepted/s, p50/p99 ms",
                f"{step['accepted_per_s']} {step['ingest_p50_ms']}/{step['ingest_p99_ms']}",
                "",
                "err" if step["errors"] else "",
            )
        )
    if "reconciliation" in ld:
        rec = ld["reconciliation"]
        lines.append(
            _row("load time→ack p50 / p99 (s)", f"{ld['time_to_ack_p50_s']} / {ld['time_to_ack_p99_s']}")
        )
        lines.append(
            _row(
                "reconciliation (mentions, problems)",
                f"{rec['accepted_mentions']}, {rec['problem_count']}",
                "0",
                "yes" if rec["ok"] else "NO",
            )
        )
    lines.append(_row("bench wall time (s)", r.get("total_seconds")))
    print("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
