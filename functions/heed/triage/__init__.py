"""Triage of one mention: language, intent, sentiment, urgency, personal data, author, priority.

Pure Python, deterministic, no network. `triage()` is the only entry point other stages need.
Importing the package is cheap: the engine, its word lists and `heed.models` load on first use of
`triage` (PEP 562 module `__getattr__`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from heed.triage.engine import triage

__all__ = ["triage"]


def __getattr__(name: str) -> Any:
    if name == "triage":
        from heed.triage.engine import triage

        globals()["triage"] = triage
        return triage
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
