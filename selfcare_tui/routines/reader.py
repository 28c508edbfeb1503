"""Reading a routine file safely: size first, then bytes, UTF-8 and TOML, with positions."""

from __future__ import annotations

import errno
import re
import stat
import tomllib
from pathlib import Path
from typing import Any

from selfcare_tui.routines.problems import Problem, RoutineError

MAX_FILE_BYTES = 1024 * 1024
_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_AT_END = " (at end of document)"


def read_toml(path: Path) -> dict[str, Any]:
    """Parse the TOML document at `path`, refusing anything that is not a small regular file."""
    data = _read_bytes(path)
    text = _decode(path, data)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RoutineError([_toml_problem(path, text, error)]) from None
    except RecursionError:
        raise RoutineError([Problem(path, "not valid TOML: nested too deeply")]) from None


def _read_bytes(path: Path) -> bytes:
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise RoutineError([Problem(path, "not a regular file")])
        if info.st_size > MAX_FILE_BYTES:
            raise RoutineError([_too_big(path, info.st_size)])
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise RoutineError([Problem(path, f"cannot read: {_os_reason(error)}")]) from None
    if len(data) > MAX_FILE_BYTES:
        raise RoutineError([_too_big(path, len(data))])
    return data


def _too_big(path: Path, size: int) -> Problem:
    return Problem(path, f"file is {size / 1024 / 1024:.1f} MiB; a routine may be at most 1 MiB")


def _decode(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        byte = data[error.start]
        message = f"not valid UTF-8 (byte 0x{byte:02x}); save the file as UTF-8 text"
        raise RoutineError([Problem(path, message, line=line, column=column)]) from None


def _toml_problem(path: Path, text: str, error: tomllib.TOMLDecodeError) -> Problem:
    message = str(error)
    if message.endswith(_AT_END):
        reason = message.removesuffix(_AT_END)
        line = text.count("\n") + 1
        column = len(text) - (text.rfind("\n") + 1) + 1
        return Problem(
            path, f"not valid TOML: {reason} at the end of the file", line=line, column=column
        )
    match = _POSITION.search(message)
    if match is None:
        return Problem(path, f"not valid TOML: {message}")
    reason = message[: match.start()]
    return Problem(path, f"not valid TOML: {reason}", line=int(match[1]), column=int(match[2]))


def _os_reason(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "symbolic link loop"
    if isinstance(error, FileNotFoundError):
        return "no such file"
    if isinstance(error, PermissionError):
        return "permission denied"
    if isinstance(error, IsADirectoryError):
        return "is a folder, not a file"
    return error.strerror or str(error)
