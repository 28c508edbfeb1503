"""The footer every screen shows: Textual's, rebuilt only when the keys it shows change."""

from __future__ import annotations

from collections.abc import Hashable

from textual import widgets
from textual.app import ComposeResult
from textual.reactive import Reactive
from textual.widget import Widget


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
            compactness = getattr(type(widget), "compact", None)
            if isinstance(compactness, Reactive):  # a key
                self._settle(widget, compactness)
            yield widget
        self._built = shown if built else None

    def _settle(self, key: Widget, compactness: Reactive[bool]) -> None:
        """Give `key` its compactness, and the class that shows it, before it is mounted.

        A key starts compact, then is bound to its footer's compactness: each was styled twice
        more as it was mounted, once as its class was added, once as it was taken off again
        (Textual's footer; a tenth of a Pilot test's CPU). The palette's key is not bound and
        stays compact."""
        compact = self.compact or key.has_class("-command-palette")
        key.set_reactive(compactness, compact)
        key.set_class(compact, "-compact", update=False)

    def shown(self) -> Hashable:
        """What the footer's compose reads: the screen's bindings and the footer's settings."""
        bindings = tuple(
            (active.binding, active.enabled, active.tooltip)
            for active in self.screen.active_bindings.values()
        )
        return bindings, self.show_command_palette, self.combine_groups, self.compact
