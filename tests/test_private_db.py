"""The private SQLite database the indexes keep: 0600, never through a link, made afresh when
it is from another version or damaged."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from selfcare_tui.private_db import open_private_db

SCHEMA = "CREATE TABLE rows (name TEXT)"


def rows(path: Path, stamp: str = "rows-1") -> list[str]:
    database = open_private_db(path, stamp, SCHEMA)
    try:
        return [name for (name,) in database.execute("SELECT name FROM rows")]
    finally:
        database.close()


def add(path: Path, name: str) -> None:
    database = open_private_db(path, "rows-1", SCHEMA)
    try:
        database.execute("INSERT INTO rows VALUES (?)", (name,))
    finally:
        database.close()


def test_a_new_database_is_private_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        add(tmp_path / "new" / "index.sqlite3", "a")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new" / "index.sqlite3").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o700
    assert rows(tmp_path / "new" / "index.sqlite3") == ["a"]


def test_an_open_database_is_tightened(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite3"
    add(path, "a")
    path.chmod(0o644)
    assert rows(path) == ["a"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_another_stamp_starts_afresh(tmp_path: Path) -> None:
    add(tmp_path / "index.sqlite3", "a")
    assert rows(tmp_path / "index.sqlite3", stamp="rows-2") == []


@pytest.mark.parametrize("content", [b"", b"not a database", b"SQLite format 3\x00" + b"\x01" * 90])
def test_a_file_that_is_no_database_of_ours_is_made_afresh(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "index.sqlite3"
    path.write_bytes(content)
    assert rows(path) == []


def test_a_link_is_never_followed(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.sqlite3"
    target.write_bytes(b"precious")
    (tmp_path / "index.sqlite3").symlink_to(target)
    with pytest.raises(OSError):
        rows(tmp_path / "index.sqlite3")
    assert target.read_bytes() == b"precious"


def test_a_folder_in_its_place_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "index.sqlite3").mkdir()
    with pytest.raises((OSError, sqlite3.Error)):
        rows(tmp_path / "index.sqlite3")


def test_a_database_another_instance_is_writing_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite3"
    add(path, "a")
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN EXCLUSIVE")  # as another instance mid-write
    try:
        with pytest.raises(sqlite3.OperationalError):
            rows(path)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert rows(path) == ["a"]  # still there: busy is not damaged
