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
