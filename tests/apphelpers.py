"""Building the app for tests: a fake clock, a recording speaker and a journal in memory."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from helpers import write
from textual.app import App
from textual.geometry import Region

from selfcare_tui.app.app import AppParts, SelfCareApp
from selfcare_tui.routines.library import Library, discover
from selfcare_tui.testing import FakeClock, MemoryJournal, RecordingSpeaker

TINY = """
format = 1
title = "Tiny sides"
summary = "Two short stretches, one per side."
muscles = ["quadratus_lumborum"]
[[steps]]
title = "Side bend, {side} side"
kind = "stretch"
each_side = ["left", "right"]
seconds = 20
text = "Slide your {other_side} hand down and reach your {side} arm up. Mild tension, never pain."
cautions = ["If it hurts, ease off."]
"""
START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


class Parts:
    """The fakes of one test, kept together so tests can reach them."""

    def __init__(self, library: Library) -> None:
        self.clock = FakeClock()
        self.speaker = RecordingSpeaker()
        self.journal = MemoryJournal()
        self.app_parts = AppParts(
            library,
            self.speaker,
            lambda: self.clock,
            self.journal,
            now=lambda: START + timedelta(seconds=self.clock.now()),
            read_ahead_after=None,  # the tests of reading ahead set it
        )

    def app(self, routine_id: str | None = None) -> SelfCareApp:
        return SelfCareApp(self.app_parts, routine_id)


def tiny_library(tmp_path: Path) -> Library:
    folder = tmp_path / "routines"
    write(folder / "tiny-sides.toml", TINY)
    return discover([folder])


def drawn_text(app: App[object]) -> str:
    """Every line each widget of every open screen draws, scrolled into view or not: what an SVG
    of the screen holds, and more, without the cost of writing one (a fifth of a hostile test's
    CPU). Tooltips are not among them."""
    lines = []
    for screen in app.screen_stack:
        for widget in screen.query("*"):
            width, height = widget.region.size
            lines += [strip.text for strip in widget.render_lines(Region(0, 0, width, height))]
    return "\n".join(lines)
