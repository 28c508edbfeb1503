"""Writing the user's files safely: readable only by them, and never half written.

A file is first written in full to a temporary file beside it and flushed to disk; only then
does it take its real name, so a crash leaves the old state or the new one.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

FILE_MODE = 0o600
TEMP_SUFFIX = ".tmp"
_ATTEMPTS = 20


def write_temp(folder: Path, prefix: str, data: bytes) -> Path:
    """A new hidden temporary file in `folder` holding `data`, private and flushed to disk."""
    for _ in range(_ATTEMPTS):
        temp = folder / f".{prefix.lstrip('.')}-{secrets.token_hex(4)}{TEMP_SUFFIX}"
        try:
            descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        except FileExistsError:
            continue
        try:
            os.fchmod(descriptor, FILE_MODE)  # the mode given to open() is filtered by the umask
            view = memoryview(data)
            while view:
                view = view[os.write(descriptor, view) :]
            os.fsync(descriptor)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        finally:
            os.close(descriptor)
        return temp
    raise FileExistsError(f"could not create a temporary file in {folder}")


def replace_private(path: Path, data: bytes) -> None:
    """Write `data` to `path` (replacing it) atomically, readable only by the user."""
    temp = write_temp(path.parent, path.name, data)
    try:
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    fsync_folder(path.parent)


def create_private(path: Path, data: bytes) -> None:
    """Like replace_private, but raise FileExistsError rather than replace an existing file."""
    temp = write_temp(path.parent, path.name, data)
    try:
        os.link(temp, path)  # fails, atomically, if the name is taken
    finally:
        temp.unlink(missing_ok=True)
    fsync_folder(path.parent)


def fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable; skipped where folders cannot be opened (Windows)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    with contextlib.suppress(OSError):
        os.fsync(descriptor)
    os.close(descriptor)
