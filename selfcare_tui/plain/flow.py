"""Plain mode: the session script as printed lines, for screen readers, braille and scripts.

The session (session/script.py) decides what is asked, said and saved; this face prints each
prompt, reads its answer, and plays the routine on a MonotonicClock ticked about ten times a
second, reading keys between ticks.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from selfcare_tui.command_line import ExitCode
from selfcare_tui.journal.guard import JournalLike, save_on_exit
from selfcare_tui.plain.console import Console
from selfcare_tui.plain.keys import LINE_HELP, CommandReader, Input, command_of, open_input
from selfcare_tui.plain.prompts import Asker
from selfcare_tui.routines.model import Routine
from selfcare_tui.session.clock import Clock, MonotonicClock
from selfcare_tui.session.commands import PlayerCommand, help_sentence, player_commands
from selfcare_tui.session.player import RoutinePlayer
from selfcare_tui.session.script import (
    Choose,
    Notice,
    PickSteps,
    Play,
    Prompt,
    SafetyCheck,
    Session,
    SessionOutcome,
    SessionParts,
    WriteNote,
    local_now,
)
from selfcare_tui.session.voice import VoiceControl
from selfcare_tui.settings import AppSettings
from selfcare_tui.speech.model import Speaker, UtteranceKind
from selfcare_tui.speech.output import SpeechOutput
from selfcare_tui.vocabulary import Tailoring, about_minutes

if TYPE_CHECKING:
    from selfcare_tui.listening.listener import Listener
    from selfcare_tui.speech import Transcript

TICK_SECONDS = 0.1
"""Real time between ticks of the player (and between looks for a key)."""
GOODBYE_SPEECH_SECONDS = 90.0
"""At the end, on a terminal, how long to let the last prompts be heard before leaving."""


@dataclass(frozen=True)
class PlainOptions:
    speed: float = 1.0
    """Time runs this many times faster (demos and tests)."""
    speech: SpeechOutput | None = None
    """Where the voice goes (`--speech`; `--mute` is OFF); None: the user's setting, whose
    default picks the user's speech-dispatcher when one is running."""
    transcript: Path | None = None
    """Append every utterance to this file (see speech/transcript.py)."""
    tailoring: Tailoring | None = None
    """How to play the routine (`--more-time left`...); None: the session may offer."""
    ask_tailoring: bool = False
    """Ask how to play the routine first (`--tailor`)."""
    listen: bool = False
    """Voice commands (`--listen`); the user's `listen` setting also turns them on."""
    microphone: str | None = None
    """`--mic`: the source to listen on; None: the setting's, else the default."""


def run_plain(
    routine: Routine | Sequence[Routine],
    options: PlainOptions,
    *,
    input: Input | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    journal: JournalLike | None = None,
    speaker: Speaker | None = None,
    settings: AppSettings | None = None,
    clock_factory: Callable[[], Clock] | None = None,
    now: Callable[[], datetime] = local_now,
) -> int:
    """Play `routine`, or first ask which one of several by number. Returns the exit code."""
    input = input or open_input()
    settings = settings or _user_settings()
    with _speech(options, settings, speaker) as (voice, words, transcript, shared):
        console = Console(voice, out, err)
        say_speech_state(console, voice, words)
        wanted = options.listen or settings.listen
        listener = _listen(console, voice, options.microphone or settings.microphone, transcript,
                           screen_reader=shared) if wanted else None  # fmt: skip
        parts_journal = journal or _user_journal()
        offer_unsaved(Asker(console, input), parts_journal)
        if not isinstance(routine, Routine):
            chosen = choose_routine(routine, Asker(console, input))
            if chosen is None:
                console.say("No routine chosen.")
                return ExitCode.PROBLEM
            routine = chosen
        parts = SessionParts(
            voice,
            clock_factory or (lambda: MonotonicClock(options.speed)),
            parts_journal,
            now,
            options.speed,
            settings.countdown_for(routine.countdown),
            player_commands(settings.keymap),
            VoiceControl(voice, settings, _remember(console)),
            options.tailoring,
            options.ask_tailoring,
            caption=console.line,
        )
        face = PlainFace(Session(routine, parts), console, input, listener)
        try:
            code = face.run()
        except KeyboardInterrupt:
            saved = face.session.guard.saved_path
            console.line(f"Stopped. Saved in your journal: {saved}" if saved else "Stopped.")
            return ExitCode.INTERRUPTED
        finally:
            if listener is not None:
                listener.close()
        _let_speech_finish(voice, input)
        return code


def choose_routine(routines: Sequence[Routine], asker: Asker) -> Routine | None:
    if not routines:
        asker.console.say("No routines found. 'selfcare new ID' writes one for you.")
        return None
    asker.console.say(f"{len(routines)} routines:")
    for number, routine in enumerate(routines, start=1):
        asker.console.say(f"{number}. {routine.title}, {about_minutes(routine.minutes)}.")
    chosen = asker.number("Which routine? Type its number.", len(routines))
    return None if chosen is None else routines[chosen - 1]


def offer_unsaved(asker: Asker, journal: JournalLike) -> None:
    """Sessions the journal could not take last time: ask to move them in now."""
    from selfcare_tui.journal.fallback import move_unsaved, moved_words, offer_words, unsaved

    waiting = unsaved()
    if waiting and asker.yes_no(offer_words(len(waiting))):
        asker.console.say(moved_words(*move_unsaved(journal)))


def say_speech_state(console: Console, speaker: Speaker, words: str) -> None:
    """Said once at the start, so nobody waits for a voice that will not come."""
    if speaker.problem and not speaker.muted:
        console.line(f"Speech: {speaker.problem}")
    elif speaker.muted:
        console.line(words)
    else:
        console.say(words)


def _listen(
    console: Console,
    speaker: Speaker,
    microphone: str | None,
    transcript: Transcript | None,
    screen_reader: bool,
) -> Listener | None:
    """Start voice commands, saying how to use them; or say in one line why they are off."""
    from selfcare_tui.listening.listener import listening_words, start_listening
    from selfcare_tui.listening.recognizer import VoiceUnavailable

    record = (lambda heard: transcript.heard(heard.words, heard.acted_on)) if transcript else None
    try:
        listener = start_listening(speaker, microphone or None, record=record or (lambda h: None))
    except VoiceUnavailable as error:
        console.say(f"Voice commands are off. {error}")
        return None
    console.say(listening_words(listener, screen_reader))
    return listener


class PlainFace:
    """Prints each prompt of a session and reads its answer."""

    def __init__(
        self, session: Session, console: Console, input: Input, listener: Listener | None = None
    ) -> None:
        self.session = session
        self.console = console
        self.input = input
        self.asker = Asker(console, input)
        self.listener = listener
        """Voice commands, taken between ticks as keys are."""

    def run(self) -> int:
        with save_on_exit(self.session.guard):
            prompt = self.session.begin()
            while prompt is not None:
                prompt = self.session.answer(self.present(prompt))
        if self.session.outcome is SessionOutcome.NO_ANSWER:
            return ExitCode.PROBLEM
        return ExitCode.OK

    def present(self, prompt: Prompt) -> Any:
        match prompt:
            case Notice():
                self.console.line(prompt.title)
                for paragraph in prompt.paragraphs:
                    self.console.line(paragraph)
                return None
            case SafetyCheck():
                for line in (prompt.title, prompt.summary, prompt.intro):
                    self.console.line(line)
                for group in prompt.groups:
                    self.console.line(group.text())
                return self.asker.safety(prompt)
            case Choose():
                return self.asker.choose(prompt)
            case PickSteps():
                return self.asker.steps(prompt)
            case WriteNote():
                return self.asker.note(prompt)
            case Play():
                self.play(prompt.player)
                return None

    def play(self, player: RoutinePlayer) -> None:
        with self.input.commands() as reader:
            player.start()
            while not player.is_over:
                tokens = reader.poll(TICK_SECONDS)
                while tokens and not player.is_over:
                    self.key(tokens.pop(0), reader, tokens)
                self.take_voice_commands()
                self.tick(player)

    def take_voice_commands(self) -> None:
        if self.listener is None:
            return
        for command, heard in self.listener.take():
            self.console.line(f"Heard: {heard.words}.")
            self.session.voice_command(command)

    def tick(self, player: RoutinePlayer) -> None:
        player.tick()
        if self.session.parts.voice is not None:
            self.session.parts.voice.settle()
        self.console.check_speech()

    def key(self, token: str, reader: CommandReader, pending: list[str]) -> None:
        commands = self.session.parts.commands
        command = command_of(token, commands)
        if command is None:
            extra = "" if self.input.interactive else f" {LINE_HELP}"
            said = f"That does nothing here. {help_sentence(commands)}{extra}"
            self.console.say(said, UtteranceKind.STATUS)  # at once, over the routine
            return
        self.session.command(command)
        if command is PlayerCommand.QUIT:
            self.session.answer_quit(self.confirmed(reader, pending))

    def confirmed(self, reader: CommandReader, pending: list[str]) -> bool:
        """The answer to "Quit this routine?": y quits, any other key goes on; at the end of
        input (a script that sent q) nobody can answer, so it quits."""
        while not pending:
            if reader.ended:
                return True
            pending.extend(reader.poll(TICK_SECONDS))
            assert self.session.player is not None
            self.tick(self.session.player)  # paused: keeps speech problems and mute in step
        return pending.pop(0) in ("y", "yes")


def _user_journal() -> JournalLike:
    from selfcare_tui.journal.store import Journal

    return Journal()


def _remember(console: Console) -> Callable[[AppSettings], None]:
    """Keeps a mute or rate change for next time, as the app does."""

    def remember(settings: AppSettings) -> None:
        from selfcare_tui.settings import save_settings

        try:
            save_settings(settings)
        except OSError as error:
            console.note(f"Could not save settings: {error.strerror or error}")

    return remember


@contextlib.contextmanager
def _speech(
    options: PlainOptions, settings: AppSettings, speaker: Speaker | None
) -> Iterator[tuple[Speaker, str, Transcript | None, bool]]:
    """The given speaker, or the one the options and settings choose; the words that say which
    it is; its transcript; and whether it is the user's speech-dispatcher (their screen
    reader's voice)."""
    from selfcare_tui.speech import Transcript
    from selfcare_tui.speech.output import choose_speaker, speech_words

    owned = speaker is None
    shared = False
    if speaker is None:
        # --speech and --mute are for this run only: the saved settings keep the user's choice.
        output = options.speech or settings.speech_output
        chosen = choose_speaker(output, settings.speech, prefer_speechd=True)
        if chosen.output is not SpeechOutput.OFF:
            chosen.speaker.wait_ready(2.0)  # an engine problem is told before the safety check
        speaker, words = chosen.speaker, chosen.words
        shared = chosen.output is SpeechOutput.SPEECHD
    else:
        words = speech_words(SpeechOutput.OFF if speaker.muted else SpeechOutput.OWN)
    transcript = Transcript(options.transcript).attach(speaker) if options.transcript else None
    try:
        yield speaker, words, transcript, shared
    finally:
        if owned:
            speaker.close()
        if transcript is not None:
            transcript.close()


def _let_speech_finish(speaker: Speaker, input: Input) -> None:
    """On a terminal, let the closing prompts be heard; a script or a tester does not wait."""
    wait_idle = getattr(speaker, "wait_idle", None)
    if not input.interactive or speaker.muted or wait_idle is None:
        return
    with contextlib.suppress(KeyboardInterrupt):
        wait_idle(GOODBYE_SPEECH_SECONDS)


def _user_settings() -> AppSettings:
    """The user's saved settings; broken ones are named on stderr."""
    from selfcare_tui.settings import load_settings

    settings, notices = load_settings()
    for notice in notices:
        print(f"selfcare: warning: {notice}", file=sys.stderr)
    return settings
