"""The speech-aware timeline of one step: a lead-in, then a hold, and every word placed so that
nothing said overlaps anything else.

A step starts with its *lead-in*: the instruction (cautions first, then the action), said in
full. The hold's clock starts only when the lead-in has been heard, marked by a sound; a cue is
said at its second of the hold. Each utterance's length comes from the voice (`Durations`: exact
once synthesised, else an estimate), so the plan knows where every one ends. A cue that would
overlap another is moved to the nearest free moment within its tolerance, and only dropped if
there is none; the plan says which. Earcons are mixed over speech, so they always keep their time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from selfcare_tui.routines.model import Step
from selfcare_tui.session.cues import TimedCue, plan_cues
from selfcare_tui.speech.model import Sound, UtteranceKind
from selfcare_tui.vocabulary import CountdownStyle

Durations = Callable[[str], float]
"""Seconds a text takes to say (`Speaker.duration`)."""

GAP = 0.15
"""Seconds of quiet kept between two utterances, so one never runs into the next."""
LEAD_PAUSE = 0.4
"""Seconds between the start of a step (its sounds) and its first word."""
HOLD_PAUSE = 0.3
"""Seconds between the end of the instruction and the hold-start sound."""
SEARCH_STEP = 0.05
"""How finely a free moment is looked for."""


@dataclass(frozen=True)
class Planned:
    """One thing in a step's plan: words, a sound, or both at the same moment."""

    at: float
    """Seconds from the start of the step (the lead-in counts)."""
    text: str = ""
    kind: UtteranceKind = UtteranceKind.CUE
    sound: Sound | None = None
    seconds: float = 0.0
    """How long the words take."""
    wanted: float | None = None
    """Where the words were meant to be, when they were moved; None when on time."""
    dropped: bool = False
    """No free moment within its tolerance: not said (its sound, if any, still plays)."""
    beat: bool = False

    @property
    def moved(self) -> bool:
        return self.wanted is not None and not self.dropped

    @property
    def end(self) -> float:
        return self.at + self.seconds


@dataclass(frozen=True)
class StepPlan:
    step: Step
    lead_in: float
    """Seconds before the hold starts (0 when the instruction takes no time: a silent voice)."""
    items: tuple[Planned, ...]
    """In time order; dropped words included, flagged."""

    @property
    def total(self) -> float:
        return self.lead_in + self.step.seconds

    @property
    def said(self) -> tuple[Planned, ...]:
        return playable(self.items)

    @property
    def moved(self) -> tuple[Planned, ...]:
        return tuple(item for item in self.items if item.moved)

    @property
    def dropped(self) -> tuple[Planned, ...]:
        return tuple(item for item in self.items if item.dropped)


def playable(items: Iterable[Planned]) -> tuple[Planned, ...]:
    """What is actually played: dropped words go, their sound (if any) stays on time."""
    kept = []
    for item in items:
        if not item.dropped:
            kept.append(item)
        elif item.sound is not None:
            kept.append(replace(item, text="", seconds=0.0, dropped=False))
    return tuple(kept)


def plan_step(
    step: Step,
    instruction: str,
    durations: Durations,
    countdown: CountdownStyle = CountdownStyle.BOTH,
    *,
    switched_side: bool = False,
    delay: float = 0.0,
) -> StepPlan:
    """The whole plan of `step`, said from its start with `instruction` as its lead-in, which
    waits `delay` seconds (for what is being said) and a breath after a side-switch sound."""
    spoken = durations(instruction)
    start = max(delay, LEAD_PAUSE if switched_side else 0.0) if spoken else 0.0
    lead_in = start + spoken + HOLD_PAUSE if spoken else 0.0
    items = [Planned(start, instruction, UtteranceKind.INSTRUCTION, seconds=spoken)]
    if switched_side:
        items.append(Planned(0.0, sound=Sound.SIDE_SWITCH))
    items.append(Planned(lead_in, sound=Sound.HOLD_START))
    items += place_cues(step, lead_in, durations, countdown, busy=[(start, start + spoken)])
    items.append(Planned(lead_in + step.seconds, sound=Sound.HOLD_END))
    return StepPlan(step, lead_in, tuple(sorted(items, key=lambda item: item.at)))


def place_cues(
    step: Step,
    lead_in: float,
    durations: Durations,
    countdown: CountdownStyle,
    busy: Iterable[tuple[float, float]] = (),
    after: float = 0.0,
) -> list[Planned]:
    """The hold's cues, each at its second or the nearest free moment (times from the step's
    start). `busy` is speech already planned; cues wanted before `after` are left out."""
    occupied = list(busy)
    hold_end = lead_in + step.seconds
    placed = []
    for cue in sorted(plan_cues(step, countdown), key=lambda cue: cue.rank):
        wanted = lead_in + cue.at_second
        if wanted < after:
            continue
        sound = cue_sound(cue)
        if not cue.text:
            placed.append(Planned(wanted, sound=sound, beat=cue.beat))
            continue
        seconds = durations(cue.text)
        at = free_moment(wanted, seconds, cue, occupied, (max(lead_in, after), hold_end))
        if at is None:
            item = Planned(wanted, cue.text, sound=sound, seconds=seconds, wanted=wanted)
            placed.append(replace(item, dropped=True, beat=cue.beat))
            continue
        occupied.append((at, at + seconds))
        moved = None if abs(at - wanted) < SEARCH_STEP / 2 else wanted
        if sound is not None and moved is not None:  # the sound stays on time, the words move
            placed.append(Planned(wanted, sound=sound, beat=cue.beat))
            sound = None
        item = Planned(at, cue.text, sound=sound, seconds=seconds, wanted=moved)
        placed.append(replace(item, beat=cue.beat))
    return placed


def cue_sound(cue: TimedCue) -> Sound | None:
    if cue.beat:
        return Sound.BEAT if cue.tick else None
    return Sound.HALFWAY if cue.halfway else None


def free_moment(
    wanted: float,
    seconds: float,
    cue: TimedCue,
    occupied: list[tuple[float, float]],
    window: tuple[float, float],
) -> float | None:
    """The start nearest `wanted` (within the cue's tolerance and `window`) where `seconds` of
    speech touch nothing in `occupied`, with GAP either side; None if there is none."""
    low = max(window[0], wanted - cue.earlier)
    high = min(window[1] - seconds, wanted + cue.later)
    steps = int(max(cue.earlier, cue.later) / SEARCH_STEP) + 1
    for n in range(steps + 1):
        for at in (wanted + n * SEARCH_STEP, wanted - n * SEARCH_STEP)[: 1 if n == 0 else 2]:
            if low - 1e-9 <= at <= high + 1e-9 and _free(at, seconds, occupied):
                return round(at, 3)
    return None


def _free(at: float, seconds: float, occupied: list[tuple[float, float]]) -> bool:
    return all(at + seconds + GAP <= start or at >= end + GAP for start, end in occupied)
