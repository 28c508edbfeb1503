"""The routine cache: used when files are unchanged, never trusted over a changed file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from helpers import write

from selfcare_tui.routines import cache as cache_module
from selfcare_tui.routines.cache import RoutineCache
from selfcare_tui.routines.library import discover

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
    return tmp_path / "lib"


def refuse_to_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object) -> None:
        raise AssertionError("parsed again although unchanged")

    monkeypatch.setattr(cache_module, "load_routine", fail)


def test_unchanged_files_come_from_the_cache(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_file = tmp_path / "cache.json"
    first = discover([folder], cache=RoutineCache(cache_file))
    assert stat.S_IMODE(cache_file.stat().st_mode) == 0o600
    refuse_to_parse(monkeypatch)
    second = discover([folder], cache=RoutineCache(cache_file))
    assert second.find("calm").routine == first.find("calm").routine
    assert str(second.find("broken").error) == str(first.find("broken").error)


def test_a_changed_file_is_read_again(folder: Path, tmp_path: Path) -> None:
    cache_file = tmp_path / "cache.json"
    discover([folder], cache=RoutineCache(cache_file))
    path = folder / "calm.toml"
    path.write_text(ROUTINE.format(title="Calmer"), encoding="utf-8")
    os.utime(path, ns=(1, 1))  # even with an old timestamp: the size differs
    library = discover([folder], cache=RoutineCache(cache_file))
    assert library.find("calm").routine.title == "Calmer"


@pytest.mark.parametrize("content", ["not json", '{"format": "old", "rows": {}}', "[]", ""])
def test_a_broken_or_old_cache_is_ignored(folder: Path, tmp_path: Path, content: str) -> None:
    cache_file = tmp_path / "cache.json"
    cache_file.write_text(content, encoding="utf-8")
    library = discover([folder], cache=RoutineCache(cache_file))
    assert library.find("calm").routine.title == "Calm"
    assert '"format"' in cache_file.read_text(encoding="utf-8")


def test_an_unwritable_cache_is_only_skipped(folder: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    library = discover([folder], cache=RoutineCache(blocker / "cache.json"))
    assert library.find("calm").routine.title == "Calm"
