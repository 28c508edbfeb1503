"""The routine player: a state machine that plays steps against an injected clock.

It never sleeps and never draws: callers call `tick()` as often as they like (a timer in the app,
a loop in plain mode, a fake clock in tests) and the player works out where it is from the clock,
so time never drifts however irregular the ticks are. Everything to be said or sounded goes to
`announce`.

Each step follows its plan (`session.plan`): the instruction is the lead-in, and the hold's clock
starts once it has been heard; every cue is at a moment when nothing else is said. The lengths
come from `durations` (the speaker's). Whatever cuts the plan (pause, the status key, a new rate)
has it re-made: the instruction is heard again from the start if it was cut, and the cues still
to come are placed after what was just said.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum

from selfcare_tui.routines.model import Kind, Routine, Side, Step
from selfcare_tui.session.clock import Clock
from selfcare_tui.session.cues import HALFWAY_WORDS, duration_phrase, plan_cues, worked_side
from selfcare_tui.session.plan import (
    GAP,
    Durations,
    Planned,
    StepPlan,
    place_cues,
    plan_step,
    playable,
)
from selfcare_tui.speech.model import Sound, UtteranceKind
from selfcare_tui.vocabulary import (
    CountdownStyle,
    StepOutcome,
    about_minutes,
    side_label,
    spoken_duration,
)

__all__ = ["Announcement", "PlayerState", "PlayerView", "RoutinePlayer", "StepOutcome"]


class PlayerState(StrEnum):
    READY = "ready"
    PLAYING = "playing"
    PAUSED = "paused"
    FINISHED = "finished"
    QUIT = "quit"


@dataclass(frozen=True)
class Announcement:
    """Something to say or sound, `at` seconds of unpaused routine time after the start."""

    text: str
    kind: UtteranceKind
    at: float
    interrupt: bool = False
    on_beat: bool = False
    sound: Sound | None = None
    """An earcon played at the same moment (the text may then be empty)."""


@dataclass
class StepRecord:
    step: Step
    """As it began: time added during the hold is in `seconds_added`."""
    seconds_spent: float = 0.0
    outcome: StepOutcome = StepOutcome.NOT_REACHED
    seconds_added: int = 0
    ended_early: bool = False


ADDED_SECONDS = 10
"""What the "longer" key adds to a hold."""


@dataclass(frozen=True)
class PlayerView:
    """Everything a screen needs to draw the player, at one moment."""

    state: PlayerState
    step: Step
    step_count: int
    step_elapsed: float
    """Seconds of the hold done (0 during the lead-in)."""
    routine_elapsed: float
    routine_seconds: int
    next_step: Step | None
    lead_in: bool = False
    """The instruction is being said: the hold has not started."""

    @property
    def step_remaining(self) -> int:
        return max(0, math.ceil(self.step.seconds - self.step_elapsed - 1e-9))

    @property
    def routine_remaining(self) -> int:
        return max(0, math.ceil(self.routine_seconds - self.routine_elapsed - 1e-9))

    @property
    def repetition(self) -> int:
        if self.step.repetitions == 1:
            return 1
        return min(self.step.repetitions, int(self.step_elapsed // self.step.hold_seconds) + 1)


Announce = Callable[[Announcement], None]


class RoutinePlayer:
    def __init__(
        self,
        routine: Routine,
        clock: Clock,
        announce: Announce | None = None,
        *,
        countdown: CountdownStyle = CountdownStyle.BOTH,
        durations: Durations | None = None,
    ) -> None:
        self.routine = routine
        self.countdown = countdown
        """How the last seconds of each hold are counted: said, ticked, both or not at all."""
        self.durations: Durations = durations or (lambda text: 0.0)
        """Seconds a text takes to say: the speaker's `duration`; by default, no time at all."""
        self.clock = clock
        self.announce: Announce = announce or (lambda announcement: None)
        self.state = PlayerState.READY
        self.records = [StepRecord(step) for step in routine.steps]
        self.steps = list(routine.steps)
        """The steps as played: a hold made longer is longer here."""
        self.first_step = 0
        """Where `start` begins: a resumed session starts where it was cut off."""
        self._index = 0
        self._base = 0.0
        self._segment_start = 0.0
        self._played_before_step = 0.0
        self._timeline_before_step = 0.0
        self.plan = StepPlan(routine.steps[0], 0.0, ())
        """The plan of the current step."""
        self._due: list[Planned] = []
        self._last_side: Side | None = None

    # -- what is happening -------------------------------------------------------------------

    @property
    def step(self) -> Step:
        return self.steps[self._index]

    @property
    def total_seconds(self) -> int:
        return sum(step.seconds for step in self.steps)

    @property
    def step_elapsed(self) -> float:
        """Seconds since the step began, its lead-in included."""
        if self.state is PlayerState.PLAYING:
            return self._base + (self.clock.now() - self._segment_start)
        return self._base

    @property
    def step_started_at(self) -> float:
        """Seconds of unpaused routine time when the current step (or its restart) began."""
        return self._timeline_before_step

    @property
    def hold_elapsed(self) -> float:
        """Seconds of the hold done."""
        return min(max(0.0, self.step_elapsed - self.plan.lead_in), self.step.seconds)

    @property
    def in_lead_in(self) -> bool:
        return self.state is not PlayerState.FINISHED and self.step_elapsed < self.plan.lead_in

    @property
    def view(self) -> PlayerView:
        steps = self.steps
        elapsed = self.hold_elapsed
        before = sum(step.seconds for step in steps[: self._index])
        if self.state is PlayerState.FINISHED:
            elapsed, before = self.step.seconds, self.total_seconds - self.step.seconds
        following = steps[self._index + 1] if self._index + 1 < len(steps) else None
        return PlayerView(
            self.state, self.step, len(steps), elapsed, before + elapsed,
            self.total_seconds, following, self.in_lead_in,
        )  # fmt: skip

    @property
    def is_over(self) -> bool:
        return self.state in (PlayerState.FINISHED, PlayerState.QUIT)

    def seconds_to_next_change(self) -> float | None:
        """Clock seconds until a cue is due or the countdown shows another second; None if idle.

        A screen sleeps this long between ticks instead of polling.
        """
        if self.state is not PlayerState.PLAYING:
            return None
        elapsed = self.step_elapsed
        lead_in = self.plan.lead_in
        hold = elapsed - lead_in
        next_second = lead_in - elapsed if hold < 0 else math.floor(hold) + 1 - hold
        waits = [self.plan.total - elapsed, next_second]
        if self._due:
            waits.append(self._due[0].at - elapsed)
        return max(0.0, min(waits))

    def status_text(self) -> str:
        if self.state is PlayerState.READY:
            return f"Ready to start {self.routine.title}."
        if self.state is PlayerState.FINISHED:
            return ROUTINE_COMPLETE
        view = self.view
        side = side_label(self.step.side)
        parts = [
            side.lower() if side else "",
            self.step.title,
            f"{spoken_duration(view.step_remaining)} left",
        ]
        sentence = ", ".join(part for part in parts if part)
        sentence = sentence[0].upper() + sentence[1:] + "."
        if self.step.repetitions > 1:
            sentence += f" Repetition {view.repetition} of {self.step.repetitions}."
        following = view.next_step
        if following is not None:
            side = side_label(following.side)
            sentence += f" Next: {side + ', ' if side else ''}{following.title}."
        sentence += f" {spoken_duration(view.routine_remaining)} left in the routine."
        return ("Paused. " if self.state is PlayerState.PAUSED else "") + sentence

    def time_by_side(self) -> dict[Side, float]:
        totals = {side: 0.0 for side in Side}
        for record in self.records:
            totals[record.step.side] += record.seconds_spent
        return totals

    # -- what the user does ------------------------------------------------------------------

    def start(self) -> None:
        if self.state is not PlayerState.READY:
            return
        self.state = PlayerState.PLAYING
        intro = self.intro
        self._say(intro, UtteranceKind.INSTRUCTION, 0.0)
        self._enter(self.first_step, carried=0.0, delay=self._busy_for(intro))

    def resume_from(self, index: int, records: list[StepRecord]) -> None:
        """Before `start`: pick up a session cut off in step `index`, with what was done."""
        self.first_step = index
        self.records = records

    @property
    def intro(self) -> str:
        if self.first_step:
            step = self.steps[self.first_step]
            return f"Resuming {self.routine.title} at step {step.number} of {len(self.steps)}."
        return intro_text(self.routine)

    def tick(self) -> None:
        """Catch up with the clock: say what is due, and move on when a step ends."""
        if self.state is not PlayerState.PLAYING:
            return
        elapsed = self.step_elapsed
        while self.state is PlayerState.PLAYING:
            self._say_due(elapsed)
            if elapsed < self.plan.total:
                return
            overshoot = elapsed - self.plan.total
            self._leave(StepOutcome.DONE, self.plan.total)
            if self._index + 1 == len(self.steps):
                self._finish()
                return
            self._enter(self._index + 1, carried=overshoot)
            elapsed = overshoot

    def pause(self) -> None:
        if self.state is PlayerState.PLAYING:
            self.tick()
        if self.state is not PlayerState.PLAYING:
            return
        self._base = self.step_elapsed
        self.state = PlayerState.PAUSED
        self._say("Paused.", UtteranceKind.STATUS, self._now_at(), interrupt=True)

    def resume(self) -> None:
        if self.state is not PlayerState.PAUSED:
            return
        self.state = PlayerState.PLAYING
        self._segment_start = self.clock.now()
        words = f"Resumed. {spoken_duration(self.view.step_remaining)} left."
        self._say(words, UtteranceKind.STATUS, self._now_at())
        self.replan(self._busy_for(words))

    def toggle_pause(self) -> None:
        if self.state is PlayerState.PAUSED:
            self.resume()
        else:
            self.pause()

    def next_step(self) -> None:
        if not self._can_move():
            return
        self._leave(StepOutcome.SKIPPED, self.step_elapsed)
        self._go_on()

    def _go_on(self) -> None:
        """To the next step at once, or the end, cutting off what is being said."""
        if self._index + 1 == len(self.steps):
            self._finish(interrupt=True)
            return
        self._enter(self._index + 1, carried=0.0, interrupt=True)

    def add_time(self, seconds: int = ADDED_SECONDS) -> None:
        """Hold this step `seconds` longer; its closing cues move with the end."""
        if not self._can_move():
            return
        if self.in_lead_in:
            self._say(NOT_HOLDING, UtteranceKind.STATUS, self._now_at())
            return
        halfway_passed = self.hold_elapsed >= self.step.seconds / 2
        self.steps[self._index] = replace(self.step, seconds=self.step.seconds + seconds)
        self.records[self._index].seconds_added += seconds
        self.plan = replace(self.plan, step=self.step)
        left = spoken_duration(self.view.step_remaining)
        words = f"{seconds} seconds more. {left} left."
        self._say(words, UtteranceKind.STATUS, self._now_at(), interrupt=True)
        self.replan(self._busy_for(words), halfway_said=halfway_passed)

    def end_hold(self) -> None:
        """End the hold now and go on: the step counts as done, ended early (not skipped)."""
        if not self._can_move():
            return
        if self.in_lead_in:
            self._say(NOT_HOLDING, UtteranceKind.STATUS, self._now_at())
            return
        self._leave(StepOutcome.DONE, self.step_elapsed)
        self.records[self._index].ended_early = True
        self._say("Hold ended.", UtteranceKind.STATUS, self._now_at(), interrupt=True)
        self._go_on()

    def previous_step(self) -> None:
        if not self._can_move():
            return
        self._leave(StepOutcome.SKIPPED, self.step_elapsed)
        self._enter(max(0, self._index - 1), carried=0.0, interrupt=True)

    def repeat_instruction(self) -> None:
        if self.state not in (PlayerState.PLAYING, PlayerState.PAUSED):
            return
        if self.in_lead_in:
            self._restart_lead_in(interrupt=True)
            return
        words = self._instruction(self.step)
        self._say(words, UtteranceKind.INSTRUCTION, self._now_at(), True)
        self.replan(self._busy_for(words))

    def speak_status(self) -> None:
        words = self.status_text()
        self._say(words, UtteranceKind.STATUS, self._now_at(), interrupt=True)
        self.replan(self._busy_for(words))

    def replan(self, busy: float = 0.0, halfway_said: bool = False) -> None:
        """Something cut the plan and takes `busy` seconds from now (a status, a new rate, a
        longer hold): an instruction cut off is said again after it; the cues still to come
        move after it (`halfway_said`: a hold made longer has had its halfway)."""
        if self.state is not PlayerState.PLAYING:
            return
        if self.in_lead_in:
            self._restart_lead_in(delay=busy)
            return
        elapsed = self.step_elapsed
        busy_until = [(elapsed, elapsed + busy)] if busy else []
        cues = place_cues(self.step, self.plan.lead_in, self.durations, self.countdown,
                          busy=busy_until, after=elapsed)  # fmt: skip
        if halfway_said:
            cues = [c for c in cues if c.sound is not Sound.HALFWAY and c.text != HALFWAY_WORDS]
        end = Planned(self.plan.total, sound=Sound.HOLD_END)
        self._due = sorted([*playable(cues), end], key=lambda item: item.at)

    def quit(self) -> None:
        if self.is_over:
            return
        if self.state is not PlayerState.READY:
            self._leave(StepOutcome.PARTIAL, self.step_elapsed)
        self.state = PlayerState.QUIT

    # -- inside ------------------------------------------------------------------------------

    def _can_move(self) -> bool:
        if self.state is PlayerState.PLAYING:
            self.tick()
        return self.state in (PlayerState.PLAYING, PlayerState.PAUSED)

    def _enter(
        self, index: int, carried: float, interrupt: bool = False, delay: float = 0.0
    ) -> None:
        self._index = index
        self._base = carried
        self._segment_start = self.clock.now()
        # Moving while paused stays paused: the user may be resting, and space resumes.
        if self.state is not PlayerState.PAUSED:
            self.state = PlayerState.PLAYING
        switched = self._switches_side(self.step)
        self._make_plan(self._instruction(self.step, switched), switched, delay)
        self._say_due(self.step_elapsed, force_first=True, interrupt=interrupt)

    def _make_plan(self, instruction: str, switched: bool, delay: float) -> None:
        plan = plan_step(self.step, instruction, self.durations, self.countdown,
                         switched_side=switched, delay=delay)  # fmt: skip
        self.plan = plan
        self._due = list(plan.said)

    def _restart_lead_in(self, delay: float = 0.0, interrupt: bool = False) -> None:
        """The instruction was cut: the step starts again, its words heard from the start."""
        self._timeline_before_step += self.step_elapsed
        self._base = 0.0
        self._segment_start = self.clock.now()
        self._make_plan(self._instruction(self.step), False, delay)
        self._say_due(0.0, force_first=True, interrupt=interrupt)

    def _switches_side(self, step: Step) -> bool:
        switched = step.side.one_sided and self._last_side not in (None, step.side)
        if step.side.one_sided:
            self._last_side = step.side
        return switched

    def _leave(self, outcome: StepOutcome, elapsed: float) -> None:
        spent = max(0.0, min(elapsed - self.plan.lead_in, self.step.seconds))
        record = self.records[self._index]
        record.seconds_spent += spent
        if record.outcome is not StepOutcome.DONE:
            record.outcome = outcome
        self._played_before_step += spent
        self._timeline_before_step += elapsed

    def _finish(self, interrupt: bool = False) -> None:
        self.state = PlayerState.FINISHED
        self._say(ROUTINE_COMPLETE, UtteranceKind.INSTRUCTION, self._timeline_before_step,
                  interrupt)  # fmt: skip

    def _say_due(self, elapsed: float, force_first: bool = False, interrupt: bool = False) -> None:
        """Announce what the plan has up to `elapsed`. `force_first` announces the first item
        even if it is later (a step entered: its instruction queues at once, behind what is
        said); `interrupt` has it cut off what is being said."""
        while self._due and (self._due[0].at <= elapsed or force_first):
            item = self._due.pop(0)
            at = self._timeline_before_step + item.at
            self._say(item.text, item.kind, at, interrupt, item.beat, item.sound)
            force_first = interrupt = False

    def _instruction(self, step: Step, switched: bool = False) -> str:
        return instruction_text(self.routine, step, switched)

    def _busy_for(self, words: str) -> float:
        seconds = self.durations(words)
        return seconds + GAP if seconds else 0.0

    def _now_at(self) -> float:
        return self._timeline_before_step + self.step_elapsed

    def _say(
        self,
        text: str,
        kind: UtteranceKind,
        at: float,
        interrupt: bool = False,
        on_beat: bool = False,
        sound: Sound | None = None,
    ) -> None:
        self.announce(Announcement(text, kind, round(at, 3), interrupt, on_beat, sound))


def intro_text(routine: Routine) -> str:
    return f"Starting {routine.title}. {about_minutes(routine.minutes).capitalize()}."


def instruction_text(routine: Routine, step: Step, switched: bool = False) -> str:
    """A step's lead-in: the side change, where it is, cautions, then the action."""
    parts = []
    if switched:
        parts.append(f"Switch to your {step.side.value} side.")
    parts.append(f"Step {step.number} of {len(routine.steps)}.")
    if step.kind is Kind.TRANSITION:
        # Time to move, not a hold: its words say what to do (and the side), then it starts.
        parts.append(f"{step.title.rstrip('.')}.")
    else:
        if worked_side(step):
            parts.append(f"{worked_side(step)}.")
        parts.append(f"{step.title.rstrip('.')}. {duration_phrase(step)}.")
    # Cautions are said, not only shown (many users follow by ear alone), and before the
    # action: "skip this after a recent injury" is no use once the user is on the ball.
    parts.extend(f"Caution: {caution}" for caution in step.cautions)
    parts.append(step.speech)
    return " ".join(parts)


def spoken_texts(routine: Routine, countdown: CountdownStyle) -> list[str]:
    """Everything a routine may say while it plays, in order, for the speaker to prepare."""
    texts = [intro_text(routine)]
    last: Side | None = None
    for step in routine.steps:
        switched = step.side.one_sided and last not in (None, step.side)
        last = step.side if step.side.one_sided else last
        texts.append(instruction_text(routine, step, switched))
        texts += [cue.text for cue in plan_cues(step, countdown) if cue.text]
    return [*dict.fromkeys([*texts, ROUTINE_COMPLETE])]


ROUTINE_COMPLETE = "Routine complete."
NOT_HOLDING = "The hold has not started yet."
