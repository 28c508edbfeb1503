"""Building the real parts and running the app: `selfcare` and `selfcare run ID`."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from selfcare_tui.command_line import (
    ExitCode,
    TranscriptError,
    routine_dirs,
    speech_choice,
    transcript_path,
    transcript_problem,
)

if TYPE_CHECKING:
    import argparse

    from selfcare_tui.routines.library import Library
    from selfcare_tui.routines.model import Routine
    from selfcare_tui.vocabulary import Tailoring


def open_app(args: argparse.Namespace | None = None) -> int:
    """`selfcare` with no command: `args` are its parsed options, or None when there were none
    (the launcher then builds no parser)."""
    from selfcare_tui.routines.library import FolderError, discover

    try:
        library = discover(routine_dirs(args))
    except FolderError as error:
        print(f"selfcare: {error}", file=sys.stderr)
        return ExitCode.USAGE
    return _run(args, library, routine_id=None)


def run_routine(
    args: argparse.Namespace, library: Library, routine: Routine, tailoring: Tailoring | None
) -> int:
    """`selfcare run ID`, with the library `run` loaded, the routine it found there, and how
    the flags tailor it."""
    return _run(args, library, routine_id=routine.id, tailoring=tailoring)


def _run(
    args: argparse.Namespace | None,
    library: Library,
    routine_id: str | None,
    tailoring: Tailoring | None = None,
) -> int:
    gc.disable()  # until the first frame (see _after_first_frame), or the end of the run
    try:
        return _build_and_run(args, library, routine_id, tailoring)
    finally:
        gc.enable()


def _build_and_run(
    args: argparse.Namespace | None,
    library: Library,
    routine_id: str | None,
    tailoring: Tailoring | None,
) -> int:
    from selfcare_tui.app.app import AppParts, SelfCareApp
    from selfcare_tui.journal.store import Journal
    from selfcare_tui.session.clock import MonotonicClock
    from selfcare_tui.settings import load_settings, save_settings
    from selfcare_tui.speech import Transcript
    from selfcare_tui.speech.output import SpeechOutput, choose_speaker

    settings, notices = load_settings()
    speed = getattr(args, "speed", 1.0) or 1.0
    choice = speech_choice(args)
    output = SpeechOutput(choice) if choice else settings.speech_output
    try:
        where = transcript_path(args)
        transcript = Transcript(where) if where is not None else None
    except (TranscriptError, OSError) as error:
        print(f"selfcare: {transcript_problem(error, args)}", file=sys.stderr)
        return ExitCode.USAGE
    # The app speaks with its own voice unless told otherwise: plain mode is the screen
    # reader's face, and picks speech-dispatcher by itself.
    chosen = choose_speaker(output, settings.speech, prefer_speechd=False, start=False)
    speaker = chosen.speaker
    if transcript is not None:
        transcript.attach(speaker)
    parts = AppParts(
        library, speaker, lambda: MonotonicClock(speed), Journal(), speed,
        settings=settings, save_settings=save_settings, notices=notices,
        start_speech=partial(_after_first_frame, speaker.start), tailoring=tailoring,
        ask_tailoring=getattr(args, "tailor", False),
        listen=getattr(args, "listen", False) or settings.listen,
        microphone=getattr(args, "mic", None) or settings.microphone,
        screen_reader=chosen.output is SpeechOutput.SPEECHD, transcript=transcript,
    )  # fmt: skip
    app = SelfCareApp(parts, routine_id, handle_signals=True)
    try:
        app.run()
    finally:
        if transcript is not None:
            transcript.close()
    return 128 + app.signalled if app.signalled else ExitCode.OK


def _after_first_frame(start_speech: Callable[[], None]) -> None:
    """Start what could wait for the first frame: the garbage collector and the speech engine.

    Start-up allocates hundreds of thousands of objects that live as long as the app, so the
    collector would walk them all, more than once, before the first frame (about 15 ms each).
    Frozen, they are never walked again.
    """
    gc.freeze()
    gc.enable()
    start_speech()
