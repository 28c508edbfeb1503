"""The `selfcare` command line: one sub-command per feature module.

Each module in COMMAND_MODULES has `register(subparsers)`, which adds its sub-commands and sets
`handler` on them. Handlers take the parsed arguments and return the exit code. Modules import
their heavy dependencies inside the handlers so `--help` and `list` stay fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence

from selfcare_tui import __version__
from selfcare_tui.command_line import (
    ExitCode,
    add_listening_options,
    add_routines_option,
    add_speech_options,
)

COMMAND_MODULES = (
    "selfcare_tui.routines.commands",
    "selfcare_tui.speech.commands",
    "selfcare_tui.run_command",
    "selfcare_tui.journal.commands",
    "selfcare_tui.listen_command",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="selfcare",
        description=(
            "Voice-guided stretching and self-massage routines for the quadratus lumborum and "
            "gluteus medius. Run without a command to open the app."
        ),
    )
    parser.add_argument("--version", action="version", version=f"selfcare {__version__}")
    add_routines_option(parser)
    parser.add_argument(
        "--plain",
        action="store_true",
        help="no full screen: choose a routine by number, one printed and spoken line per event",
    )
    add_speech_options(parser)
    add_listening_options(parser)
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        handler = _default_handler(args)
    try:
        return handler(args)
    except KeyboardInterrupt:
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        # Output piped into `head` and the like: leave quietly, as other CLI tools do.
        sys.stderr.close()
        return ExitCode.OK


def _default_handler(args: argparse.Namespace) -> Callable[[argparse.Namespace], int]:
    # Resolved lazily so `--help` and the other commands never import Textual.
    handler: Callable[[argparse.Namespace], int]
    if getattr(args, "plain", False):
        handler = importlib.import_module("selfcare_tui.run_command").plain_chooser
        return handler
    try:
        module = importlib.import_module("selfcare_tui.app.launch")
    except ModuleNotFoundError:
        return _explain_commands
    handler = module.open_app
    return handler


def _explain_commands(args: argparse.Namespace) -> int:
    print(
        "The full-screen app is not built yet. Try:\n"
        "  selfcare list            the routines you can follow\n"
        "  selfcare show ID         the steps of one routine\n"
        "  selfcare --help          every command"
    )
    return ExitCode.OK
