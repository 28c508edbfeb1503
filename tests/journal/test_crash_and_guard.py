"""Processes cut off mid-save (SIGKILL) or mid-session (SIGINT, SIGTERM, SIGHUP)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from helpers import REPO_ROOT

from selfcare_tui.journal.guard import SessionGuard, save_on_exit
from selfcare_tui.journal.model import Ending
from selfcare_tui.journal.store import Journal

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")

SAVE_LOOP = """
import sys
from pathlib import Path
sys.path.insert(0, {tests!r})
from conftest import build_entry
from selfcare_tui.journal.store import Journal

journal = Journal(Path({folder!r}))
big = "x" * 30_000
print("ready", flush=True)
n = 0
while True:
    n += 1
    journal.save(build_entry(note=f"{{n}} " + big))
"""

SESSION = """
import signal, sys, time
signal.signal(signal.SIGINT, signal.default_int_handler)  # even if pytest started with it ignored
from pathlib import Path
sys.path.insert(0, {tests!r})
from conftest import build_entry
from selfcare_tui.journal.guard import SessionGuard, save_on_exit
from selfcare_tui.journal.store import Journal
from selfcare_tui.routines.loader import load_routine
from selfcare_tui.session.clock import MonotonicClock
from selfcare_tui.session.player import RoutinePlayer
from selfcare_tui.journal.model import Ending, Reflection, SessionEntry
from selfcare_tui.session.script import step_logs
from datetime import datetime

routine = load_routine(Path({routine!r}))
player = RoutinePlayer(routine, MonotonicClock(speed=20))
started = datetime.now().astimezone()

def build(ending):
    player.quit()
    return SessionEntry(
        routine.id, routine.title, routine.format_version, started,
        datetime.now().astimezone(), ending, step_logs(player), Reflection(pain_before=5),
    )

with save_on_exit(SessionGuard(build, Journal(Path({folder!r})))) as guard:
    player.start()
    print("ready", flush=True)
    while not player.is_over:
        player.tick()
        time.sleep(0.01)
    guard.save_once(Ending.COMPLETED)
"""


def child(script: str, folder: Path) -> subprocess.Popen[str]:
    code = textwrap.dedent(script).format(
        tests=str(Path(__file__).parent),
        folder=str(folder),
        routine=str(REPO_ROOT / "tests" / "data" / "example-routine.toml"),
    )
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready"
    return process


def test_sigkill_during_saves_leaves_only_whole_files(tmp_path: Path) -> None:
    folder = tmp_path / "journal"
    rng = random.Random(5)
    for _ in range(4):
        process = child(SAVE_LOOP, folder)
        time.sleep(rng.uniform(0.02, 0.25))
        process.kill()
        process.wait()
        assert process.returncode == -signal.SIGKILL
    names = os.listdir(folder)
    entries = [name for name in names if name.endswith(".toml") and not name.startswith(".")]
    assert entries, "no save finished: make the kills later"
    history = Journal(folder).load_all()  # no cache yet: every file is parsed
    assert history.problems == []
    assert len(history.entries) == len(entries)  # leftover .tmp files are not entries
    assert all(len(entry.reflection.note) > 30_000 for entry in history.entries)
    assert all(name.startswith(".") for name in set(names) - set(entries))


@pytest.mark.parametrize(
    ("signum", "returncode"),
    [
        (signal.SIGINT, None),  # KeyboardInterrupt, not caught: Python's own exit
        (signal.SIGTERM, 128 + signal.SIGTERM),
        (signal.SIGHUP, 128 + signal.SIGHUP),
    ],
)
def test_a_signal_during_a_session_saves_an_interrupted_entry(
    tmp_path: Path, signum: int, returncode: int | None
) -> None:
    folder = tmp_path / "journal"
    process = child(SESSION, folder)
    time.sleep(0.3)
    process.send_signal(signum)
    process.wait(timeout=20)
    if returncode is not None:
        assert process.returncode == returncode
    else:
        assert process.returncode != 0
    history = Journal(folder).load_all()
    assert history.problems == []
    [entry] = history.entries
    assert entry.ending is Ending.INTERRUPTED
    assert entry.reflection.pain_before == 5
    assert entry.routine_id == "example-routine"
    assert any(step.outcome == "partial" for step in entry.steps)


def test_a_completed_session_is_saved_once(tmp_path: Path, make_entry) -> None:
    journal = Journal(tmp_path)
    calls = []

    def build(ending: Ending):
        calls.append(ending)
        return make_entry(ending=ending)

    with save_on_exit(SessionGuard(build, journal)) as guard:
        assert guard.save_once(Ending.COMPLETED) is not None
        assert guard.save_once(Ending.QUIT) is None
    assert calls == [Ending.COMPLETED]
    assert [e.ending for e in journal.load_all().entries] == [Ending.COMPLETED]


def test_keyboard_interrupt_saves_then_goes_on(tmp_path: Path, make_entry) -> None:
    journal = Journal(tmp_path)
    with (
        pytest.raises(KeyboardInterrupt),
        save_on_exit(SessionGuard(lambda ending: make_entry(ending=ending), journal)),
    ):
        raise KeyboardInterrupt
    assert [e.ending for e in journal.load_all().entries] == [Ending.INTERRUPTED]


def test_a_normal_exit_without_a_save_saves_nothing(tmp_path: Path, make_entry) -> None:
    with save_on_exit(SessionGuard(lambda ending: make_entry(ending=ending), Journal(tmp_path))):
        pass
    assert not tmp_path.exists() or not list(tmp_path.glob("*.toml"))


def test_handlers_are_restored_and_only_installed_in_the_main_thread(
    tmp_path: Path, make_entry
) -> None:
    def mine(signum, frame) -> None:
        pass

    previous = signal.signal(signal.SIGTERM, mine)
    try:
        with save_on_exit(
            SessionGuard(lambda ending: make_entry(ending=ending), Journal(tmp_path))
        ):
            assert signal.getsignal(signal.SIGTERM) is not mine
        assert signal.getsignal(signal.SIGTERM) is mine

        seen = []

        def in_thread() -> None:
            with save_on_exit(
                SessionGuard(lambda ending: make_entry(ending=ending), Journal(tmp_path))
            ):
                seen.append(signal.getsignal(signal.SIGTERM))

        thread = threading.Thread(target=in_thread)
        thread.start()
        thread.join()
        assert seen == [mine]
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_a_failing_save_does_not_hide_the_interrupt(tmp_path: Path, make_entry, capsys) -> None:
    def build(ending: Ending):
        raise OSError("disk full")

    with pytest.raises(KeyboardInterrupt), save_on_exit(SessionGuard(build, Journal(tmp_path))):
        raise KeyboardInterrupt
    assert "could not save the interrupted session: disk full" in capsys.readouterr().err
