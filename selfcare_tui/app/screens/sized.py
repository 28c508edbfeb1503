"""Screens laid out for the terminal's size from their first frame."""

from __future__ import annotations

import contextlib
from typing import TypeVar

from textual.geometry import Size
from textual.screen import Screen

Result = TypeVar("Result")


class SizedScreen(Screen[Result]):
    """A screen with breakpoints ("-narrow", "-tall"), given their classes as it is built.

    Textual gives a screen those classes at its first resize, which comes after its first layout:
    the whole screen was then styled and laid out a second time, and its first frame drawn in
    the layout of no size at all (the history screen: 40 ms more, its caption first cut short).
    """

    def __init__(
        self, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name, id, classes)
        with contextlib.suppress(RuntimeError):  # built outside a running app: at its resize
            # No style update asked for: the screen is styled when it is mounted, and an update
            # would style it, and everything on it, a second time.
            self.add_class(*self.breakpoint_classes(self.app.size), update=False)

    def breakpoint_classes(self, size: Size) -> list[str]:
        """The classes Textual gives this screen at `size` (see `Screen._on_resize`)."""
        app = self.app
        horizontal = self.HORIZONTAL_BREAKPOINTS
        vertical = self.VERTICAL_BREAKPOINTS
        chosen = []
        for breakpoints, cells in (
            (app.HORIZONTAL_BREAKPOINTS if horizontal is None else horizontal, size.width),
            (app.VERTICAL_BREAKPOINTS if vertical is None else vertical, size.height),
        ):
            reached = [(at, name) for at, name in breakpoints or [] if cells >= at]
            if reached:
                chosen.append(max(reached)[1])
        return chosen
