"""`selfcare voices` and `selfcare say`: the speech engine from the command line."""

from __future__ import annotations

import argparse
import functools
import json
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from selfcare_tui.command_line import ExitCode
from selfcare_tui.private_files import replace_private, reserve_private
from selfcare_tui.speech.engine import (
    NO_AUDIO_OUTPUT,
    EngineUnavailable,
    Pyttsx3Synthesiser,
    Synthesiser,
    close_player,
    find_player,
    join_wavs,
    list_voices,
    wav_duration,
)
from selfcare_tui.speech.service import ENGINE_TIMEOUT, PLAYER_GRACE
from selfcare_tui.speech.settings import (
    SettingsError,
    SpeechSettings,
    VoiceInfo,
    parse_rate,
    parse_volume,
    resolve_voice,
)
from selfcare_tui.speech.splitting import split_for_speech
from selfcare_tui.speech.watchdog import Hung, Worker
from selfcare_tui.speech.workspace import Workspace

Handler = Callable[[argparse.Namespace], int]
T = TypeVar("T")


class CommandError(Exception):
    """A one-line message for stderr, with the exit code to leave with."""

    def __init__(self, message: str, code: int = ExitCode.PROBLEM) -> None:
        super().__init__(message)
        self.code = code


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    voices = subparsers.add_parser("voices", help="list the speech voices you can choose")
    voices.add_argument("--json", action="store_true", help="print JSON")
    voices.set_defaults(handler=_guarded("voices", show_voices))

    say = subparsers.add_parser("say", help="speak some text, or write it to a WAV file")
    say.add_argument("text", metavar="TEXT")
    say.add_argument("--voice", metavar="ID", help="a voice id or language, e.g. en-gb")
    say.add_argument("--rate", metavar="WPM", help="words per minute (80 to 450, default 165)")
    say.add_argument("--volume", metavar="0..1", help="from 0 (silent) to 1 (default)")
    say.add_argument("--output", metavar="FILE.wav", type=Path, help="write a WAV, do not play")
    say.set_defaults(handler=_guarded("say", say_text))


def _guarded(name: str, command: Handler) -> Handler:
    """Turns expected failures into one line on stderr and an exit code, never a traceback."""

    def handler(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except CommandError as error:
            print(f"selfcare {name}: {error}", file=sys.stderr)
            return error.code
        except SettingsError as error:
            print(f"selfcare {name}: {error}", file=sys.stderr)
            return ExitCode.USAGE

    return handler


def show_voices(args: argparse.Namespace) -> int:
    voices = _engine_voices()
    if args.json:
        print(json.dumps([_voice_json(voice) for voice in voices], indent=2))
        return ExitCode.OK
    width = max((len(voice.id) for voice in voices), default=0)
    for voice in voices:
        print(f"{voice.id:<{width}}  {voice.name}  ({', '.join(voice.languages)})")
    return ExitCode.OK


def _voice_json(voice: VoiceInfo) -> dict[str, object]:
    return {"id": voice.id, "name": voice.name, "languages": list(voice.languages)}


def _engine_voices() -> list[VoiceInfo]:
    try:
        return list_voices()
    except EngineUnavailable as error:
        raise CommandError(str(error)) from error


def say_text(args: argparse.Namespace) -> int:
    settings = _settings(args)
    parts = split_for_speech(args.text)
    if not parts:
        raise CommandError("there is no text to say", ExitCode.USAGE)
    if args.output is not None:
        _check_output(args.output)
    worker = Worker("selfcare-say-engine")  # the engine is made and used on this one thread
    try:
        synthesiser = _watched(worker, lambda: _synthesiser(settings))
        # Synthesised in parts (cut between sentences) into the private speech folder: espeak
        # reports a bad path only from inside a C callback, as a traceback on the terminal.
        with Workspace.create() as workspace:
            wavs = [workspace.path / f"say-{n}.wav" for n in range(len(parts))]
            for part, wav in zip(parts, wavs, strict=True):
                reserve_private(wav)  # 0600 whatever the umask: the engine keeps the mode
                _watched(worker, functools.partial(_synthesise, synthesiser, part, wav))
            wav = workspace.path / "say.wav"
            reserve_private(wav)
            seconds = join_wavs(wavs, wav)
            if args.output is None:
                _play(wav, seconds)
                return ExitCode.OK
            _copy_out(wav, args.output)
    finally:
        worker.close()
    print(f"Wrote {args.output} ({seconds:.1f} s of speech).")
    return ExitCode.OK


def _watched(worker: Worker, call: Callable[[], T]) -> T:
    try:
        return worker.run(call, ENGINE_TIMEOUT)
    except Hung:
        raise CommandError(f"the speech engine gave no answer in {ENGINE_TIMEOUT:g} s") from None


def _copy_out(wav: Path, output: Path) -> None:
    if output.is_dir():
        raise CommandError(f"{str(output)!r} is a folder; give a file name ending in .wav")
    try:
        replace_private(output, wav.read_bytes())  # replaces a link there, never writes through
    except OSError as error:
        raise CommandError(f"cannot write {str(output)!r}: {error.strerror or error}") from None


def _settings(args: argparse.Namespace) -> SpeechSettings:
    settings = SpeechSettings(voice=args.voice)
    if args.rate is not None:
        settings = replace(settings, rate=parse_rate(args.rate))
    if args.volume is not None:
        settings = replace(settings, volume=parse_volume(args.volume))
    return settings


def _check_output(path: Path) -> None:
    if path.suffix.lower() != ".wav":
        raise CommandError(f"--output must name a .wav file, not {str(path)!r}", ExitCode.USAGE)
    if not path.parent.is_dir():
        raise CommandError(f"folder {str(path.parent)!r} does not exist", ExitCode.USAGE)


def _synthesiser(settings: SpeechSettings) -> Synthesiser:
    try:
        synthesiser = Pyttsx3Synthesiser()
    except EngineUnavailable as error:
        raise CommandError(str(error)) from error
    voice_id = resolve_voice(settings.voice, synthesiser.voices()).id if settings.voice else None
    synthesiser.configure(voice_id, settings.rate, settings.volume)
    return synthesiser


def _synthesise(synthesiser: Synthesiser, text: str, wav: Path) -> float:
    try:
        synthesiser.synthesise(text, wav)
        return wav_duration(wav)
    except Exception as error:  # the engine's errors are many and undocumented
        raise CommandError(f"the speech engine failed: {error}") from error


def _play(wav: Path, seconds: float) -> None:
    player = find_player()
    if player is None:
        raise CommandError("no audio player found (pw-play, paplay or aplay); use --output")
    playback = player.start(wav)
    worker = Worker("selfcare-say-player")
    try:
        played = worker.run(playback.wait, seconds + PLAYER_GRACE)
    except Hung:
        raise CommandError("the audio player stopped responding; use --output FILE.wav") from None
    finally:
        playback.stop()  # the player and anything it started, whatever happened
        close_player(player)
        worker.close()
    if not played:
        raise CommandError(f"{NO_AUDIO_OUTPUT.split(':')[0]}; use --output FILE.wav to save it")
