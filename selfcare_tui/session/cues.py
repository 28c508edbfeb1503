"""What is said during a step, and when: the author's cues plus the standard ones."""

from __future__ import annotations

from dataclasses import dataclass

from selfcare_tui.routines.model import Kind, Step
from selfcare_tui.vocabulary import CountdownStyle, side_label, spoken_duration

HALFWAY_MIN_SECONDS = 30
TEN_LEFT_MIN_SECONDS = 25
COUNTDOWN_MIN_SECONDS = 10
# Standard cues give way to anything the author placed this close to them.
CLEARANCE_SECONDS = 3

NUMBERS = {3: "3", 2: "2", 1: "1"}
HALFWAY_WORDS = "Halfway."


@dataclass(frozen=True)
class TimedCue:
    at_second: float
    """Seconds into the hold."""
    text: str
    beat: bool = False
    """A countdown beat: worth saying only on time, never moved."""
    tick: bool = False
    """A beat heard as a tick (with or without its number)."""
    halfway: bool = False
    rank: int = 2
    """Placed in this order (lowest first) when cues compete for the same moment."""
    earlier: float = 0.0
    later: float = 0.0
    """How far (seconds) the words may move to find a free moment."""


BEAT_RANK, REPETITION_RANK, AUTHOR_RANK, TEN_LEFT_RANK, HALFWAY_RANK = range(5)


def plan_cues(step: Step, countdown: CountdownStyle = CountdownStyle.BOTH) -> list[TimedCue]:
    """Every cue of a step's hold in time order; standard cues give way to the author's."""
    placed = [TimedCue(cue.at_second, cue.text, earlier=2, later=3) for cue in step.cues]
    placed += _repetition_cues(step)
    for standard in _standard_cues(step):
        if all(abs(standard.at_second - cue.at_second) >= CLEARANCE_SECONDS for cue in placed):
            placed.append(standard)
    placed += _countdown(step, countdown)
    return sorted(placed, key=lambda cue: cue.at_second)


def _repetition_cues(step: Step) -> list[TimedCue]:
    return [
        TimedCue(
            k * step.hold_seconds,
            f"Release, and again. Repetition {k + 1} of {step.repetitions}.",
            rank=REPETITION_RANK,
            later=2,
        )
        for k in range(1, step.repetitions)
    ]


def _standard_cues(step: Step) -> list[TimedCue]:
    cues = []
    if step.seconds >= HALFWAY_MIN_SECONDS and step.repetitions == 1:
        cues.append(
            TimedCue(
                step.seconds / 2, HALFWAY_WORDS, halfway=True, rank=HALFWAY_RANK, earlier=3, later=3
            )
        )
    if step.seconds >= TEN_LEFT_MIN_SECONDS:
        cues.append(
            TimedCue(
                step.seconds - 10, "Ten seconds left.", rank=TEN_LEFT_RANK, earlier=1.5, later=1
            )
        )
    return cues


def _countdown(step: Step, style: CountdownStyle) -> list[TimedCue]:
    if step.seconds < COUNTDOWN_MIN_SECONDS or style is CountdownStyle.OFF:
        return []
    return [
        TimedCue(
            step.seconds - n,
            text if style.spoken else "",
            beat=True,
            tick=style.ticks,
            rank=BEAT_RANK,
        )
        for n, text in NUMBERS.items()
    ]


def duration_phrase(step: Step) -> str:
    if step.repetitions > 1:
        return f"{step.repetitions} holds of {spoken_duration(step.hold_seconds)}"
    return spoken_duration(step.seconds)


def worked_side(step: Step) -> str:
    """The side by ear: "Stretching your left side" (the side is the one stretched or
    massaged, whatever the direction of the movement), "Both sides", or "" for none."""
    if not step.side.one_sided:
        return side_label(step.side)
    verb = {Kind.STRETCH: "Stretching", Kind.MASSAGE: "Massaging"}.get(step.kind, "Working")
    return f"{verb} your {step.side.value} side"
