"""The journal at 10,000 and 100,000 sessions (issue 13): `history --json` warm and cold, its
memory, and the history screen.

    python bench/history_bench.py [--large 100000]

(compile first: python -m compileall -q selfcare_tui)

The sessions are journal_bench's, written straight as TOML files (as Journal.save writes them,
without the index, which a first read builds). Every command is a subprocess with its own
XDG_DATA_HOME, output to /dev/null; medians of 3.
1. `history --json`, 10,000 sessions, warm (index built, folder settled: medians of 7), against
   an empty journal (target: at most 150 ms); cold (no index) against a subprocess that parses
   the same files with tomllib; and the first read after a session is saved, which checks each
   file's stat once (the folder changed).
2. `history --json`, 100,000 sessions, warm: time and peak RSS (target: at most 2 s, 150 MB).
3. The history screen: `selfcare --mute` in a 100x30 pseudo-terminal (app_bench.Terminal), F2
   pressed on the routines list, timed until it is filled in (its table's caption); 10,000
   sessions warm, against 10 sessions, alternating, medians of 5 (target: filled in at most
   150 ms). Twice: F2 pressed 4 s after the list shows, once the app has read the journal
   ahead (at 3 s): the screen is filled in its first paint; and F2 pressed at 1.5 s, before
   that: the screen first shows "Reading your journal" (timed too), then fills in.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import tomli_w
from app_bench import CTRL_Q, Terminal
from journal_bench import session
from list_bench import run
from reference import describe, reference_seconds

from selfcare_tui.app.app import AppParts
from selfcare_tui.journal.codec import entry_to_document
from selfcare_tui.journal.index import INDEX_NAME, SETTLED_NS
from selfcare_tui.journal.store import Journal

PARSE_ONLY = (
    "import sys, tomllib, pathlib\n"
    "for path in sorted(pathlib.Path(sys.argv[1]).glob('*.toml')):\n"
    "    tomllib.loads(path.read_text(encoding='utf-8'))\n"
)


def write_sessions(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True)
    rng = random.Random(5)
    for n in range(count):
        entry = session(n, rng)
        stem = entry.started_at.astimezone(tz=None).strftime("%Y-%m-%dT%H-%M-%SZ")
        data = tomli_w.dumps(entry_to_document(entry)).encode("utf-8")
        (folder / f"{stem}-{n:05x}.toml").write_bytes(data)
    return folder


F2 = b"\x1bOQ"
READ_AHEAD_AFTER = AppParts.read_ahead_after or 0.0


def history_screen(data: Path, home: Path, settle: float) -> tuple[float, float]:
    """Seconds from F2, pressed `settle` s after the routines list shows, to the history screen
    shown, and filled in (the same when it is filled in its first paint)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("TEXTUAL")}
    env |= {"TERM": "xterm-256color", "XDG_DATA_HOME": str(data)}
    env |= {f"XDG_{name}_HOME": str(home / name) for name in ("CONFIG", "CACHE", "STATE")}
    terminal = Terminal([sys.executable, "-m", "selfcare_tui", "--mute"], env)
    terminal.wait_for("Choose a routine")
    terminal.drain(settle)  # the first frame and the speech engine are done with
    terminal.started = time.perf_counter()  # wait_for counts from here
    mark = len(terminal.output)
    terminal.press(F2)
    read_ahead = settle > READ_AHEAD_AFTER
    shown = None if read_ahead else terminal.wait_for("Reading your journal")
    filled = terminal.wait_for("newest first")
    assert read_ahead != ("Reading your journal" in terminal.text(mark)), "read ahead or not?"
    terminal.drain(0.3)
    terminal.press(CTRL_Q)
    terminal.finish()
    return filled if shown is None else shown, filled


def wait_until_settled(folder: Path) -> None:
    """Wait until the folder's last change is SETTLED_NS old: until then a read cannot trust the
    folder's times, and checks every file's stat (journal.index)."""
    age = time.time_ns() - folder.stat().st_mtime_ns
    time.sleep(max(0, SETTLED_NS - age) / 1e9 + 0.05)


def history(data: Path) -> tuple[list[str], dict[str, str]]:
    env = os.environ | {"XDG_DATA_HOME": str(data)}
    return [sys.executable, "-m", "selfcare_tui", "history", "--json"], env


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--large", type=int, default=100_000)
    large = parser.parse_args().large
    print(describe(reference_seconds()))
    with tempfile.TemporaryDirectory() as temp:
        home = Path(temp)
        empty = home / "empty"
        (empty / "selfcare" / "journal").mkdir(parents=True)
        ten = write_sessions(home / "ten" / "selfcare" / "journal", 10_000)
        cold, parse = [], []
        for _ in range(3):
            (ten / INDEX_NAME).unlink(missing_ok=True)
            cold.append(run(*history(home / "ten"))[0])
            parse.append(run([sys.executable, "-c", PARSE_ONLY, str(ten)], os.environ.copy())[0])
        # The cold reads made the index afresh, a change to the folder: the first read after
        # a change checks every file's stat once (timed below, after a session saved).
        wait_until_settled(ten)
        run(*history(home / "ten"))
        warm, none = [], []
        for _ in range(7):
            warm.append(run(*history(home / "ten"))[0])
            none.append(run(*history(empty))[0])
        w, n = statistics.median(warm), statistics.median(none)
        c, p = statistics.median(cold), statistics.median(parse)
        print(f"history --json, 10,000 sessions, warm: {w * 1000:.0f} ms; empty journal "
              f"{n * 1000:.0f} ms ({w / n:.2f}x; target: at most 150 ms)")  # fmt: skip
        print(f"history --json, 10,000 sessions, cold: {c * 1000:.0f} ms; tomllib parse of the "
              f"same files {p * 1000:.0f} ms ({c / p:.2f}x)")  # fmt: skip
        after_save = []
        rng = random.Random(7)
        for number in range(3):
            Journal(ten).save(session(10_000 + number, rng))
            wait_until_settled(ten)
            after_save.append(run(*history(home / "ten"))[0])
        print(f"history --json, 10,000 sessions, the first read after a session is saved (each "
              f"file's stat checked): {statistics.median(after_save) * 1000:.0f} ms")  # fmt: skip

        small = Journal(home / "small" / "selfcare" / "journal")
        rng = random.Random(6)
        for number in range(10):
            small.save(session(number, rng))
        for settle, when in ((4.0, "after the read ahead"), (1.5, "before the read ahead")):
            screens: dict[str, list[tuple[float, float]]] = {"ten": [], "small": []}
            for _ in range(5):
                for name in screens:
                    screens[name].append(history_screen(home / name, home, settle))
            (ten_shown, ten_filled), (small_shown, small_filled) = (
                (statistics.median(s for s, _ in runs), statistics.median(f for _, f in runs))
                for runs in screens.values()
            )
            ratio = ten_filled / small_filled
            print(f"history screen (F2) {when}, 10,000 sessions, warm: shown "
                  f"{ten_shown * 1000:.0f} ms, filled in {ten_filled * 1000:.0f} ms; 10 sessions: "
                  f"shown {small_shown * 1000:.0f} ms, filled in {small_filled * 1000:.0f} ms "
                  f"({ratio:.2f}x; target: filled in at most 150 ms)")  # fmt: skip
        shutil.rmtree(home / "ten")

        write_sessions(home / "large" / "selfcare" / "journal", large)
        first, first_mb = run(*history(home / "large"))
        again = [run(*history(home / "large")) for _ in range(3)]
        seconds = statistics.median(s for s, _ in again)
        peak = max(mb for _, mb in again)
        print(f"history --json, {large:,} sessions: cold {first:.1f} s ({first_mb:.0f} MB); "
              f"warm {seconds:.2f} s, peak RSS {peak:.0f} MB "
              "(target: at most 2 s, 150 MB)")  # fmt: skip


if __name__ == "__main__":
    main()
