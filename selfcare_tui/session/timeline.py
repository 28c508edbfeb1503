"""The dry run: everything a run would say, and when, without waiting for it."""

from __future__ import annotations

from selfcare_tui.routines.model import Routine
from selfcare_tui.session.clock import ManualClock
from selfcare_tui.session.player import Announcement, RoutinePlayer


def timeline(routine: Routine, countdown: bool = True) -> list[Announcement]:
    """Play the routine on a manual clock, unpaused and unskipped, and collect what it says."""
    clock = ManualClock()
    said: list[Announcement] = []
    player = RoutinePlayer(routine, clock, said.append, countdown=countdown)
    player.start()
    while not player.is_over:
        # Announcements carry their scheduled time, so the size of each jump does not matter.
        clock.advance(max(1, player.view.step_remaining))
        player.tick()
    return said


def format_timeline(announcements: list[Announcement]) -> list[str]:
    """One line each: seconds from the start, kind, text (on one line, like the transcript)."""
    return [
        f"{item.at:8.2f}  {item.kind.value:<11}  {' '.join(item.text.split())}"
        for item in announcements
    ]
