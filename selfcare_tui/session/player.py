"""The routine player: a state machine that plays steps against an injected clock.

It never sleeps and never draws: callers call `tick()` as often as they like (a timer in the app,
a loop in plain mode, a fake clock in tests) and the player works out where it is from the clock,
so time never drifts however irregular the ticks are. Everything to be said goes to `announce`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from selfcare_tui.routines.model import Routine, Side, Step
from selfcare_tui.session.clock import Clock
from selfcare_tui.session.cues import TimedCue, duration_phrase, plan_cues, worked_side
from selfcare_tui.speech.model import UtteranceKind
from selfcare_tui.vocabulary import StepOutcome, about_minutes, side_label, spoken_duration

__all__ = ["Announcement", "PlayerState", "PlayerView", "RoutinePlayer", "StepOutcome"]


class PlayerState(StrEnum):
    READY = "ready"
    PLAYING = "playing"
    PAUSED = "paused"
    FINISHED = "finished"
    QUIT = "quit"


@dataclass(frozen=True)
class Announcement:
    """Something to say, `at` seconds of unpaused routine time after the start."""

    text: str
    kind: UtteranceKind
    at: float
    interrupt: bool = False
    on_beat: bool = False


@dataclass
class StepRecord:
    step: Step
    seconds_spent: float = 0.0
    outcome: StepOutcome = StepOutcome.NOT_REACHED


@dataclass(frozen=True)
class PlayerView:
    """Everything a screen needs to draw the player, at one moment."""

    state: PlayerState
    step: Step
    step_count: int
    step_elapsed: float
    routine_elapsed: float
    routine_seconds: int
    next_step: Step | None

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
        countdown: bool = True,
    ) -> None:
        self.routine = routine
        self.countdown = countdown
        """Say "3, 2, 1" at the end of each step (the `announce_countdown` setting)."""
        self.clock = clock
        self.announce: Announce = announce or (lambda announcement: None)
        self.state = PlayerState.READY
        self.records = [StepRecord(step) for step in routine.steps]
        self._index = 0
        self._base = 0.0
        self._segment_start = 0.0
        self._played_before_step = 0.0
        self._cues: list[TimedCue] = []
        self._next_cue = 0
        self._last_side: Side | None = None

    # -- what is happening -------------------------------------------------------------------

    @property
    def step(self) -> Step:
        return self.routine.steps[self._index]

    @property
    def step_elapsed(self) -> float:
        if self.state is PlayerState.PLAYING:
            return self._base + (self.clock.now() - self._segment_start)
        return self._base

    @property
    def view(self) -> PlayerView:
        steps = self.routine.steps
        elapsed = min(self.step_elapsed, self.step.seconds)
        before = sum(step.seconds for step in steps[: self._index])
        if self.state is PlayerState.FINISHED:
            elapsed, before = self.step.seconds, self.routine.total_seconds - self.step.seconds
        following = steps[self._index + 1] if self._index + 1 < len(steps) else None
        return PlayerView(
            self.state, self.step, len(steps), elapsed, before + elapsed,
            self.routine.total_seconds, following,
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
        waits = [self.step.seconds - elapsed, math.floor(elapsed) + 1 - elapsed]
        if self._next_cue < len(self._cues):
            waits.append(self._cues[self._next_cue].at_second - elapsed)
        return max(0.0, min(waits))

    def status_text(self) -> str:
        if self.state is PlayerState.READY:
            return f"Ready to start {self.routine.title}."
        if self.state is PlayerState.FINISHED:
            return "Routine complete."
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
        length = about_minutes(self.routine.minutes).capitalize()
        intro = f"Starting {self.routine.title}. {length}."
        self._say(intro, UtteranceKind.INSTRUCTION, self._played_before_step)
        self._enter(0, carried=0.0)

    def tick(self) -> None:
        """Catch up with the clock: say the cues that are due, and move on when a step ends."""
        if self.state is not PlayerState.PLAYING:
            return
        elapsed = self.step_elapsed
        while self.state is PlayerState.PLAYING:
            self._say_due_cues(elapsed)
            if elapsed < self.step.seconds:
                return
            overshoot = elapsed - self.step.seconds
            self._leave(StepOutcome.DONE, self.step.seconds)
            if self._index + 1 == len(self.routine.steps):
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
        left = self.view.step_remaining
        self._say(f"Resumed. {spoken_duration(left)} left.", UtteranceKind.STATUS, self._now_at())

    def toggle_pause(self) -> None:
        if self.state is PlayerState.PAUSED:
            self.resume()
        else:
            self.pause()

    def next_step(self) -> None:
        if not self._can_move():
            return
        self._leave(StepOutcome.SKIPPED, self.step_elapsed)
        if self._index + 1 == len(self.routine.steps):
            self._finish(interrupt=True)
            return
        self._enter(self._index + 1, carried=0.0, interrupt=True)

    def previous_step(self) -> None:
        if not self._can_move():
            return
        self._leave(StepOutcome.SKIPPED, self.step_elapsed)
        self._enter(max(0, self._index - 1), carried=0.0, interrupt=True)

    def repeat_instruction(self) -> None:
        if self.state in (PlayerState.PLAYING, PlayerState.PAUSED):
            self._say(self._instruction(self.step), UtteranceKind.INSTRUCTION, self._now_at(), True)

    def speak_status(self) -> None:
        self._say(self.status_text(), UtteranceKind.STATUS, self._now_at(), interrupt=True)

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

    def _enter(self, index: int, carried: float, interrupt: bool = False) -> None:
        self._index = index
        self._base = carried
        self._segment_start = self.clock.now()
        self._cues = plan_cues(self.step, self.countdown)
        self._next_cue = 0
        # Moving while paused stays paused: the user may be resting, and space resumes.
        if self.state is not PlayerState.PAUSED:
            self.state = PlayerState.PLAYING
        text = self._instruction(self.step, announce_switch=True)
        self._say(text, UtteranceKind.INSTRUCTION, self._played_before_step, interrupt)

    def _leave(self, outcome: StepOutcome, elapsed: float) -> None:
        spent = max(0.0, min(elapsed, self.step.seconds))
        record = self.records[self._index]
        record.seconds_spent += spent
        if record.outcome is not StepOutcome.DONE:
            record.outcome = outcome
        self._played_before_step += spent

    def _finish(self, interrupt: bool = False) -> None:
        self.state = PlayerState.FINISHED
        self._say(
            "Routine complete.", UtteranceKind.INSTRUCTION, self._played_before_step, interrupt
        )

    def _say_due_cues(self, elapsed: float) -> None:
        while self._next_cue < len(self._cues) and self._cues[self._next_cue].at_second <= elapsed:
            cue = self._cues[self._next_cue]
            self._next_cue += 1
            at = self._played_before_step + cue.at_second
            self._say(cue.text, UtteranceKind.CUE, at, on_beat=cue.beat)

    def _instruction(self, step: Step, announce_switch: bool = False) -> str:
        parts = []
        if announce_switch and step.side.one_sided:
            if self._last_side not in (None, step.side):
                parts.append(f"Switch to your {step.side.value} side.")
            self._last_side = step.side
        parts.append(f"Step {step.number} of {len(self.routine.steps)}.")
        if worked_side(step):
            parts.append(f"{worked_side(step)}.")
        parts.append(f"{step.title.rstrip('.')}. {duration_phrase(step)}.")
        parts.append(step.speech)
        # Cautions are said, not only shown: many users follow by ear alone.
        parts.extend(f"Caution: {caution}" for caution in step.cautions)
        return " ".join(parts)

    def _now_at(self) -> float:
        return self._played_before_step + min(self.step_elapsed, self.step.seconds)

    def _say(
        self,
        text: str,
        kind: UtteranceKind,
        at: float,
        interrupt: bool = False,
        on_beat: bool = False,
    ) -> None:
        self.announce(Announcement(text, kind, round(at, 3), interrupt, on_beat))
