"""`selfcare listen --test`: what the microphone hears, for setting up voice commands.

Prints the microphone in use, its level now and then, and every stretch of speech as the
recogniser heard it ("coach next: next", or the filler words it took other speech for). Nothing
is recorded. Ctrl+C ends it, or `--seconds N`.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import TYPE_CHECKING

from selfcare_tui.command_line import ExitCode

if TYPE_CHECKING:
    from selfcare_tui.listening.recognizer import Heard

LEVEL_EVERY_SECONDS = 2.0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    listen = subparsers.add_parser(
        "listen",
        help="test voice commands: print what the microphone hears (--test)",
        description=(
            "Voice commands: say coach, then next, pause, resume, repeat, go back, status, stop "
            "or longer. With --test, print the microphone, its level and what is heard."
        ),
    )
    listen.add_argument("--test", action="store_true", help="print what is heard; Ctrl+C ends")
    listen.add_argument("--seconds", type=float, default=None, help="end after this long")
    listen.add_argument(
        "--mic", metavar="SOURCE", default=None, help="the microphone (pactl list short sources)"
    )
    listen.set_defaults(handler=listen_test)


def listen_test(args: argparse.Namespace) -> int:
    from selfcare_tui.listening.microphone import Microphone, default_source, level_db
    from selfcare_tui.listening.recognizer import Recognizer, VoiceUnavailable

    if not args.test:
        print("selfcare listen: add --test to hear what the microphone picks up", file=sys.stderr)
        return ExitCode.USAGE
    try:
        recognizer = Recognizer()
        microphone = Microphone(default_source(args.mic))
    except VoiceUnavailable as error:
        print(f"selfcare: voice commands are off. {error}", file=sys.stderr)
        return ExitCode.PROBLEM
    print(f"Listening on {microphone.source}. Say coach, then a command. Ctrl+C ends.", flush=True)
    start = last_level = time.monotonic()
    try:
        while args.seconds is None or time.monotonic() - start < args.seconds:
            chunk = microphone.read()
            if not chunk:
                print("The microphone stopped.", flush=True)
                return ExitCode.PROBLEM
            for heard in recognizer.feed(chunk):
                print(heard_line(heard), flush=True)
            if time.monotonic() - last_level >= LEVEL_EVERY_SECONDS:
                print(f"level {level_db(chunk):.0f} dB", flush=True)
                last_level = time.monotonic()
    except KeyboardInterrupt:
        pass
    finally:
        microphone.close()
    return ExitCode.OK


def heard_line(heard: Heard) -> str:
    if heard.acted_on and heard.command is not None:
        return f"heard: {heard.words} -> {heard.command.value} ({heard.confidence:.2f})"
    if heard.command is not None:
        return f"heard: {heard.words} -> not sure, ignored ({heard.confidence:.2f})"
    return f"heard: {heard.words or '(nothing clear)'} -> no command"
