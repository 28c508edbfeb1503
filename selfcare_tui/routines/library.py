"""Finding routines: bundled, the user's folder, and any folders given with --routines.

A later source overrides an earlier one with the same id; one broken file never hides the others.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING

from selfcare_tui import locations
from selfcare_tui.routines.cache import RoutineCache
from selfcare_tui.routines.card import RoutineCard, Source, routine_id_for
from selfcare_tui.routines.problems import Problem, RoutineError, did_you_mean
from selfcare_tui.text import escaped

if TYPE_CHECKING:
    from selfcare_tui.routines.model import Routine  # loaded when a routine is opened


@dataclass(frozen=True)
class Entry:
    """One routine file as found: its card, or broken with its problems.

    The steps are read (`routine`) only when the routine is shown or played.
    """

    id: str
    path: Path
    source: Source
    card: RoutineCard | None = None
    found_error: RoutineError | None = None
    overrides: Path | None = None
    opener: Callable[[], Routine] | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return self.card is not None

    @cached_property
    def _opened(self) -> Routine | RoutineError | None:
        if self.card is None or self.opener is None:
            return None
        try:
            return self.opener()
        except RoutineError as error:  # broken since it was listed
            return error

    @property
    def routine(self) -> Routine | None:
        """The routine with its steps, read the first time it is asked for; None if broken."""
        opened = self._opened
        return None if isinstance(opened, RoutineError) else opened

    @property
    def error(self) -> RoutineError | None:
        """Why the routine cannot be played: found when listing, or when it was opened."""
        if self.found_error is not None or "_opened" not in self.__dict__:
            return self.found_error
        opened = self._opened
        return opened if isinstance(opened, RoutineError) else None

    @property
    def source_label(self) -> str:
        """Where it came from, as shown: control characters in a path are written as escapes."""
        return escaped(str(self.path)) if self.source is Source.FOLDER else self.source.value


class FolderError(Exception):
    """A folder given with --routines cannot be used."""


@dataclass(frozen=True)
class Library:
    entries: tuple[Entry, ...]
    warnings: tuple[Problem, ...] = ()

    def find(self, routine_id: str) -> Entry | None:
        return next((entry for entry in self.entries if entry.id == routine_id), None)

    @property
    def routines(self) -> list[Routine]:
        return [entry.routine for entry in self.entries if entry.routine is not None]

    def unknown_id_message(self, routine_id: str) -> str:
        hint = did_you_mean(routine_id, [entry.id for entry in self.entries])
        shown = escaped(routine_id)
        return f"no routine with the id '{shown}'{hint} ('selfcare list' shows them all)"


def discover(
    extra_dirs: Sequence[Path] = (),
    *,
    bundled_dir: Path | None = None,
    user_dir: Path | None = None,
    cache: RoutineCache | None = None,
) -> Library:
    """Load every routine from the bundled folder, the user's folder, then each extra folder."""
    cache = cache or RoutineCache(locations.routine_cache_path())
    for folder in extra_dirs:
        if not folder.is_dir():
            reason = "no such folder" if not folder.exists() else "not a folder"
            raise FolderError(f"--routines {escaped(str(folder))}: {reason}")
    sources = [
        (bundled_dir or locations.bundled_routines_dir(), Source.BUNDLED),
        (user_dir or locations.user_routines_dir(), Source.USER),
        *((folder, Source.FOLDER) for folder in extra_dirs),
    ]
    found: dict[str, Entry] = {}
    warnings: list[Problem] = []
    listed = [(folder, source, *_routine_files(folder, required=source is Source.FOLDER))
              for folder, source in sources]  # fmt: skip
    cache.prepare(
        (path, source) for _, source, files, _ in listed for path, is_link in files if not is_link
    )
    for folder, source, files, problem in listed:
        if problem:
            warnings.append(problem)
        for entry in _load_all(files, source, folder, cache):
            previous = found.get(entry.id)
            if previous is not None:
                entry = _overriding(entry, previous)
            found[entry.id] = entry
    cache.save()
    return Library(tuple(sorted(found.values(), key=lambda e: e.id)), tuple(warnings))


def _overriding(entry: Entry, previous: Entry) -> Entry:
    return Entry(
        entry.id, entry.path, entry.source, entry.card, entry.found_error, previous.path,
        entry.opener,
    )  # fmt: skip


def _load_all(
    files: Iterable[tuple[Path, bool]], source: Source, folder: Path, cache: RoutineCache
) -> Iterable[Entry]:
    root = folder.resolve()
    for path, is_link in files:
        routine_id = routine_id_for(path)
        if is_link and not _stays_inside(path, root):
            outside = Problem(path, "links to a file outside its folder, so it is not read")
            yield Entry(routine_id, path, source, found_error=RoutineError([outside]))
            continue
        try:
            card = cache.card(path, source)
        except RoutineError as error:
            yield Entry(routine_id, path, source, found_error=error)
        else:
            opener = partial(cache.load, path, source)
            yield Entry(routine_id, path, source, card, opener=opener)


def _routine_files(folder: Path, required: bool) -> tuple[list[tuple[Path, bool]], Problem | None]:
    """The `.toml` files directly inside `folder`, each with whether it is a link."""
    try:
        root = folder.resolve(strict=True)
        found = sorted((entry.name, entry.is_symlink()) for entry in os.scandir(root))
    except FileNotFoundError:
        return [], Problem(folder, "no such folder") if required else None
    except (OSError, RuntimeError) as error:
        return [], Problem(folder, f"cannot read this folder: {_reason(error)}")
    files = [
        (folder / name, is_link)
        for name, is_link in found
        if name.endswith(".toml") and not name.startswith(".")
    ]
    return files, None


def _stays_inside(path: Path, root: Path) -> bool:
    """False for a link that leads out of the folder, so loading never reads elsewhere."""
    try:
        return path.resolve(strict=False).is_relative_to(root)
    except (OSError, RuntimeError):
        return True  # a link loop: kept, so the loader reports it as broken


def _reason(error: BaseException) -> str:
    if isinstance(error, PermissionError):
        return "permission denied"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower()
    return str(error)
