"""`selfcare run ID`: follow a routine in the app, in plain text (--plain), or as a timeline.

`selfcare --plain` (no command) lists the routines by number and runs the chosen one in plain
mode. Heavy modules (Textual, the speech engine) are imported only when a run needs them, and
the routine library is loaded once per command.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable
from dataclasses import replace
from types import ModuleType
from typing import TYPE_CHECKING

from selfcare_tui.command_line import (
    TRANSCRIPT_ENV,
    ExitCode,
    TranscriptError,
    add_listening_options,
    add_routines_option,
    add_speech_options,
    speech_choice,
    speed_value,
    transcript_path,
    transcript_problem,
)
from selfcare_tui.text import escaped

if TYPE_CHECKING:
    from selfcare_tui.plain import PlainOptions
    from selfcare_tui.routines.model import Routine
    from selfcare_tui.speech.settings import SpeechSettings
    from selfcare_tui.vocabulary import CountdownStyle, Tailoring


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from selfcare_tui.routines.commands import add_validate_command

    add_validate_command(subparsers, plan_check)
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
        "--plain", action="store_true", default=argparse.SUPPRESS,
        help="no full screen: one printed and spoken line per event",
    )  # fmt: skip
    run.add_argument(
        "--dry-run", action="store_true", help="print the timeline of what would be said, at once"
    )
    run.add_argument(
        "--speed", metavar="X", type=speed_value, default=1.0,
        help="time runs X times faster (for demos and tests; default 1)",
    )  # fmt: skip
    add_tailoring_options(run)
    add_speech_options(run)
    add_listening_options(run)
    run.add_argument(
        "--transcript", metavar="FILE", default=None,
        help=f"append every utterance to FILE (or set {TRANSCRIPT_ENV})",
    )  # fmt: skip
    run.set_defaults(handler=run_routine)


def add_tailoring_options(parser: argparse.ArgumentParser) -> None:
    """How to play the routine this time, without editing it; nothing here is asked then."""
    group = parser.add_argument_group("tailoring (the routine file stays as it is)")
    group.add_argument(
        "--more-time", metavar="SIDE", choices=SIDE_WORDS,
        help="hold the stretches and massage of one side 50%% longer (left or right)",
    )  # fmt: skip
    group.add_argument(
        "--only", metavar="SIDE", choices=SIDE_WORDS,
        help="play one side only (left or right): the other side's steps are left out",
    )  # fmt: skip
    group.add_argument(
        "--shorter", action="store_true",
        help="shorter holds: two thirds as long, never under 10 seconds",
    )  # fmt: skip
    group.add_argument(
        "--tailor", action="store_true",
        help="ask before the routine how to play it (as written, more time, one side, shorter)",
    )  # fmt: skip


SIDE_WORDS = ("left", "right")


def chosen_tailoring(args: argparse.Namespace) -> Tailoring | None:
    """The tailoring the flags ask for; None when none was given (the session may offer)."""
    more_time, only = getattr(args, "more_time", None), getattr(args, "only", None)
    shorter = getattr(args, "shorter", False)
    if more_time is None and only is None and not shorter:
        return None
    from selfcare_tui.vocabulary import Side, Tailoring

    return Tailoring(Side(more_time or "none"), Side(only or "none"), shorter)


def run_routine(args: argparse.Namespace) -> int:
    from selfcare_tui.routines.commands import find_playable, load_library

    library = load_library(args)
    if library is None:
        return ExitCode.USAGE
    routine = find_playable(library, args.id)
    if isinstance(routine, int):
        return routine
    tailoring = chosen_tailoring(args)
    if (
        tailoring is not None
        and tailoring.only.one_sided
        and tailoring.more_time is tailoring.only.other
    ):
        print(
            f"selfcare: --more-time {tailoring.more_time} does nothing with --only "
            f"{tailoring.only}: the {tailoring.more_time} side is left out",
            file=sys.stderr,
        )
        return ExitCode.USAGE
    if args.dry_run:
        return dry_run(routine, tailoring)
    if not transcript_writable(args):
        return ExitCode.USAGE
    if not getattr(args, "plain", False):
        launch = _app_launch()
        if launch is not None:
            code: int = launch.run_routine(args, library, routine, tailoring)
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


def plan_check(routine: Routine) -> list[str]:
    """`validate`'s warnings on what cannot be heard, from estimated lengths at the default
    rate: quick, and the same on every machine."""
    from selfcare_tui.session.timeline import plan_warnings, timeline
    from selfcare_tui.speech.timing import estimate_seconds
    from selfcare_tui.vocabulary import CountdownStyle

    style = routine.countdown or CountdownStyle.BOTH
    return plan_warnings(timeline(routine, style, estimate_seconds))


def dry_run(routine: Routine, tailoring: Tailoring | None = None) -> int:
    """Everything a run would say or sound, and when, printed at once: the plan it follows
    (tailored, if asked), with the voice's own lengths when speech works (else estimates), and
    no sound."""
    from selfcare_tui.routines.tailoring import tailor
    from selfcare_tui.session.timeline import format_timeline, timeline
    from selfcare_tui.settings import load_settings

    settings, _ = load_settings()
    countdown = settings.countdown_for(routine.countdown)
    if tailoring is not None and not tailoring.as_written:
        routine = tailor(routine, tailoring)
        print(f"# tailored: {tailoring.words()}")
    durations, how = voice_lengths(routine, settings.speech, countdown)
    print(f"# {escaped(routine.title)}: {how}")
    for line in format_timeline(timeline(routine, countdown, durations)):
        print(line)
    return ExitCode.OK


def voice_lengths(
    routine: Routine, speech: SpeechSettings, countdown: CountdownStyle
) -> tuple[Callable[[str], float], str]:
    """How long each of the routine's texts takes: synthesised (silently) with the user's voice
    and rate when the engine works, else estimated; and words saying which."""
    from selfcare_tui.session.player import spoken_texts
    from selfcare_tui.speech.engine import SilentPlayer
    from selfcare_tui.speech.service import SpeechService
    from selfcare_tui.speech.timing import estimate_seconds

    service = SpeechService(replace(speech, muted=False), player_factory=SilentPlayer)
    try:
        if service.wait_ready(VOICE_READY_SECONDS) and service.available:
            service.prepare(spoken_texts(routine, countdown))
            if service.wait_idle(VOICE_READY_SECONDS * 4) and service.available:
                return service.duration, "lengths from the voice, as it will be heard"
    finally:
        service.close()
    return (lambda text: estimate_seconds(text, speech.rate)), "estimated lengths (no voice)"


VOICE_READY_SECONDS = 5.0


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
        tailoring=chosen_tailoring(args),
        ask_tailoring=getattr(args, "tailor", False),
        listen=getattr(args, "listen", False),
        microphone=getattr(args, "mic", None),
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
