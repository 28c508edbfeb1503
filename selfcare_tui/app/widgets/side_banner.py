"""The side being worked, in letters large enough to read from a mat on the floor."""

from __future__ import annotations

from textual.widgets import Static

from selfcare_tui.routines.model import Side

# A 3-row block font with just the letters that LEFT, RIGHT and BOTH need.
_FONT = {
    "L": ["█  ", "█  ", "███"],
    "E": ["███", "██ ", "███"],
    "F": ["███", "██ ", "█  "],
    "T": ["███", " █ ", " █ "],
    "R": ["██ ", "██ ", "█ █"],
    "I": ["█", "█", "█"],
    "G": ["███", "█ ▄", "███"],
    "H": ["█ █", "███", "█ █"],
    "B": ["██ ", "███", "███"],
    "O": ["███", "█ █", "███"],
}

WORDS = {Side.LEFT: "LEFT", Side.RIGHT: "RIGHT", Side.BOTH: "BOTH"}


def big_letters(word: str) -> str:
    rows = [" ".join(_FONT[letter][row] for letter in word) for row in range(3)]
    return "\n".join(rows)


class SideBanner(Static):
    """LEFT, RIGHT or BOTH in block letters, with the plain word underneath for screen readers."""

    def show_side(self, side: Side) -> None:
        word = WORDS.get(side)
        if word is None:
            self.update("\n\nNo side: whole body")
        else:
            self.update(f"{big_letters(word)}\n{word.capitalize()} side")
        self.set_class(side is Side.LEFT, "-left")
        self.set_class(side is Side.RIGHT, "-right")
