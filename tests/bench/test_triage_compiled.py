"""The compiled triage of `make bench`: which modules mypyc compiles, and which stay interpreted."""

from __future__ import annotations

from pathlib import Path

from infra.bench import triage_compiled

ROOT = Path(__file__).resolve().parents[2]


def test_every_triage_module_but_the_lazy_pattern_and_the_package_is_compiled() -> None:
    compiled = triage_compiled.modules(ROOT / "functions")
    assert "heed/triage/engine.py" in compiled
    assert "heed/triage/model.py" in compiled
    # mypyc's compiled classes have no __getattr__ hook, which LazyPattern is built on
    assert "heed/triage/lazy_re.py" not in compiled
    assert "heed/triage/__init__.py" not in compiled
    on_disk = {p.name for p in (ROOT / "functions" / "heed" / "triage").glob("*.py")}
    assert len(compiled) == len(on_disk) - 2
