"""A private folder for one process's speech WAVs (they hold health sentences).

`<speech temp dir>/run-<random>/` (see `locations.speech_temp_dir`: under $XDG_RUNTIME_DIR or
the cache folder, never the shared $TMPDIR), 0700 whatever the umask, removed on close. While
it is in use its `.lock` file is locked (flock), so the next start can tell a folder a crash
left behind from one another running instance is using, and removes only the former. A folder
never closed is removed when the interpreter exits all the same; only a crash or a kill leaves
one for the next start.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
import time
import weakref
from pathlib import Path

from selfcare_tui import locations
from selfcare_tui.private_files import (
    FILE_MODE,
    STALE_TEMP_SECONDS,
    make_private_folder,
    make_private_temp_folder,
)

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

PREFIX = "run-"
LOCK_NAME = ".lock"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class Workspace:
    """Create with `Workspace.create()`; `close()` (or `with`) removes the folder and its WAVs."""

    def __init__(self, path: Path, lock: int | None) -> None:
        self.path = path
        # Runs once, whoever calls it first: close(), the collector or the interpreter's exit.
        self._finalizer = weakref.finalize(self, _remove, path, lock)

    @classmethod
    def create(cls, root: Path | None = None) -> Workspace:
        """A new folder under `root` (default: the speech temp dir), after removing stale ones.

        If `root` cannot be used (a read-only cache, a folder refused as unsafe), falls back to a
        private folder made by `tempfile.mkdtemp` (0700, removed on close all the same).
        """
        root = locations.speech_temp_dir() if root is None else root
        try:
            make_private_folder(root)
            remove_stale(root)
            path = make_private_temp_folder(root, PREFIX)
        except OSError:
            logger.warning("cannot use %s for speech files; using a temporary folder", root)
            return cls(Path(tempfile.mkdtemp(prefix="selfcare-speech-")), None)
        return cls(path, _hold_lock(path))

    def close(self) -> None:
        """Remove the folder and its WAVs; from any thread, more than once is fine."""
        self._finalizer()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _remove(path: Path, lock: int | None) -> None:
    shutil.rmtree(path, ignore_errors=True)
    if lock is not None:
        with contextlib.suppress(OSError):
            os.close(lock)


def remove_stale(root: Path, now: float | None = None) -> list[Path]:
    """Remove the `run-*` folders under `root` no running process holds; return them.

    A folder whose lock is free was left by a process that ended without cleaning up (a crash, a
    kill -9). One without a lock file is removed only when older than a few minutes (its owner
    may be between making it and locking it). Never raises.
    """
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        names = os.listdir(root)
    except OSError:
        return removed
    for name in names:
        folder = root / name
        if not name.startswith(PREFIX) or folder.is_symlink() or not folder.is_dir():
            continue
        if _in_use(folder, now):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def _hold_lock(folder: Path) -> int | None:
    if fcntl is None:  # pragma: no cover - Windows: folders are only removed when old
        return None
    try:
        descriptor = os.open(
            folder / LOCK_NAME, os.O_RDWR | os.O_CREAT | _NOFOLLOW | _CLOEXEC, FILE_MODE
        )
    except OSError:
        return None
    try:
        os.fchmod(descriptor, FILE_MODE)
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(descriptor)
        return None
    return descriptor


def _in_use(folder: Path, now: float) -> bool:
    try:
        descriptor = os.open(folder / LOCK_NAME, os.O_RDONLY | _NOFOLLOW | _CLOEXEC)
    except FileNotFoundError:
        return _younger_than(folder, STALE_TEMP_SECONDS, now)
    except OSError:
        return True  # cannot tell: leave it
    try:
        if fcntl is None:  # pragma: no cover - Windows
            return _younger_than(folder, 24 * 3600, now)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True  # locked: its process is running
        return False
    finally:
        os.close(descriptor)


def _younger_than(folder: Path, seconds: float, now: float) -> bool:
    try:
        return now - folder.stat().st_mtime < seconds
    except OSError:
        return True
