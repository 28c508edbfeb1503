"""A ProgressBar that changes only when it is told to."""

from __future__ import annotations

from textual import events
from textual.widgets import ProgressBar


class SteadyProgressBar(ProgressBar):
    """Textual's ProgressBar without its once-a-second timer, which recomputes its ETA (not shown
    here): the player updates both bars every second anyway, and the timer doubled the work a
    countdown costs."""

    def on_mount(self, event: events.Mount) -> None:  # type: ignore[override]
        event.prevent_default()  # not ProgressBar.on_mount, which starts the timer
        self.update()
