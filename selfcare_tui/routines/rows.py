"""A routine as a row of the index (`cache.py`), and back: written when a file is read afresh,
read when a routine is opened. Listing reads only the cards, so this module, and with it the
classes of steps and routines, loads only then.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

from selfcare_tui import file_cache as cached
from selfcare_tui.file_cache import Signature, signature
from selfcare_tui.routines.card import RoutineCard, Source
from selfcare_tui.routines.model import Cue, Kind, Reference, Routine, Side, Step
from selfcare_tui.routines.problems import Problem, RoutineError
from selfcare_tui.vocabulary import CountdownStyle


class Row(NamedTuple):
    signature: Signature
    card: str
    routine: str | None


def load_file(path: Path, source: Source) -> Routine | RoutineError:
    from selfcare_tui.routines.loader import load_routine  # only for a file new or changed

    try:
        return load_routine(path, source)
    except RoutineError as error:
        return error


def row_of(known: Signature, loaded: Routine | RoutineError) -> Row:
    if isinstance(loaded, RoutineError):
        problems = {"problems": [_problem_row(p) for p in loaded.problems]}
        return Row(known, cached.dumps(problems), None)
    return Row(known, cached.dumps(_card_row(loaded.card)), cached.dumps(_routine_row(loaded)))


def read_row(file: tuple[Path, Source]) -> Row | None:
    """A file's row, as a worker process reads it (None if it cannot be stat'ed)."""
    path, source = file
    known = signature(path)
    return None if known is None else row_of(known, load_file(path, source))


def _card_row(card: RoutineCard) -> dict[str, Any]:
    return {
        "id": card.id,
        "title": card.title,
        "total_seconds": card.total_seconds,
        "muscles": list(card.muscles),
    }


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


def decode_routine(data: dict[str, Any], path: Path, source: Source) -> Routine:
    """The routine in a row; raises (BadRow, KeyError...) if the row is damaged."""
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
