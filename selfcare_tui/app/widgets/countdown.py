"""The time left in the step, in digits three rows tall: readable from a mat on the floor."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.renderables.digits import Digits as DigitsRenderable
from textual.selection import Selection
from textual.strip import Strip
from textual.widget import Widget

ROWS = 3


def digit_rows(text: str) -> list[str]:
    """`text` in the three rows of Textual's digits ("1:05" as box-drawing glyphs)."""
    pieces = DigitsRenderable(text).render(Style())
    return [piece.text for piece in pieces if isinstance(piece, Segment) and piece.text != "\n"]


class Countdown(Widget):
    """Textual's Digits, drawn as three lines of text.

    The Digits widget draws itself through Rich's console at every change, and the countdown
    changes every second: as three strips it costs a small part of that, and draws the same
    glyphs.
    """

    DEFAULT_CSS = """
    Countdown {
        width: auto;
        height: 3;
    }
    """

    def __init__(self, text: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = text
        self.rows = digit_rows(text)

    def update(self, text: str) -> None:
        if text != self.text:
            rows = digit_rows(text)
            wider = len(rows[0]) != len(self.rows[0])  # 9:59 to 10:00 is a digit wider
            self.text, self.rows = text, rows
            self.refresh(layout=wider)

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """What a copy of the screen gets: the time, as a Digits gives it."""
        return self.text, "\n"

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return len(self.rows[0])

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return ROWS

    def render_line(self, y: int) -> Strip:
        style = self.rich_style
        row = self.rows[y] if y < ROWS else ""
        return Strip([Segment(row, style)]).adjust_cell_length(self.size.width, style)
