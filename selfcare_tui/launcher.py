"""The `selfcare` command's entry point: `--version` is answered before anything is imported,
and `selfcare` alone opens the app without building a parser (argparse and the command line's
parsers are a few milliseconds of the launch); everything else goes to the command line (`cli`)."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from selfcare_tui import __version__


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    if arguments == ["--version"]:
        print(f"selfcare {__version__}")  # as argparse's own --version prints it
        return 0
    if not arguments:
        from selfcare_tui.app.launch import open_app
        from selfcare_tui.command_line import run_guarded

        return run_guarded(open_app)
    from selfcare_tui.cli import main as run_command_line

    return run_command_line(arguments)
