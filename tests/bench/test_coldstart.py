"""The paired cold-start measurement: which handlers, which order, which figure."""

from __future__ import annotations

from typing import Any

from infra.bench import coldstart


def test_handlers_are_the_ones_template_yaml_deploys() -> None:
    assert coldstart.handlers_in_template() == (
        "heed.ingest.handler",
        "heed.respond.handler",
        "heed.followup.watch_handler",
        "heed.polling.handler",
        "heed.privacy.handler",
        "heed.staff.handler",
        "heed.console.handler",
    )


def test_pairs_alternate_which_process_goes_first_and_the_ratio_is_the_median_of_pairs(
    monkeypatch: Any,
) -> None:
    # Given a machine that slows down on every process, so whichever runs second is slower
    order: list[str] = []
    clock = iter(range(1, 1000))

    def fake(module: str) -> float:
        order.append(module)
        return (2.0 if module != "boto3" else 1.0) * (1 + next(clock) / 100)

    monkeypatch.setattr(coldstart, "import_seconds_once", fake)
    monkeypatch.setattr(coldstart, "_probe", lambda module: (fake(module),) * 2)
    monkeypatch.setattr(coldstart, "_compile", lambda module: None)
    # When five pairs are measured
    result = coldstart.paired("heed.ingest.handler", pairs=5)
    # Then the first process of each pair alternates, and the drift cancels out in the median ratio
    assert order[::2] == ["boto3", "heed.ingest.handler"] * 2 + ["boto3"]
    assert 1.9 < result["ratio_to_boto3"] < 2.1
    assert result["pairs"] == 5 and result["goal_ratio"] == 1.25 and result["ok"] is False
    assert coldstart.goal_for("heed.staff.handler") == 1.5
