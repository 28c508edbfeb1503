"""What every command shares: exit codes and the options that several commands take.

It sits below `cli` and the command modules, so they share it without importing each other.
argparse is imported where a parser is built: the app opened with no options (`selfcare`)
parses none, and its launch never loads it.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse


class ExitCode(IntEnum):
    OK = 0
    PROBLEM = 1
    """The command could not do what was asked (a broken routine, an unreadable journal)."""
    USAGE = 2
    """The command was used wrongly (a bad option, a missing folder)."""
    INTERRUPTED = 130
    """Ctrl+C."""


TRANSCRIPT_ENV = "SELFCARE_TRANSCRIPT"
MIN_SPEED, MAX_SPEED = 0.01, 1000.0


def add_routines_option(parser: argparse.ArgumentParser) -> None:
    """`--routines DIR`, accepted before or after the command name."""
    import argparse

    parser.add_argument(
        "--routines",
        metavar="DIR",
        action="append",
        default=argparse.SUPPRESS,
        help="also load routines from DIR (may be given more than once)",
    )


def run_guarded(command: Callable[[], int]) -> int:
    """Run a command, with Ctrl+C and a closed pipe ending it as other command-line tools do."""
    try:
        return command()
    except KeyboardInterrupt:
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        # Output piped into `head` and the like: leave quietly.
        sys.stderr.close()
        return ExitCode.OK


def routine_dirs(args: argparse.Namespace | None) -> list[Path]:
    return [Path(folder) for folder in getattr(args, "routines", [])]


def speed_value(text: str) -> float:
    import argparse

    try:
        speed = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number above 0, not {text!r}") from None
    if not math.isfinite(speed) or not MIN_SPEED <= speed <= MAX_SPEED:
        raise argparse.ArgumentTypeError(
            f"must be a number from {MIN_SPEED} to {MAX_SPEED:g}, not {text!r}"
        )
    return speed


class TranscriptError(ValueError):
    """A --transcript path that cannot be written."""


def transcript_path(args: argparse.Namespace | None) -> Path | None:
    """--transcript, or $SELFCARE_TRANSCRIPT; raises TranscriptError for a path we cannot use."""
    given = getattr(args, "transcript", None) or os.environ.get(TRANSCRIPT_ENV) or None
    if given is None:
        return None
    path = Path(given)
    if not path.parent.is_dir() or path.is_dir():
        raise TranscriptError(f"cannot write a transcript to {path}")
    return path


def transcript_problem(error: Exception, args: argparse.Namespace | None) -> str:
    """One line for a transcript that cannot be opened (a bad path, a link we refuse)."""
    if isinstance(error, TranscriptError):
        return str(error)
    reason = error.strerror if isinstance(error, OSError) and error.strerror else error
    return f"cannot write a transcript to {transcript_path(args)}: {reason}"


SPEECH_OUTPUTS = ("auto", "own", "speechd", "off")


def add_speech_options(parser: argparse.ArgumentParser) -> None:
    """`--speech` (where the voice goes) and `--mute` (the same as `--speech off`)."""
    import argparse

    parser.add_argument(
        "--speech",
        choices=SPEECH_OUTPUTS,
        default=argparse.SUPPRESS,  # absent unless given: before the command name counts too
        help="own: selfcare's voice; speechd: your speech-dispatcher, shared with your screen "
        "reader; off: print only; auto (the default, or your setting): speechd in plain mode "
        "when one is running",
    )
    parser.add_argument(
        "--mute",
        action="store_true",
        default=argparse.SUPPRESS,
        help="print only (as --speech off)",
    )


def add_listening_options(parser: argparse.ArgumentParser) -> None:
    """`--listen` (voice commands) and `--mic` (which microphone), before or after the command
    name (absent unless given, so a command's parser never resets the top level's)."""
    import argparse

    parser.add_argument(
        "--listen", action="store_true", default=argparse.SUPPRESS,
        help="voice commands during a routine: say coach, then next, pause, resume... "
        "(needs pip install 'selfcare-tui[voice]' and a microphone)",
    )  # fmt: skip
    parser.add_argument(
        "--mic", metavar="SOURCE", default=argparse.SUPPRESS,
        help="the microphone to listen on, by its sound server name "
        "('pactl list short sources'); default: the system's",
    )  # fmt: skip


def speech_choice(args: argparse.Namespace | None) -> str | None:
    """The output asked for on the command line, or None: the user's setting decides."""
    if getattr(args, "mute", False):
        return "off"
    choice: str | None = getattr(args, "speech", None)
    return choice
