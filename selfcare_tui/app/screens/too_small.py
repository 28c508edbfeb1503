"""Shown instead of a cramped layout when the terminal is smaller than 80×24."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import ModalScreen
from textual.widgets import Static

MIN_SIZE = (80, 24)


class TooSmallScreen(ModalScreen[None]):
    def compose(self) -> ComposeResult:
        yield Static("", id="too-small")

    def on_mount(self) -> None:
        self.show_size(*self.app.size)

    def show_size(self, width: int, height: int) -> None:
        self.query_one(Static).update(
            f"The terminal is too small: {width}×{height}. selfcare needs at least "
            f"{MIN_SIZE[0]}×{MIN_SIZE[1]}. Make the window larger; the routine carries on."
        )
