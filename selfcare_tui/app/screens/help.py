"""The keys while a routine plays, from the live bindings (the session says them too)."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from selfcare_tui.app.styles import styles_beside
from selfcare_tui.speech.sounds import MEANINGS
from selfcare_tui.text import markdown_inline

FOOTNOTE = """\
Stretch to mild tension, never pain. Stop if anything feels sharp or gets worse.

Press Escape to close this help."""


def help_markdown(rows: Sequence[tuple[str, str]]) -> str:
    table = [f"| {markdown_inline(keys)} | {does} |" for keys, does in rows]
    sounds = [f"| {shape} | {meaning} |" for shape, meaning in MEANINGS.values()]
    return "\n".join(
        [
            "# Keys while a routine plays", "", "| key | what it does |", "|---|---|", *table, "",
            "# Sounds", "", "| sound | means |", "|---|---|", *sounds, "", FOOTNOTE,
        ]
    )  # fmt: skip


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = styles_beside(__file__)

    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close", id="help.close")]

    def __init__(self, rows: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self.rows = list(rows)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Markdown(help_markdown(self.rows))
