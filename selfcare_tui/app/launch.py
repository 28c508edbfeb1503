"""Building the real parts and running the app: `selfcare` and `selfcare run ID`."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace

from selfcare_tui.cli import routine_dirs


def open_app(args: argparse.Namespace) -> int:
    return _run(args, routine_id=None)


def run_routine(args: argparse.Namespace) -> int:
    return _run(args, routine_id=args.id)


def _run(args: argparse.Namespace, routine_id: str | None) -> int:
    from selfcare_tui.app.app import AppParts, SelfCareApp
    from selfcare_tui.journal.store import Journal
    from selfcare_tui.routines.library import FolderError, discover
    from selfcare_tui.session.clock import MonotonicClock
    from selfcare_tui.settings import load_settings, save_settings
    from selfcare_tui.speech import SpeechService, Transcript

    try:
        library = discover(routine_dirs(args))
    except FolderError as error:
        print(f"selfcare: {error}", file=sys.stderr)
        return 2
    if routine_id is not None:
        entry = library.find(routine_id)
        if entry is None or entry.routine is None:
            problem = library.unknown_id_message(routine_id) if entry is None else entry.error
            print(f"selfcare: {problem}", file=sys.stderr)
            return 1
    settings, notices = load_settings()
    speed = getattr(args, "speed", 1.0) or 1.0
    speech = settings.speech
    if getattr(args, "mute", False):
        speech = replace(speech, muted=True)
    speaker = SpeechService(speech, start=False)
    transcript_path = getattr(args, "transcript", None) or os.environ.get("SELFCARE_TRANSCRIPT")
    transcript = Transcript(transcript_path).attach(speaker) if transcript_path else None
    parts = AppParts(
        library, speaker, lambda: MonotonicClock(speed), Journal(), speed,
        settings=settings, save_settings=save_settings, notices=notices,
        start_speech=speaker.start,
    )  # fmt: skip
    app = SelfCareApp(parts, routine_id, handle_signals=True)
    try:
        app.run()
    finally:
        if transcript is not None:
            transcript.close()
    return 128 + app.signalled if app.signalled else 0
