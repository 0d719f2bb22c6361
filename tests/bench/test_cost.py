"""The cost arithmetic (infra/bench/cost.py) and the price table it reads (infra/bench/prices.py)."""

from __future__ import annotations

import pytest

from infra.bench import cost, prices
from infra.stack import load_template


def mention(**overrides: object) -> cost.PerMention:
    base: dict[str, object] = {
        "http_requests": 1.0,
        "ingest_invocations": 1.0,
        "respond_invocations": 1.0,
        "ingest_seconds": 0.02,
        "respond_seconds": 0.08,
        "sqs_billed": 1.2,
        "dynamodb_wru": 10.0,
        "dynamodb_rru": 4.0,
        "sns_billed": 0.0,
        "app_log_bytes": 1000.0,
    }
    return cost.PerMention(**{**base, **overrides})  # type: ignore[arg-type]


def test_every_price_names_its_aws_page_and_date() -> None:
    for name, price in prices.PRICES.items():
        assert price.source.startswith("https://aws.amazon.com/"), name
        assert price.checked and price.per > 0, name
    assert prices.PRICES["dynamodb_wru"].each == pytest.approx(0.625e-6)  # after the 2024-11 price cut
    assert prices.PRICES["dynamodb_rru"].each == pytest.approx(0.125e-6)
    assert "| dynamodb_wru |" in prices.markdown_table()


def test_cost_per_thousand_adds_up_the_lines() -> None:
    got = cost.cost_per_thousand(mention(), tracing=False)
    usd = got["usd"]
    assert usd["dynamodb_writes"] == pytest.approx(10 * 1000 * 0.625e-6)
    assert usd["dynamodb_reads"] == pytest.approx(4 * 1000 * 0.125e-6)
    assert usd["lambda_requests"] == pytest.approx(2 * 1000 * 0.2e-6)
    # 0.1 s of handlers + up to 1 ms rounding per invocation, at 0.5 GB
    assert usd["lambda_compute"] == pytest.approx((0.1 + 0.002) * 0.5 * 1000 * 0.0000133334, rel=1e-3)
    assert usd["http_api"] == pytest.approx(1000 * 1e-6)
    assert usd["sqs"] == pytest.approx(1.2 * 1000 * 0.4e-6)
    assert usd["xray"] == 0
    assert got["total_usd"] == pytest.approx(sum(usd.values()), abs=1e-5)


def test_active_tracing_records_a_trace_per_invocation() -> None:
    off = cost.cost_per_thousand(mention(), tracing=False)
    on = cost.cost_per_thousand(mention(), tracing=True)
    assert on["usd"]["xray"] == pytest.approx(2 * 1000 * 5e-6)  # the ~$0.01 per 1,000 mentions
    assert on["log_bytes_per_mention"] > off["log_bytes_per_mention"]  # REPORT lines carry the trace id


def test_logs_count_the_platform_lines_and_the_event_overhead() -> None:
    per_invocation = cost.platform_log_bytes(tracing=False)
    assert per_invocation == sum(len(line) + 26 for line in cost.PLATFORM_LINES)
    got = cost.cost_per_thousand(mention(app_log_bytes=0.0), tracing=False)
    assert got["log_bytes_per_mention"] == 2 * per_invocation


def test_alerts_reach_the_subscriptions_the_template_creates() -> None:
    subs = cost.template_subscriptions(load_template())
    published = {
        ("AlertTopic", "urgent"): 1.0,
        ("AlertTopic", "sla_breach"): 2.0,
        ("EscalationTopic", "escalation"): 1.0,
    }
    # e-mail gets every alert of both topics; the on-call phone only the kinds its filter policy names
    # (2 breaches), the escalation contact's phone every escalation (1): a second person, not the same one
    assert cost.deliveries(published, subs) == {"email": 4.0, "sms": 3.0}


def test_alert_deliveries_are_shown_apart_from_what_each_mention_costs() -> None:
    got = cost.cost_per_thousand(mention(deliveries={"email": 0.1, "sms": 0.01}), tracing=False)
    assert got["usd"]["sns_email"] == pytest.approx(0.1 * 1000 * 2e-5)
    alerts = got["usd"]["sns_email"] + got["usd"]["sns_sms"]
    assert got["total_usd_without_alert_deliveries"] == pytest.approx(got["total_usd"] - alerts, abs=1e-5)
