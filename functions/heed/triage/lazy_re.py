"""A regular expression compiled on first use: keeps `import heed.triage` cheap, since the
personal-data and spam patterns are large and most mentions never reach them."""

from __future__ import annotations

import re
from typing import Any

# the pattern methods the triage calls: each is kept in its own slot once compiled, so a call reads
# a slot instead of going through __getattr__ (a Python-level call per use)
_METHODS = ("finditer", "search", "match", "findall", "sub", "fullmatch")


class LazyPattern:
    __slots__ = ("_args", "_pattern", *_METHODS)

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._args = (pattern, flags)
        self._pattern: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        # only called for what is not set yet: the methods before the first use, or other attributes
        if self._pattern is None:
            self._pattern = re.compile(*self._args)
            for method in _METHODS:
                setattr(self, method, getattr(self._pattern, method))
        return getattr(self._pattern, name)
