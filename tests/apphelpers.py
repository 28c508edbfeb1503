"""Building the app for tests: a fake clock, a recording speaker and a journal in tmp_path."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from helpers import write

from selfcare_tui.app.app import AppParts, SelfCareApp
from selfcare_tui.journal.model import SessionEntry
from selfcare_tui.journal.store import JournalHistory
from selfcare_tui.routines.library import Library, discover
from selfcare_tui.session.clock import FakeClock
from selfcare_tui.speech import RecordingSpeaker

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


class MemoryJournal:
    def __init__(self) -> None:
        self.entries: list[SessionEntry] = []
        self.problems: list[tuple[Path, str]] = []
        """What `load_all` reports as unreadable files, for tests of the history screen."""

    def save(self, entry: SessionEntry) -> str:
        self.entries.append(entry)
        return "memory"

    def load_all(self) -> JournalHistory:
        """The saved entries in start order, as `Journal.load_all` gives them."""
        entries = sorted(self.entries, key=lambda entry: entry.started_at.astimezone(UTC))
        return JournalHistory(Path("memory"), entries, problems=list(self.problems))


class Parts:
    """The fakes of one test, kept together so tests can reach them."""

    def __init__(self, library: Library) -> None:
        self.clock = FakeClock()
        self.speaker = RecordingSpeaker()
        self.journal = MemoryJournal()
        start = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
        self.app_parts = AppParts(
            library,
            self.speaker,
            lambda: self.clock,
            self.journal,
            now=lambda: start + timedelta(seconds=self.clock.now()),
        )

    def app(self, routine_id: str | None = None) -> SelfCareApp:
        return SelfCareApp(self.app_parts, routine_id)


def tiny_library(tmp_path: Path) -> Library:
    folder = tmp_path / "routines"
    write(folder / "tiny-sides.toml", TINY)
    return discover([folder])
