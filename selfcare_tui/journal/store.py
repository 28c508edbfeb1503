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
- Reading 10,000 TOML files takes seconds, so `load_all` keeps a cache beside them,
  `.cache-v1.json` (a `file_cache.FileCache`: hidden, 0600, replaced atomically): one row of
  named fields per readable file, keyed by name, size, mtime and ctime; sessions of one routine
  usually log the same steps, so each distinct list of steps is stored (and built) once. A file
  whose stat changed is read again; a missing, stale or broken cache, or a row that does not
  decode, is simply rebuilt. The TOML files stay the only record: delete the cache at will.
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import tomli
import tomli_w

from selfcare_tui import file_cache as cached
from selfcare_tui import locations
from selfcare_tui.file_cache import FileCache, signature
from selfcare_tui.journal.codec import (
    SIDE_PAIN_KEYS,
    EntryError,
    check_entry,
    entry_from_document,
    entry_to_document,
)
from selfcare_tui.journal.model import Ending, Overall, Reflection, SessionEntry, StepLog
from selfcare_tui.private_files import (
    clean_stale_temps,
    fsync_folder,
    make_private_folder,
    read_regular_file,
    replace_private,
    write_temp,
)
from selfcare_tui.vocabulary import Side, StepOutcome, Tailoring

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
    practice_left_out: int = 0
    """Practice runs (--speed) taken out of `entries` (see journal.commands)."""

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

    def update(self, path: Path, entry: SessionEntry) -> Path:
        """Replace the entry in `path` (a file `save` wrote) atomically: a session begun is
        completed in the same file, so a crash at any moment leaves exactly one entry."""
        if path.parent != self.folder or not _NAME.match(path.name):
            raise ValueError(f"{path} is not an entry of this journal")
        self._make_folder()
        replace_private(path, tomli_w.dumps(entry_to_document(entry)).encode("utf-8"))
        fsync_folder(self.folder)
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
        history = JournalHistory(self.folder)
        try:
            names = sorted(os.listdir(self.folder))
        except FileNotFoundError:
            return history
        clean_stale_temps(self.folder, names=names)
        # File names hold the UTC start; local dates are within a day of it either way.
        earliest = (since - timedelta(days=1)).isoformat() if since and since > date.min else ""
        folder = os.fspath(self.folder)
        cache = FileCache(self.folder / CACHE_NAME, CACHE_FORMAT, shared=("steps",))
        rows = _RowReader()
        loaded: list[tuple[SessionEntry, str]] = []
        for name in names:
            if name.startswith(".") or not name.endswith(".toml"):
                continue
            if earliest and name[:10] < earliest and _NAME.match(name):
                cache.keep(name)
                continue
            try:
                entry = _load_entry(cache, name, os.path.join(folder, name), rows)
            except EntryError as error:
                history.problems.append((self.folder / name, str(error)))
                continue
            if since is None or entry.started_at.date() >= since:
                loaded.append((entry, name))
        cache.save()  # a read-only journal still loads, just slower
        loaded.sort(key=lambda pair: (pair[0].started_at.astimezone(UTC), pair[1]))
        history.entries = [entry for entry, _ in loaded]
        history.names = [name for _, name in loaded]
        return history


MAX_ENTRY_BYTES = 1 << 20
"""An entry is a few kilobytes; the cap keeps a crafted file from eating memory."""
CACHE_NAME = ".cache-v1.json"
CACHE_FORMAT = "journal-entries-4"
"""The stamp of the cache's rows; a cache written with another stamp is ignored."""


def _load_entry(cache: FileCache, name: str, path: str, rows: _RowReader) -> SessionEntry:
    """The entry in the file `name`: from the cache if the file is unchanged, else parsed."""
    known = signature(path)
    if known is not None:
        entry = cache.fetch(name, known, rows.entry)
        if entry is not None:
            return entry
    entry = _read_entry(Path(path))
    cache.put(name, known, _row(entry))
    return entry


def _row(entry: SessionEntry) -> dict[str, Any]:
    """The cache row of an entry: named fields; "steps" is shared by the entries logging it."""
    reflection, t = entry.reflection, entry.tailoring
    return {
        "routine_id": entry.routine_id,
        "routine_title": entry.routine_title,
        "format_version": entry.format_version,
        "started_at": entry.started_at.isoformat(),
        "ended_at": entry.ended_at.isoformat(),
        "ending": entry.ending.value,
        "practice": entry.practice,
        "tailoring": [t.more_time.value, t.only.value, t.shorter],
        "resumed": entry.resumed,
        "steps": [
            {
                "index": step.index,
                "title": step.title,
                "side": step.side.value,
                "outcome": step.outcome.value,
                "seconds_planned": step.seconds_planned,
                "seconds_spent": step.seconds_spent,
                "seconds_added": step.seconds_added,
                "ended_early": step.ended_early,
            }
            for step in entry.steps
        ],
        "reflection": {
            "pain_before": reflection.pain_before,
            "pain_after": reflection.pain_after,
            **{key: getattr(reflection, key) for key in SIDE_PAIN_KEYS},
            "overall": reflection.overall.value if reflection.overall else None,
            "easier_steps": reflection.easier_steps,
            "harder_steps": reflection.harder_steps,
            "sharp_pain": reflection.sharp_pain,
            "sharp_pain_steps": reflection.sharp_pain_steps,
            "note": reflection.note,
        },
    }


# Looking a value up in these both checks it (KeyError, or TypeError if unhashable) and is
# much faster than calling the enum.
_ENDINGS = {ending.value: ending for ending in Ending}
_OVERALLS: dict[str | None, Overall | None] = {None: None, **{o.value: o for o in Overall}}
_SIDES = {side.value: side for side in Side}
_OUTCOMES = {outcome.value: outcome for outcome in StepOutcome}
_ONE_SIDE = {side.value: side for side in (Side.LEFT, Side.RIGHT, Side.NONE)}


class _RowReader:
    """Builds entries from cache rows; each shared list of steps is checked and built once.

    Anything unexpected in a row raises (BadRow, KeyError, ValueError...), and the cache then
    drops the row and the file is read again.
    """

    def __init__(self) -> None:
        self._steps: dict[int, tuple[object, list[StepLog]]] = {}

    def entry(self, row: dict[str, Any]) -> SessionEntry:
        entry = SessionEntry(
            routine_id=cached.text(row, "routine_id"),
            routine_title=cached.text(row, "routine_title"),
            format_version=cached.whole(row, "format_version"),
            started_at=_moment(row, "started_at"),
            ended_at=_moment(row, "ended_at"),
            ending=_ENDINGS[row["ending"]],
            steps=list(self._step_logs(row)),
            reflection=_reflection(cached.obj(row, "reflection")),
            practice=cached.flag(row, "practice"),
            tailoring=_tailoring(row["tailoring"]),
            resumed=cached.whole(row, "resumed"),
        )
        check_entry(entry)  # a row is held to what a file is: dates, seconds, steps
        return entry

    def _step_logs(self, row: dict[str, Any]) -> list[StepLog]:
        # "steps" is a shared field: rows with equal steps hold the very same object.
        steps = row["steps"]
        built = self._steps.get(id(steps))
        if built is not None and built[0] is steps:
            return built[1]
        logs = [_step_log(step) for step in cached.objects(row, "steps")]
        self._steps[id(steps)] = (steps, logs)
        return logs


def _step_log(row: dict[str, Any]) -> StepLog:
    return StepLog(
        index=cached.whole(row, "index"),
        title=cached.text(row, "title"),
        side=_SIDES[row["side"]],
        outcome=_OUTCOMES[row["outcome"]],
        seconds_planned=cached.whole(row, "seconds_planned"),
        seconds_spent=cached.number(row, "seconds_spent"),
        seconds_added=cached.whole(row, "seconds_added"),
        ended_early=cached.flag(row, "ended_early"),
    )


def _tailoring(row: list[Any]) -> Tailoring:
    more_time, only, shorter = row
    if type(shorter) is not bool:
        raise cached.BadRow("tailoring")
    return Tailoring(_ONE_SIDE[more_time], _ONE_SIDE[only], shorter)


def _reflection(row: dict[str, Any]) -> Reflection:
    return Reflection(
        pain_before=_pain(row, "pain_before"),
        pain_after=_pain(row, "pain_after"),
        pain_before_left=_pain(row, "pain_before_left"),
        pain_before_right=_pain(row, "pain_before_right"),
        pain_after_left=_pain(row, "pain_after_left"),
        pain_after_right=_pain(row, "pain_after_right"),
        overall=_OVERALLS[row["overall"]],
        easier_steps=cached.wholes(row, "easier_steps"),
        harder_steps=cached.wholes(row, "harder_steps"),
        sharp_pain=None if row["sharp_pain"] is None else cached.flag(row, "sharp_pain"),
        sharp_pain_steps=cached.wholes(row, "sharp_pain_steps"),
        note=cached.text(row, "note"),
    )


def _pain(row: dict[str, Any], key: str) -> int | None:
    value = cached.optional_whole(row, key)
    if value is not None and not 0 <= value <= 10:
        raise cached.BadRow(key)
    return value


def _moment(row: dict[str, Any], key: str) -> datetime:
    moment = datetime.fromisoformat(cached.text(row, key))
    if moment.utcoffset() is None:
        raise cached.BadRow(key)
    return moment


def _read_entry(path: Path) -> SessionEntry:
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
