"""The journal's index: what each entry file holds, ready to use, so reading the journal parses
only files that are new or changed.

A private SQLite database beside the entries (`.index.sqlite3`, see `private_db`), one row per
`*.toml` file, valid while the file's size, modification and change times are unchanged. The
files are checked against their rows whenever the folder has changed (a file added, removed or
renamed: a session saved, most editors' saves); while it has not, a read looks at no file (see
`folder_stamp`), so an entry edited in place, as nano saves, is seen at the next session saved.
A row holds:
- the entry as named fields (`row`, JSON) and its list of steps, stored once for all the entries
  that logged the same steps (`steps`), so each distinct list is built once;
- the entry as `history --json` lists it (`listing`, ASCII JSON as bytes, its steps apart), so
  the command writes rows out without building entries, or even decoding them;
- the entry's `SessionFacts` (`facts`, packed numbers), all the history screen's counts and
  trends need, so it builds only the few entries it lists;
- or, for a file that cannot be read, the one-line reason (`problem`).
Each row, its facts and each list of steps carry CRC-32s of what they hold, checked as they are
read: a row damaged on disk is read from its file again rather than shown.

`Journal.save` and `update` add their entry's row at once, so normal use never meets a cold
read. It is only a cache: a missing, damaged or unwritable index, or a row that does not decode,
means the file is read again (the TOML files stay the only record; delete the index at will).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from selfcare_tui import file_cache as cached
from selfcare_tui.file_cache import ROW_ERRORS, Signature, signature
from selfcare_tui.private_db import open_private_db

if TYPE_CHECKING:
    from selfcare_tui.journal.model import SessionEntry, SessionFacts
    from selfcare_tui.journal.rows import Row

INDEX_NAME = ".index.sqlite3"
INDEX_FORMAT = "journal-entries-11"
"""The stamp of the rows; an index written with another stamp is made afresh."""
SCHEMA = """
CREATE TABLE steps (
    id INTEGER PRIMARY KEY, row TEXT UNIQUE, listing BLOB,
    row_check INTEGER, listing_check INTEGER  -- CRC-32s of the row and of the listing
);
CREATE TABLE entries (
    name TEXT PRIMARY KEY,
    size INTEGER, mtime_ns INTEGER, ctime_ns INTEGER,
    started_us INTEGER,  -- the start, in microseconds since 1970 UTC: the order of entries
    local_date TEXT,     -- the start's date where it began: what --since matches
    practice INTEGER,
    row TEXT, steps_id INTEGER, listing BLOB,
    row_check INTEGER,     -- CRC-32 of the row with its steps' check
    listing_check INTEGER, -- CRC-32 of the listing, from its steps' check
    facts BLOB,            -- the entry's SessionFacts, packed, with their CRC-32 (rows.FACTS)
    problem TEXT           -- why the file cannot be read; the other fields are then NULL
);
CREATE INDEX entries_by_start ON entries (started_us, name);
CREATE INDEX entries_with_problems ON entries (name) WHERE problem IS NOT NULL;
CREATE TABLE folder (
    stamp TEXT,        -- the folder as it was when every file was last checked (folder_stamp)
    checked_ns INTEGER -- when that was, on the system clock
)
"""
PAGE_SIZE = 16384
"""Larger than SQLite's 4 KiB: rows are read thousands at a time, and each page costs a read
of the file (10,000 listings read a third faster)."""


ReadEntry = Callable[[Path], "SessionEntry"]


FULL_CHECK_NS = 600 * 1_000_000_000
"""However settled the folder, every file is checked at least this often (ten minutes): a file
edited in place, or a folder whose times do not follow its files (some network and FUSE file
systems), is then seen within that time at most."""
SETTLED_NS = 2_000_000_000
"""A folder changed less than this long ago may change again within the same tick of the file
system's clock, its times unchanged: only a settled folder's times stand for its files."""

ENTRY_ROWS = (
    "SELECT e.name, e.row, e.row_check, s.row, s.row_check, e.steps_id FROM entries e "
    "LEFT JOIN steps s ON s.id = e.steps_id WHERE e.problem IS NULL"
)
"""An entry's row and its steps, checked and built by `_built`."""
WRITE_EVERY = 200
"""Rows written per transaction while files are read into the index."""


class Listed(NamedTuple):
    name: str
    entry: SessionEntry


class _Problem(NamedTuple):
    """A file that cannot be read, ready to write: its row holds only why."""

    name: str
    found: Signature | None
    problem: str


class JournalIndex:
    """The index of the journal folder `folder`, brought up to date by `sync`."""

    def __init__(
        self,
        folder: Path,
        read_entry: ReadEntry,
        *,
        in_memory: bool = False,
        parse_at_most: int | None = None,
    ) -> None:
        self.folder = folder
        self._read_entry = read_entry
        self._in_memory = in_memory
        self._database: sqlite3.Connection | None = None
        self._repairs: list[tuple[Path, SessionEntry]] = []
        self._parse_at_most = parse_at_most
        """Files this index may parse in all, new, changed or read again for a damaged row;
        one more raises `TooManyToParse` (None: no limit)."""
        self._parsed = 0

    def __enter__(self) -> JournalIndex:
        if not self._in_memory:
            with contextlib.suppress(sqlite3.Error, OSError):
                self._database = open_private_db(
                    self.folder / INDEX_NAME, INDEX_FORMAT, SCHEMA, page_size=PAGE_SIZE
                )
                # The rollback journal is emptied at each commit, not deleted: deleting it
                # would change the folder, and with it the stamp that lets a read skip the
                # files. Emptied, and with freed pages zeroed, neither it nor the index keeps
                # a copy of an entry that is gone (health data).
                self._database.execute("PRAGMA journal_mode = TRUNCATE")
                self._database.execute("PRAGMA secure_delete = ON")
        if self._database is None:
            self._use_memory()
        return self

    def _use_memory(self) -> None:
        """No index file (it cannot be written, or is busy): one in memory, for this read."""
        if self._database is not None:
            self._database.close()
        self._database = sqlite3.connect(":memory:", isolation_level=None)
        self._database.executescript(SCHEMA)

    def __exit__(self, *exc_info: object) -> None:
        if self._database is not None:
            self._database.close()

    @property
    def database(self) -> sqlite3.Connection:
        assert self._database is not None, "use the index in a with block"
        return self._database

    # -- bringing the index up to date ---------------------------------------------------------

    def sync(self, names: list[str]) -> None:
        """Read the files among `names` (the folder's entry files) that are new or changed, and
        forget the rows of files that are gone; if more are new or changed than this index may
        parse, raise `TooManyToParse` before any row is written.

        An index SQLite finds damaged is removed (the next read makes it afresh), and one that
        is busy too long is left alone: either way this read goes on with an index in memory.
        """
        try:
            self._sync(names)
        except sqlite3.OperationalError:
            self._use_memory()
            self._sync(names)
        except sqlite3.DatabaseError:
            discard(self.folder)
            self._use_memory()
            self._sync(names)

    def _sync(self, names: list[str]) -> None:
        rows = self.database.execute("SELECT name, size, mtime_ns, ctime_ns FROM entries")
        known: dict[str, tuple[int, int, int]] = {row[0]: row[1:] for row in rows}
        changed = []
        for name, found in _signatures(self.folder, names):
            if found is None or known.pop(name, None) != found:
                changed.append((name, found))
        if self._parse_at_most is not None and len(changed) > self._parse_at_most - self._parsed:
            raise TooManyToParse(self._parse_at_most)
        if known:
            with self._transaction():
                self.database.executemany(
                    "DELETE FROM entries WHERE name = ?", ((name,) for name in known)
                )
        # Files are parsed outside any transaction, and their rows written a batch at a time,
        # so another instance of the app never waits long for the index.
        for start in range(0, len(changed), WRITE_EVERY):
            batch = [
                self._read_row(name, found) for name, found in changed[start : start + WRITE_EVERY]
            ]
            with self._transaction():
                for row in batch:
                    self._write(row)

    def is_current(self, stamp: str | None, now_ns: int) -> bool:
        """Whether every file was checked, less than FULL_CHECK_NS ago, when the folder was
        last as `stamp` says."""
        if stamp is None:
            return False
        try:
            found = self.database.execute("SELECT stamp, checked_ns FROM folder").fetchone()
        except sqlite3.Error:  # busy or damaged: the sync says which, and copes
            return False
        if found is None or found[0] != stamp or type(found[1]) is not int:
            return False
        return 0 <= now_ns - found[1] < FULL_CHECK_NS

    def last_check(self) -> tuple[str | None, int]:
        """The folder's stamp when every file was last checked, and when (None, 0: unknown)."""
        try:
            found = self.database.execute("SELECT stamp, checked_ns FROM folder").fetchone()
        except sqlite3.Error:
            return None, 0
        if found is None or type(found[0]) is not str or type(found[1]) is not int:
            return None, 0
        return found[0], found[1]

    def checked(self, stamp: str | None, now_ns: int) -> None:
        """Every file has just been checked, the folder as `stamp` says (None: too fresh)."""
        with contextlib.suppress(sqlite3.Error), self._transaction():
            self.database.execute("DELETE FROM folder")
            if stamp is not None:
                self.database.execute("INSERT INTO folder VALUES (?, ?)", (stamp, now_ns))

    def add(self, path: Path, entry: SessionEntry) -> None:
        """The row of an entry just written to `path` (nothing if the index cannot be written)."""
        from selfcare_tui.journal.rows import Row

        with contextlib.suppress(sqlite3.Error), self._transaction():
            self._write(Row.of(path.name, signature(path), entry))

    def _read_row(self, name: str, found: Signature | None) -> Row | _Problem:
        from selfcare_tui.journal.codec import EntryError
        from selfcare_tui.journal.rows import Row

        try:
            entry = self._parse(name)
        except EntryError as error:
            return _Problem(name, found, str(error))
        return Row.of(name, found, entry)

    def _parse(self, name: str) -> SessionEntry:
        if self._parse_at_most is not None and self._parsed >= self._parse_at_most:
            raise TooManyToParse(self._parse_at_most)
        self._parsed += 1
        return self._read_entry(self.folder / name)

    def _write(self, row: Row | _Problem) -> None:
        if isinstance(row, _Problem):
            name, found, problem = row
            self.database.execute(
                "INSERT OR REPLACE INTO entries (name, size, mtime_ns, ctime_ns, problem) "
                "VALUES (?, ?, ?, ?, ?)",
                (name, *(found or (None, None, None)), problem),
            )
            return
        steps_check, steps_listing_check = _check(row.steps), zlib.crc32(row.steps_listing)
        self.database.execute(
            # The same list again, or written afresh over a damaged copy.
            "INSERT INTO steps (row, listing, row_check, listing_check) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (row) DO UPDATE SET listing = excluded.listing, "
            "row_check = excluded.row_check, listing_check = excluded.listing_check",
            (row.steps, row.steps_listing, steps_check, steps_listing_check),
        )
        (steps_id,) = self.database.execute(
            "SELECT id FROM steps WHERE row = ?", (row.steps,)
        ).fetchone()
        self.database.execute(
            "INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
            (
                row.name, *(row.found or (None, None, None)), row.started_us, row.local_date,
                row.practice, row.row, steps_id, row.listing,
                _row_check(row.row, steps_check),
                _listing_check(row.listing, steps_listing_check), row.facts,
            ),
        )  # fmt: skip

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        self.database.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.database.execute("ROLLBACK")
            raise
        self.database.execute("COMMIT")

    # -- reading -------------------------------------------------------------------------------

    def problems(self) -> list[tuple[str, str]]:
        """(file name, reason) of each file that cannot be read, by name."""
        return list(
            self.database.execute(
                "SELECT name, problem FROM entries WHERE problem IS NOT NULL ORDER BY name"
            )
        )

    def entries(self, since: date | None = None, practice: bool = True) -> Iterator[Listed]:
        """The entries (started on or after `since` where they began), oldest first."""
        try:
            yield from self._built(self._selected(ENTRY_ROWS, since, practice))
        finally:
            self._repair()

    def latest(self, count: int, practice: bool = True) -> list[Listed]:
        """The `count` latest entries, oldest first. Practice runs are left out by what each
        entry says, not by the `practice` column, which no check covers."""
        cursor = self.database.execute(ENTRY_ROWS + " ORDER BY e.started_us DESC, e.name DESC")
        found: list[Listed] = []
        try:
            while len(found) < count and (batch := cursor.fetchmany(count - len(found))):
                found += [
                    listed for listed in self._built(batch) if practice or not listed.entry.practice
                ]
        finally:
            cursor.close()
            self._repair()
        return found[::-1]

    def _built(self, rows: Iterable[Any]) -> Iterator[Listed]:
        """The entry of each row; a row that does not decode is read from its file again."""
        from selfcare_tui.journal.codec import EntryError
        from selfcare_tui.journal.rows import RowReader

        reader = RowReader()
        for name, row, check, steps, steps_check, steps_id in rows:
            try:
                if check != _row_check(row, steps_check) or steps_check != _check(steps):
                    raise cached.BadRow("check")
                yield Listed(name, reader.entry(cached.parse_row(row), steps, steps_id))
            except ROW_ERRORS:
                with contextlib.suppress(EntryError):  # changed since the sync: next time
                    yield Listed(name, self._read_again(name))

    def listings(self, since: date | None = None, practice: bool = True) -> Iterator[list[bytes]]:
        """The entries as lines of `history --json` (ASCII, no comma), oldest first, a batch of
        lines at a time."""
        query = (
            "SELECT name, listing, listing_check, steps_id FROM entries e WHERE e.problem IS NULL"
        )
        rows = self._selected(query, since, practice)
        steps = _ListedSteps(self.database)
        try:
            while batch := rows.fetchmany(500):
                steps.fetch({row[3] for row in batch})
                yield self._lines(batch, steps)
        finally:
            self._repair()

    def _lines(self, batch: list[Any], steps: _ListedSteps) -> list[bytes]:
        """The lines of `batch`'s rows, their listings checked printable all at once (each list
        of steps was when fetched); if one is not, or a row does not check out, each row is
        checked alone, and one that fails is read from its file."""
        checked = [
            (listing, listed)
            for _, listing, check, steps_id in batch
            if (listed := steps.get(steps_id)) is not None
            and type(listing) is bytes
            and check == _listing_check(listing, listed.check)
        ]
        if len(checked) == len(batch) and _printable(b"".join(entry for entry, _ in checked)):
            return [listing[:-1] + listed.tail for listing, listed in checked]
        return [line for row in batch if (line := self._line(row, steps)) is not None]

    def _line(self, row: Any, steps: _ListedSteps) -> bytes | None:
        name, listing, check, steps_id = row
        listed = steps.get(steps_id)
        if (
            listed is None
            or not _printable(listing)
            or check != _listing_check(listing, listed.check)
        ):
            return self._listing_again(name)
        line: bytes = listing[:-1] + listed.tail
        return line

    def facts(self) -> Iterator[SessionFacts]:
        """Every entry's SessionFacts, oldest first (practice runs too: their facts say so)."""
        from selfcare_tui.journal.codec import EntryError
        from selfcare_tui.journal.rows import unpacked_facts

        query = "SELECT name, facts FROM entries e WHERE e.problem IS NULL"
        days: dict[int, date] = {}
        try:
            for name, packed in self._selected(query, None, practice=True):
                try:
                    yield unpacked_facts(packed, days)
                except ROW_ERRORS:
                    with contextlib.suppress(EntryError):  # changed since the sync: next time
                        yield self._read_again(name).facts
        finally:
            self._repair()

    def _selected(self, query: str, since: date | None, practice: bool) -> sqlite3.Cursor:
        arguments: list[object] = []
        if since is not None:
            query += " AND e.local_date >= ?"
            arguments.append(since.isoformat())
        if not practice:
            query += " AND NOT e.practice"
        return self.database.execute(query + " ORDER BY e.started_us, e.name", arguments)

    def _listing_again(self, name: str) -> bytes | None:
        """The listing of a row that did not check out, from its file; None if the file cannot
        be read now (changed since the sync: the next read reports it)."""
        import json

        from selfcare_tui.journal.codec import EntryError
        from selfcare_tui.journal.listing import entry_json

        try:
            return json.dumps(entry_json(self._read_again(name), name)).encode("ascii")
        except EntryError:
            return None

    def _read_again(self, name: str) -> SessionEntry:
        """A row that did not decode: the entry from its file; its row is written afresh once
        the rows under way are read (`_repair`), never while they are."""
        entry = self._parse(name)
        self._repairs.append((self.folder / name, entry))
        return entry

    def _repair(self) -> None:
        for path, entry in self._repairs:
            self.add(path, entry)
        self._repairs.clear()


def _check(text: object) -> int | None:
    return zlib.crc32(text.encode("utf-8", "surrogatepass")) if type(text) is str else None


def _row_check(row: object, steps_check: object) -> int | None:
    return _check(f"{row}|{steps_check}")


def _listing_check(listing: bytes, steps_check: int) -> int:
    """A listing's check, tied to its steps'. Like a row's, it leaves out the columns a read
    selects by (`local_date`, `practice`): at worst a damaged one lists an entry it should not."""
    return zlib.crc32(listing, steps_check)


_NOT_PRINTABLE = bytes(range(32)) + bytes(range(127, 256))


def _printable(listing: object) -> bool:
    """A listing is printable ASCII JSON: anything else in one means the row is damaged."""
    return type(listing) is bytes and len(listing.translate(None, _NOT_PRINTABLE)) == len(listing)


class _StepsListing(NamedTuple):
    tail: bytes
    """What ends an entry's line: `, "steps": [...]}`."""
    check: int


class _ListedSteps:
    """The listings of the lists of steps, fetched for a batch of entries at a time, and each
    checked once for all the entries that share it."""

    KEPT = 1000
    """Lists kept at once: a journal whose lists all differ still reads in flat memory."""

    def __init__(self, database: sqlite3.Connection) -> None:
        self._database = database
        self._checked: dict[object, _StepsListing | None] = {}

    def fetch(self, wanted: set[object]) -> None:
        """Have the lists `wanted` at hand (as many as a batch of entries names)."""
        missing = [steps_id for steps_id in wanted if steps_id not in self._checked]
        if not missing:
            return
        if len(self._checked) + len(missing) > self.KEPT:
            self._checked = {k: v for k, v in self._checked.items() if k in wanted}
        found = {
            steps_id: _steps_listing(listing, check)
            for steps_id, listing, check in self._database.execute(
                "SELECT id, listing, listing_check FROM steps "
                f"WHERE id IN ({', '.join('?' * len(missing))})",
                missing,
            )
        }
        self._checked.update((steps_id, found.get(steps_id)) for steps_id in missing)

    def get(self, steps_id: object) -> _StepsListing | None:
        """The listing of list `steps_id` (fetched); None if there is no such list, or it is
        damaged."""
        return self._checked.get(steps_id)


def _steps_listing(listing: object, check: object) -> _StepsListing | None:
    if type(listing) is not bytes or type(check) is not int or not _printable(listing):
        return None
    if check != zlib.crc32(listing):
        return None
    return _StepsListing(b', "steps": ' + listing + b"}", check)


class TooManyToParse(Exception):
    """A read was asked to parse at most so many files, and more are new, changed or damaged in
    the index."""

    def __init__(self, at_most: int) -> None:
        super().__init__(f"more than {at_most} journal files to read")


def folder_stamp(info: os.stat_result, now_ns: int) -> str | None:
    """What tells the folder described by `info` from itself after a file was added, removed or
    renamed in it; None while it is too fresh to tell (see SETTLED_NS)."""
    if now_ns - info.st_mtime_ns < SETTLED_NS:
        return None
    return f"{info.st_dev}:{info.st_ino}:{info.st_mtime_ns}"


def _signatures(folder: Path, names: list[str]) -> Iterator[tuple[str, Signature | None]]:
    """Each file's signature (None if it cannot be stat'ed), the folder opened once."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        yield from ((name, signature(folder / name)) for name in names)
        return
    try:
        for name in names:
            try:
                info = os.stat(name, dir_fd=descriptor)
            except (OSError, ValueError):
                yield name, None
            else:
                yield name, Signature(info.st_size, info.st_mtime_ns, info.st_ctime_ns)
    finally:
        os.close(descriptor)


def discard(folder: Path) -> None:
    """Remove the index of `folder` and its rollback journal (made afresh at the next read)."""
    for name in (INDEX_NAME, f"{INDEX_NAME}-journal"):
        with contextlib.suppress(OSError):
            os.unlink(folder / name)


def remove_old_cache(folder: Path) -> None:
    """The JSON cache earlier versions kept beside the entries (ours, never an entry)."""
    with contextlib.suppress(OSError):
        os.unlink(folder / ".cache-v1.json")
