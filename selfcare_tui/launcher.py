"""The `selfcare` command's entry point: `--version` is answered before anything is imported;
everything else goes to the command line (`cli`)."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from selfcare_tui import __version__


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    if arguments == ["--version"]:
        print(f"selfcare {__version__}")  # as argparse's own --version prints it
        return 0
    from selfcare_tui.cli import main as run_command_line

    return run_command_line(arguments)
