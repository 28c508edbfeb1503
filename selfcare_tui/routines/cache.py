"""A cache of loaded routines, so a large library lists fast after its first load.

Keyed by each file's path, size, modification and change times and inode: a changed file
is read again.
It is JSON (never pickle: loading must never run code) in the user's cache folder, and only a
cache: when it is missing, stale, broken or unwritable, routines are simply loaded from TOML.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

from selfcare_tui import __version__
from selfcare_tui.private_files import replace_private
from selfcare_tui.routines.loader import load_routine
from selfcare_tui.routines.model import Cue, Kind, Routine, Side, Source, Step
from selfcare_tui.routines.problems import Problem, RoutineError

CACHE_FORMAT = f"routines-2/{__version__}"
_KINDS = {kind.value: kind for kind in Kind}
_SIDES = {side.value: side for side in Side}


class RoutineCache:
    def __init__(self, file: Path | None) -> None:
        self.file = file
        self._rows: dict[str, dict[str, Any]] = self._read() if file else {}
        self._used: set[str] = set()
        self._changed = False

    def load(self, path: Path, source: Source) -> Routine:
        """The routine at `path`, from the cache when the file has not changed."""
        key = os.path.abspath(path)
        self._used.add(key)
        signature = _signature(path)
        row = self._rows.get(key)
        if signature is not None and row is not None and row["signature"] == signature:
            return _decode(row, path, source)
        try:
            routine = load_routine(path, source)
        except RoutineError as error:
            self._store(key, signature, {"problems": [_problem_row(p) for p in error.problems]})
            raise
        self._store(key, signature, {"routine": _routine_row(routine)})
        return routine

    def save(self) -> None:
        """Write the cache if anything changed, forgetting files that are gone."""
        if self.file is None or not (self._changed or self._rows.keys() - self._used):
            return
        rows = {key: row for key, row in self._rows.items() if key in self._used}
        document = {"format": CACHE_FORMAT, "rows": rows}
        with contextlib.suppress(OSError):
            self.file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            replace_private(self.file, json.dumps(document, separators=(",", ":")).encode())

    def _store(self, key: str, signature: list[int] | None, row: dict[str, Any]) -> None:
        if signature is not None:
            self._rows[key] = {"signature": signature, **row}
            self._changed = True

    def _read(self) -> dict[str, dict[str, Any]]:
        assert self.file is not None
        try:
            document = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(document, dict) or document.get("format") != CACHE_FORMAT:
            return {}
        rows = document.get("rows")
        return rows if isinstance(rows, dict) else {}


def _signature(path: Path) -> list[int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev]


def _decode(row: dict[str, Any], path: Path, source: Source) -> Routine:
    if "problems" in row:
        raise RoutineError(Problem(path, *fields) for fields in row["problems"])
    data = row["routine"]
    steps = tuple(_step(step) for step in data["steps"])
    return Routine(
        data["id"], data["title"], data["summary"], data["format_version"],
        tuple(data["muscles"]), steps, path, source,
    )  # fmt: skip


def _step(data: list[Any]) -> Step:
    index, title, kind, side, seconds, muscles, text, speech, cues, cautions, reps, hold = data
    return Step(
        index, title, _KINDS[kind], _SIDES[side], seconds, tuple(muscles), text, speech,
        tuple(Cue(at, cue_text) for at, cue_text in cues), tuple(cautions), reps, hold,
    )  # fmt: skip


def _routine_row(routine: Routine) -> dict[str, Any]:
    return {
        "id": routine.id,
        "title": routine.title,
        "summary": routine.summary,
        "format_version": routine.format_version,
        "muscles": list(routine.muscles),
        "steps": [_step_row(step) for step in routine.steps],
    }


def _step_row(step: Step) -> list[Any]:
    # An array, not an object: the cache of a big library decodes twice as fast.
    cues = [[cue.at_second, cue.text] for cue in step.cues]
    return [
        step.index, step.title, step.kind.value, step.side.value, step.seconds,
        list(step.muscles), step.text, step.speech, cues, list(step.cautions),
        step.repetitions, step.hold_seconds,
    ]  # fmt: skip


def _problem_row(problem: Problem) -> list[Any]:
    return [problem.message, problem.key, problem.line, problem.column]
