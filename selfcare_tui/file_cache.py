"""A cache of what was read from files, so an unchanged file need not be parsed again.

One JSON file (never pickle: loading must never run code), written atomically and privately
(0600) with `private_files`::

    {"layout": 1, "format": "<the owner's stamp: the rows' version>",
     "files": {"<key>": {"size": 1234, "mtime_ns": ..., "ctime_ns": ..., "data": {...}}},
     "shared": {"<field>": [<value>, ...]}}

Each source file has one record, keyed by its name or path and valid while its signature (size,
modification and change times: an edit that restores size and mtime, as `cp -p` does, still
changes the ctime) is unchanged. `data` is the owner's row, a JSON object with named fields; the
owner encodes and decodes its own objects. A field named in `shared` is stored once for all the
rows holding an equal value (the rows hold its number), so rows that share, say, one list of steps
can be built once.

It is only a hint: a cache that is missing, from another format, unreadable or unwritable is
ignored, and a row that fails to decode is dropped so that its file is read again. Nothing in the
cache can change what the owner returns, and nothing here raises to the caller.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from selfcare_tui.private_files import replace_private

LAYOUT = 1
"""The layout of the file itself; the owner's `format` stamp versions the rows."""

T = TypeVar("T")

ROW_ERRORS = (LookupError, TypeError, ValueError, AttributeError, ArithmeticError)
"""What decoding a damaged row may raise; such a row is dropped, never passed on."""


class BadRow(ValueError):
    """A cached row that does not hold what its reader expects."""


class Signature(NamedTuple):
    """What identifies one version of a file: any change to it means the file is read again."""

    size: int
    mtime_ns: int
    ctime_ns: int


def signature(path: str | os.PathLike[str]) -> Signature | None:
    """The file's signature, or None when it cannot be stat'ed (then nothing is cached)."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return Signature(info.st_size, info.st_mtime_ns, info.st_ctime_ns)


class FileCache:
    """Rows decoded from one cache file, and the rows to write back to it."""

    def __init__(self, file: Path | None, stamp: str, *, shared: Collection[str] = ()) -> None:
        self.file = file
        self.stamp = stamp
        self._shared_fields = tuple(shared)
        self._old: dict[str, Any] = {}
        self._pools: dict[str, list[Any]] = {}
        self._new: dict[str, tuple[Signature, dict[str, Any]]] = {}
        self._changed = False
        if file is not None:
            self._read(file)

    # -- reading -------------------------------------------------------------------------------

    def fetch(
        self, key: str, signature: Signature, decode: Callable[[dict[str, Any]], T]
    ) -> T | None:
        """`decode` of the row for `key` if it was written for this signature, else None.

        A row that `decode` rejects (raising BadRow or any of ROW_ERRORS) is dropped.
        """
        record = self._old.get(key)
        if record is None or _record_signature(record) != signature:
            return None
        data = self._resolved(record)
        if data is not None:
            try:
                value = decode(data)
            except ROW_ERRORS:
                pass
            else:
                self._new[key] = (signature, data)
                return value
        self._changed = True
        return None

    def keep(self, key: str) -> None:
        """Keep the row for `key` as it is, without looking at its file (it was not read)."""
        record = self._old.get(key)
        if record is None:
            return
        known = _record_signature(record)
        data = self._resolved(record)
        if known is not None and data is not None:
            self._new[key] = (known, data)

    # -- writing -------------------------------------------------------------------------------

    def put(self, key: str, signature: Signature | None, data: dict[str, Any]) -> None:
        """Remember `data` as the row for `key`, read from the file with this signature."""
        if signature is not None:
            self._new[key] = (signature, data)
            self._changed = True

    def save(self) -> None:
        """Write the rows fetched, kept or put since this cache was read, if anything changed.

        Rows for files that were not asked about are forgotten. A failure to write (a read-only
        folder, a full disk) is ignored: the cache is only a hint.
        """
        if self.file is None or not (self._changed or self._new.keys() != self._old.keys()):
            return
        pools: dict[str, list[Any]] = {name: [] for name in self._shared_fields}
        numbers: dict[str, dict[str, int]] = {name: {} for name in self._shared_fields}
        by_identity: dict[int, int] = {}
        files = {}
        for key, (known, data) in self._new.items():
            row = dict(data)
            for name in self._shared_fields:
                if name in row:
                    row[name] = _share(row[name], pools[name], numbers[name], by_identity)
            files[key] = {
                "size": known.size,
                "mtime_ns": known.mtime_ns,
                "ctime_ns": known.ctime_ns,
                "data": row,
            }
        document = {"layout": LAYOUT, "format": self.stamp, "files": files, "shared": pools}
        try:
            encoded = json.dumps(document, separators=(",", ":")).encode("ascii")
            replace_private(self.file, encoded)
        except (OSError, ValueError, TypeError, RecursionError):
            return
        self._changed = False

    # -- inside --------------------------------------------------------------------------------

    def _read(self, file: Path) -> None:
        try:
            with open(file, "rb") as stream:
                document = json.loads(stream.read())
        except FileNotFoundError:
            return
        except (OSError, ValueError, RecursionError):
            self._changed = True  # replace the broken file at the next save
            return
        usable = (
            isinstance(document, dict)
            and document.get("layout") == LAYOUT
            and document.get("format") == self.stamp
            and isinstance(document.get("files"), dict)
            and isinstance(document.get("shared", {}), dict)
        )
        if not usable:
            self._changed = True
            return
        self._old = document["files"]
        shared = document.get("shared", {})
        self._pools = {
            name: pool
            for name in self._shared_fields
            if isinstance(pool := shared.get(name, []), list)
        }

    def _resolved(self, record: Any) -> dict[str, Any] | None:
        """The record's data, with each shared field's number replaced by its value."""
        data = record.get("data") if isinstance(record, dict) else None
        if not isinstance(data, dict):
            return None
        resolved = data
        for name in self._shared_fields:
            if name not in data:
                continue
            number = data[name]
            pool = self._pools.get(name)
            if type(number) is not int or pool is None or not 0 <= number < len(pool):
                return None
            if resolved is data:
                resolved = dict(data)
            resolved[name] = pool[number]
        return resolved


def _record_signature(record: Any) -> Signature | None:
    if not isinstance(record, dict):
        return None
    size, mtime, ctime = record.get("size"), record.get("mtime_ns"), record.get("ctime_ns")
    if type(size) is not int or type(mtime) is not int or type(ctime) is not int:
        return None
    return Signature(size, mtime, ctime)


def _share(
    value: Any, pool: list[Any], numbers: dict[str, int], by_identity: dict[int, int]
) -> int:
    """The number of `value` in `pool`, adding it if no equal value is there yet."""
    number = by_identity.get(id(value))
    if number is not None and pool[number] is value:
        return number
    text = json.dumps(value, separators=(",", ":"), sort_keys=True)
    number = numbers.setdefault(text, len(pool))
    if number == len(pool):
        pool.append(value)
    by_identity[id(value)] = number
    return number


# -- reading named fields ----------------------------------------------------------------------
# Each returns the field if it has the expected JSON type, else raises BadRow (KeyError if the
# field is missing). `type(...) is` rather than isinstance: a bool is not a whole number here.


def text(row: dict[str, Any], key: str) -> str:
    value = row[key]
    if type(value) is not str:
        raise BadRow(key)
    return value


def whole(row: dict[str, Any], key: str) -> int:
    value = row[key]
    if type(value) is not int:
        raise BadRow(key)
    return value


def optional_whole(row: dict[str, Any], key: str) -> int | None:
    value = row[key]
    if value is not None and type(value) is not int:
        raise BadRow(key)
    return value


def number(row: dict[str, Any], key: str) -> float:
    value = row[key]
    if type(value) is not float and type(value) is not int:
        raise BadRow(key)
    return float(value)


def flag(row: dict[str, Any], key: str) -> bool:
    value = row[key]
    if type(value) is not bool:
        raise BadRow(key)
    return value


def optional_text(row: dict[str, Any], key: str) -> str | None:
    value = row[key]
    if value is not None and type(value) is not str:
        raise BadRow(key)
    return value


def texts(row: dict[str, Any], key: str) -> list[str]:
    value = row[key]
    if type(value) is not list or any(type(item) is not str for item in value):
        raise BadRow(key)
    return value


def wholes(row: dict[str, Any], key: str) -> list[int]:
    value = row[key]
    if type(value) is not list or any(type(item) is not int for item in value):
        raise BadRow(key)
    return value


def objects(row: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = row[key]
    if type(value) is not list or any(type(item) is not dict for item in value):
        raise BadRow(key)
    return value


def obj(row: dict[str, Any], key: str) -> dict[str, Any]:
    value = row[key]
    if type(value) is not dict:
        raise BadRow(key)
    return value
