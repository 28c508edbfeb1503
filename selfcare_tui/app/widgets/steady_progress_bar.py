"""A ProgressBar that changes only when it is told to, and redraws only when its fill moves."""

from __future__ import annotations

from textual import events
from textual.widgets import ProgressBar


class SteadyProgressBar(ProgressBar):
    """Textual's ProgressBar without its once-a-second timer, which recomputes its ETA (not shown
    here): the player updates both bars every second anyway, and the timer doubled the work a
    countdown costs."""

    _drawn: tuple[float, int] | None = None

    def on_mount(self, event: events.Mount) -> None:  # type: ignore[override]
        event.prevent_default()  # not ProgressBar.on_mount, which starts the timer
        self.update()

    def show(self, total: float, progress: float) -> None:
        """Update, if the bar would look different: a long routine's bar moves by half a cell
        only every few seconds, and redrawing it every second is most of a countdown's work."""
        width = max(1, self.size.width)
        drawn = (total, int(progress / total * width * 2) if total else 0)
        if drawn != self._drawn:
            self._drawn = drawn
            self.update(total=total, progress=progress)
