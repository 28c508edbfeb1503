"""A private SQLite database for what can be rebuilt (indexes and caches): 0600 in a 0700 folder,
never opened through a link, and made afresh rather than trusted when it is damaged.

SQLite reads only the rows and columns asked for, so an index of thousands of files costs a
query, not the parse of one large file, and its memory stays flat.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

from selfcare_tui.private_files import FILE_MODE, make_private_folder, owned_by_us

BUSY_TIMEOUT_SECONDS = 0.5
"""How long to wait for another instance of the app that is writing; then go on without."""


def open_private_db(
    path: Path, stamp: str, schema: str, page_size: int = 4096
) -> sqlite3.Connection:
    """A connection (in autocommit mode) to the database at `path`, made with `schema` (and
    pages of `page_size` bytes) if missing.

    A database written with another `stamp` (another version of its rows), or that SQLite finds
    damaged, is made afresh. Raises sqlite3.Error or OSError when the database cannot be used:
    the caller goes on without it.
    """
    connection = _connect(path)
    try:
        found = connection.execute("SELECT stamp FROM stamp").fetchone()
    except sqlite3.DatabaseError as error:  # no table yet, or not a database at all
        if is_busy(error):  # another instance of the app is writing it: never remove it
            connection.close()
            raise
        found = None
    if found == (stamp,):
        return connection
    connection.close()
    os.unlink(path)
    connection = _connect(path)
    try:
        connection.execute(f"PRAGMA page_size = {int(page_size)}")
        connection.executescript(f"BEGIN; CREATE TABLE stamp (stamp TEXT); {schema}; COMMIT;")
        connection.execute("INSERT INTO stamp VALUES (?)", (stamp,))
    except BaseException:
        connection.close()
        raise
    return connection


def is_busy(error: sqlite3.Error) -> bool:
    """Whether `error` says another connection holds the database (then it is not damaged)."""
    return getattr(error, "sqlite_errorcode", None) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def _connect(path: Path) -> sqlite3.Connection:
    """The database file, 0600 whatever the umask; a link, or a file of another user, is refused.

    SQLite gives its journal the database file's mode, so that is private too.
    """
    make_private_folder(path.parent)
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    descriptor = os.open(path, flags, FILE_MODE)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or not owned_by_us(info):
            raise sqlite3.OperationalError(f"{path} is not a private file")
        if stat.S_IMODE(info.st_mode) != FILE_MODE:
            os.fchmod(descriptor, FILE_MODE)
    finally:
        os.close(descriptor)
    return sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False
    )
