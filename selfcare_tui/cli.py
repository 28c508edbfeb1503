"""The `selfcare` command line: one sub-command per feature module.

Each module in COMMANDS has `register(subparsers)`, which adds its sub-commands and sets
`handler` on them. Handlers take the parsed arguments and return the exit code. Only the module
of the command being run is imported (all of them for `--help`), so `--version` and the app's
launch pay for none of them.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from functools import partial

from selfcare_tui import __version__
from selfcare_tui.command_line import (
    add_listening_options,
    add_routines_option,
    add_speech_options,
    run_guarded,
)

_ROUTINES = "selfcare_tui.routines.commands"
_SPEECH = "selfcare_tui.speech.commands"
_JOURNAL = "selfcare_tui.journal.commands"
_RUN = "selfcare_tui.run_command"
COMMANDS = {
    "list": _ROUTINES,
    "show": _ROUTINES,
    "new": _ROUTINES,
    "sources": _ROUTINES,
    "validate": _RUN,  # it checks that each routine plays, too
    "voices": _SPEECH,
    "say": _SPEECH,
    "run": _RUN,
    "history": _JOURNAL,
    "export": _JOURNAL,
    "listen": "selfcare_tui.listen_command",
}
"""Each command's module, in the order `--help` lists them."""
HELP_OPTIONS = ("-h", "--help")


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser for argv: with the named command's module, or every module when argv asks
    for help, names an unknown command or is None."""
    parser = _top_level_parser()
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for module_name in _modules_for(argv):
        importlib.import_module(module_name).register(subparsers)
    return parser


def _modules_for(argv: Sequence[str] | None) -> list[str]:
    every_module = list(dict.fromkeys(COMMANDS.values()))
    if argv is None or any(word in HELP_OPTIONS for word in argv):
        return every_module
    # The top-level options alone, to tell a command's name from an option's value (a folder
    # named "list" after --routines), spelled out in full: an abbreviation may be a command's
    # own option (`history --s DATE`). Anything this probe cannot place loads every module, and
    # the real parse says what is wrong.
    probe = _top_level_parser(probe=True)
    try:
        _, rest = probe.parse_known_args(argv)
    except argparse.ArgumentError:
        return every_module
    words = [word for word in rest if not word.startswith("-")]
    if not words:
        return []
    if words[0] in COMMANDS:
        return [COMMANDS[words[0]]]
    return every_module  # so the error names every command there is


def _top_level_parser(probe: bool = False) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        allow_abbrev=not probe,
        exit_on_error=not probe,
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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        handler = _default_handler(args)
    return run_guarded(partial(handler, args))


def _default_handler(args: argparse.Namespace) -> Callable[[argparse.Namespace], int]:
    # Resolved lazily so `--help` and the other commands never import Textual.
    handler: Callable[[argparse.Namespace], int]
    if getattr(args, "plain", False):
        handler = importlib.import_module("selfcare_tui.run_command").plain_chooser
    else:
        handler = importlib.import_module("selfcare_tui.app.launch").open_app
    return handler
