"""Text from files, the user or the environment, made safe for where it goes.

`one_line` for a terminal line or a label; `markdown_inline` for Markdown we write (the export)
or render (the app's notices).
"""

from __future__ import annotations

from functools import lru_cache

_MARKDOWN_ESCAPES = str.maketrans({char: "\\" + char for char in "\\`*_[]<>#|"})


def one_line(text: str) -> str:
    """One line, with control characters (escape included) removed."""
    cleaned = "".join(char if char.isprintable() else " " for char in text)
    return " ".join(cleaned.split())


@lru_cache(maxsize=4096)
def markdown_inline(text: str) -> str:
    """On one line, without control characters, with Markdown's active characters escaped."""
    return one_line(text).translate(_MARKDOWN_ESCAPES)


def escaped(text: str) -> str:
    """On one line, every character that is not printable written as an escape such as \\x1b.

    For names that must stay recognisable, such as a file's: control characters, bidirectional
    overrides, line breaks and the stand-ins for undecodable bytes in file names (surrogates) are
    shown as `\\x1b`, `\\u202e`, `\\n` or `\\udcff` instead of acting on the terminal.
    """
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else _escape(char) for char in text)


def _escape(char: str) -> str:
    code = ord(char)
    if char in "\n\t\r":
        return repr(char)[1:-1]
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
