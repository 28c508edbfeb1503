"""Writing the user's files safely: readable only by them, never half written, never through a
link nobody expected.

A file is first written in full to a temporary file beside it and flushed to disk; only then
does it take its real name, so a crash leaves the old state or the new one. Files are 0600 and
folders 0700 whatever the umask (the mode given to open() and mkdir() is filtered by it, so it is
set again on the open descriptor). A folder the app creates or keeps its data in is checked
before use (`make_private_folder`): a link to a folder owned by someone else is refused, and a
link's target is never chmod'ed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import time
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

FILE_MODE = 0o600
FOLDER_MODE = 0o700
TEMP_SUFFIX = ".tmp"
STALE_TEMP_SECONDS = 300.0
"""A temporary file this old was left by a save that was killed: it is safe to remove."""
_ATTEMPTS = 20
_TEMP_NAME = r"^\.[^/]+-[0-9a-f]{8}\.tmp$"  # compiled on first use, not at launch
"""What `write_temp` names its files, and the only `.tmp` files `clean_stale_temps` removes."""
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC


class UnsafePath(PermissionError):
    """A path the app will not use: a link it did not expect, or something owned by another user.

    A PermissionError (so an OSError): callers that handle "cannot write" already handle it. Its
    `strerror` is a short reason fit to show, and `filename` the path.
    """

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(errno.EACCES, reason, str(path))


def write_temp(folder: Path, prefix: str, data: bytes) -> Path:
    """A new hidden temporary file in `folder` holding `data`, private and flushed to disk."""
    for _ in range(_ATTEMPTS):
        temp = folder / f".{prefix.lstrip('.')}-{os.urandom(4).hex()}{TEMP_SUFFIX}"
        try:
            # O_EXCL never opens an existing name, a link included (even a dangling one).
            descriptor = os.open(temp, _NEW_FILE, FILE_MODE)
        except FileExistsError:
            continue
        try:
            os.fchmod(descriptor, FILE_MODE)  # the mode given to open() is filtered by the umask
            _write_all(descriptor, data)
            os.fsync(descriptor)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        finally:
            os.close(descriptor)
        return temp
    raise FileExistsError(f"could not create a temporary file in {folder}")


def reserve_private(path: Path) -> None:
    """Create `path` empty and 0600 (FileExistsError if the name is taken, a link included).

    For a file another library writes by name (an engine's WAV): opening it "wb" truncates it
    and keeps its mode, so its content is private whatever the umask.
    """
    descriptor = os.open(path, _NEW_FILE, FILE_MODE)
    try:
        os.fchmod(descriptor, FILE_MODE)
    finally:
        os.close(descriptor)


def replace_private(path: Path, data: bytes) -> None:
    """Write `data` to `path` (replacing it) atomically, readable only by the user.

    A link at `path` is replaced by the file, never written through.
    """
    temp = write_temp(path.parent, path.name, data)
    try:
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    fsync_folder(path.parent)


def create_private(path: Path, data: bytes) -> None:
    """Like replace_private, but raise FileExistsError rather than replace an existing file.

    Any link at `path`, even a dangling one, counts as an existing file: it is never followed.
    """
    temp = write_temp(path.parent, path.name, data)
    try:
        os.link(temp, path)  # fails, atomically, if the name is taken
    finally:
        temp.unlink(missing_ok=True)
    fsync_folder(path.parent)


def fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable; skipped where folders cannot be opened (Windows)."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | _DIRECTORY | _CLOEXEC)
    except OSError:
        return
    with contextlib.suppress(OSError):
        os.fsync(descriptor)
    os.close(descriptor)


# -- folders ---------------------------------------------------------------------------------


def make_private_folder(folder: Path) -> Path:
    """`folder` (made absolute), ready for private files; created 0700 with its parents if missing.

    Every folder created on the way is 0700 whatever the umask. An existing `folder` is checked:
    - our own real folder open to group or others is tightened to 0700 (never loosened);
    - a link to a folder of ours is used as it is: a link's target is never chmod'ed;
    - a folder owned by another user, or a link to one, or a dangling link (its target would
      be created wherever the link points) is refused with UnsafePath;
    - anything else (a file, a FIFO, a link to a file) is a NotADirectoryError.
    Parents that already exist are left as they are.
    """
    folder = Path(os.path.abspath(folder))
    missing: list[Path] = []
    current = folder
    while not os.path.lexists(current) and current.parent != current:
        missing.append(current)
        current = current.parent
    if not missing:
        _check_folder(folder, tighten=True)
    elif os.path.islink(current) and not os.path.exists(current):
        raise UnsafePath(current, "a link to nothing; not creating its target")
    for path in reversed(missing):
        try:
            os.mkdir(path, FOLDER_MODE)
        except FileExistsError:  # made meanwhile (another instance of the app): check it
            _check_folder(path, tighten=path == folder)
            continue
        _set_folder_mode(path, FOLDER_MODE)
    return folder


def check_private_folder(folder: Path) -> None:
    """Raise UnsafePath (or NotADirectoryError) if `make_private_folder` would refuse `folder`.

    Checks only (nothing is created or chmod'ed); a missing folder passes.
    """
    if os.path.lexists(folder):
        _check_folder(Path(folder), tighten=False)


def _check_folder(path: Path, *, tighten: bool) -> None:
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode):
        try:
            target = os.stat(path)
        except FileNotFoundError:
            raise UnsafePath(path, "a link to nothing; not creating its target") from None
        if not stat.S_ISDIR(target.st_mode):
            raise NotADirectoryError(
                errno.ENOTDIR, "a link to something else than a folder", str(path)
            )
        if not owned_by_us(target):
            raise UnsafePath(path, "a link to a folder owned by another user; not using it")
        return  # the user's own link to their own folder: used, never chmod'ed
    if not stat.S_ISDIR(info.st_mode):
        raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(path))
    if not owned_by_us(info):
        raise UnsafePath(path, "a folder owned by another user; not using it")
    mode = stat.S_IMODE(info.st_mode)
    if tighten and mode & 0o077:
        _set_folder_mode(path, mode & ~0o077)


def _set_folder_mode(path: Path, mode: int) -> None:
    """chmod the folder itself, through a descriptor opened without following a link."""
    if not hasattr(os, "fchmod") or not _NOFOLLOW:  # pragma: no cover - Windows
        os.chmod(path, mode)
        return
    try:
        descriptor = os.open(path, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC)
    except OSError as error:
        if error.errno in (errno.ELOOP, errno.ENOTDIR):  # swapped for a link since it was made
            raise UnsafePath(path, "replaced by a link while being made; not using it") from None
        raise
    try:
        if not owned_by_us(os.fstat(descriptor)):
            raise UnsafePath(path, "a folder owned by another user; not using it")
        os.fchmod(descriptor, mode)
    finally:
        os.close(descriptor)


def owned_by_us(info: os.stat_result) -> bool:
    """Whether the file `info` describes belongs to this process's user (always, on Windows)."""
    getuid = getattr(os, "getuid", None)
    return getuid is None or info.st_uid == getuid()


def make_private_temp_folder(parent: Path, prefix: str) -> Path:
    """A new, empty 0700 folder `<parent>/<prefix><random>`; `parent` is made private first."""
    make_private_folder(parent)
    for _ in range(_ATTEMPTS):
        folder = parent / f"{prefix}{os.urandom(6).hex()}"
        try:
            os.mkdir(folder, FOLDER_MODE)
        except FileExistsError:
            continue
        _set_folder_mode(folder, FOLDER_MODE)
        return folder
    raise FileExistsError(f"could not create a temporary folder in {parent}")


# -- other writes ----------------------------------------------------------------------------


def open_private_append(path: Path) -> BinaryIO:
    """`path` opened for appending, created 0600 (whatever the umask) if missing.

    A link is followed only when it belongs to the user or to the system (root), as the kernel's
    own protected_symlinks rule does: a link planted by another user (say in /tmp) is refused
    with UnsafePath. An existing regular file of ours is tightened to 0600; one reached through
    a link, or that is not a regular file (a terminal, a pipe), keeps its mode.
    """
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | _CLOEXEC
    through_link = _trusted_link(path)
    descriptor = os.open(path, flags if through_link else flags | _NOFOLLOW, FILE_MODE)
    try:
        info = os.fstat(descriptor)
        if (
            not through_link
            and stat.S_ISREG(info.st_mode)
            and owned_by_us(info)
            and stat.S_IMODE(info.st_mode) != FILE_MODE
            and hasattr(os, "fchmod")
        ):
            os.fchmod(descriptor, FILE_MODE)
        return os.fdopen(descriptor, "ab")
    except BaseException:
        os.close(descriptor)
        raise


def _trusted_link(path: Path) -> bool:
    """True for a link the user or root made; False when `path` is not a link; else raise."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return False
    if not stat.S_ISLNK(info.st_mode):
        return False
    if owned_by_us(info) or info.st_uid == 0:
        return True
    raise UnsafePath(path, "a link made by another user; not writing through it")


def read_regular_file(path: Path, limit: int) -> bytes:
    """The bytes of `path` (a link to one is fine) if it is a regular file of at most `limit`.

    A FIFO, a device or a folder is an OSError, never a hang: it is opened non-blocking and
    checked before anything is read.
    """
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | _CLOEXEC)
    with os.fdopen(descriptor, "rb") as file:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        data = file.read(limit + 1)
    if len(data) > limit:
        raise OSError(errno.EFBIG, f"larger than {limit} bytes", str(path))
    return data


def clean_stale_temps(
    folder: Path,
    *,
    older_than: float = STALE_TEMP_SECONDS,
    now: float | None = None,
    names: Iterable[str] | None = None,
) -> list[Path]:
    """Remove the temporary files that killed saves left in `folder`; return what was removed.

    Only names `write_temp` makes (`.<name>-<8 hex>.tmp`), only regular files of ours, and only
    those last modified more than `older_than` seconds before `now` (a save in progress is
    never touched). `names` saves listing a folder the caller has just listed. Never raises.
    """
    now = time.time() if now is None else now
    if names is None:
        try:
            names = os.listdir(folder)
        except OSError:
            return []
    removed: list[Path] = []
    for name in names:
        if not re.match(_TEMP_NAME, name):
            continue
        path = Path(folder) / name
        try:
            info = os.lstat(path)
            if not stat.S_ISREG(info.st_mode) or not owned_by_us(info):
                continue
            if now - info.st_mtime < older_than:
                continue
            path.unlink()
        except OSError:
            continue
        removed.append(path)
    return removed


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view) :]
