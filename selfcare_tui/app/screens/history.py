"""The history screen: past sessions, pain over time, time per side, days practised per week.

Everything shown in a chart or a bar is also written in words and numbers, and a short summary is
spoken when the screen opens (and again with `s`). The journal is read in a thread worker
(`HistoryReader`), so the UI never waits on a read; the screen itself only formats.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import DataTable, Header, Label, Sparkline, Static

from selfcare_tui.app.messages import Speak, tell
from selfcare_tui.app.screens.sized import SizedScreen
from selfcare_tui.app.styles import styles_beside
from selfcare_tui.app.widgets.footer import Footer
from selfcare_tui.journal.history import (
    PAIN_SIDES,
    SideBalance,
    WeekRow,
    balance_of_weeks,
    days_practised_per_week,
    pain_number,
    since_first_summary,
    spoken_summary,
    trend_sentence,
    week_rows,
    week_start,
)
from selfcare_tui.journal.index import TooManyToParse
from selfcare_tui.journal.model import SessionEntry, SessionFacts
from selfcare_tui.text import one_line
from selfcare_tui.vocabulary import duration_text, ending_words, pain_pair, pain_score

TABLE_ROWS = 50
"""The table shows the latest sessions only, two months of daily practice: a DataTable measures
every cell it is given, and each 50 rows more cost the screen about 25 ms before it shows.
`selfcare history` lists all."""
CHART_SESSIONS = 20
"""How many of the latest sessions with a pain score the chart shows."""
WEEKS_SHOWN = 4
BAR_WIDTH = 20
EMPTY_MESSAGE = (
    "No sessions yet. Your history appears here after your first session: back on the "
    "routines list, choose a routine and press Enter. Practice runs, played at another "
    "speed (--speed), are not counted here."
)
Problems = Sequence[tuple[Path, str]]


@runtime_checkable
class LoadableJournal(Protocol):
    """A journal that can read itself back (a `JournalOverview`): `Journal`, or a fake in
    tests."""

    def overview(self, latest: int, *, parse_at_most: int | None = None) -> Any: ...

    def unchanged_since(self, overview: Any) -> bool: ...


# -- words ---------------------------------------------------------------------------------------


def sides_text(balance: SideBalance) -> str:
    """E.g. "Left 42 min, right 40 min (51% / 49%)" and a bar of the left share."""
    share = balance.left_share
    if share is None:
        return "No one-sided steps done yet."
    left = round(share * 100)
    filled = round(share * BAR_WIDTH)
    bar = "█" * filled + "░" * (BAR_WIDTH - filled)
    return (
        f"Left {duration_text(balance.left)}, right {duration_text(balance.right)} "
        f"({left}% / {100 - left}%)\nleft {bar} right"
    )


def weeks_text(sessions: Sequence[SessionFacts], today: date) -> str:
    """Days practised in each of the last few weeks (Monday to Sunday), this week last."""
    counts = days_practised_per_week(sessions)
    this_week = week_start(today)
    lines = []
    for back in range(WEEKS_SHOWN - 1, -1, -1):
        monday = this_week - timedelta(weeks=back)
        days = counts.get(monday, 0)
        days_words = f"{days} day{'s' * (days != 1)}"
        if back == 0:
            lines.append(f"this week (from {monday.isoformat()}): {days_words} so far")
        else:
            lines.append(f"week of {monday.isoformat()}: {days_words} of 7")
    return "\n".join(lines)


SIDE_WEEKS_SHOWN = 8
PAIN_BAR = 10
"""A pain score of 10 fills this many cells."""


def side_weeks_text(sessions: Sequence[SessionFacts], every_week: list[WeekRow]) -> str:
    """Pain before a session, per side, week by week (the latest weeks with a score): numbers
    and a bar each, and the trend in words below (`every_week`: the sessions' week_rows)."""
    rows = [row for row in every_week if set(row.pain_before.values()) != {None}]
    if not rows:
        return "No pain scores recorded yet."
    lines = []
    for row in rows[-SIDE_WEEKS_SHOWN:]:
        cells = [f"{row.monday:%d %b}"]
        for side in PAIN_SIDES:
            value = row.pain_before[side]
            filled = round((value or 0) * PAIN_BAR / 10)
            bar = "█" * filled + "░" * (PAIN_BAR - filled)
            cells.append(f"{side.value} {pain_number(value):>3} {bar}")
        lines.append("  ".join(cells))
    return "\n".join([*lines, trend_sentence(sessions, every_week)])


def pain_series(sessions: Sequence[SessionFacts]) -> list[SessionFacts]:
    """The latest sessions with a pain score after, oldest first."""
    scored = [session for session in sessions if session.pain_after is not None]
    return scored[-CHART_SESSIONS:]


def pain_numbers(series: Sequence[SessionFacts]) -> str:
    def row(values: list[int | None]) -> str:
        return " ".join(pain_score(value) for value in values)

    before = [session.pain_before for session in series]
    after = [session.pain_after for session in series]
    return f"after:  {row(after)}\nbefore: {row(before)}"


def problems_text(problems: Problems) -> str:
    return "\n".join(f"{path.name}: {reason}" for path, reason in problems)


def history_summary(
    sessions: Sequence[SessionFacts],
    problems: Problems,
    today: date,
    rows: list[WeekRow] | None = None,
) -> str:
    """What the screen says aloud: the last 7 days, or the empty-journal message (`rows`: the
    sessions' week_rows, when the caller has them already)."""
    if sessions:
        since_first = since_first_summary(sessions, today, rows)
        summary = f"{since_first} {spoken_summary(sessions, today)}"
    else:
        summary = EMPTY_MESSAGE
    if problems:
        count = len(problems)
        summary += (
            f" {count} journal file{'s' * (count != 1)} could not be read; "
            "they are listed on screen and left as they are."
        )
    return summary


# -- the screen ----------------------------------------------------------------------------------


READING = "Reading your journal…"


@dataclass(frozen=True)
class HistoryFacts:
    """Everything the screen shows, worked out in the thread that read the journal: thousands
    of sessions take a moment, which the screen never waits for."""

    sessions: list[SessionFacts]
    latest: list[SessionEntry]
    """The latest sessions, oldest first: the table lists these."""
    problems: list[tuple[Path, str]]
    summary: str
    series: list[SessionFacts]
    side_pain: str
    sides: str
    weeks: str


def history_facts(
    sessions: Sequence[SessionFacts],
    latest: Sequence[SessionEntry],
    problems: Problems,
    today: date,
) -> HistoryFacts:
    sessions = list(sessions)
    rows = week_rows(sessions)  # what the summary, the pain per side and the sides all use
    return HistoryFacts(
        sessions,
        list(latest[-TABLE_ROWS:]),
        list(problems),
        history_summary(sessions, problems, today, rows),
        pain_series(sessions),
        side_weeks_text(sessions, rows) if sessions else "",
        sides_text(balance_of_weeks(rows)) if sessions else "",
        weeks_text(sessions, today) if sessions else "",
    )


class HistoryScreen(SizedScreen[None]):
    """Past sessions, newest first, with the pain chart, side balance and weeks beside them.

    It paints at once: filled in, from a read of the journal that still holds, or saying the
    journal is being read, filled in when it has been.
    """

    DEFAULT_CSS = styles_beside(__file__)

    class Loaded(Message):
        """The journal has been read (posted from the reading thread)."""

        def __init__(self, facts: HistoryFacts) -> None:
            super().__init__()
            self.facts = facts

    BINDINGS = [
        Binding("s", "speak", "Say summary", id="history.speak", tooltip="Speak a short summary"),
        Binding("escape,q", "close", "Back", id="history.close", tooltip="Back to the routines"),
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]

    def __init__(self, today: date, facts: HistoryFacts | None = None) -> None:
        super().__init__()
        self.today = today
        self.facts = facts
        self._moved = False

    @property
    def sessions(self) -> list[SessionFacts]:
        return self.facts.sessions if self.facts else []

    @property
    def latest(self) -> list[SessionEntry]:
        return self.facts.latest if self.facts else []

    @property
    def problems(self) -> list[tuple[Path, str]]:
        return self.facts.problems if self.facts else []

    @property
    def summary(self) -> str:
        return self.facts.summary if self.facts else READING

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.summary, id="history-summary", markup=False)
        if self.facts is not None:
            yield self.body()
        yield Footer()

    def body(self) -> Horizontal:
        """The sessions and the facts, once the journal has been read."""
        panes: list[Widget] = []
        if self.sessions:
            caption = Label(self.table_caption(), id="history-count", markup=False)
            table = DataTable[str | Text](
                id="history-sessions", cursor_type="row", zebra_stripes=True
            )
            panes.append(Vertical(caption, table, id="history-table-pane"))
        panes.append(VerticalScroll(*self.compose_facts(), id="history-facts"))
        return Horizontal(*panes, id="history-body")

    def compose_facts(self) -> ComposeResult:
        if not self.sessions:
            yield Static(EMPTY_MESSAGE, id="history-empty", markup=False)
        else:
            assert self.facts is not None
            series = self.facts.series
            yield Label(
                f"Pain after each of the last {len(series)} scored sessions, oldest first "
                "(0 none, 10 worst)",
                classes="history-heading",
            )
            if series:
                values = [float(session.pain_after or 0) for session in series]
                yield Sparkline(values, id="history-pain-chart", summary_function=max)
                yield Static(pain_numbers(series), id="history-pain-numbers", markup=False)
            else:
                yield Static("No pain scores recorded yet.", id="history-pain-numbers")
            yield Label(
                "Pain before a session, per side, week by week (0 none, 10 worst)",
                classes="history-heading",
            )
            yield Static(self.facts.side_pain, id="history-side-pain", markup=False)
            yield Label("Time per side", classes="history-heading")
            yield Static(self.facts.sides, id="history-sides", markup=False)
            yield Label("Days practised per week", classes="history-heading")
            yield Static(self.facts.weeks, id="history-weeks", markup=False)
        if self.problems:
            yield Label("Journal files that could not be read", classes="history-heading")
            yield Static(problems_text(self.problems), id="history-problems", markup=False)

    def on_mount(self) -> None:
        if self.facts is not None:
            self.show_facts()

    @on(Loaded)
    async def loaded(self, message: Loaded) -> None:
        if self.closed:  # while the journal was being read
            return
        # Into the screen as it is (not recomposed): the header and the footer's keys stay.
        self.facts = message.facts
        self.query_one("#history-summary", Static).update(self.summary)
        await self.mount(self.body(), before=self.query_one(Footer))
        if not self.closed:
            self.show_facts()

    @property
    def closed(self) -> bool:
        return self not in self.app.screen_stack

    def show_facts(self) -> None:
        if self.sessions:
            table = self.query_one("#history-sessions", DataTable)
            table.add_columns("Date", "Routine", "How it ended", "Pain")
            table.add_rows(self.rows())
            table.focus()
        self.action_speak()

    def table_caption(self) -> str:
        count = len(self.sessions)
        if count <= TABLE_ROWS:
            shown = f"{count} session{'s' * (count != 1)}"
        else:
            shown = f"Latest {TABLE_ROWS} of {count:,} sessions ('selfcare history' lists all)"
        return f"{shown}, newest first. Pain: before → after, 0 to 10."

    def rows(self) -> list[tuple[str | Text, ...]]:
        """One row per session, newest first; the routine title is user text, never markup."""
        return [
            (
                f"{entry.started_at:%Y-%m-%d %H:%M}",
                Text(one_line(entry.routine_title)),
                ending_words(entry.ending),
                pain_pair(entry.reflection.pain_before, entry.reflection.pain_after),
            )
            for entry in reversed(self.latest)
        ]

    def orientation(self) -> str:
        return f"Your history. {self.summary} Up and down read the sessions, newest first."

    @on(DataTable.RowHighlighted)
    def row_said(self, event: DataTable.RowHighlighted) -> None:
        """Each session as it is reached, in words (not the first: the summary is being said)."""
        if self._moved:
            entry = self.latest[-1 - event.cursor_row]
            pain = pain_pair(entry.reflection.pain_before, entry.reflection.pain_after)
            when = f"{entry.started_at:%A %d %B %Y, %H:%M}"
            title = one_line(entry.routine_title)
            said = f"{when}, {title}, {ending_words(entry.ending)}, pain {pain}."
            self.post_message(Speak(said.replace("→", "then").replace("–", "not given")))
        self._moved = True

    def action_speak(self) -> None:
        self.post_message(Speak(self.summary))

    def action_close(self) -> None:
        self.dismiss()


SLOW_LOAD_SECONDS = 0.5
READ_AHEAD_AT_MOST = 20
"""A read ahead of F2 gives up when more journal files than this are new or changed (an index
lost, an update): that read then waits until the user asks for it, "Reading your journal" said,
rather than slow the routines list unasked."""


@dataclass(frozen=True)
class KeptRead:
    """The journal's last read (ahead of F2, or for it), and what the screen shows of it."""

    overview: Any
    """What the journal gave (its `unchanged_since` tells whether it still holds)."""
    facts: HistoryFacts
    today: date


class HistoryReader:
    """Reads the journal for the history screen in a thread, and keeps the last read.

    While the journal is unchanged (no session saved since, the same day, and within the ten
    minutes its index trusts itself), F2 shows that read at once, in one paint: telling looks at
    the folder's times only (one `stat`). The app reads ahead when the routines list has been
    shown a few seconds (`PickerScreen.Settled`), so F2 usually finds the journal read."""

    def __init__(self, app: App[Any], journal: LoadableJournal) -> None:
        self.app = app
        self.journal = journal
        self.kept: KeptRead | None = None

    def fresh(self, today: date) -> HistoryFacts | None:
        kept = self.kept
        if kept is None or kept.today != today or not self.journal.unchanged_since(kept.overview):
            return None
        return kept.facts

    def read_ahead(self, today: date) -> None:
        """Read the journal in a thread, unless the read kept still holds; nothing is shown or
        said of it."""
        if self.fresh(today) is not None:
            return

        def read() -> None:
            with contextlib.suppress(OSError, TooManyToParse):  # F2 reads it and says why
                self.read(today, parse_at_most=READ_AHEAD_AT_MOST)

        # A read nobody asked for never ends the app, whatever goes wrong in it.
        self.app.run_worker(
            read, name="history-ahead", group="history-ahead", thread=True, exit_on_error=False
        )

    def read(self, today: date, parse_at_most: int | None = None) -> HistoryFacts:
        """The journal's facts (in a thread worker); kept for the next F2 too."""
        # Without practice runs (--speed), demos and tests: `history --practice` lists them.
        overview = self.journal.overview(TABLE_ROWS, parse_at_most=parse_at_most)
        facts = history_facts(overview.sessions, overview.latest, overview.problems, today)
        self.app.call_from_thread(setattr, self, "kept", KeptRead(overview, facts, today))
        return facts

    def open(self, today: date, closed: Callable[[None], None] | None = None) -> None:
        """Push the history screen: filled in at once from a read still fresh, else painted
        at once and filled in when a thread has read the journal. `closed` is called once it
        has been closed."""
        facts = self.fresh(today)
        if facts is not None:
            self.app.push_screen(HistoryScreen(today, facts), closed)
            return
        app = self.app

        def still_reading() -> None:
            tell(app, "Reading your journal; the first time after an update can take a while.")

        slow = app.set_timer(SLOW_LOAD_SECONDS, still_reading)
        screen = HistoryScreen(today)
        app.push_screen(screen, closed)

        def load() -> None:
            try:
                facts = self.read(today)
            except OSError as error:
                app.call_from_thread(slow.stop)
                app.call_from_thread(screen.dismiss)
                app.call_from_thread(tell, app, f"Could not read the journal: {error}")
                return
            app.call_from_thread(slow.stop)
            screen.post_message(HistoryScreen.Loaded(facts))

        app.run_worker(load, name="history", group="history", thread=True, exclusive=True)
