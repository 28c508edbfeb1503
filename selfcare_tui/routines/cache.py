"""A cache of loaded routines, so a large library lists fast after its first load.

A `file_cache.FileCache` in the user's cache folder: one row per routine file, keyed by the
file's absolute path and its size, modification and change times, so a changed file is read
again. A row holds the routine, or the problems that kept it from loading, as JSON objects with
named fields. It is only a cache: when it is missing, stale, broken or unwritable, or a row does
not decode, routines are simply loaded from their TOML files.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from selfcare_tui import __version__
from selfcare_tui import file_cache as cached
from selfcare_tui.file_cache import FileCache, signature
from selfcare_tui.private_files import clean_stale_temps, make_private_folder
from selfcare_tui.routines.loader import load_routine
from selfcare_tui.routines.model import Cue, Kind, Reference, Routine, Side, Source, Step
from selfcare_tui.routines.problems import Problem, RoutineError
from selfcare_tui.vocabulary import CountdownStyle

CACHE_FORMAT = f"routines-5/{__version__}"
"""The stamp of the rows: another version of selfcare may load routines differently."""


class RoutineCache:
    def __init__(self, file: Path | None) -> None:
        self.file = file
        self._cache = FileCache(file, CACHE_FORMAT)

    def load(self, path: Path, source: Source) -> Routine:
        """The routine at `path`, from the cache when the file has not changed."""
        key = os.path.abspath(path)
        known = signature(path)
        if known is not None:
            found = self._cache.fetch(key, known, lambda row: _decode(row, path, source))
            if isinstance(found, RoutineError):
                raise found
            if found is not None:
                return found
        try:
            routine = load_routine(path, source)
        except RoutineError as error:
            self._cache.put(key, known, {"problems": [_problem_row(p) for p in error.problems]})
            raise
        self._cache.put(key, known, {"routine": _routine_row(routine)})
        return routine

    def save(self) -> None:
        """Write the cache if anything changed, forgetting files that are gone."""
        if self.file is None or not self._cache.changed:
            return
        with contextlib.suppress(OSError):  # a cache that cannot be written is only slower
            folder = make_private_folder(self.file.parent)  # 0700 whatever the umask
            clean_stale_temps(folder)
        self._cache.save()


# -- rows ------------------------------------------------------------------------------------------


def _routine_row(routine: Routine) -> dict[str, Any]:
    return {
        "id": routine.id,
        "title": routine.title,
        "summary": routine.summary,
        "format_version": routine.format_version,
        "muscles": list(routine.muscles),
        "steps": [_step_row(step) for step in routine.steps],
        "references": [
            {"key": ref.key, "title": ref.title, "url": ref.url} for ref in routine.references
        ],
        "countdown": routine.countdown.value if routine.countdown else None,
    }


def _step_row(step: Step) -> dict[str, Any]:
    return {
        "index": step.index,
        "title": step.title,
        "kind": step.kind.value,
        "side": step.side.value,
        "seconds": step.seconds,
        "muscles": list(step.muscles),
        "text": step.text,
        "speech": step.speech,
        "cues": [{"at_second": cue.at_second, "text": cue.text} for cue in step.cues],
        "cautions": list(step.cautions),
        "repetitions": step.repetitions,
        "hold_seconds": step.hold_seconds,
        "sources": list(step.sources),
    }


def _problem_row(problem: Problem) -> dict[str, Any]:
    return {
        "message": problem.message,
        "key": problem.key,
        "line": problem.line,
        "column": problem.column,
    }


# Looking a value up in these both checks it (KeyError, or TypeError if unhashable) and is
# much faster than calling the enum.
_KINDS = {kind.value: kind for kind in Kind}
_SIDES = {side.value: side for side in Side}


def _decode(row: dict[str, Any], path: Path, source: Source) -> Routine | RoutineError:
    """The routine, or the error, in a row; raises (BadRow, KeyError...) if the row is damaged."""
    if "problems" in row:
        problems = [_problem(fields, path) for fields in cached.objects(row, "problems")]
        if not problems:
            raise cached.BadRow("problems")
        return RoutineError(problems)
    data = cached.obj(row, "routine")
    return Routine(
        id=cached.text(data, "id"),
        title=cached.text(data, "title"),
        summary=cached.text(data, "summary"),
        format_version=cached.whole(data, "format_version"),
        muscles=tuple(cached.texts(data, "muscles")),
        steps=tuple(_step(step) for step in cached.objects(data, "steps")),
        path=path,
        source=source,
        references=tuple(_reference(ref) for ref in cached.objects(data, "references")),
        countdown=_countdown(cached.optional_text(data, "countdown")),
    )


def _countdown(value: str | None) -> CountdownStyle | None:
    return None if value is None else CountdownStyle(value)  # ValueError: a damaged row


def _step(row: dict[str, Any]) -> Step:
    return Step(
        index=cached.whole(row, "index"),
        title=cached.text(row, "title"),
        kind=_KINDS[row["kind"]],
        side=_SIDES[row["side"]],
        seconds=cached.whole(row, "seconds"),
        muscles=tuple(cached.texts(row, "muscles")),
        text=cached.text(row, "text"),
        speech=cached.text(row, "speech"),
        cues=tuple(_cue(cue) for cue in cached.objects(row, "cues")),
        cautions=tuple(cached.texts(row, "cautions")),
        repetitions=cached.whole(row, "repetitions"),
        hold_seconds=cached.whole(row, "hold_seconds"),
        sources=tuple(cached.texts(row, "sources")),
    )


def _cue(row: dict[str, Any]) -> Cue:
    return Cue(at_second=cached.whole(row, "at_second"), text=cached.text(row, "text"))


def _reference(row: dict[str, Any]) -> Reference:
    return Reference(
        key=cached.text(row, "key"), title=cached.text(row, "title"), url=cached.text(row, "url")
    )


def _problem(row: dict[str, Any], path: Path) -> Problem:
    return Problem(
        path,
        message=cached.text(row, "message"),
        key=cached.optional_text(row, "key"),
        line=cached.optional_whole(row, "line"),
        column=cached.optional_whole(row, "column"),
    )
