"""The plain-mode session: the same flow as the app, one printed and spoken line per event.

Safety check, pain before, the routine (a player on a MonotonicClock ticked about ten times a
second, commands read between ticks), the reflection, the closing prompts, the journal entry.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from selfcare_tui import content
from selfcare_tui.journal.model import Ending, Reflection, SessionEntry
from selfcare_tui.plain import keys
from selfcare_tui.plain.console import Console
from selfcare_tui.plain.keys import Input, open_input
from selfcare_tui.plain.prompts import Asker
from selfcare_tui.routines.model import Routine
from selfcare_tui.session.clock import Clock, MonotonicClock
from selfcare_tui.session.player import PlayerState, RoutinePlayer
from selfcare_tui.speech.model import Speaker
from selfcare_tui.speech.settings import SpeechSettings

if TYPE_CHECKING:
    from selfcare_tui.journal.guard import SessionGuard
    from selfcare_tui.journal.store import Journal

TICK_SECONDS = 0.1
"""Real time between ticks of the player (and between looks for a command)."""
GOODBYE_SPEECH_SECONDS = 20.0
"""At the end, on a terminal, how long to let the last prompts be heard before leaving."""

EXIT_OK, EXIT_PROBLEM, EXIT_INTERRUPTED = 0, 1, 130


@dataclass(frozen=True)
class PlainOptions:
    speed: float = 1.0
    """Time runs this many times faster (demos and tests)."""
    mute: bool = False
    """Print only: for users whose own screen reader reads the lines."""
    transcript: Path | None = None
    """Append every utterance to this file (see speech/transcript.py)."""


def run_plain(
    routine: Routine | Sequence[Routine],
    options: PlainOptions,
    *,
    input: Input | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    journal: Journal | None = None,
    speaker: Speaker | None = None,
) -> int:
    """Play `routine`, or first ask which one of several by number. Returns the exit code."""
    input = input or open_input()
    with _speech(options, speaker) as voice:
        console = Console(voice, out, err, options.speed)
        if not isinstance(routine, Routine):
            chosen = choose_routine(routine, Asker(console, input))
            if chosen is None:
                console.say("No routine chosen.")
                return EXIT_PROBLEM
            routine = chosen
        session = PlainSession(routine, console, input, options, journal)
        try:
            code = session.run()
        except KeyboardInterrupt:
            saved = session.guard.saved_path if session.guard is not None else None
            console.line(f"Stopped. Saved in your journal: {saved}" if saved else "Stopped.")
            return EXIT_INTERRUPTED
        _let_speech_finish(voice, input)
        return code


def choose_routine(routines: Sequence[Routine], asker: Asker) -> Routine | None:
    if not routines:
        asker.console.say("No routines found. 'selfcare new ID' writes one for you.")
        return None
    asker.console.say(f"{len(routines)} routines:")
    for number, routine in enumerate(routines, start=1):
        minutes = f"about {routine.minutes} minute{'s' * (routine.minutes > 1)}"
        asker.console.say(f"{number}. {routine.title}, {minutes}.")
    number = asker.choose("Which routine? Type its number.", len(routines))
    return None if number is None else routines[number - 1]


class PlainSession:
    def __init__(
        self,
        routine: Routine,
        console: Console,
        input: Input,
        options: PlainOptions,
        journal: Journal | None = None,
        clock_factory: Callable[[], Clock] | None = None,
        now: Callable[[], datetime] = lambda: datetime.now().astimezone(),
    ) -> None:
        self.routine = routine
        self.console = console
        self.input = input
        self.asker = Asker(console, input)
        self.options = options
        self._journal = journal
        self._clock_factory = clock_factory or (lambda: MonotonicClock(options.speed))
        self._now = now
        self.player: RoutinePlayer | None = None
        self.reflection = Reflection()
        self.saved: Path | None = None
        self.guard: SessionGuard | None = None

    @property
    def journal(self) -> Journal:
        if self._journal is None:
            from selfcare_tui.journal.store import Journal

            self._journal = Journal()
        return self._journal

    def run(self) -> int:
        minutes = self.routine.minutes
        self.console.say(f"{self.routine.title}. About {minutes} minute{'s' * (minutes > 1)}.")
        safe = self.safety_check()
        if safe is None:
            self.console.say("There was no answer to the safety question, so nothing starts.")
            return EXIT_PROBLEM
        if not safe:
            # A stop for safety is not a session: nothing goes into the journal.
            self.console.say(content.STOPPED_FOR_SAFETY)
            return EXIT_OK
        started = self._now()
        player = self.player = RoutinePlayer(
            self.routine, self._clock_factory(), self.console.announce
        )

        ended: datetime | None = None

        def build_entry(ending: Ending) -> SessionEntry:
            if ending is Ending.INTERRUPTED and player.state is PlayerState.FINISHED:
                # Played to the end: it stays completed if only the questions were cut off.
                ending = Ending.COMPLETED
            player.quit()  # keeps the time spent in a step cut off midway
            return SessionEntry.from_player(
                player, started, ended or self._now(), self.reflection, ending
            )

        from selfcare_tui.journal.guard import save_on_exit

        with save_on_exit(build_entry, self.journal) as guard:
            self.guard = guard
            # The keys come first, so answering the pain question is what starts the routine.
            self.console.say(self.input.help)
            self.reflection.pain_before = self.asker.rating(content.PAIN_BEFORE_PROMPT)
            self.play()
            ended = self._now()
            self.ask_reflection()
            self.closing()
            finished = player.state is PlayerState.FINISHED
            self.saved = guard.save_once(Ending.COMPLETED if finished else Ending.QUIT)
        self.console.say(f"Saved in your journal: {self.saved}", spoken="Saved in your journal.")
        return EXIT_OK

    # -- the steps of the flow -----------------------------------------------------------------

    def safety_check(self) -> bool | None:
        self.console.say(content.SAFETY_NOTICE)
        for group in content.RED_FLAGS:
            self.console.say(group.spoken())
        return self.asker.confirm_safety(content.SAFETY_QUESTION)

    def play(self) -> None:
        assert self.player is not None
        player = self.player
        with self.input.commands() as reader:
            player.start()
            while not player.is_over:
                for command in reader.poll(TICK_SECONDS):
                    self.command(command)
                    if player.is_over:
                        break
                player.tick()
                self.console.check_speech()

    def command(self, command: str) -> None:
        player = self.player
        assert player is not None
        if command == keys.PAUSE:
            player.toggle_pause()
        elif command == keys.NEXT:
            player.next_step()
        elif command == keys.PREVIOUS:
            player.previous_step()
        elif command == keys.REPEAT:
            player.repeat_instruction()
        elif command == keys.STATUS:
            player.speak_status()
        elif command == keys.MUTE:
            self.toggle_mute()
        elif command == keys.QUIT:
            player.quit()
            self.console.say("You stopped the routine.")
        elif command == keys.HELP:
            self.console.say(self.input.help)
        else:
            self.console.say(f"That does nothing here. {self.input.help}")

    def toggle_mute(self) -> None:
        speaker = self.console.speaker
        if speaker is None:
            self.console.line("Speech is not available: captions only.")
            return
        speaker.set_muted(not speaker.muted)
        if speaker.muted:
            self.console.line("Speech muted. Press m again to unmute.")
        else:
            self.console.say("Speech on.")

    def ask_reflection(self) -> None:
        reflection, asker, routine = self.reflection, self.asker, self.routine
        count = len(routine.steps)
        reflection.pain_after = asker.rating(content.pain_after_prompt(reflection.pain_before))
        change = content.pain_change(reflection.pain_before, reflection.pain_after)
        if change:
            self.console.say(change)
        reflection.overall = asker.overall(content.OVERALL_PROMPT)
        self.console.say(content.EASIER_HARDER_PROMPT)
        reflection.easier_steps = _indexes(asker.step_numbers("Easier:", count))
        reflection.harder_steps = _indexes(asker.step_numbers("Harder:", count))
        reflection.sharp_pain = asker.yes_no(content.SHARP_PAIN_PROMPT) is True
        if reflection.sharp_pain:
            which = asker.step_numbers("Which step caused sharp pain?", count)
            reflection.sharp_pain_steps = _indexes(which)
            self.console.say(content.SHARP_PAIN_ADVICE)
        reflection.note = asker.text(content.NOTE_PROMPT)

    def closing(self) -> None:
        for prompt in content.closing_prompts(self.reflection.needs_physician_first):
            self.console.say(prompt)


def _indexes(numbers: list[int]) -> list[int]:
    """Step numbers as typed (1-based) to the journal's step indexes (0-based)."""
    return [number - 1 for number in numbers]


@contextlib.contextmanager
def _speech(options: PlainOptions, speaker: Speaker | None) -> Iterator[Speaker]:
    """The given speaker, or a real SpeechService (muted with --mute) with its transcript."""
    from selfcare_tui.speech import SpeechService, Transcript

    owned = speaker is None
    if speaker is None:
        service = SpeechService(_speech_settings(options.mute))
        if not options.mute:
            service.wait_ready(2.0)  # so an engine problem is told before the safety notice
        speaker = service
    transcript = Transcript(options.transcript).attach(speaker) if options.transcript else None
    try:
        yield speaker
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


def _speech_settings(mute: bool) -> SpeechSettings:
    """The user's saved voice, rate and volume; broken settings are named on stderr."""
    from selfcare_tui.settings import load_settings

    settings, notices = load_settings()
    for notice in notices:
        print(f"selfcare: warning: {notice}", file=sys.stderr)
    return replace(settings.speech, muted=True) if mute else settings.speech
