"""Problems found in a routine file, each pointing at a line or a key the author can find."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    path: Path
    message: str
    key: str | None = None
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        if self.line is not None:
            return f"{self.path}:{self.line}:{self.column or 1}: {self.message}"
        if self.key:
            return f"{self.path}: {self.key}: {self.message}"
        return f"{self.path}: {self.message}"


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
    if re.fullmatch(r"[A-Za-z0-9_-]+", name):
        return name
    quoted = json.dumps(name, ensure_ascii=False)
    return "".join(char if char.isprintable() else f"\\u{ord(char):04x}" for char in quoted)
