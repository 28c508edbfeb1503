"""A cache of what was read from files, so an unchanged file need not be parsed again.

One JSON file (never pickle: loading must never run code), written atomically and privately
(0600) with `private_files`::

    {"layout": 1, "format": "<the owner's stamp: the version of its rows>",
     "files": {"<key>": {"size": 1234, "mtime_ns": ..., "ctime_ns": ...,
                         "row": "<the row: a JSON object, as text>", "shared": {"steps": 0}}},
     "shared": {"steps": [<value>, ...]}}

Each source file has one record, keyed by its name or path and valid while its signature (size,
modification and change times: an edit that restores size and mtime, as `cp -p` does, still
changes the ctime) is unchanged. The row is the owner's: a JSON object with named fields, which
the owner encodes and decodes next to its own classes.

A row is kept as its JSON text, parsed only when its file is asked about and written back as it
was: a large cache loads without building (and making the garbage collector walk) hundreds of
thousands of objects, and a row that was not asked about is never parsed.

A field named in `shared` is stored once for all the rows holding an equal value (each record
holds its number), so rows that share, say, one list of steps are built once: the rows handed
to `decode` hold the very same object for it.

It is only a hint: a cache that is missing, from another layout or format, unreadable or
unwritable is ignored, and a row that fails to parse or decode is dropped so that its file is
read again. Nothing in the cache can change what the owner returns, and nothing here raises.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from selfcare_tui.private_files import replace_private

LAYOUT = 1
"""The layout of the cache file itself; the owner's `format` stamp versions its rows."""

T = TypeVar("T")
_DECODER = json.JSONDecoder()

ROW_ERRORS = (LookupError, TypeError, ValueError, AttributeError, ArithmeticError, RecursionError)
"""What parsing or decoding a damaged row may raise; such a row is dropped, never passed on."""


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
    """The records of one cache file, and the records to write back to it."""

    def __init__(self, file: Path | None, stamp: str, *, shared: Collection[str] = ()) -> None:
        self.file = file
        self.stamp = stamp
        self._shared_fields = tuple(shared)
        self._old: dict[str, Any] = {}
        self._pools: dict[str, list[Any]] = {}
        # The records to write: those read and still good as they were, and new ones.
        self._new: dict[str, dict[str, Any]] = {}
        # The shared values of the new records, numbered only when saving.
        self._unnumbered: dict[str, dict[str, Any]] = {}
        self._changed = False
        if file is not None:
            self._read(file)

    # -- reading -------------------------------------------------------------------------------

    def fetch(
        self, key: str, signature: Signature, decode: Callable[[dict[str, Any]], T]
    ) -> T | None:
        """`decode` of the row for `key` if it was written for this signature, else None.

        `decode` gets the row's fields, shared ones included, and raises BadRow (or any of
        ROW_ERRORS) if the row is not what it expects: the row is then dropped. The row is parsed
        afresh for this call, so `decode` may keep its lists; shared values are shared, though.
        """
        record = self._old.get(key)
        if (
            type(record) is not dict
            or record.get("size") != signature.size
            or record.get("mtime_ns") != signature.mtime_ns
            or record.get("ctime_ns") != signature.ctime_ns
        ):
            return None
        text = record.get("row")
        shared = self._shared_values(record)
        if type(text) is str and shared is not None:
            try:
                row = parse_row(text)
                row.update(shared)
                value = decode(row)
            except ROW_ERRORS:
                pass
            else:
                self._keep(key, record)
                return value
        self._changed = True
        return None

    def keep(self, key: str) -> None:
        """Keep the row for `key` as it is, without reading its file or parsing the row."""
        record = self._old.get(key)
        if (
            type(record) is dict
            and _has_signature(record)
            and type(record.get("row")) is str
            and self._shared_values(record) is not None
        ):
            self._keep(key, record)

    # -- writing -------------------------------------------------------------------------------

    def put(self, key: str, signature: Signature | None, row: dict[str, Any]) -> None:
        """Remember `row` (JSON values only) for `key`, read from the file with this signature.

        Nothing is remembered without a signature: the file could not even be stat'ed.
        """
        if signature is None:
            return
        shared = {name: row[name] for name in self._shared_fields if name in row}
        own = {name: value for name, value in row.items() if name not in shared}
        try:
            text = dumps(own)
        except (TypeError, ValueError, RecursionError):
            return  # not JSON: the file is simply read again next time
        self._new[key] = {
            "size": signature.size,
            "mtime_ns": signature.mtime_ns,
            "ctime_ns": signature.ctime_ns,
            "row": text,
        }
        self._unnumbered.pop(key, None)
        if shared:
            self._unnumbered[key] = shared
        self._changed = True

    @property
    def changed(self) -> bool:
        """True if saving would write: a row was put or dropped, or a file was not asked about."""
        return self._changed or self._new.keys() != self._old.keys()

    def save(self) -> None:
        """Write the rows fetched, kept or put since this cache was read, if anything changed.

        Rows for files that were not asked about are forgotten. A failure to write (a read-only
        folder, a full disk) is ignored: the cache is only a hint.
        """
        if self.file is None or not self.changed:
            return
        try:
            replace_private(self.file, self._document().encode("ascii"))
        except (OSError, ValueError, TypeError, RecursionError):
            return
        self._changed = False

    def _document(self) -> str:
        files = dict(self._new)
        unnumbered = self._unnumbered
        pools = {name: list(self._pools.get(name, ())) for name in self._shared_fields}
        used: dict[str, set[int]] = {name: set() for name in pools}
        for record in files.values():
            for name, number in record.get("shared", {}).items():
                used[name].add(number)
        if any(len(used[name]) < len(pool) for name, pool in pools.items()):
            # Values no record refers to any more: number all the values afresh.
            unnumbered = {
                key: shared
                for key, record in files.items()
                if "shared" in record and (shared := self._shared_values(record))
            } | unnumbered
            pools = {name: [] for name in pools}
        # Otherwise the records read keep their numbers, and new values are added to the pools.
        numbers = _Numbers(pools)
        for key, shared in unnumbered.items():
            files[key] = files[key] | {
                "shared": {name: numbers.of(name, value) for name, value in shared.items()}
            }
        document = {"layout": LAYOUT, "format": self.stamp, "files": files, "shared": pools}
        return dumps(document)

    # -- inside --------------------------------------------------------------------------------

    def _keep(self, key: str, record: dict[str, Any]) -> None:
        self._new[key] = record  # written back as it was read
        self._unnumbered.pop(key, None)

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
            type(document) is dict
            and document.get("layout") == LAYOUT
            and document.get("format") == self.stamp
            and type(document.get("files")) is dict
            and type(document.get("shared", {})) is dict
        )
        if not usable:
            self._changed = True
            return
        self._old = document["files"]
        shared = document.get("shared", {})
        self._pools = {
            name: pool for name in self._shared_fields if type(pool := shared.get(name, [])) is list
        }

    def _shared_values(self, record: dict[str, Any]) -> dict[str, Any] | None:
        """The record's shared fields, numbers replaced by values; None if a number is bad."""
        numbers = record.get("shared")
        if numbers is None:
            return {}
        if type(numbers) is not dict:
            return None
        values = {}
        for name, number in numbers.items():
            pool = self._pools.get(name)
            if pool is None or type(number) is not int or not 0 <= number < len(pool):
                return None
            values[name] = pool[number]
        return values


class _Numbers:
    """Numbers values in pools, each distinct value once."""

    def __init__(self, pools: dict[str, list[Any]]) -> None:
        self._pools = pools
        self._by_text: dict[str, dict[str, int]] | None = None
        self._by_identity: dict[str, dict[int, tuple[Any, int]]] = {name: {} for name in pools}

    def of(self, field: str, value: Any) -> int:
        """The number of `value` in the field's pool, adding it if no equal value is there."""
        # Rows read from the cache share one object per value: those are found by identity.
        by_identity = self._by_identity[field]
        known = by_identity.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        if self._by_text is None:  # the values already in the pools, as canonical JSON text
            self._by_text = {name: {} for name in self._pools}
            for name, pool in self._pools.items():
                for n, known_value in enumerate(pool):
                    self._by_text[name].setdefault(dumps(known_value, sort_keys=True), n)
        pool = self._pools[field]
        number = self._by_text[field].setdefault(dumps(value, sort_keys=True), len(pool))
        if number == len(pool):
            pool.append(value)
        by_identity[id(value)] = (value, number)
        return number


def _has_signature(record: dict[str, Any]) -> bool:
    fields = record.get("size"), record.get("mtime_ns"), record.get("ctime_ns")
    return all(type(field) is int for field in fields)


def parse_row(text: str) -> dict[str, Any]:
    """The JSON object in `text`; raises BadRow (or ValueError) for anything else."""
    row, end = _DECODER.raw_decode(text)  # json.loads, less its per-call overhead
    if type(row) is not dict or end != len(text):
        raise BadRow("not one object")
    return row


def dumps(value: Any, sort_keys: bool = False) -> str:
    # ASCII only: a file name that is not valid UTF-8 (surrogate escapes) still round-trips.
    return json.dumps(value, separators=(",", ":"), sort_keys=sort_keys)


# -- reading named fields ----------------------------------------------------------------------
# Each returns the field if it has the expected JSON type, else raises BadRow (KeyError if the
# field is missing). `type(...) is` rather than isinstance: a bool is not a whole number here.


def text(row: dict[str, Any], key: str) -> str:
    value = row[key]
    if type(value) is not str:
        raise BadRow(key)
    return value


def optional_text(row: dict[str, Any], key: str) -> str | None:
    value = row[key]
    if value is not None and type(value) is not str:
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


def texts(row: dict[str, Any], key: str) -> list[str]:
    value = row[key]
    if type(value) is not list or (value and any(type(item) is not str for item in value)):
        raise BadRow(key)
    return value


def wholes(row: dict[str, Any], key: str) -> list[int]:
    value = row[key]
    if type(value) is not list or (value and any(type(item) is not int for item in value)):
        raise BadRow(key)
    return value


def objects(row: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = row[key]
    if type(value) is not list or (value and any(type(item) is not dict for item in value)):
        raise BadRow(key)
    return value


def obj(row: dict[str, Any], key: str) -> dict[str, Any]:
    value = row[key]
    if type(value) is not dict:
        raise BadRow(key)
    return value
