"""A routine as it is played this time: the file stays the source, tailoring is a plan over it.

Holds stay within the dose range of the sources: never shorter than 10 s (CONTENT.md: "hold 10-30
s", [1][2][3]) and never made longer than 60 s by tailoring (30-60 s for older adults), or than
30 s for a massage ("never over 30 s" per tender spot, [14]). A hold the author wrote longer than
these is never lengthened, and never cut below them either. Rests, breathing and transitions are
left as they are: they are not doses.
"""

from __future__ import annotations

from dataclasses import replace

from selfcare_tui.routines.model import Cue, Kind, Routine, Step
from selfcare_tui.vocabulary import EXTRA_SHARE, SHORTER_SHARE, Side, Tailoring

MIN_HOLD_SECONDS = 10
MAX_HOLD_SECONDS = {Kind.STRETCH: 60, Kind.MASSAGE: 30}
"""The longest tailoring makes a hold, by kind; only these kinds are tailored."""


def tailor(routine: Routine, tailoring: Tailoring) -> Routine:
    """`routine` with `tailoring` applied; the same routine when it is played as written.

    Steps are numbered as they are played ("Step 3 of 5" with one side only), and the journal
    entry records the tailoring beside them."""
    if tailoring.as_written:
        return routine
    steps: list[Step] = []
    for step in routine.steps:
        if tailoring.only.one_sided and step.side is tailoring.only.other:
            continue
        steps.append(replace(_tailored_step(step, tailoring), index=len(steps)))
    if not steps:
        return routine
    return replace(routine, steps=tuple(steps))


def _tailored_step(step: Step, tailoring: Tailoring) -> Step:
    ceiling = MAX_HOLD_SECONDS.get(step.kind)
    if ceiling is None:
        return step
    share = 1.0
    if tailoring.shorter:
        share *= SHORTER_SHARE
    if tailoring.more_time.one_sided and step.side is tailoring.more_time:
        share *= 1 + EXTRA_SHARE
    hold = step.hold_seconds or step.seconds
    low, high = min(hold, MIN_HOLD_SECONDS), max(hold, ceiling)
    new_hold = max(low, min(high, round(hold * share)))
    if new_hold == hold:
        return step
    seconds = new_hold * step.repetitions
    scale = seconds / step.seconds
    cues = tuple(Cue(min(seconds - 1, round(cue.at_second * scale)), cue.text) for cue in step.cues)
    return replace(step, seconds=seconds, hold_seconds=new_hold, cues=cues)


def has_sides(routine: Routine) -> bool:
    """Whether the routine works the left and the right apart (so a side can be tailored)."""
    return {Side.LEFT, Side.RIGHT} <= routine.sides
