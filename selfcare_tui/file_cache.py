"""What the indexes of files share (routines.cache, journal.index): a file's signature, and rows
of named fields kept as JSON text.

A row is valid while its file's signature (size, modification and change times: an edit that
restores size and mtime, as `cp -p` does, still changes the ctime) is unchanged. A row is the
owner's JSON object with named fields, which the owner encodes and decodes next to its own
classes with the readers below; anything unexpected in a row raises (BadRow, KeyError...), and
the owner then reads the file again. Nothing in a row can change what the owner returns.
"""

from __future__ import annotations

import json
import os
from typing import Any, NamedTuple

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


def parse_row(text: str) -> dict[str, Any]:
    """The JSON object in `text`; raises BadRow (or ValueError) for anything else."""
    row, end = _DECODER.raw_decode(text)  # json.loads, less its per-call overhead
    if type(row) is not dict or end != len(text):
        raise BadRow("not one object")
    return row


def dumps(value: Any) -> str:
    # ASCII only: text that is not valid UTF-8 (a file name's surrogate escapes) still fits.
    return json.dumps(value, separators=(",", ":"))


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
