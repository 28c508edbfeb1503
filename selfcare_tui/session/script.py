"""One session, from the safety check to the closing words: the script both faces play.

The app and plain mode present the same prompts in the same order, speak the same words, follow
the same rules and save the same journal entry; only how a prompt is shown and answered differs.
A tester drives a whole session without a screen:

    session = Session(routine, parts)
    prompt = session.begin()
    while prompt is not None:
        prompt = session.answer(answer_to(prompt))

Each prompt's words are spoken when it is presented, and an answer hushes them, as a screen
reader stops when you type. A `Play` prompt hands over the RoutinePlayer: the face ticks it and
forwards keys through `Session.command` until the player is over, then answers None.

Journal rules, all here: a session is under way once the routine starts; it is saved once, with
the ending it earned, before the closing words; anything that cuts it off (a signal, the app
closing, Ctrl+C) saves it through `interrupt()` as `interrupted`, or with the ending it earned if
the routine was already over and only the questions were cut off.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from selfcare_tui import content
from selfcare_tui.content import RedFlagGroup
from selfcare_tui.journal.fallback import keep_unsaved
from selfcare_tui.journal.guard import JournalLike, SessionGuard
from selfcare_tui.journal.model import SEVERE_PAIN_SCORE, Reflection, SessionEntry, StepLog
from selfcare_tui.routines.model import Kind, Routine, Step
from selfcare_tui.session.clock import Clock
from selfcare_tui.session.commands import (
    BRIEF_HELP,
    PLAYER_COMMANDS,
    CommandKeys,
    PlayerCommand,
    help_sentence,
)
from selfcare_tui.session.plan import GAP
from selfcare_tui.session.player import Announcement, PlayerState, RoutinePlayer, spoken_texts
from selfcare_tui.session.speaking import speak_announcement
from selfcare_tui.session.voice import VoiceControl
from selfcare_tui.speech.model import Speaker, UtteranceKind
from selfcare_tui.speech.sounds import sounds_sentence
from selfcare_tui.text import one_line
from selfcare_tui.vocabulary import (
    CountdownStyle,
    Ending,
    Overall,
    StepOutcome,
    about_minutes,
    side_label,
)

# -- what a face presents -----------------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    """Words to read; answered by going on (the answer is ignored)."""

    title: str
    paragraphs: tuple[str, ...]
    spoken: str
    done: str = "Continue"


@dataclass(frozen=True)
class SafetyCheck:
    """The red flags. Answered True (one applies: stop), False (none applies: go on) or None
    (left without an answer: nothing starts). Enter never answers it."""

    title: str
    summary: str
    intro: str
    groups: tuple[RedFlagGroup, ...]
    question: str

    @property
    def parts(self) -> tuple[str, ...]:
        """What is said, one part at a time, the question first and last; a face can step
        through them."""
        first = f"{self.title}. {self.summary} {self.intro} {self.question}"
        return (first, *(group.spoken() for group in self.groups), self.question)

    @property
    def spoken(self) -> str:
        return " ".join(self.parts)


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    key: str
    """Typing it answers (plain mode also takes the label or an alias)."""
    aliases: tuple[str, ...] = ()

    @property
    def shortcuts(self) -> tuple[str, ...]:
        return (self.key, *self.aliases)


@dataclass(frozen=True)
class Choose:
    """One of `options`; answered with an option's value, or None when skipped."""

    question: str
    options: tuple[Option, ...]
    hint: str
    """How to answer, in words: said with the question (a listener cannot read the options),
    and again after an answer that fits none."""

    @property
    def spoken(self) -> str:
        return f"{self.question} {self.hint}"


@dataclass(frozen=True)
class PickSteps:
    """Any number of steps; answered with their indexes (empty when skipped)."""

    question: str
    steps: tuple[tuple[int, str], ...]
    """(index, label) of each step the user may pick."""

    @property
    def spoken(self) -> str:
        return f"{self.question} Pick any of them, or none."


@dataclass(frozen=True)
class WriteNote:
    """A free note; answered with the text ("" when skipped)."""

    question: str

    @property
    def spoken(self) -> str:
        return f"{self.question} Type it, then Enter; or skip."


@dataclass(frozen=True)
class Play:
    """Play the routine: tick the player and forward keys until it is over; answered None."""

    player: RoutinePlayer


Question = SafetyCheck | Choose | PickSteps | WriteNote
Prompt = Notice | Question | Play

PAIN_WORDS = {0: "no pain", 5: "moderate pain", 10: "worst pain imaginable"}
PAIN_OPTIONS = (
    *(Option(str(n), PAIN_WORDS.get(n, ""), str(n)) for n in range(10)),
    Option("10", f"{PAIN_WORDS[10]} (type 10, or t)", "10", aliases=("t",)),
)
PAIN_HINT = "Type a number from 0 to 10 (t is 10), or skip."
OVERALL_OPTIONS = (
    Option(Overall.BETTER.value, "Better", "b", aliases=("better",)),
    Option(Overall.SAME.value, "About the same", "s", aliases=("same", "about the same")),
    Option(Overall.WORSE.value, "Worse", "w", aliases=("worse",)),
)
YES_NO = (Option("yes", "Yes", "y", aliases=("yes",)), Option("no", "No", "n", aliases=("no",)))


class SessionOutcome(StrEnum):
    NO_ANSWER = "no_answer"
    """The safety question got no answer (Escape, or the end of input): nothing started."""
    STOPPED_FOR_SAFETY = "stopped_for_safety"
    """A red flag applies: nothing started, nothing saved."""
    STOPPED_FOR_PAIN = "stopped_for_pain"
    """Severe pain before the routine, and the user chose to stop: nothing started."""
    PLAYED = "played"


# -- the session --------------------------------------------------------------------------------


def local_now() -> datetime:
    return datetime.now().astimezone()


@dataclass
class SessionParts:
    """What a session runs on; the faces build the real ones, tests build fakes."""

    speaker: Speaker
    clock_factory: Callable[[], Clock]
    journal: JournalLike | None = None
    now: Callable[[], datetime] = local_now
    speed: float = 1.0
    countdown: CountdownStyle = CountdownStyle.BOTH
    """How the last seconds of each hold are counted (`AppSettings.countdown_for`)."""
    commands: tuple[CommandKeys, ...] = PLAYER_COMMANDS
    """The player's keys after the user's keymap: what the spoken help names."""
    voice: VoiceControl | None = None
    """Mute and rate; None: those keys do nothing."""
    caption: Callable[[str], None] = field(default=lambda text: None)
    """Shows what is said outside prompts (announcements, "You stopped the routine."): a caption
    in the app, a printed line in plain mode. The session does the speaking."""


class Session:
    def __init__(self, routine: Routine, parts: SessionParts) -> None:
        self.routine = routine
        self.parts = parts
        self.reflection = Reflection()
        self.player: RoutinePlayer | None = None
        self.outcome = SessionOutcome.NO_ANSWER
        self.started_at: datetime | None = None
        self.ended_at: datetime | None = None
        self.saved_to: object | None = None
        """Where the entry went (a path), once saved."""
        self.guard = SessionGuard(self._entry, parts.journal, keep_unsaved)
        self._script = self._run()
        self._resume_after_question = False

    # -- driving it -----------------------------------------------------------------------------

    def begin(self) -> Prompt | None:
        """The first prompt; while it is answered, the routine's words are made ready."""
        self.parts.speaker.prepare(spoken_texts(self.routine, self.parts.countdown))
        return self._step(lambda: next(self._script))

    def answer(self, value: Any) -> Prompt | None:
        """Answer the current prompt; returns the next one, or None when the session is over."""
        return self._step(lambda: self._script.send(value))

    def _step(self, advance: Callable[[], Prompt]) -> Prompt | None:
        try:
            return advance()
        except StopIteration:
            return None

    def interrupt(self) -> object | None:
        """Save the session as cut off, unless it is saved already; returns where, if it was."""
        return self.guard.save_once(Ending.INTERRUPTED)

    @property
    def entry(self) -> SessionEntry | None:
        """The entry as it stands (or would be saved), once the routine has started."""
        return self._entry(Ending.INTERRUPTED, final=False)

    # -- keys while the routine plays -----------------------------------------------------------

    def command(self, command: PlayerCommand) -> None:
        """Do what a player key asks (what it says is also captioned). QUIT only asks: the face
        collects the answer and passes it to `answer_quit`."""
        player = self.player
        if player is None:
            return
        voice = self.parts.voice
        if command is PlayerCommand.PAUSE:
            player.toggle_pause()
        elif command is PlayerCommand.NEXT:
            player.next_step()
        elif command is PlayerCommand.PREVIOUS:
            player.previous_step()
        elif command is PlayerCommand.REPEAT:
            player.repeat_instruction()
        elif command is PlayerCommand.STATUS:
            player.speak_status()
        elif command is PlayerCommand.QUIT:
            self.ask_to_quit()
        elif command is PlayerCommand.HELP:
            said = f"{help_sentence(self.parts.commands)} {sounds_sentence()}"
            self._say(said, UtteranceKind.STATUS, interrupt=True)
        elif voice is not None and command is PlayerCommand.MUTE:
            self.parts.caption(voice.toggle_mute())
        elif voice is not None and command in (PlayerCommand.FASTER, PlayerCommand.SLOWER):
            self.parts.caption(voice.change_rate(+1 if command is PlayerCommand.FASTER else -1))
            # What the new rate cut is said again, at that rate: made ready now, planned anew.
            self.parts.speaker.prepare(spoken_texts(self.routine, self.parts.countdown))
            player.replan(self.parts.speaker.duration(voice.last_words) + GAP)

    def ask_to_quit(self) -> None:
        """Pause, and ask whether to quit; the face then calls `answer_quit` with the answer."""
        player = self.player
        if player is None or player.is_over:
            return
        self._resume_after_question = player.state is PlayerState.PLAYING
        player.pause()
        self._say(QUIT_QUESTION, UtteranceKind.STATUS)

    def answer_quit(self, quit_now: bool) -> None:
        """Quit (the reflection still follows), or go on as before the question."""
        player = self.player
        if player is None or player.is_over:
            return
        if quit_now:
            player.quit()
            self._say("You stopped the routine.", UtteranceKind.STATUS, interrupt=True)
        elif self._resume_after_question:
            player.resume()

    # -- the script -----------------------------------------------------------------------------

    def _run(self) -> Generator[Prompt, Any, None]:
        check = safety_check(self.routine)
        applies = yield from self._ask(check)
        if applies is None:
            self._say(content.NOTHING_STARTED)
            return
        if applies:
            self.outcome = SessionOutcome.STOPPED_FOR_SAFETY
            yield from self._tell(stopped_notice(check.groups))
            return
        keys = help_sentence(self.parts.commands, only=BRIEF_HELP)
        self._say(f"{keys} {content.ANSWER_STARTS_ROUTINE}")
        pain = yield from self._ask(pain_question(content.PAIN_BEFORE_PROMPT))
        self.reflection.pain_before = _pain(pain)
        if (self.reflection.pain_before or 0) >= SEVERE_PAIN_SCORE:
            gently = yield from self._ask(Choose(content.SEVERE_PAIN, SEVERE_OPTIONS, SEVERE_HINT))
            if gently != "gently":
                self.outcome = SessionOutcome.STOPPED_FOR_PAIN
                yield from self._tell(SEVERE_PAIN_STOP)
                return
        self.outcome = SessionOutcome.PLAYED
        self.started_at = self.parts.now()
        self.player = RoutinePlayer(
            self.routine, self.parts.clock_factory(), self._announce,
            countdown=self.parts.countdown, durations=self.parts.speaker.duration,
        )  # fmt: skip
        begun = self._entry(Ending.INTERRUPTED, final=False)
        assert begun is not None
        self.guard.begin(begun)  # in the journal from now on: a crash keeps it
        yield Play(self.player)  # not hushed after: "Routine complete." is heard
        self.ended_at = self.parts.now()
        yield from self._reflect()
        saved = self._save()
        yield from self._tell(closing_notice(self.reflection, saved, dict(self._reached_steps())))

    def _reflect(self) -> Generator[Prompt, Any, None]:
        reflection = self.reflection
        after = yield from self._ask(
            pain_question(content.pain_after_prompt(reflection.pain_before))
        )
        reflection.pain_after = _pain(after)
        overall = yield from self._ask(
            Choose(content.OVERALL_PROMPT, OVERALL_OPTIONS, OVERALL_HINT)
        )
        reflection.overall = Overall(overall) if overall else None
        steps = self._reached_steps()
        reflection.easier_steps = yield from self._pick(PickSteps(content.EASIER_PROMPT, steps))
        reflection.harder_steps = yield from self._pick(PickSteps(content.HARDER_PROMPT, steps))
        sharp = yield from self._ask(Choose(content.SHARP_PAIN_PROMPT, YES_NO, YES_NO_HINT))
        reflection.sharp_pain = None if sharp is None else sharp == "yes"
        if reflection.sharp_pain:
            which = PickSteps(content.SHARP_PAIN_STEPS_PROMPT, steps)
            reflection.sharp_pain_steps = yield from self._pick(which)
        note = yield from self._ask(WriteNote(content.NOTE_PROMPT))
        reflection.note = one_line(note or "")  # typed text: no escape byte reaches the journal

    def _ask(self, question: Question) -> Generator[Prompt, Any, Any]:
        parts = question.parts if isinstance(question, SafetyCheck) else (question.spoken,)
        for part in parts:
            self._speak(part)
        answer = yield question
        self.parts.speaker.interrupt()  # answered: the rest of the question need not be heard
        return answer

    def _pick(self, question: PickSteps) -> Generator[Prompt, Any, list[int]]:
        """Only steps that were offered count, whatever the face sends back."""
        answer = yield from self._ask(question)
        offered = {index for index, _ in question.steps}
        return sorted(set(answer or ()) & offered)

    def _tell(self, notice: Notice) -> Generator[Prompt, Any, None]:
        self._speak(notice.spoken)
        yield notice

    def _speak(self, text: str) -> None:
        """A prompt's words: the face shows the prompt itself."""
        # An instruction, not a status: it queues behind "Routine complete." instead of jumping it.
        self.parts.speaker.speak(text, UtteranceKind.INSTRUCTION)

    def _say(
        self, text: str, kind: UtteranceKind = UtteranceKind.INSTRUCTION, interrupt: bool = False
    ) -> None:
        """Words outside any prompt: spoken and captioned."""
        if interrupt:
            self.parts.speaker.interrupt()
        self.parts.speaker.speak(text, kind)
        self.parts.caption(text)

    def _announce(self, announcement: Announcement) -> None:
        speak_announcement(self.parts.speaker, announcement, speed=self.parts.speed)
        if announcement.text:
            self.parts.caption(announcement.text)

    def _reached_steps(self) -> tuple[tuple[int, str], ...]:
        assert self.player is not None
        reached = [
            record.step
            for record in self.player.records
            if record.outcome is not StepOutcome.NOT_REACHED
        ]
        return tuple((step.index, step_choice(step)) for step in reached or self.routine.steps)

    # -- the journal ----------------------------------------------------------------------------

    def _save(self) -> str:
        if self.parts.journal is None:
            return "Not saved: no journal in this run."
        try:
            self.saved_to = self.guard.save_once(Ending.COMPLETED)
        except OSError as error:
            return f"Could not save the journal entry: {error.strerror or error}."
        if self.saved_to is None:  # already saved by an interruption
            self.saved_to = self.guard.saved_path
        if self.guard.kept_unsaved:
            return (
                f"Your journal could not take this session ({self.guard.problem}), so it is kept "
                f"safe in {self.saved_to}: the next start offers to move it into your journal."
            )
        return f"Saved in your private journal: {self.saved_to}"

    def _entry(self, ending: Ending, final: bool = True) -> SessionEntry | None:
        """The entry to save with `ending`, or None before the routine has started."""
        player = self.player
        if player is None or self.started_at is None:
            return None
        cut_off = ending is Ending.INTERRUPTED and not player.is_over
        if final:
            player.quit()  # a step cut off midway keeps the time spent in it
        earned = Ending.INTERRUPTED if cut_off else earned_ending(player)
        ended = self.ended_at or self.parts.now()
        return SessionEntry(
            self.routine.id, self.routine.title, self.routine.format_version,
            self.started_at, ended, earned, step_logs(player), self.reflection,
            practice=self.parts.speed != 1,
        )  # fmt: skip


def earned_ending(player: RoutinePlayer) -> Ending:
    """Completed when played to the end with at least one step not skipped; otherwise quit."""
    if player.state is PlayerState.FINISHED and any(
        record.outcome is not StepOutcome.SKIPPED for record in player.records
    ):
        return Ending.COMPLETED
    return Ending.QUIT


def step_logs(player: RoutinePlayer) -> list[StepLog]:
    return [
        StepLog(
            record.step.index,
            record.step.title,
            record.step.side,
            record.outcome,
            record.step.seconds,
            round(record.seconds_spent, 1),
        )
        for record in player.records
    ]


# -- the words of each prompt -------------------------------------------------------------------

QUIT_QUESTION = "Quit this routine? Your session is kept as incomplete. y quits, n goes on."
OVERALL_HINT = "Type b for better, s for about the same, or w for worse; or skip."
YES_NO_HINT = "Type y or n; or skip."
SEVERE_OPTIONS = (
    Option("stop", "Stop here", "s", aliases=("stop",)),
    Option("gently", "Go on gently", "g", aliases=("gently", "go on")),
)
SEVERE_HINT = "Type s to stop here, or g to go on gently."
SEVERE_PAIN_STOP = Notice(
    "Stopped before the routine",
    (content.SEVERE_PAIN, content.PHYSICIAN_PROMPT),
    f"Stopped before the routine. {content.PHYSICIAN_PROMPT}",  # severe pain was just said
    done="Back",
)


def safety_check(routine: Routine) -> SafetyCheck:
    """The red flags for this routine: the self-massage cautions only if it has massage."""
    massage = any(step.kind is Kind.MASSAGE for step in routine.steps)
    groups = tuple(group for group in content.RED_FLAGS if massage or not group.massage_only)
    return SafetyCheck(
        f"Before you start: {routine.title}",
        f"{about_minutes(routine.minutes).capitalize()}. {routine.summary}".strip(),
        content.SAFETY_NOTICE,
        groups,
        content.SAFETY_QUESTION,
    )


def stopped_notice(groups: tuple[RedFlagGroup, ...]) -> Notice:
    return Notice(
        content.STOPPED_TITLE.rstrip("."),
        tuple(group.action for group in groups),
        content.spoken_numbers(content.stopped_for_safety(groups)),
        done="Back",
    )


def pain_question(question: str) -> Choose:
    return Choose(question, PAIN_OPTIONS, PAIN_HINT)


def step_choice(step: Step) -> str:
    """A step as the reflection lists it: with its side, since sides repeat the same title."""
    side = f" ({side_label(step.side).lower()})" if step.side.one_sided else ""
    title = step.title if step.side.value in step.title else f"{step.title}{side}"
    return f"{step.number}. {title}"


def closing_notice(
    reflection: Reflection, saved: str, step_labels: dict[int, str] | None = None
) -> Notice:
    change = content.pain_change(reflection.pain_before, reflection.pain_after)
    prompts = list(content.closing_prompts(reflection.needs_physician_first))
    if reflection.sharp_pain:
        labels = step_labels or {}
        named = [f"step {labels[i]}" for i in reflection.sharp_pain_steps if i in labels]
        prompts.insert(0, content.sharp_pain_advice(named))
    if (reflection.pain_after or 0) >= SEVERE_PAIN_SCORE:
        prompts.insert(0, content.SEVERE_PAIN)
    said = [part for part in (change, *prompts) if part]
    shown = [*said, saved]
    where = saved.split(":")[0] + "." if saved.startswith("Saved") else saved
    return Notice("Session complete", tuple(shown), " ".join([*said, where]), done="Done")


def _pain(answer: str | None) -> int | None:
    return int(answer) if answer is not None else None
