"""One line of progress: a name, a bar, and the time left in words, as a single widget."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.selection import Selection
from textual.strip import Strip
from textual.widget import Widget

NAME_WIDTH = 9
WORDS_WIDTH = 20
MIN_BAR = 10
"""Narrower than this, the bar is left out: the name and the words carry it all."""


def filled_halves(width: int, share: float) -> int:
    """How many half cells of a bar `width` cells long `share` fills, to the nearest."""
    return round(min(max(share, 0.0), 1.0) * width * 2)


def bar_segments(width: int, share: float, filled: Style, track: Style) -> list[Segment]:
    """A bar `width` cells long with `share` of it filled, to the nearest half cell."""
    full, half = divmod(filled_halves(width, share), 2)
    return [Segment("━" * full + "╸" * half, filled), Segment("━" * (width - full - half), track)]


class ProgressLine(Widget):
    """`Step     ━━━━━━━━╸━━━━━━━━ 4:59 left of 10:00`, redrawn only when it would change.

    One widget drawn as one line of segments, rather than a row of a label, a ProgressBar and
    another label: when anything on screen changes, Textual redraws every widget in the
    containers around it, and the player changes this line every second. It is redrawn only
    when what it draws changes: its words, or its bar by half a cell. The words say everything
    the bar shows, for screen readers and for terminals too narrow for the bar.
    """

    COMPONENT_CLASSES = {"progress-line--bar", "progress-line--complete"}
    DEFAULT_CSS = """
    ProgressLine {
        height: 1;
        & > .progress-line--bar {
            color: $primary;
            background: $surface;
        }
        & > .progress-line--complete {
            color: $success;
            background: $surface;
        }
    }
    """

    def __init__(self, name: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.label = name
        self.shown: tuple[float, float, str] = (0.0, 0.0, "")
        self._drawn: tuple[int, str, int, bool] | None = None

    def show(self, total: float, done: float, words: str) -> None:
        """`done` seconds of `total`, and the words to the right of the bar."""
        self.shown = (total, done, words)
        width = self.size.width
        share = self.share
        drawn = (width, words, filled_halves(self.bar_width(width, words), share), share >= 1)
        if drawn != self._drawn:
            self._drawn = drawn
            self.refresh()

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """What a copy of the screen gets: the line's name and words, as they read."""
        return f"{self.label} {self.words}", "\n"

    @property
    def words(self) -> str:
        return self.shown[2]

    @property
    def share(self) -> float:
        total, done, _ = self.shown
        return done / total if total else 0.0

    @staticmethod
    def bar_width(width: int, words: str) -> int:
        """The bar's cells on a line `width` cells wide: less than MIN_BAR means no bar."""
        return width - NAME_WIDTH - 1 - len(words.ljust(WORDS_WIDTH))

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if y:
            return Strip.blank(width, base)
        words = self.words
        bar_width = self.bar_width(width, words)
        segments = [Segment(self.label.ljust(NAME_WIDTH), base)]
        if bar_width >= MIN_BAR:
            share = self.share
            colours = self.get_component_rich_style(
                "progress-line--complete" if share >= 1 else "progress-line--bar"
            )
            filled = base + Style(color=colours.color)
            track = base + Style(color=colours.bgcolor)
            segments += [*bar_segments(bar_width, share, filled, track), Segment(" ", base)]
        segments.append(Segment(words.ljust(WORDS_WIDTH), base))
        return Strip(segments).adjust_cell_length(width, base)
