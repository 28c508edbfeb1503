"""The routine index: used when files are unchanged, never trusted over a changed file."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import write

from selfcare_tui import locations
from selfcare_tui.routines import cache as cache_module
from selfcare_tui.routines import loader, workers
from selfcare_tui.routines import rows as rows_module
from selfcare_tui.routines.cache import RoutineCache
from selfcare_tui.routines.library import Library, discover

ROUTINE = """
format = 1
title = "{title}"
[[steps]]
title = "Breathe"
kind = "breathing"
seconds = 30
text = "Breathe."
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    write(tmp_path / "lib" / "calm.toml", ROUTINE.format(title="Calm"))
    write(tmp_path / "lib" / "broken.toml", "format = 1\n")
    # Sides, cues, cautions, repetitions: every field of a step has something in it.
    shutil.copy(
        locations.bundled_routines_dir() / "desk-break.toml", tmp_path / "lib" / "desk.toml"
    )
    return tmp_path / "lib"


def refuse_to_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object) -> None:
        raise AssertionError("parsed again although unchanged")

    monkeypatch.setattr(loader, "load_routine", fail)


def test_unchanged_files_come_from_the_cache(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_file = tmp_path / "cache.sqlite3"
    first = discover([folder], cache=RoutineCache(cache_file))
    assert stat.S_IMODE(cache_file.stat().st_mode) == 0o600
    refuse_to_parse(monkeypatch)
    second = discover([folder], cache=RoutineCache(cache_file))
    assert second.find("calm").routine == first.find("calm").routine
    assert str(second.find("broken").error) == str(first.find("broken").error)


def test_a_changed_file_is_read_again(folder: Path, tmp_path: Path) -> None:
    cache_file = tmp_path / "cache.sqlite3"
    discover([folder], cache=RoutineCache(cache_file))
    path = folder / "calm.toml"
    path.write_text(ROUTINE.format(title="Calmer"), encoding="utf-8")
    os.utime(path, ns=(1, 1))  # even with an old timestamp: the size differs
    library = discover([folder], cache=RoutineCache(cache_file))
    assert library.find("calm").routine.title == "Calmer"


def rows_in(cache_file: Path) -> int:
    with sqlite3.connect(cache_file) as database:
        return int(database.execute("SELECT count(*) FROM routines").fetchone()[0])


@pytest.mark.parametrize("content", ["not json", '{"format": "old", "rows": {}}', "[]", ""])
def test_a_broken_or_old_cache_is_ignored(folder: Path, tmp_path: Path, content: str) -> None:
    cache_file = tmp_path / "cache.sqlite3"
    cache_file.write_text(content, encoding="utf-8")
    library = discover([folder], cache=RoutineCache(cache_file))
    assert library.find("calm").routine.title == "Calm"
    assert rows_in(cache_file) == len(library.entries)


def test_listing_reads_no_steps(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_file = tmp_path / "cache.sqlite3"
    first = discover([folder], cache=RoutineCache(cache_file))
    desk = first.find("desk").routine
    opened: list[Path] = []
    decode = rows_module.decode_routine
    monkeypatch.setattr(
        rows_module,
        "decode_routine",
        lambda row, path, source: opened.append(path) or decode(row, path, source),
    )
    refuse_to_parse(monkeypatch)
    second = discover([folder], cache=RoutineCache(cache_file))
    assert [e.card for e in second.entries] == [e.card for e in first.entries]
    assert opened == []
    assert second.find("desk").routine == desk
    assert opened == [folder / "desk.toml"]


def test_a_file_broken_after_listing_says_why_when_opened(folder: Path, tmp_path: Path) -> None:
    library = discover([folder], cache=RoutineCache(tmp_path / "cache.sqlite3"))
    (folder / "calm.toml").write_text("format = 1\n", encoding="utf-8")
    entry = library.find("calm")
    assert entry.ok and entry.error is None  # as listed
    assert entry.routine is None
    assert entry.error is not None and "title" in str(entry.error)


def test_a_file_changed_after_listing_is_opened_as_it_is_now(folder: Path, tmp_path: Path) -> None:
    library = discover([folder], cache=RoutineCache(tmp_path / "cache.sqlite3"))
    (folder / "calm.toml").write_text(ROUTINE.format(title="Calmer"), encoding="utf-8")
    assert library.find("calm").routine.title == "Calmer"


def test_rows_of_files_that_are_gone_are_forgotten(folder: Path, tmp_path: Path) -> None:
    cache_file = tmp_path / "cache.sqlite3"
    library = discover([folder], cache=RoutineCache(cache_file))
    (folder / "calm.toml").unlink()
    discover([folder], cache=RoutineCache(cache_file))
    assert rows_in(cache_file) == len(library.entries) - 1


def test_an_unwritable_cache_is_only_skipped(folder: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    library = discover([folder], cache=RoutineCache(blocker / "cache.sqlite3"))
    assert library.find("calm").routine.title == "Calm"


def test_the_cache_is_private_whatever_the_umask(folder: Path, tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        discover([folder], cache=RoutineCache(tmp_path / "new" / "cache.sqlite3"))
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new" / "cache.sqlite3").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o700


def test_a_file_restored_with_its_old_size_and_mtime_is_read_again(
    folder: Path, tmp_path: Path
) -> None:
    cache_file = tmp_path / "cache.sqlite3"
    discover([folder], cache=RoutineCache(cache_file))
    path = folder / "calm.toml"
    before = path.stat()
    path.write_text(ROUTINE.format(title="Mild"), encoding="utf-8")  # same size as "Calm"
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # as `cp -p` would
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert discover([folder], cache=RoutineCache(cache_file)).find("calm").routine.title == "Mild"


def outcome(library: Library) -> list[tuple[Any, ...]]:
    """Everything a command can see of a library, for comparing two loads."""
    return [
        (e.id, e.path, e.source, e.routine, e.overrides, e.error and str(e.error))
        for e in library.entries
    ]


def rewrite_rows(cache_file: Path, change: Callable[[dict[str, Any]], object]) -> None:
    """Apply `change` to every cached row, seen as {"routine": ...} or {"problems": ...}, and
    write it back: a routine to its column, anything else to the card's."""
    with sqlite3.connect(cache_file) as database:
        for path, card, routine in database.execute("SELECT path, card, routine FROM routines"):
            row = json.loads(card) if routine is None else {"routine": json.loads(routine)}
            changed = change(row)
            row = row if changed is None else changed
            if type(row) is dict and set(row) == {"routine"}:
                update = ("routine", json.dumps(row["routine"]))
            else:
                update = ("card", json.dumps(row))
            database.execute(
                f"UPDATE routines SET {update[0]} = ? WHERE path = ?", (update[1], path)
            )


CARD_DAMAGE: dict[str, Callable[[dict[str, Any]], object]] = {
    "title a number": lambda card: card.update(title=5),
    "seconds as text": lambda card: card.update(total_seconds="30"),
    "muscles a string": lambda card: card.update(muscles="hamstrings"),
    "missing id": lambda card: card.pop("id", None),
    "not an object": lambda card: [card],
}


@pytest.mark.parametrize("damage", CARD_DAMAGE.values(), ids=CARD_DAMAGE.keys())
def test_damaged_cards_give_the_same_library_as_no_cache(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: Any
) -> None:
    expected = outcome(discover([folder], cache=RoutineCache(None)))
    cache_file = tmp_path / "cache.sqlite3"
    discover([folder], cache=RoutineCache(cache_file))
    with sqlite3.connect(cache_file) as database:
        for path, card in database.execute("SELECT path, card FROM routines").fetchall():
            row = json.loads(card)
            changed = damage(row)
            damaged = json.dumps(row if changed is None else changed)
            database.execute("UPDATE routines SET card = ? WHERE path = ?", (damaged, path))
    assert outcome(discover([folder], cache=RoutineCache(cache_file))) == expected
    refuse_to_parse(monkeypatch)
    assert outcome(discover([folder], cache=RoutineCache(cache_file))) == expected


def first_step(row: dict[str, Any]) -> dict[str, Any]:
    return row["routine"]["steps"][0] if "routine" in row else {}


def old_positional(row: dict[str, Any]) -> dict[str, Any]:
    """The row as the previous cache format had it: steps, cues and problems as arrays."""
    if "problems" in row:
        return {"problems": [list(problem.values()) for problem in row["problems"]]}
    routine = row["routine"]
    for step in routine["steps"]:
        step["cues"] = [list(cue.values()) for cue in step["cues"]]
    routine["steps"] = [list(step.values()) for step in routine["steps"]]
    return row


ROW_DAMAGE: dict[str, Callable[[dict[str, Any]], object]] = {
    "title a number": lambda row: row.get("routine", {}).update(title=5),
    "steps not a list": lambda row: row.get("routine", {}).update(steps={"0": {}}),
    "seconds as text": lambda row: first_step(row).update(seconds="30"),
    "seconds a bool": lambda row: first_step(row).update(seconds=True),
    "unknown kind": lambda row: first_step(row).update(kind="dance"),
    "side not text": lambda row: first_step(row).update(side=["left"]),
    "muscles a string": lambda row: first_step(row).update(muscles="hamstrings"),
    "a cue as an array": lambda row: first_step(row).update(cues=[[5, "Breathe"]]),
    "cautions holding null": lambda row: first_step(row).update(cautions=[None]),
    "missing speech": lambda row: first_step(row).pop("speech", None),
    "missing summary": lambda row: row.get("routine", {}).pop("summary", None),
    "neither routine nor problems": lambda row: {"other": 1},
    "problems empty": lambda row: row.update(problems=[]) if "problems" in row else None,
    "problem line as text": lambda row: [p.update(line="1") for p in row.get("problems", [])],
    "problem without message": lambda row: [p.pop("message") for p in row.get("problems", [])],
    "a row from the older format": old_positional,
    "not an object": lambda row: ["routine", row],
    "not JSON": lambda row: {"routine": float("nan")},
}


@pytest.mark.parametrize("damage", ROW_DAMAGE.values(), ids=ROW_DAMAGE.keys())
def test_damaged_rows_give_the_same_library_as_no_cache(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: Any
) -> None:
    expected = outcome(discover([folder], cache=RoutineCache(None)))
    cache_file = tmp_path / "cache.sqlite3"
    discover([folder], cache=RoutineCache(cache_file))
    rewrite_rows(cache_file, damage)
    assert outcome(discover([folder], cache=RoutineCache(cache_file))) == expected
    # The damaged rows were replaced when opened: the next load needs no parsing at all.
    refuse_to_parse(monkeypatch)
    assert outcome(discover([folder], cache=RoutineCache(cache_file))) == expected


def test_a_truncated_cache_gives_the_same_library_as_no_cache(folder: Path, tmp_path: Path) -> None:
    expected = outcome(discover([folder], cache=RoutineCache(None)))
    cache_file = tmp_path / "cache.sqlite3"
    discover([folder], cache=RoutineCache(cache_file))
    data = cache_file.read_bytes()
    for cut in (1, len(data) // 3, len(data) // 2, len(data) - 1):
        cache_file.write_bytes(data[:cut])
        assert outcome(discover([folder], cache=RoutineCache(cache_file))) == expected


def test_a_cache_of_the_previous_format_is_ignored(folder: Path, tmp_path: Path) -> None:
    expected = outcome(discover([folder], cache=RoutineCache(None)))
    cache_file = tmp_path / "cache.sqlite3"
    key = os.path.abspath(folder / "calm.toml")
    info = (folder / "calm.toml").stat()
    signature = [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev]
    routine = {"id": "calm", "title": "Stale", "summary": "", "format_version": 1,
               "muscles": [], "steps": []}  # fmt: skip
    old = {
        "format": "routines-2/0.1.0",
        "rows": {key: {"signature": signature, "routine": routine}},
    }
    cache_file.write_text(json.dumps(old), encoding="utf-8")
    assert outcome(discover([folder], cache=RoutineCache(cache_file))) == expected


def test_a_large_first_load_is_read_on_every_core_and_gives_the_same_library(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(folder / "warned.toml", ROUTINE.format(title="Warned") + "sources = [9]\n")
    expected = outcome(discover([folder], cache=RoutineCache(None)))
    monkeypatch.setattr(cache_module, "PARALLEL_FROM", 2)
    monkeypatch.setattr(workers, "worker_count", lambda: 2)
    refuse_to_parse(monkeypatch)  # here: the worker processes have their own loader
    cache_file = tmp_path / "cache.sqlite3"
    assert outcome(discover([folder], cache=RoutineCache(cache_file))) == expected

    def no_workers(*args: object) -> None:
        raise AssertionError("workers started for a warm load")

    monkeypatch.setattr(workers, "read_in_workers", no_workers)
    assert outcome(discover([folder], cache=RoutineCache(cache_file))) == expected


def test_workers_that_die_leave_the_reading_to_the_caller(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = outcome(discover([folder], cache=RoutineCache(None)))
    monkeypatch.setattr(cache_module, "PARALLEL_FROM", 2)
    monkeypatch.setattr(workers, "worker_count", lambda: 2)
    monkeypatch.setattr(workers, "FILES_PER_TASK", 1)
    # Forked, so the workers have this module, and read as this test says.
    monkeypatch.setattr(workers, "_context", lambda: multiprocessing.get_context("fork"))
    monkeypatch.setattr(rows_module, "read_row", die_on_calm)
    cache_file = tmp_path / "cache.sqlite3"
    assert outcome(discover([folder], cache=RoutineCache(cache_file))) == expected


READ_ROW = rows_module.read_row


def die_on_calm(file: tuple[Path, Any]) -> Any:
    """A worker killed as it reads calm.toml (out of memory, say)."""
    if file[0].name == "calm.toml":
        os._exit(9)
    return READ_ROW(file)


def test_workers_that_cannot_start_leave_the_reading_to_the_caller(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def server_gone() -> None:
        raise EOFError("unexpected EOF")  # a fork server that exited at once

    expected = outcome(discover([folder], cache=RoutineCache(None)))
    monkeypatch.setattr(cache_module, "PARALLEL_FROM", 2)
    monkeypatch.setattr(workers, "worker_count", lambda: 2)
    monkeypatch.setattr(workers, "_context", server_gone)
    assert outcome(discover([folder], cache=RoutineCache(tmp_path / "cache.sqlite3"))) == expected


def test_workers_follow_the_cores_this_process_may_use(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    assert workers.worker_count() == 2
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(64)), raising=False)
    assert workers.worker_count() == workers.MAX_WORKERS
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert workers.worker_count() == 0  # a frozen build: sys.executable is the app itself


def test_workers_never_import_from_the_folder_they_are_started_in(tmp_path: Path) -> None:
    """Run in a folder of shared routines, as `selfcare --routines . list` is: a module there
    named as one of the standard library's must not run."""
    shared = tmp_path / "shared"
    for number in range(cache_module.PARALLEL_FROM):
        write(shared / f"routine-{number:03d}.toml", ROUTINE.format(title=f"Shared {number}"))
    marker = tmp_path / "ran"
    for module in ("json", "struct", "socket", "selectors"):
        write(shared / f"{module}.py", f"open({str(marker)!r}, 'a').write('{module} ran')\n")
    selfcare = Path(sys.executable).with_name("selfcare")  # as installed: no folder on the path
    env = os.environ | {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("PYTHONSAFEPATH", None)
    listed = subprocess.run(
        [str(selfcare), "--routines", ".", "list", "--json"],
        cwd=shared, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)) >= cache_module.PARALLEL_FROM
    assert not marker.exists(), marker.read_text()
