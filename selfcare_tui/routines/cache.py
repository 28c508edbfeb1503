"""An index of routine files, so a large library lists fast after its first load.

A private SQLite database in the user's cache folder (`private_db`): one row per routine file,
keyed by the file's absolute path and valid while its size, modification and change times are
unchanged. A row holds the file's card (what a list shows: id, title, length, muscles) or the
problems that kept it from loading, and the whole routine. Listing reads the cards only; a
routine's steps are read when it is opened. Both are JSON objects with named fields.

It is only a cache: when it is missing, stale, damaged or unwritable, or a row does not decode,
routines are simply loaded from their TOML files. A first load of a large library (PARALLEL_FROM
files or more to read) parses the files on every core (`prepare`).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from selfcare_tui import __version__
from selfcare_tui import file_cache as cached
from selfcare_tui.file_cache import ROW_ERRORS, Signature, signature
from selfcare_tui.private_db import open_private_db
from selfcare_tui.routines.card import RoutineCard, Source
from selfcare_tui.routines.problems import Problem, RoutineError

if TYPE_CHECKING:
    # Rows of whole routines are read and written by `rows.py`, loaded when a routine is
    # opened or a file is read afresh: listing reads the cards only.
    from selfcare_tui.routines.model import Routine
    from selfcare_tui.routines.rows import Row

CACHE_FORMAT = f"routines-6/{__version__}"
"""The stamp of the rows: another version of selfcare may load routines differently."""
SCHEMA = """
CREATE TABLE routines (
    path BLOB PRIMARY KEY,
    size INTEGER, mtime_ns INTEGER, ctime_ns INTEGER,
    card TEXT,    -- JSON: the card, or {"problems": [...]} for a file that does not load
    routine TEXT  -- JSON: the whole routine; NULL for a file that does not load
)"""


WRITE_EVERY = 100
"""Rows read afresh are written this many at a time, so a large first load keeps memory flat."""
PARALLEL_FROM = 200
"""From this many files to read afresh, they are parsed in worker processes, one per core:
starting the workers (about 0.2 s) is then well repaid (a routine takes 1 to 4 ms to read)."""


class RoutineCache:
    """The index at `file` (None: no index, every file is parsed)."""

    def __init__(self, file: Path | None) -> None:
        self.file = file
        self._known: dict[bytes, tuple[Signature, str]] = {}
        self._seen: set[bytes] = set()
        self._new: dict[bytes, Row] = {}
        self._stat: dict[bytes, Signature | None] = {}
        with self._database() as database:
            if database is not None:
                self._known = self._read_cards(database)

    def _read_cards(self, database: sqlite3.Connection) -> dict[bytes, tuple[Signature, str]]:
        try:
            rows = database.execute("SELECT path, size, mtime_ns, ctime_ns, card FROM routines")
            return {row[0]: (Signature(*row[1:4]), row[4]) for row in rows}
        except sqlite3.OperationalError:  # busy, say: this time without
            return {}
        except sqlite3.DatabaseError:  # damaged: made afresh at the next write
            if self.file is not None:
                with contextlib.suppress(OSError):
                    os.unlink(self.file)
            return {}

    def prepare(self, files: Iterable[tuple[Path, Source]]) -> None:
        """Read afresh on every core the files the index lacks or has stale, when they are
        PARALLEL_FROM or more; the cards are then read from their rows as if warm. Below that,
        or if the workers fail, `card` reads each file as it comes."""
        files = list(files)
        if self.file is None or len(files) < PARALLEL_FROM:
            return
        from selfcare_tui.routines.rows import read_row
        from selfcare_tui.routines.workers import read_in_workers, worker_count

        workers = worker_count()
        stale = [(path, source) for path, source in files if not self._fresh(path)]
        if workers < 2 or len(stale) < PARALLEL_FROM:
            return
        for path, row in read_in_workers(stale, workers, read_row):
            key = _key(path)
            self._known[key] = (row.signature, row.card)
            self._new[key] = row
            if len(self._new) >= WRITE_EVERY:
                self._write()

    def _fresh(self, path: Path) -> bool:
        key = _key(path)
        found = self._stat[key] = signature(path)  # for `card` next, saving a second stat
        known = self._known.get(key)
        return known is not None and known[0] == found

    def card(self, path: Path, source: Source) -> RoutineCard:
        """What a list shows of the routine at `path` (RoutineError if it does not load)."""
        key = _key(path)
        self._seen.add(key)
        known = self._stat.pop(key) if key in self._stat else signature(path)
        cached_row = self._known.get(key)
        if known is not None and cached_row is not None and cached_row[0] == known:
            with contextlib.suppress(*ROW_ERRORS):
                found = _decode_card(cached.parse_row(cached_row[1]), path)
                if isinstance(found, RoutineError):
                    raise found
                return found
        return self._parse(path, source, key, known).card

    def load(self, path: Path, source: Source) -> Routine:
        """The routine at `path` with its steps, from the index when the file has not changed."""
        key = _key(path)
        known = signature(path)
        found = None
        with self._database() as database, contextlib.suppress(sqlite3.Error):
            if database is not None and known is not None:
                found = database.execute(
                    "SELECT routine FROM routines WHERE path = ? AND size = ? AND mtime_ns = ?"
                    " AND ctime_ns = ?",
                    (key, *known),
                ).fetchone()
        if found is not None and type(found[0]) is str:
            from selfcare_tui.routines.rows import decode_routine

            with contextlib.suppress(*ROW_ERRORS):
                return decode_routine(cached.parse_row(found[0]), path, source)
        try:
            return self._parse(path, source, key, known)
        finally:
            self._write()

    def save(self) -> None:
        """Write the rows read afresh, and forget files that are gone."""
        gone = [key for key in self._known.keys() - self._seen if not os.path.lexists(key)]
        self._write(gone)

    def _write(self, gone: Sequence[bytes] = ()) -> None:
        """Write the rows read afresh and forget the rows of `gone`, in one transaction."""
        if not self._new and not gone:
            return
        with self._database() as database, contextlib.suppress(sqlite3.Error):
            if database is not None:
                self._write_rows(database, gone)
        self._new.clear()  # written, or never will be: either way not kept in memory

    def _write_rows(self, database: sqlite3.Connection, gone: Sequence[bytes]) -> None:
        database.execute("BEGIN IMMEDIATE")
        database.executemany(
            "INSERT OR REPLACE INTO routines VALUES (?, ?, ?, ?, ?, ?)",
            ((key, *row.signature, row.card, row.routine) for key, row in self._new.items()),
        )
        database.executemany("DELETE FROM routines WHERE path = ?", ((key,) for key in gone))
        database.execute("COMMIT")
        for key, row in self._new.items():
            self._known[key] = (row.signature, row.card)
        for key in gone:
            self._known.pop(key, None)

    def _parse(self, path: Path, source: Source, key: bytes, known: Signature | None) -> Routine:
        """The routine read from its file; its row is written at the next save."""
        from selfcare_tui.routines.rows import load_file, row_of

        loaded = load_file(path, source)
        if known is not None and self.file is not None:
            self._new[key] = row_of(known, loaded)
            if len(self._new) >= WRITE_EVERY:
                self._write()
        if isinstance(loaded, RoutineError):
            raise loaded
        return loaded

    @contextlib.contextmanager
    def _database(self) -> Iterator[sqlite3.Connection | None]:
        """The index, or None when there is none or it cannot be used (then it is only slower)."""
        database = None
        if self.file is not None:
            with contextlib.suppress(sqlite3.Error, OSError):
                database = open_private_db(self.file, CACHE_FORMAT, SCHEMA)
        try:
            yield database
        finally:
            if database is not None:
                database.close()


# -- cards -----------------------------------------------------------------------------------------


def _key(path: Path) -> bytes:
    return os.fsencode(os.path.abspath(path))


def _decode_card(row: dict[str, Any], path: Path) -> RoutineCard | RoutineError:
    """The card, or the error, in a row; raises (BadRow, KeyError...) if the row is damaged."""
    if "problems" in row:
        problems = [_problem(fields, path) for fields in cached.objects(row, "problems")]
        if not problems:
            raise cached.BadRow("problems")
        return RoutineError(problems)
    return RoutineCard(
        id=cached.text(row, "id"),
        title=cached.text(row, "title"),
        total_seconds=cached.whole(row, "total_seconds"),
        muscles=tuple(cached.texts(row, "muscles")),
    )


def _problem(row: dict[str, Any], path: Path) -> Problem:
    return Problem(
        path,
        message=cached.text(row, "message"),
        key=cached.optional_text(row, "key"),
        line=cached.optional_whole(row, "line"),
        column=cached.optional_whole(row, "column"),
    )
