"""The footer every screen shows: Textual's, rebuilt only when the keys it shows change."""

from __future__ import annotations

from collections.abc import Hashable

from textual import widgets
from textual.app import ComposeResult


class Footer(widgets.Footer):
    """Textual's footer, skipping the rebuilds that would show the same keys.

    Textual's footer rebuilds all its keys each time its screen's bindings are refreshed: when the
    screen is shown, at each change of focus, often two or three times for one change. Each key
    works out its styles three times as it is built, so a footer costs about 10 ms to rebuild,
    and opening the history screen rebuilt it three times before its first full paint.
    """

    _built: Hashable = None
    """What the keys on show were built from (`shown`); None: no keys built yet."""

    async def recompose(self) -> None:
        if self.is_attached and self._built is not None and self.shown() == self._built:
            return
        await super().recompose()

    def compose(self) -> ComposeResult:
        # Read as the keys are built, not when the rebuild was asked for: the bindings may
        # change while the old keys are being removed.
        shown = self.shown()
        built = False
        for widget in super().compose():
            built = True
            yield widget
        self._built = shown if built else None

    def shown(self) -> Hashable:
        """What the footer's compose reads: the screen's bindings and the footer's settings."""
        bindings = tuple(
            (active.binding, active.enabled, active.tooltip)
            for active in self.screen.active_bindings.values()
        )
        return bindings, self.show_command_palette, self.combine_groups, self.compact
