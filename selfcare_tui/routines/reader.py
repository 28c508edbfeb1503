"""Reading a routine file safely: size first, then bytes, UTF-8, a quick scan, and TOML.

A routine file is untrusted input (routines are shared), so nothing in it may make reading slow.
tomllib is roughly cubic in the number of parts of a dotted key, recursive in nesting, and costs
a fraction of a microsecond per character even on ordinary text. Before it runs, `scan` measures
the document with a few passes that run at C speed and refuses anything far larger than a routine
needs (the MAX_ constants, documented in the Limits section of docs/routine-format.md), so every
file of at most MAX_FILE_BYTES is accepted or refused quickly (bench/parse_bench.py).

The parser is tomli, the project tomllib was taken from, as its compiled wheel: the same parser,
2.5 times faster, so a library of routines loads cold in about the time tomllib would take to
parse it alone (bench/list_bench.py).
"""

from __future__ import annotations

import errno
import re
import stat
from pathlib import Path
from typing import Any, NoReturn

import tomli

from selfcare_tui.routines.problems import Problem, RoutineError

MAX_FILE_BYTES = 1024 * 1024
MAX_LINES = 15_000
MAX_QUOTE_MARKS = 20_000
MAX_STRING_CHARS = 150_000
MAX_BACKSLASHES = 5_000
MAX_OUTSIDE_CHARS = 60_000
MAX_ITEMS = 10_000
MAX_KEY_PARTS = 8
MAX_NESTING = 8

_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_AT_END = " (at end of document)"

_STRINGS_AND_COMMENTS = re.compile(
    # A string of any kind (group 1, without its first quote) or a comment, written so that the
    # regular expression engine skips ahead to the next quote or # and takes runs of ordinary
    # characters in one step. An unterminated string is taken to the end of its line (or of the
    # file), so the scan stays linear; tomllib refuses such a document at that string anyway.
    r"[\"'#](?:("
    + r'(?<=")(?:""[^"\\]*+(?:(?:\\[\s\S]|"(?!""))[^"\\]*+)*+(?:"{3,5})?'
    + r'|[^"\\\n]*+(?:\\[^\n][^"\\\n]*+)*+"?)'
    + r"|(?<=')(?:''[^']*+(?:'(?!'')[^']*+)*+(?:'{3,5})?|[^'\n]*+'?)"
    + r")|[^\n]*+)"
)  # fmt: skip
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# Bare keys, numbers, dates and booleans: runs of what is not space, a quote or punctuation.
_BARE_WORD = re.compile(r'[^\s"=,.\[\]{}]++')
_NOT_BRACKETS = re.compile(r"[^\[\]{}]++")
_EMPTY_PAIR = re.compile(r"[\[{][\]}]")
# MAX_KEY_PARTS dots joining single parts: a key of more than MAX_KEY_PARTS parts. Strings have
# become "" by then.
_LONG_KEY = re.compile(r'\.(?:[ \t]*+(?:[\w-]++|"")[ \t]*+\.)' + f"{{{MAX_KEY_PARTS - 1}}}")


def read_toml(path: Path) -> dict[str, Any]:
    """Parse the TOML document at `path`, refusing anything that is not a small regular file."""
    # tomllib reads a CRLF line break as LF, and so does everything here.
    text = _decode(path, _read_bytes(path)).replace("\r\n", "\n")
    scan(path, text)
    try:
        return tomli.loads(text)
    except tomli.TOMLDecodeError as error:
        raise RoutineError([_toml_problem(path, text, error)]) from None
    except RecursionError:
        raise RoutineError([Problem(path, "not valid TOML: nested too deeply")]) from None
    except ValueError:  # int() refuses more than 4300 digits
        raise RoutineError(
            [Problem(path, "not valid TOML: a number has too many digits")]
        ) from None


def scan(path: Path, text: str) -> None:
    """Refuse, before parsing, a document that would be slow to parse or is far too large.

    Every pass is linear and runs in the regular expression engine or in str methods, never in
    a Python loop over characters or tokens.
    """
    control = _CONTROL.search(text)
    if control is not None:
        # TOML allows no control character but tab and line breaks, anywhere: tomllib refuses
        # them too, but only after a Python loop over everything before them.
        raise RoutineError([_control_problem(path, text, control.start())])
    lines = text.count("\n") + (not text.endswith("\n"))
    if lines > MAX_LINES:
        _refuse(path, f"it has {lines:,} lines; at most {MAX_LINES:,}")
    # Each string and comment costs the split below a little, whatever its length: count them
    # (generously: an apostrophe in a text counts too) before it runs.
    quote_marks = text.count('"') + text.count("'") + text.count("#")
    if quote_marks > MAX_QUOTE_MARKS:
        _refuse(
            path, f"it has {quote_marks:,} quotation marks and # signs; at most {MAX_QUOTE_MARKS:,}"
        )
    pieces = _STRINGS_AND_COMMENTS.split(text)
    outside = '""'.join(pieces[0::2])  # comments become "" too: harmless for what is counted
    strings = "".join(filter(None, pieces[1::2]))
    if len(strings) > MAX_STRING_CHARS:
        _refuse(path, f"its strings hold {len(strings):,} characters; at most {MAX_STRING_CHARS:,}")
    backslashes = strings.count("\\")
    if backslashes > MAX_BACKSLASHES:
        _refuse(path, f"its strings hold {backslashes:,} backslashes; at most {MAX_BACKSLASHES:,}")
    if len(outside) > MAX_OUTSIDE_CHARS:
        _refuse(
            path,
            f"it has {len(outside):,} characters outside strings and comments; "
            f"at most {MAX_OUTSIDE_CHARS:,}",
        )
    # What tomllib spends its time on: each word, string and punctuation mark; a [ twice, as a
    # table name costs more than the rest.
    strings_count = len(pieces) // 2 - pieces[1::2].count(None)
    items = _BARE_WORD.subn("", outside)[1] + strings_count + outside.count("[")
    items += sum(outside.count(mark) for mark in "=,.[{")
    if items > MAX_ITEMS:
        _refuse(
            path,
            f"it has {items:,} keys, values, tables and punctuation marks; at most {MAX_ITEMS:,}",
        )
    if _LONG_KEY.search(outside):
        _refuse(path, f"a dotted key or table name has more than {MAX_KEY_PARTS} parts")
    if _too_deep(outside):
        _refuse(path, f"arrays or inline tables are nested more than {MAX_NESTING} deep")


def _refuse(path: Path, why: str) -> NoReturn:
    message = f"too large or complex to be a routine, so not read: {why}"
    raise RoutineError([Problem(path, message)])


def _control_problem(path: Path, text: str, position: int) -> Problem:
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    code = ord(text[position])
    what = "a carriage return" if code == 0x0D else "a control character"
    message = (
        f"not valid TOML: {what} (U+{code:04X}); only tabs and line breaks may appear as they are"
    )
    return Problem(path, message, line=line, column=column)


def _too_deep(outside: str) -> bool:
    """Whether arrays or inline tables nest more than MAX_NESTING deep (or are left open)."""
    brackets = _NOT_BRACKETS.sub("", outside)
    for _ in range(MAX_NESTING):
        brackets, removed = _EMPTY_PAIR.subn("", brackets)
        if not removed:
            break
    # Left: an innermost pair deeper than MAX_NESTING, or closers then openers never closed.
    return bool(_EMPTY_PAIR.search(brackets)) or len(brackets.lstrip("]}")) > MAX_NESTING


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


def _toml_problem(path: Path, text: str, error: tomli.TOMLDecodeError) -> Problem:
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
