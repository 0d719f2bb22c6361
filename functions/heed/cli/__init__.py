"""The `heed` command: one entry point, a sub-command per job (triage, templates, tasks, report, privacy,
upgrade).

Each sub-command lives in its own module of this package and exposes `register(subparsers)`;
modules are imported only when present so the command starts fast.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys

COMMAND_MODULES = ("triage", "templates", "tasks", "report", "privacy", "dlq", "users", "alerts", "upgrade")


def build_parser() -> argparse.ArgumentParser:
    from heed.cli import target

    parser = argparse.ArgumentParser(prog="heed", description="Heed social customer care.")
    target.add_arguments(parser, top_level=True)
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        module_name = f"heed.cli.{name}"
        if importlib.util.find_spec(module_name) is None:
            continue
        importlib.import_module(module_name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except BrokenPipeError:
        # `heed export | head`: the reader left; that is not an error worth a traceback.
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
