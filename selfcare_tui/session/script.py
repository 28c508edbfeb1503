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
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from selfcare_tui import content
from selfcare_tui.content import RedFlagGroup
from selfcare_tui.journal.fallback import keep_unsaved
from selfcare_tui.journal.guard import JournalLike, SessionGuard
from selfcare_tui.journal.model import SEVERE_PAIN_SCORE, Reflection, SessionEntry, StepLog
from selfcare_tui.listening.phrases import WAKE_WORD, VoiceCommand
from selfcare_tui.routines.model import Kind, Routine, Step
from selfcare_tui.routines.tailoring import has_sides, tailor
from selfcare_tui.session.clock import Clock
from selfcare_tui.session.commands import (
    BRIEF_HELP,
    PLAYER_COMMANDS,
    CommandKeys,
    PlayerCommand,
    help_sentence,
)
from selfcare_tui.session.plan import GAP
from selfcare_tui.session.player import (
    Announcement,
    PlayerState,
    RoutinePlayer,
    StepRecord,
    spoken_texts,
)
from selfcare_tui.session.speaking import speak_announcement
from selfcare_tui.session.voice import VoiceControl
from selfcare_tui.speech.model import Sound, Speaker, UtteranceKind
from selfcare_tui.speech.sounds import sounds_sentence
from selfcare_tui.text import one_line
from selfcare_tui.vocabulary import (
    EXTRA_SHARE,
    CountdownStyle,
    Ending,
    Overall,
    Side,
    StepOutcome,
    Tailoring,
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
        """What is said, one part at a time, the question last, once every sign has been said
        (asked first too, it invited an answer before them); a face can step through them."""
        first = f"{self.title}. {self.summary} {self.intro} {content.SAFETY_LEAD_IN}"
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
EACH_SIDE = "each_side"
EACH_SIDE_OPTION = Option(EACH_SIDE, "Score each side apart", "e", aliases=("each", "sides"))
EACH_SIDE_HINT = "Type a number from 0 to 10 (t is 10), e to score each side apart, or skip."
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
    tailoring: Tailoring | None = None
    """Chosen before the session (`run --more-time left`...): nothing is asked about it."""
    ask_tailoring: bool = False
    """Ask how to play the routine (more time on one side, one side only, shorter holds)."""
    caption: Callable[[str], None] = field(default=lambda text: None)
    """Shows what is said outside prompts (announcements, "You stopped the routine."): a caption
    in the app, a printed line in plain mode. The session does the speaking."""


class Session:
    def __init__(self, routine: Routine, parts: SessionParts) -> None:
        self.routine = routine
        self.parts = parts
        self.reflection = Reflection()
        self.tailoring = Tailoring()
        self.played = routine
        """The routine as played: `routine` tailored."""
        self.resumed = 0
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
        elif command is PlayerCommand.LONGER:
            player.add_time()
        elif command is PlayerCommand.END_HOLD:
            player.end_hold()
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

    def voice_command(self, command: VoiceCommand) -> None:
        """Do what a voice command asks, confirmed by a sound and by words: the action's own
        ("Paused.", "Step 3 of 9 ..."), or a word saying it changed nothing ("Not paused.")."""
        player = self.player
        if player is None or player.is_over:
            return
        self.parts.speaker.play_sound(Sound.HEARD)
        playing, paused = player.state is PlayerState.PLAYING, player.state is PlayerState.PAUSED
        if command is VoiceCommand.PAUSE and not playing:
            self._say("Already paused.", UtteranceKind.STATUS, interrupt=True)
        elif command is VoiceCommand.RESUME and not paused:
            self._say("Not paused.", UtteranceKind.STATUS, interrupt=True)
        elif command in (VoiceCommand.PAUSE, VoiceCommand.STOP):
            player.pause()
            if command is VoiceCommand.STOP:  # on the mat, stopping the movement comes first
                self._say(STOPPED_BY_VOICE, UtteranceKind.STATUS)
        elif command is VoiceCommand.RESUME:
            player.resume()
        else:
            self.command(VOICE_TO_KEY[command])

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
        earlier = self._earlier()
        cut_off = yield from self._offer_resume(earlier)
        if cut_off is None:
            yield from self._ask_pain(content.PAIN_BEFORE_PROMPT, after=False)
            if (self.reflection.pain_before or 0) >= SEVERE_PAIN_SCORE:
                options, hint = SEVERE_OPTIONS, SEVERE_HINT
                gently = yield from self._ask(Choose(content.SEVERE_PAIN, options, hint))
                if gently != "gently":
                    self.outcome = SessionOutcome.STOPPED_FOR_PAIN
                    yield from self._tell(SEVERE_PAIN_STOP)
                    return
            self.tailoring = yield from self._choose_tailoring(earlier)
        else:
            self.tailoring = cut_off[0].tailoring  # as it was played before the cut
        self.outcome = SessionOutcome.PLAYED
        self.played = tailor(self.routine, self.tailoring)
        if self.played is not self.routine:
            self.parts.speaker.prepare(spoken_texts(self.played, self.parts.countdown))
            self._say(f"Played with {self.tailoring.words()}.")
        self.player = RoutinePlayer(
            self.played, self.parts.clock_factory(), self._announce,
            countdown=self.parts.countdown, durations=self.parts.speaker.duration,
        )  # fmt: skip
        if cut_off is None:
            self.started_at = self.parts.now()
            begun = self._entry(Ending.INTERRUPTED, final=False)
            assert begun is not None
            self.guard.begin(begun)  # in the journal from now on: a crash keeps it
        else:
            self._pick_up(*cut_off)
        yield Play(self.player)  # not hushed after: "Routine complete." is heard
        self.ended_at = self.parts.now()
        yield from self._reflect()
        saved = self._save()
        yield from self._tell(closing_notice(self.reflection, saved, dict(self._reached_steps())))

    # -- before the routine: resume, pain, tailoring ---------------------------------------------

    @property
    def _practice(self) -> bool:
        """A --speed run: it goes on from, and offers again, only other practice runs."""
        return self.parts.speed != 1

    def _earlier(self) -> list[tuple[SessionEntry, object]]:
        """This routine's sessions of the last weeks, oldest first, with where each is kept."""
        journal = self.parts.journal
        if journal is None:
            return []
        since = self.parts.now().date() - timedelta(days=LOOK_BACK_DAYS)
        try:
            found = journal.recent(since)
        except OSError:
            return []  # what cannot be read offers nothing; the session goes on as new
        return [(entry, where) for entry, where in found if entry.routine_id == self.routine.id]

    def _offer_resume(
        self, earlier: list[tuple[SessionEntry, object]]
    ) -> Generator[Prompt, Any, tuple[SessionEntry, object, int] | None]:
        """A session of this routine cut off today: offer to go on from where it stopped."""
        today = self.parts.now().date()
        for entry, where in reversed(earlier):
            if entry.local_date != today or entry.practice is not self._practice:
                continue
            index = resume_point(entry, tailor(self.routine, entry.tailoring))
            if index is None:
                return None
            played = tailor(self.routine, entry.tailoring)
            step = played.steps[index]
            question = (
                f"This routine was cut off earlier today, at step {step.number} of "
                f"{len(played.steps)}, {step_choice(step).split('. ', 1)[1]}. Go on from there, "
                "as the same session?"
            )
            again = yield from self._ask(Choose(question, YES_NO, RESUME_HINT))
            return (entry, where, index) if again == "yes" else None
        return None

    def _pick_up(self, entry: SessionEntry, where: object, index: int) -> None:
        """Go on with the session in `entry`: same start, same answers, same file."""
        assert self.player is not None
        self.started_at = entry.started_at
        self.reflection = entry.reflection
        self.resumed = entry.resumed + 1
        records = [
            StepRecord(step, log.seconds_spent, log.outcome, log.seconds_added, log.ended_early)
            for step, log in zip(self.played.steps, entry.steps, strict=True)
        ]
        self.player.resume_from(index, records)
        resumed = self._entry(Ending.INTERRUPTED, final=False)
        assert resumed is not None
        self.guard.resume(where, resumed)

    def _ask_pain(self, question: str, after: bool) -> Generator[Prompt, Any, None]:
        """One score for both sides, or (e) one for each; after, as it was scored before."""
        reflection = self.reflection
        if not (after and reflection.by_side(False)):
            answer = yield from self._ask(pain_question(question, each_side=True))
            if answer != EACH_SIDE:
                setattr(reflection, "pain_after" if after else "pain_before", _pain(answer))
                return
        scores = []
        for side in (Side.LEFT, Side.RIGHT):
            before = reflection.side_pain(side, after=False) if after else None
            prompt = content.side_pain_prompt(side.value, before)
            score = _pain((yield from self._ask(pain_question(prompt))))
            setattr(reflection, f"pain_{'after' if after else 'before'}_{side.value}", score)
            scores.append(score)
        known = [score for score in scores if score is not None]
        higher = max(known) if known else None
        setattr(reflection, "pain_after" if after else "pain_before", higher)

    def _choose_tailoring(
        self, earlier: list[tuple[SessionEntry, object]]
    ) -> Generator[Prompt, Any, Tailoring]:
        """As chosen beforehand; or asked; or last time's, again; or more time for the sorer
        side. Nothing is asked when there is nothing to offer."""
        if self.parts.tailoring is not None:
            return self.parts.tailoring
        sides = has_sides(self.routine)
        sorer = sorer_side(self.reflection) if sides else Side.NONE
        if self.parts.ask_tailoring:
            return (yield from self._ask_tailoring(sides, sorer))
        alike = [entry for entry, _ in earlier if entry.practice is self._practice]
        last = alike[-1].tailoring if alike else Tailoring()
        other_side = sorer.one_sided and last.more_time.one_sided and last.more_time is not sorer
        if not last.as_written and not other_side and (sides or last == Tailoring(shorter=True)):
            again = yield from self._ask(Choose(f"{last.offer()}: again?", YES_NO, YES_NO_HINT))
            if again == "yes":
                return last
        if sorer.one_sided:
            question = (
                f"Your {sorer.value} side is sorer today. Give it more time, with holds "
                f"{EXTRA_SHARE:.0%} longer?"
            )
            more = yield from self._ask(Choose(question, YES_NO, YES_NO_HINT))
            if more == "yes":
                return Tailoring(more_time=sorer)
        return Tailoring()

    def _ask_tailoring(self, sides: bool, sorer: Side) -> Generator[Prompt, Any, Tailoring]:
        options = TAILOR_OPTIONS if sides else (TAILOR_OPTIONS[0], TAILOR_OPTIONS[-1])
        hint = TAILOR_HINT if sides else TAILOR_HINT_NO_SIDES
        how = yield from self._ask(Choose(TAILOR_QUESTION, options, hint))
        if how == "shorter":
            return Tailoring(shorter=True)
        if how not in ("more_time", "only"):
            return Tailoring()
        question = "Which side?"
        if sorer.one_sided:
            question += f" Your {sorer.value} side is sorer today."
        side = yield from self._ask(Choose(question, SIDE_OPTIONS, SIDE_HINT))
        if side is None:
            self._say("No side chosen: the routine plays as written.")
            return Tailoring()
        chosen = Side(side)
        return Tailoring(more_time=chosen) if how == "more_time" else Tailoring(only=chosen)

    def _reflect(self) -> Generator[Prompt, Any, None]:
        reflection = self.reflection
        yield from self._ask_pain(content.pain_after_prompt(reflection.pain_before), after=True)
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
        return tuple((step.index, step_choice(step)) for step in reached or self.played.steps)

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
            practice=self._practice, tailoring=self.tailoring, resumed=self.resumed,
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
            record.seconds_added,
            record.ended_early,
        )
        for record in player.records
    ]


# -- the words of each prompt -------------------------------------------------------------------

LOOK_BACK_DAYS = 60
"""How far back "last time" is looked for."""
RESUME_HINT = "Type y to go on from there, or n to start again as a new session."
TAILOR_QUESTION = "How would you like to play this routine today?"
TAILOR_OPTIONS = (
    Option("as_written", "As written", "w", aliases=("written",)),
    Option("more_time", f"More time on one side (+{EXTRA_SHARE:.0%})", "m", aliases=("more",)),
    Option("only", "One side only", "o", aliases=("one", "only")),
    Option("shorter", "Shorter holds", "s", aliases=("shorter",)),
)
TAILOR_HINT = (
    "Type w as written, m for more time on one side, o for one side only, or s for shorter holds."
)
TAILOR_HINT_NO_SIDES = "Type w as written, or s for shorter holds."
SIDE_OPTIONS = (
    Option(Side.LEFT.value, "Left side", "l", aliases=("left",)),
    Option(Side.RIGHT.value, "Right side", "r", aliases=("right",)),
)
SIDE_HINT = "Type l for left or r for right."
VOICE_TO_KEY = {
    VoiceCommand.NEXT: PlayerCommand.NEXT,
    VoiceCommand.GO_BACK: PlayerCommand.PREVIOUS,
    VoiceCommand.REPEAT: PlayerCommand.REPEAT,
    VoiceCommand.STATUS: PlayerCommand.STATUS,
    VoiceCommand.LONGER: PlayerCommand.LONGER,
}
STOPPED_BY_VOICE = f"Stopped. Say {WAKE_WORD} resume to go on; the q key quits the routine."
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


def pain_question(question: str, each_side: bool = False) -> Choose:
    """A 0-10 score; `each_side` also offers e, to score the left and the right apart."""
    if each_side:
        return Choose(question, (*PAIN_OPTIONS, EACH_SIDE_OPTION), EACH_SIDE_HINT)
    return Choose(question, PAIN_OPTIONS, PAIN_HINT)


SORER_BY = 2
"""Points one side must score above the other to be offered more time (a change CONTENT.md
calls worth noting)."""


def sorer_side(reflection: Reflection) -> Side:
    """The side scored at least SORER_BY points above the other before the routine, if any."""
    left, right = reflection.pain_before_left, reflection.pain_before_right
    if left is None or right is None or abs(left - right) < SORER_BY:
        return Side.NONE
    return Side.LEFT if left > right else Side.RIGHT


def resume_point(entry: SessionEntry, played: Routine) -> int | None:
    """The step to go on from in a session that was cut off, if it can be resumed: it was
    cut off (not ended), some step is left, and the routine still has the steps it logged."""
    if entry.ending is not Ending.INTERRUPTED or len(entry.steps) != len(played.steps):
        return None
    if any(log.title != step.title for log, step in zip(entry.steps, played.steps, strict=True)):
        return None  # the routine file changed since: its steps are not the same ones
    for outcome in (StepOutcome.PARTIAL, StepOutcome.NOT_REACHED):
        for log in entry.steps:
            if log.outcome is outcome:
                return log.index
    return None


def step_choice(step: Step) -> str:
    """A step as the reflection lists it: with its side, since sides repeat the same title."""
    side = f" ({side_label(step.side).lower()})" if step.side.one_sided else ""
    title = step.title if step.side.value in step.title else f"{step.title}{side}"
    return f"{step.number}. {title}"


def closing_notice(
    reflection: Reflection, saved: str, step_labels: dict[int, str] | None = None
) -> Notice:
    change = pain_change_words(reflection)
    prompts = list(content.closing_prompts(reflection.needs_physician_first))
    if reflection.sharp_pain:
        labels = step_labels or {}
        named = [
            f"step {labels[i].replace('. ', ', ', 1)}"
            for i in reflection.sharp_pain_steps
            if i in labels
        ]
        prompts.insert(0, content.sharp_pain_advice(named))
    if (reflection.pain_after or 0) >= SEVERE_PAIN_SCORE:
        prompts.insert(0, content.SEVERE_PAIN)
    said = [part for part in (change, *prompts) if part]
    shown = [*said, saved]
    where = saved.split(":")[0] + "." if saved.startswith("Saved") else saved
    return Notice("Session complete", tuple(shown), " ".join([*said, where]), done="Done")


def pain_change_words(reflection: Reflection) -> str:
    """The change in pain, per side when a side was scored apart."""
    if not (reflection.by_side(after=False) or reflection.by_side(after=True)):
        return content.pain_change(reflection.pain_before, reflection.pain_after)
    changes = (
        content.side_pain_change(
            side.value, reflection.side_pain(side, after=False), reflection.side_pain(side, True)
        )
        for side in (Side.LEFT, Side.RIGHT)
    )
    return " ".join(change for change in changes if change)


def _pain(answer: str | None) -> int | None:
    return int(answer) if answer is not None else None
