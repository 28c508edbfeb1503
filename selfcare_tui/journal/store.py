"""The journal folder: one TOML file per session, written atomically, never rewritten.

- `Journal.save` writes `<start in UTC>-<random>.toml` (e.g. `2026-11-25T21-04-05Z-3f9a.toml`)
  through a hidden temporary file in the same folder: write, flush, fsync, hard-link to the final
  name (which never replaces an existing file), fsync the folder. A crash or SIGKILL at any moment
  leaves either no entry or the whole entry; at worst a hidden `.*.tmp` file, which is never read
  as an entry. Its cost does not depend on how many files the folder holds (no listing).
- Files are created 0600, folders 0700; an existing journal folder open to group or others is
  tightened to 0700, never loosened.
- `Journal.load_all` reads every `*.toml` file. A file it cannot read (bad TOML, empty, not a
  journal entry, from a newer format) goes into `problems` with its path and a one-line reason,
  and is left exactly as it is: the journal never deletes or writes over a file.
- Reading 10,000 TOML files takes seconds, so the journal keeps an index beside them
  (`journal.index`, `.index.sqlite3`): what each file holds, valid while its stat is unchanged,
  the files checked only when the folder has changed. `save` and `update` add their entry to
  it, so only files changed by hand are ever parsed again. The TOML files stay the only record:
  delete the index at will.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from selfcare_tui import locations
from selfcare_tui.journal.index import (
    FULL_CHECK_NS,
    JournalIndex,
    discard,
    folder_stamp,
    remove_old_cache,
)
from selfcare_tui.private_db import is_busy
from selfcare_tui.private_files import (
    clean_stale_temps,
    fsync_folder,
    make_private_folder,
    read_regular_file,
    replace_private,
    write_temp,
)

# TOML, the codec and the model load in the functions that use them: a read that only lists
# (`history --json`), and the app's start, need none of them.
if TYPE_CHECKING:
    from selfcare_tui.journal.model import JournalHistory, JournalOverview, SessionEntry

FOLDER_MODE = 0o700
Read = TypeVar("Read")
_NAME = r"^(\d{4})-(\d\d)-(\d\d)T\d\d-\d\d-\d\dZ-[0-9a-f]+\.toml$"  # compiled on first use
_MAX_ATTEMPTS = 20


class Journal:
    def __init__(
        self, folder: Path | None = None, *, now_ns: Callable[[], int] = time.time_ns
    ) -> None:
        self.folder = Path(folder) if folder is not None else locations.journal_dir()
        self._now_ns = now_ns
        """The system clock, to which the folder's times are compared (tests pass their own)."""

    # -- writing -----------------------------------------------------------------------------

    def save(self, entry: SessionEntry) -> Path:
        """Write `entry` as a new file and return its path; older files are never touched."""
        import tomli_w

        from selfcare_tui.journal.codec import entry_to_document

        document = entry_to_document(entry)
        data = tomli_w.dumps(document).encode("utf-8")
        self._make_folder()
        stem = entry.started_at.astimezone(UTC).strftime("%Y-%m-%dT%H-%M-%SZ")
        temp = write_temp(self.folder, stem, data)
        try:
            final = self._link_new_name(temp, stem)
        finally:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
        fsync_folder(self.folder)
        self._index(final, document)
        return final

    def _index(self, path: Path, document: dict[str, Any]) -> None:
        """Add the entry just written to the index, as a read of its file would give it, so no
        read has to parse the file."""
        from selfcare_tui.journal.codec import EntryError, entry_from_document

        try:
            entry = entry_from_document(document)
        except EntryError:
            return  # the next read reports the file
        with JournalIndex(self.folder, _read_entry) as index:
            index.add(path, entry)

    def update(self, path: Path, entry: SessionEntry) -> Path:
        """Replace the entry in `path` (a file `save` wrote) atomically: a session begun is
        completed in the same file, so a crash at any moment leaves exactly one entry."""
        if path.parent != self.folder or not re.match(_NAME, path.name):
            raise ValueError(f"{path} is not an entry of this journal")
        import tomli_w

        from selfcare_tui.journal.codec import entry_to_document

        self._make_folder()
        document = entry_to_document(entry)
        replace_private(path, tomli_w.dumps(document).encode("utf-8"))
        fsync_folder(self.folder)
        self._index(path, document)
        return path

    def _make_folder(self) -> None:
        # 0700 whatever the umask; a link to another user's folder is refused, and a link's
        # target is never chmod'ed.
        make_private_folder(self.folder)

    def _link_new_name(self, temp: Path, stem: str) -> Path:
        """Give the written file its final name without ever replacing another file."""
        for _ in range(_MAX_ATTEMPTS):
            final = self.folder / f"{stem}-{os.urandom(2).hex()}.toml"
            try:
                os.link(temp, final)
            except FileExistsError:
                continue
            except OSError:
                # A file system without hard links: rename, after checking the name is free.
                if final.exists():
                    continue
                os.replace(temp, final)
            return final
        raise FileExistsError(f"no free file name for {stem} in {self.folder}")

    # -- reading -----------------------------------------------------------------------------

    def recent(self, since: date) -> list[tuple[SessionEntry, Path]]:
        """The entries started on or after `since`, oldest first, with their files."""
        history = self.load_all(since)
        return list(zip(history.entries, history.paths, strict=True))

    def load_all(self, since: date | None = None) -> JournalHistory:
        """Every entry (started on or after `since`, in its local date), and the problems."""
        return self._read(lambda in_memory: self._load_all(since, in_memory))

    def overview(self, latest: int, *, parse_at_most: int | None = None) -> JournalOverview:
        """Every session's facts and the `latest` sessions: thousands of sessions are read in
        milliseconds, as only the latest are built.

        `parse_at_most`: raise `TooManyToParse` rather than parse more files than that (a read
        nobody asked for yet never parses a whole journal whose index was lost)."""
        return self._read(lambda in_memory: self._overview(latest, in_memory, parse_at_most))

    def unchanged_since(self, overview: JournalOverview) -> bool:
        """Whether reading now would give `overview` again: no file added, removed or renamed
        since, and less than ten minutes after every file was last checked (as the index trusts
        its own check, `reading`)."""
        now = self._now_ns()
        if overview.stamp is None or not 0 <= now - overview.checked_ns < FULL_CHECK_NS:
            return False
        try:
            return folder_stamp(os.stat(self.folder), now) == overview.stamp
        except OSError:
            return False

    def _read(self, read: Callable[[bool], Read]) -> Read:
        """`read(in_memory=False)`; if the index is busy, or damaged where the sync did not
        look, `read(in_memory=True)` (a damaged index is removed first)."""
        try:
            return read(False)
        except sqlite3.DatabaseError as error:
            if not is_busy(error):
                discard(self.folder)
            return read(True)

    def _overview(self, latest: int, in_memory: bool, parse_at_most: int | None) -> JournalOverview:
        from selfcare_tui.journal.model import JournalOverview

        overview = JournalOverview()
        with self.reading(in_memory, parse_at_most) as index:
            if index is None:
                return overview
            overview.stamp, overview.checked_ns = index.last_check()
            overview.problems = [(self.folder / name, why) for name, why in index.problems()]
            overview.sessions = [facts for facts in index.facts() if not facts.practice]
            overview.latest = [entry for _, entry in index.latest(latest, practice=False)]
        return overview

    def _load_all(self, since: date | None, in_memory: bool) -> JournalHistory:
        from selfcare_tui.journal.model import JournalHistory

        history = JournalHistory(self.folder)
        with self.reading(in_memory) as index:
            if index is None:
                return history
            history.problems = [(self.folder / name, why) for name, why in index.problems()]
            for name, entry in index.entries(since):
                history.entries.append(entry)
                history.names.append(name)
        return history

    @contextlib.contextmanager
    def reading(
        self, in_memory: bool = False, parse_at_most: int | None = None
    ) -> Iterator[JournalIndex | None]:
        """The index, up to date with the folder; None when there is no journal folder yet.

        Each file is checked against its row unless no file was added, removed or renamed since
        they all last were (the folder's times are unchanged), less than ten minutes ago. A file
        edited in place, as some editors save, is then read again once the folder changes (at
        the next session saved), or ten minutes after the last check at most.

        `parse_at_most`: the files the read may parse, new, changed or read again for a damaged
        row; one more raises `TooManyToParse` (see `JournalIndex`).
        """
        now = self._now_ns()
        try:
            stamp = folder_stamp(os.stat(self.folder), now)
        except FileNotFoundError:
            yield None
            return
        with JournalIndex(
            self.folder, _read_entry, in_memory=in_memory, parse_at_most=parse_at_most
        ) as index:
            if not index.is_current(stamp, now):
                names = sorted(os.listdir(self.folder))
                clean_stale_temps(self.folder, names=names)
                remove_old_cache(self.folder)
                index.sync([n for n in names if n.endswith(".toml") and not n.startswith(".")])
                index.checked(stamp, now)
            yield index


MAX_ENTRY_BYTES = 1 << 20
"""An entry is a few kilobytes; the cap keeps a crafted file from eating memory."""


def _read_entry(path: Path) -> SessionEntry:
    import tomli

    from selfcare_tui.journal.codec import EntryError, entry_from_document

    try:
        # A regular file of sane size only: a FIFO or a link to /dev/zero is an error, not a hang.
        raw = read_regular_file(path, MAX_ENTRY_BYTES)
    except IsADirectoryError:
        raise EntryError("a folder, not a journal file") from None
    except OSError as error:
        raise EntryError(f"cannot read: {error.strerror or error}") from None
    if not raw.strip():
        raise EntryError("empty file")
    try:
        document = tomli.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise EntryError("not UTF-8 text") from None
    except tomli.TOMLDecodeError as error:
        raise EntryError(f"not valid TOML: {error}") from None
    except RecursionError:
        raise EntryError("nested too deeply to be a journal entry") from None
    return entry_from_document(document)
