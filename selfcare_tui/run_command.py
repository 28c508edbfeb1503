"""`selfcare run ID`: follow a routine in the app, in plain text (--plain), or as a timeline.

`selfcare --plain` (no command) lists the routines by number and runs the chosen one in plain
mode. Heavy modules (Textual, the speech engine) are imported only when a run needs them.
"""

from __future__ import annotations

import argparse
import importlib
import math
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from selfcare_tui.cli import add_routines_option

if TYPE_CHECKING:
    from selfcare_tui.plain import PlainOptions
    from selfcare_tui.routines.model import Routine

EXIT_OK, EXIT_PROBLEM, EXIT_USAGE = 0, 1, 2
TRANSCRIPT_ENV = "SELFCARE_TRANSCRIPT"


def register(subparsers: argparse._SubParsersAction) -> None:
    run = subparsers.add_parser(
        "run",
        help="follow a routine: in the app, as plain text (--plain) or as a timeline (--dry-run)",
        description=(
            "Follow a routine. By default in the full-screen app; with --plain as one printed "
            "and spoken line per event, for screen readers and scripts; with --dry-run as the "
            "timeline of everything a run would say, at once."
        ),
    )
    run.add_argument("id", metavar="ID", help="the routine's id ('selfcare list' shows them)")
    add_routines_option(run)
    run.add_argument(
        "--plain", action="store_true", help="no full screen: one printed and spoken line per event"
    )
    run.add_argument(
        "--dry-run", action="store_true", help="print the timeline of what would be said, at once"
    )
    run.add_argument(
        "--speed", metavar="X", type=speed_value, default=1.0,
        help="time runs X times faster (for demos and tests; default 1)",
    )  # fmt: skip
    run.add_argument("--mute", action="store_true", help="print only, never speak")
    run.add_argument(
        "--transcript", metavar="FILE", type=Path, default=None,
        help=f"append every utterance to FILE (or set {TRANSCRIPT_ENV})",
    )  # fmt: skip
    run.set_defaults(handler=run_routine)


MIN_SPEED, MAX_SPEED = 0.01, 1000.0


def speed_value(text: str) -> float:
    try:
        speed = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number above 0, not {text!r}") from None
    if not math.isfinite(speed) or not MIN_SPEED <= speed <= MAX_SPEED:
        raise argparse.ArgumentTypeError(
            f"must be a number from {MIN_SPEED} to {MAX_SPEED:g}, not {text!r}"
        )
    return speed


def run_routine(args: argparse.Namespace) -> int:
    from selfcare_tui.routines.commands import find_playable

    routine = find_playable(args)
    if isinstance(routine, int):
        return routine
    if args.dry_run:
        return dry_run(routine)
    if not args.plain:
        launch = _app_launch()
        if launch is not None:
            return launch.run_routine(args)
        print("selfcare: the full-screen app is not available: plain mode.", file=sys.stderr)
    options = _plain_options(args)
    if options is None:
        return EXIT_USAGE
    from selfcare_tui.plain import run_plain

    return run_plain(routine, options)


def plain_chooser(args: argparse.Namespace) -> int:
    """`selfcare --plain`: choose a routine by number, then play it in plain mode."""
    from selfcare_tui.plain import run_plain
    from selfcare_tui.routines.commands import load_library

    library = load_library(args)
    options = _plain_options(args)
    if library is None or options is None:
        return EXIT_USAGE
    return run_plain(library.routines, options)


def dry_run(routine: Routine) -> int:
    """Everything a run would say, and when, printed at once: no waiting, no speech."""
    from selfcare_tui.session.timeline import format_timeline, timeline

    for line in format_timeline(timeline(routine)):
        print(line)
    return EXIT_OK


def _plain_options(args: argparse.Namespace) -> PlainOptions | None:
    from selfcare_tui.plain import PlainOptions

    given = getattr(args, "transcript", None) or os.environ.get(TRANSCRIPT_ENV) or None
    transcript = Path(given) if given is not None else None
    if transcript is not None and (not transcript.parent.is_dir() or transcript.is_dir()):
        print(f"selfcare: cannot write a transcript to {transcript}", file=sys.stderr)
        return None
    return PlainOptions(
        speed=getattr(args, "speed", 1.0),
        mute=getattr(args, "mute", False),
        transcript=transcript,
    )


def _app_launch() -> ModuleType | None:
    try:
        module = importlib.import_module("selfcare_tui.app.launch")
    except ModuleNotFoundError as error:
        if error.name in ("selfcare_tui.app", "selfcare_tui.app.launch", "textual"):
            return None
        raise
    return module if hasattr(module, "run_routine") else None
