"""The triage compiled to C by mypyc, for `make bench` only: how much a compiler of our own Python buys
against VADER (issue 12, item 8), measured beside the interpreted triage in the same run.

    .venv/bin/python -m infra.bench.triage_compiled      # build, check, print where it is

mypyc (part of mypy, MIT) turns type-annotated modules into C extensions. It lives in its own
virtualenv, var/tools/mypyc, built by `make bench` (never in requirements-dev.txt nor the Lambda
package). A fresh copy of functions/heed goes to var/tools/mypyc/src and every module of
heed/triage is compiled there, but for `lazy_re.py` (its `__getattr__` hook is not supported in a
compiled class) and `__init__.py`; the rest of heed stays interpreted. The bench runs the copy with
the project's own interpreter (`PYTHONPATH=src`), so the extensions match it. Nothing here ships.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOOL = ROOT / "var" / "tools" / "mypyc"
MYPYC = TOOL / "bin" / "mypyc"
SOURCE = TOOL / "src"
_NOT_COMPILED = frozenset({"__init__.py", "lazy_re.py"})


def modules(source: Path) -> list[str]:
    """The heed/triage modules compiled, as paths relative to the copy."""
    return sorted(
        str(path.relative_to(source))
        for path in (source / "heed" / "triage").glob("*.py")
        if path.name not in _NOT_COMPILED
    )


def build(python: Path | None = None) -> Path:
    """A compiled copy of heed under var/tools/mypyc/src; raises RuntimeError when it cannot be built."""
    if not MYPYC.is_file():
        raise RuntimeError("mypyc not installed: `make bench` builds var/tools/mypyc (pip mypy)")
    shutil.rmtree(SOURCE, ignore_errors=True)
    shutil.copytree(
        ROOT / "functions" / "heed", SOURCE / "heed", ignore=shutil.ignore_patterns("__pycache__", "*.so")
    )
    # the extensions must load in the interpreter that runs them (the project's venv): both venvs come
    # from the same Python (the Makefile's $(PYTHON)), checked by version and extension suffix
    probe = "import sys, sysconfig; print(sys.version, sysconfig.get_config_var('EXT_SUFFIX'))"
    theirs, ours = (
        subprocess.run([str(p), "-c", probe], capture_output=True, text=True, check=True).stdout
        for p in (TOOL / "bin" / "python", python or Path(sys.executable))
    )
    if theirs != ours:
        raise RuntimeError(f"mypyc's Python ({theirs.strip()}) is not the project's ({ours.strip()})")
    done = subprocess.run(
        [str(MYPYC), "--ignore-missing-imports", *modules(SOURCE)], cwd=SOURCE, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError("mypyc failed: " + (done.stdout + done.stderr)[-1500:])
    built = list((SOURCE / "heed" / "triage").glob("*.so"))
    if len(built) != len(modules(SOURCE)):
        raise RuntimeError(f"mypyc built {len(built)} extensions for {len(modules(SOURCE))} modules")
    return SOURCE


def main() -> int:
    try:
        where = build()
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"compiled {len(modules(where))} modules of heed/triage under {where.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
