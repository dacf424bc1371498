"""The `pharos` console command: every Django management command, plus Pharos' own
(`serve`, `demo`, `createagent`, `token`, `bot-eval`)."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pharos.settings")
    from django.core.management import execute_from_command_line

    arguments = list(sys.argv if argv is None else ["pharos", *argv])
    if len(arguments) == 1:
        arguments.append("help")
    # Commands are spelt with hyphens on the command line (bot-eval), underscores in Python.
    arguments[1] = (
        arguments[1].replace("-", "_") if not arguments[1].startswith("-") else arguments[1]
    )
    execute_from_command_line(arguments)


if __name__ == "__main__":
    main()
