"""The dry run: the plan a run will follow, every word and sound and when, without waiting.

The player is played on a manual clock with the voice's lengths (exact once synthesised, else
estimated), so this is the same timeline a real run follows; the lines also say which cues were
moved to a free moment and which could not be said at all, which `validate` turns into warnings.
"""

from __future__ import annotations

from dataclasses import dataclass

from selfcare_tui.routines.model import Routine
from selfcare_tui.session.clock import ManualClock
from selfcare_tui.session.plan import Durations, StepPlan
from selfcare_tui.session.player import Announcement, RoutinePlayer
from selfcare_tui.speech.model import UtteranceKind
from selfcare_tui.text import one_line
from selfcare_tui.vocabulary import CountdownStyle, spoken_duration


@dataclass(frozen=True)
class Timeline:
    said: list[Announcement]
    plans: list[tuple[float, StepPlan]]
    """Each step's plan, with the second it starts at (the last plan of a step counts)."""


def timeline(
    routine: Routine,
    countdown: CountdownStyle = CountdownStyle.BOTH,
    durations: Durations | None = None,
) -> Timeline:
    """Play the routine on a manual clock, unpaused and unskipped, and collect what it says."""
    clock = ManualClock()
    said: list[Announcement] = []
    player = RoutinePlayer(routine, clock, said.append, countdown=countdown, durations=durations)
    player.start()
    plans: list[tuple[float, StepPlan]] = []
    while not player.is_over:
        if not plans or plans[-1][1] is not player.plan:
            plans.append((player.step_started_at, player.plan))
        clock.advance(max(0.01, player.seconds_to_next_change() or 0.01))
        player.tick()
    return Timeline(said, plans)


def format_timeline(line: Timeline) -> list[str]:
    """One line each: seconds from the start, kind, text (on one line, like the transcript);
    sounds in brackets, and a note on each cue that was moved or left out."""
    rows: list[tuple[float, str]] = []
    for item in line.said:
        if item.sound is not None:
            rows.append((item.at, _row(item.at, "sound", f"[{item.sound.value}]")))
        if item.text:
            rows.append((item.at, _row(item.at, item.kind.value, one_line(item.text))))
    for start, plan in line.plans:
        for cue in plan.moved:
            note = f"  (moved from {start + (cue.wanted or 0):.2f}: {cue.text})"
            rows.append((start + cue.at, _row(start + cue.at, "note", note.strip())))
        for cue in plan.dropped:
            at = start + cue.at
            rows.append((at, _row(at, "note", f"(left out, no free moment: {cue.text})")))
    return [row for _, row in sorted(rows, key=lambda row: row[0])]


def _row(at: float, kind: str, text: str) -> str:
    return f"{at:8.2f}  {kind:<11}  {text}"


def plan_warnings(line: Timeline) -> list[str]:
    """What a routine author should fix: cues that cannot be heard where they were placed."""
    warnings = []
    for _, plan in line.plans:
        step = plan.step
        where = f"step {step.number} ({step.title})"
        instruction = next(
            (item for item in plan.items if item.kind is UtteranceKind.INSTRUCTION), None
        )
        if instruction is not None and instruction.seconds > step.seconds:
            warnings.append(
                f"{where}: its instruction takes about {instruction.seconds:.1f} seconds, "
                f"longer than the step's {spoken_duration(step.seconds)}"
            )
        for cue in plan.dropped:
            warnings.append(f"{where}: the cue {cue.text!r} has no free moment and is not said")
        for cue in plan.moved:
            warnings.append(
                f"{where}: the cue {cue.text!r} collides with other speech and is moved by "
                f"{abs(cue.at - (cue.wanted or cue.at)):.1f} s"
            )
    return list(dict.fromkeys(warnings))
