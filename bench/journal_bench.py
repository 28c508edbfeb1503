"""Journal at scale (issue 5): 10,000 sessions, `history --json`, `export`, and one save.

    python bench/journal_bench.py [--sessions 10000]

Writes the sessions with Journal.save into a temporary XDG_DATA_HOME, then times the commands
as a user runs them (a new process, wall time, output to /dev/null): the first run after the
sessions were written (no cache yet: every TOML file is parsed) and later runs (median of 3).
Also times one Journal.save with 10 and with 10,000 files in the folder (median of 30), and the
app's history screen (F2 until the screen and its loading are done, in a headless Textual app,
median of 3) with the sessions in memory (the target the tests used to assert: under 1 s) and
read from the journal on disk, against the same screen with 10 sessions. Every figure is also
printed as a ratio to the reference loop (bench/reference.py) measured in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from reference import describe, ratio, reference_seconds  # noqa: E402

from selfcare_tui.app.app import AppParts, SelfCareApp  # noqa: E402
from selfcare_tui.app.screens.history import HistoryScreen  # noqa: E402
from selfcare_tui.journal.model import (  # noqa: E402
    Ending,
    Overall,
    Reflection,
    SessionEntry,
    StepLog,
)
from selfcare_tui.journal.store import Journal  # noqa: E402
from selfcare_tui.routines.library import discover  # noqa: E402
from selfcare_tui.testing import FakeClock, MemoryJournal, RecordingSpeaker  # noqa: E402

ROUTINE = [
    ("Settle and breathe", "none", 30),
    ("Standing side bend", "left", 90),
    ("Standing side bend", "right", 90),
    ("Child's pose with side reach", "left", 90),
    ("Child's pose with side reach", "right", 90),
    ("Figure-four", "left", 45),
    ("Figure-four", "right", 45),
    ("Ball against a wall", "left", 30),
    ("Ball against a wall", "right", 30),
]


def session(n: int, rng: random.Random) -> SessionEntry:
    start = datetime(2016, 1, 1, 7, 30, tzinfo=ZoneInfo("Europe/London")) + timedelta(
        days=n * 0.365, minutes=rng.randint(0, 600)
    )
    ending = rng.choices(list(Ending), weights=(90, 7, 3))[0]
    steps = []
    for index, (title, side, seconds) in enumerate(ROUTINE):
        outcome, spent = "done", float(seconds)
        if ending is not Ending.COMPLETED and index >= 6:
            outcome, spent = ("partial", round(rng.uniform(0, seconds), 1)) if index == 6 else (
                "not_reached", 0.0)  # fmt: skip
        steps.append(StepLog(index, title, side, outcome, seconds, spent))
    before = rng.randint(2, 8)
    reflection = Reflection(
        pain_before=before,
        pain_after=max(0, before - rng.randint(-1, 3)),
        overall=rng.choice(list(Overall)),
        easier_steps=[1],
        harder_steps=[5] if rng.random() < 0.2 else [],
        sharp_pain=(sharp := rng.random() < 0.01),
        sharp_pain_steps=[7] if sharp else [],
        note=rng.choice(["", "", "Left side tighter today.", "Slept badly; went gently."]),
    )
    end = start + timedelta(seconds=sum(step.seconds_spent for step in steps) + 60)
    return SessionEntry("ql-glute-basics", "QL and gluteus medius basics", 1, start, end, ending,
                        steps, reflection)  # fmt: skip


def timed_command(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "selfcare_tui", *args],
        env=env, stdout=subprocess.DEVNULL, check=True, cwd=REPO,
    )  # fmt: skip
    return time.perf_counter() - start


def median_save(journal: Journal, rng: random.Random, count: int = 30) -> float:
    times = []
    for n in range(count):
        entry = session(20_000 + n, rng)
        start = time.perf_counter()
        journal.save(entry)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


async def _open_history(journal: Journal | MemoryJournal, no_routines: Path) -> float:
    parts = AppParts(discover([], user_dir=no_routines), RecordingSpeaker(), FakeClock, journal)
    app = SelfCareApp(parts)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        start = time.perf_counter()
        await pilot.press("f2")
        await app.workers.wait_for_complete()
        await pilot.pause()
        elapsed = time.perf_counter() - start
        if not isinstance(app.screen, HistoryScreen):
            raise RuntimeError(f"F2 showed {app.screen!r}, not the history")
    return elapsed


def history_screen(journal: Journal | MemoryJournal, no_routines: Path) -> float:
    """F2 on the picker until the history screen is up, median of 3."""
    return statistics.median(asyncio.run(_open_history(journal, no_routines)) for _ in range(3))


def in_memory(entries: list[SessionEntry]) -> MemoryJournal:
    journal = MemoryJournal()
    journal.entries.extend(entries)
    return journal


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=10_000)
    sessions = parser.parse_args().sessions
    rng = random.Random(5)
    reference = reference_seconds()
    with tempfile.TemporaryDirectory() as temp:
        no_routines = Path(temp) / "no-user-routines"
        small = Journal(Path(temp) / "small")
        for n in range(10):
            small.save(session(n, rng))
        save_small = median_save(small, rng)
        screen_small = history_screen(small, no_routines)
        screen_memory = history_screen(
            in_memory([session(n, rng) for n in range(sessions)]), no_routines
        )

        data = Path(temp) / "data"
        journal = Journal(data / "selfcare" / "journal")
        start = time.perf_counter()
        for n in range(sessions):
            journal.save(session(n, rng))
        write_all = time.perf_counter() - start
        env = {**os.environ, "XDG_DATA_HOME": str(data), "PYTHONPATH": str(REPO)}

        cold = timed_command(["history", "--json"], env)
        history = statistics.median(timed_command(["history", "--json"], env) for _ in range(3))
        export = statistics.median(timed_command(["export"], env) for _ in range(3))
        since = statistics.median(
            timed_command(["export", "--since", "2025-01-01"], env) for _ in range(3)
        )
        save_large = median_save(journal, rng)
        after_save = timed_command(["history", "--json"], env)
        startup = statistics.median(timed_command(["--version"], env) for _ in range(3))
        screen_disk = history_screen(journal, no_routines)  # the cache is warm by now

    def row(label: str, seconds: float, target: str = "") -> None:
        figure = f"{seconds:.2f} s" if seconds >= 0.1 else f"{seconds * 1000:.2f} ms"
        print(f"{label:<52} {figure:>9}  ({ratio(seconds, reference)}){target}")

    each = write_all / sessions * 1000
    print(f"sessions: {sessions} (written in {write_all:.1f} s, {each:.2f} ms each); "
          f"machine: {os.cpu_count()} cores")  # fmt: skip
    print(describe(reference))
    row("selfcare --version (start-up only)", startup)
    row("selfcare history --json, first run (no cache)", cold)
    row("selfcare history --json", history, "  target < 1 s")
    row("selfcare history --json after one new save", after_save)
    row("selfcare export", export)
    row("selfcare export --since 2025-01-01", since)
    row("Journal.save, 10 files in the folder", save_small)
    row(f"Journal.save, {sessions} files in the folder", save_large)
    row("history screen (F2), 10 sessions on disk", screen_small)
    row(f"history screen (F2), {sessions} sessions in memory", screen_memory, "  target < 1 s")
    row(f"history screen (F2), {sessions} sessions on disk", screen_disk)
    print(f"history screen, {sessions} sessions in memory / 10 sessions: "
          f"{screen_memory / screen_small:.1f}x")  # fmt: skip


if __name__ == "__main__":
    main()
