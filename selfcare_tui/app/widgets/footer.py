"""The footer every screen shows: Textual's, rebuilt only when the keys it shows change."""

from __future__ import annotations

from collections.abc import Hashable

from textual import widgets


class Footer(widgets.Footer):
    """Textual's footer, skipping the rebuilds that would show the same keys.

    Textual's footer rebuilds all its keys each time its screen's bindings are refreshed: when the
    screen is shown, at each change of focus, often two or three times for one change. Each key
    works out its styles three times as it is built, so a footer costs about 10 ms to rebuild,
    and opening the history screen rebuilt it three times before its first full paint.
    """

    _shown: Hashable = None

    async def recompose(self) -> None:
        if self.is_attached:  # not once its screen has gone: Textual's own returns then too
            shown = self.shown()
            if shown == self._shown:
                return
            self._shown = shown
        await super().recompose()

    def shown(self) -> Hashable:
        """What the footer's compose reads: the screen's bindings and the footer's settings."""
        bindings = tuple(
            (active.binding, active.enabled, active.tooltip)
            for active in self.screen.active_bindings.values()
        )
        return bindings, self.show_command_palette, self.combine_groups, self.compact
