"""A regular expression compiled on first use: keeps `import heed.triage` cheap, since the
personal-data and spam patterns are large and most mentions never reach them."""

from __future__ import annotations

import re
from typing import Any


class LazyPattern:
    __slots__ = ("_args", "_pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._args = (pattern, flags)
        self._pattern: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._pattern is None:
            self._pattern = re.compile(*self._args)
        return getattr(self._pattern, name)
