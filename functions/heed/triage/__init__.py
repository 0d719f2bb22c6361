"""Triage of one mention: language, intent, sentiment, urgency, personal data, author, priority.

Pure Python, deterministic, no network. `triage()` is the only entry point other stages need.
"""

from heed.triage.engine import triage

__all__ = ["triage"]
