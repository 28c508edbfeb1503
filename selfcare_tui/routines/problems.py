"""Problems found in a routine file, each pointing at a line or a key the author can find.

A problem is printed to the terminal, so nothing in it may act on the terminal: its message and
key are escaped when it is made (they quote the file's own text), and its path when it is shown.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from selfcare_tui.text import escaped


@dataclass(frozen=True)
class Problem:
    path: Path
    message: str
    key: str | None = None
    line: int | None = None
    column: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", escaped(self.message))
        if self.key is not None:
            object.__setattr__(self, "key", escaped(self.key))

    def __str__(self) -> str:
        path = escaped(str(self.path))
        if self.line is not None:
            return f"{path}:{self.line}:{self.column or 1}: {self.message}"
        if self.key:
            return f"{path}: {self.key}: {self.message}"
        return f"{path}: {self.message}"


class RoutineError(Exception):
    """A routine could not be loaded; `problems` lists everything wrong with it."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))

    @property
    def summary(self) -> str:
        """The first problem, without the file name, for one-line listings."""
        first = self.problems[0]
        where = f"line {first.line}" if first.line is not None else first.key
        extra = f" (+{len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        return f"{where}: {first.message}{extra}" if where else f"{first.message}{extra}"


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{matches[0]}'?" if matches else ""


def key_name(name: str) -> str:
    """A TOML key as the author would write it: bare if it can be, else quoted and escaped."""
    if re.fullmatch(r"[A-Za-z0-9_-]{1,60}", name):
        return name
    if len(name) > 60:
        name = name[:57] + "..."
    quoted = json.dumps(name, ensure_ascii=False)
    return "".join(char if char.isprintable() else f"\\u{ord(char):04x}" for char in quoted)


def shown(text: str, limit: int = 40) -> str:
    """A piece of the file's own text, quoted in a message: escaped, and cut when long."""
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return escaped(text)
