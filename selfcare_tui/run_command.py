"""`selfcare run ID`: follow a routine in the app, in plain text (--plain), or as a timeline.

`selfcare --plain` (no command) lists the routines by number and runs the chosen one in plain
mode. Heavy modules (Textual, the speech engine) are imported only when a run needs them, and
the routine library is loaded once per command.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from types import ModuleType
from typing import TYPE_CHECKING

from selfcare_tui.command_line import (
    TRANSCRIPT_ENV,
    ExitCode,
    TranscriptError,
    add_routines_option,
    add_speech_options,
    speech_choice,
    speed_value,
    transcript_path,
    transcript_problem,
)

if TYPE_CHECKING:
    from selfcare_tui.plain import PlainOptions
    from selfcare_tui.routines.model import Routine


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
    add_speech_options(run)
    run.add_argument(
        "--transcript", metavar="FILE", default=None,
        help=f"append every utterance to FILE (or set {TRANSCRIPT_ENV})",
    )  # fmt: skip
    run.set_defaults(handler=run_routine)


def run_routine(args: argparse.Namespace) -> int:
    from selfcare_tui.routines.commands import find_playable, load_library

    library = load_library(args)
    if library is None:
        return ExitCode.USAGE
    routine = find_playable(library, args.id)
    if isinstance(routine, int):
        return routine
    if args.dry_run:
        return dry_run(routine)
    if not transcript_writable(args):
        return ExitCode.USAGE
    if not args.plain:
        launch = _app_launch()
        if launch is not None:
            code: int = launch.run_routine(args, library, routine)
            return code
        print("selfcare: the full-screen app is not available: plain mode.", file=sys.stderr)
    from selfcare_tui.plain import run_plain

    return run_plain(routine, _plain_options(args))


def plain_chooser(args: argparse.Namespace) -> int:
    """`selfcare --plain`: choose a routine by number, then play it in plain mode."""
    from selfcare_tui.plain import run_plain
    from selfcare_tui.routines.commands import load_library

    library = load_library(args)
    if library is None or not transcript_writable(args):
        return ExitCode.USAGE
    return run_plain(library.routines, _plain_options(args))


def dry_run(routine: Routine) -> int:
    """Everything a run would say, and when, printed at once: no waiting, no speech."""
    from selfcare_tui.session.timeline import format_timeline, timeline
    from selfcare_tui.settings import load_settings

    settings, _ = load_settings()
    for line in format_timeline(timeline(routine, countdown=settings.announce_countdown)):
        print(line)
    return ExitCode.OK


def transcript_writable(args: argparse.Namespace) -> bool:
    """Open --transcript once now, so that a path we cannot or will not write (a missing folder,
    a link another user made) is one clean line, in every face, before anything starts."""
    from selfcare_tui.speech import Transcript

    try:
        where = transcript_path(args)
        if where is not None:
            Transcript(where).close()
    except (TranscriptError, OSError) as error:
        print(f"selfcare: {transcript_problem(error, args)}", file=sys.stderr)
        return False
    return True


def _plain_options(args: argparse.Namespace) -> PlainOptions:
    from selfcare_tui.plain import PlainOptions
    from selfcare_tui.speech.output import SpeechOutput

    choice = speech_choice(args)
    return PlainOptions(
        speed=getattr(args, "speed", 1.0),
        speech=SpeechOutput(choice) if choice else None,
        transcript=transcript_path(args),
    )


def _app_launch() -> ModuleType | None:
    try:
        module = importlib.import_module("selfcare_tui.app.launch")
    except ModuleNotFoundError as error:
        if error.name in ("selfcare_tui.app", "selfcare_tui.app.launch", "textual"):
            return None
        raise
    return module
