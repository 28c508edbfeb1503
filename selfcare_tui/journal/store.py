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
- Reading 10,000 TOML files with tomllib takes seconds, so `load_all` keeps a cache beside them,
  `.cache-v1.json` (hidden, 0600, replaced atomically): one compact row per readable file, keyed
  by name, size, mtime and ctime. A file whose stat changed is read again; a missing, stale or
  broken cache is simply rebuilt. The TOML files stay the only record: delete the cache at will.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import stat
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import tomli_w

from selfcare_tui import locations
from selfcare_tui.journal.codec import EntryError, entry_from_document, entry_to_document
from selfcare_tui.journal.model import Ending, Overall, Reflection, SessionEntry, StepLog
from selfcare_tui.private_files import fsync_folder, replace_private, write_temp
from selfcare_tui.vocabulary import Side, StepOutcome

FOLDER_MODE = 0o700
_NAME = re.compile(r"^(\d{4})-(\d\d)-(\d\d)T\d\d-\d\d-\d\dZ-[0-9a-f]+\.toml$")
_MAX_ATTEMPTS = 20


@dataclass
class JournalHistory:
    """Everything readable in the journal folder, and what could not be read."""

    folder: Path
    entries: list[SessionEntry] = field(default_factory=list)
    """Sorted by start time (the instant, not the wall clock)."""
    names: list[str] = field(default_factory=list)
    """The file name of each entry, in the same order as `entries`."""
    problems: list[tuple[Path, str]] = field(default_factory=list)
    """(file, one-line reason) for each file that was left unread, sorted by name."""

    @property
    def paths(self) -> list[Path]:
        """The file of each entry, in the same order as `entries`."""
        return [self.folder / name for name in self.names]


class Journal:
    def __init__(self, folder: Path | None = None) -> None:
        self.folder = Path(folder) if folder is not None else locations.journal_dir()

    # -- writing -----------------------------------------------------------------------------

    def save(self, entry: SessionEntry) -> Path:
        """Write `entry` as a new file and return its path; older files are never touched."""
        data = tomli_w.dumps(entry_to_document(entry)).encode("utf-8")
        self._make_folder()
        stem = entry.started_at.astimezone(UTC).strftime("%Y-%m-%dT%H-%M-%SZ")
        temp = write_temp(self.folder, stem, data)
        try:
            final = self._link_new_name(temp, stem)
        finally:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
        fsync_folder(self.folder)
        return final

    def _make_folder(self) -> None:
        missing = []
        for folder in (self.folder, *self.folder.parents):
            if folder.exists():
                break
            missing.append(folder)
        for folder in reversed(missing):
            with contextlib.suppress(FileExistsError):
                folder.mkdir(mode=FOLDER_MODE)
            os.chmod(folder, FOLDER_MODE)  # mkdir's mode is filtered by the umask
        mode = stat.S_IMODE(self.folder.stat().st_mode)
        if mode & 0o077:
            os.chmod(self.folder, mode & ~0o077)

    def _link_new_name(self, temp: Path, stem: str) -> Path:
        """Give the written file its final name without ever replacing another file."""
        for _ in range(_MAX_ATTEMPTS):
            final = self.folder / f"{stem}-{secrets.token_hex(2)}.toml"
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

    def load_all(self, since: date | None = None) -> JournalHistory:
        """Every entry (started on or after `since`, in its local date), and the problems."""
        history = JournalHistory(self.folder)
        try:
            names = sorted(os.listdir(self.folder))
        except FileNotFoundError:
            return history
        # File names hold the UTC start; local dates are within a day of it either way.
        earliest = (since - timedelta(days=1)).isoformat() if since else ""
        folder = os.fspath(self.folder)
        cache = _Cache.read(os.path.join(folder, CACHE_NAME))
        loaded: list[tuple[SessionEntry, str]] = []
        for name in names:
            if name.startswith(".") or not name.endswith(".toml"):
                continue
            if earliest and name[:10] < earliest and _NAME.match(name):
                cache.keep(name)
                continue
            try:
                entry = cache.entry(name, os.path.join(folder, name))
            except EntryError as error:
                history.problems.append((self.folder / name, str(error)))
                continue
            if since is None or entry.started_at.date() >= since:
                loaded.append((entry, name))
        cache.write_if_changed(self.folder)
        loaded.sort(key=lambda pair: (pair[0].started_at.astimezone(UTC), pair[1]))
        history.entries = [entry for entry, _ in loaded]
        history.names = [name for _, name in loaded]
        return history


CACHE_NAME = ".cache-v1.json"
_CACHE_VERSION = 2
_ENDINGS = {ending.value: ending for ending in Ending}
_OVERALLS = {overall.value: overall for overall in Overall}

Plan = tuple[tuple[Any, ...], ...]
"""The steps of one entry as plain values: (index, title, side, outcome, planned, spent)."""


class _Cache:
    """Compact rows of entries already read, so a load parses only new or changed files.

    On disk: {"version", "plans": [[[index, title, side, outcome, planned, spent], ...], ...],
    "rows": [[name, size, mtime_ns, ctime_ns, <entry fields>, plan number], ...]}. Sessions of one
    routine usually log the same steps, so each distinct list of steps is stored (and built into
    StepLog objects) once.
    """

    def __init__(self, rows: dict[str, list[Any]], plans: list[Plan]) -> None:
        self.old = rows
        self.new: dict[str, list[Any]] = {}
        self.changed = False
        self._built: dict[Plan, list[StepLog]] = {}
        self._plans = plans

    @classmethod
    def read(cls, path: Path | str) -> _Cache:
        try:
            with open(path, "rb") as file:
                document = json.loads(file.read())
            if document.get("version") != _CACHE_VERSION:
                return cls({}, [])
            plans = [tuple(tuple(step) for step in plan) for plan in document["plans"]]
            rows = {row[0]: row for row in document["rows"]}
            for row in rows.values():
                row[-1] = plans[row[-1]]
            return cls(rows, plans)
        except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
            return cls({}, [])

    def keep(self, name: str) -> None:
        if name in self.old:
            self.new[name] = self.old[name]

    def entry(self, name: str, path: str) -> SessionEntry:
        try:
            info = os.stat(path)
        except OSError as error:
            raise EntryError(f"cannot read: {error.strerror or error}") from None
        # ctime too: an edit that restores size and mtime (cp -p) still changes it.
        key = [info.st_size, info.st_mtime_ns, info.st_ctime_ns]
        row = self.old.get(name)
        if row is not None and row[1:4] == key:
            try:
                entry = self._from_row(row)
            except (ValueError, TypeError, IndexError, KeyError):
                pass
            else:
                self.new[name] = row
                return entry
        entry = _read_entry(Path(path))
        self.new[name] = [name, *key, *_row(entry)]
        self.changed = True
        return entry

    def write_if_changed(self, folder: Path) -> None:
        if not self.changed and self.new.keys() == self.old.keys():
            return
        numbers: dict[Plan, int] = {}
        rows = []
        for row in self.new.values():
            number = numbers.setdefault(row[-1], len(numbers))
            rows.append([*row[:-1], number])
        document = {"version": _CACHE_VERSION, "plans": list(numbers), "rows": rows}
        data = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        with contextlib.suppress(OSError):  # a read-only journal still loads, just slower
            replace_private(folder / CACHE_NAME, data)

    def _from_row(self, row: list[Any]) -> SessionEntry:
        (_, _, _, _, routine_id, title, version, started, ended, ending,
         before, after, overall, easier, harder, sharp, sharp_steps, note, plan) = row  # fmt: skip
        steps = self._built.get(plan)
        if steps is None:
            steps = self._built[plan] = [
                StepLog(index, title, Side(side), StepOutcome(outcome), planned, spent)
                for index, title, side, outcome, planned, spent in plan
            ]
        return SessionEntry(
            routine_id, title, version,
            datetime.fromisoformat(started), datetime.fromisoformat(ended), _ENDINGS[ending],
            list(steps),
            Reflection(
                before, after, _OVERALLS[overall] if overall else None, list(easier),
                list(harder), sharp, list(sharp_steps), note,
            ),
        )  # fmt: skip


def _row(entry: SessionEntry) -> list[Any]:
    reflection = entry.reflection
    plan = tuple(
        (s.index, s.title, s.side, s.outcome, s.seconds_planned, s.seconds_spent)
        for s in entry.steps
    )
    return [
        entry.routine_id, entry.routine_title, entry.format_version,
        entry.started_at.isoformat(), entry.ended_at.isoformat(), entry.ending.value,
        reflection.pain_before, reflection.pain_after,
        reflection.overall.value if reflection.overall else None,
        reflection.easier_steps, reflection.harder_steps, reflection.sharp_pain,
        reflection.sharp_pain_steps, reflection.note, plan,
    ]  # fmt: skip


def _read_entry(path: Path) -> SessionEntry:
    try:
        with open(path, "rb") as file:
            raw = file.read()
    except IsADirectoryError:
        raise EntryError("a folder, not a journal file") from None
    except OSError as error:
        raise EntryError(f"cannot read: {error.strerror or error}") from None
    if not raw.strip():
        raise EntryError("empty file")
    try:
        document = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise EntryError("not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise EntryError(f"not valid TOML: {error}") from None
    return entry_from_document(document)
