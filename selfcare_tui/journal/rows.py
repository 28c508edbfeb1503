"""An entry as a row of the journal's index (`journal.index`), and back: the index imports this
module only when it writes rows or builds entries, so a read that only lists (`history --json`)
loads none of the journal's model."""

from __future__ import annotations

import json
import math
import struct
import zlib
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple

from selfcare_tui import file_cache as cached
from selfcare_tui.file_cache import Signature
from selfcare_tui.journal.codec import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    SIDE_PAIN_KEYS,
    check_steps,
    check_times,
)
from selfcare_tui.journal.listing import entry_json, steps_json
from selfcare_tui.journal.model import (
    Ending,
    Overall,
    Reflection,
    SessionEntry,
    SessionFacts,
    StepLog,
)
from selfcare_tui.vocabulary import Side, StepOutcome, Tailoring

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class Row(NamedTuple):
    """An entry's row, ready to write."""

    name: str
    found: Signature | None
    started_us: int
    local_date: str
    practice: bool
    row: str
    listing: bytes
    steps: str
    steps_listing: bytes
    facts: bytes

    @classmethod
    def of(cls, name: str, found: Signature | None, entry: SessionEntry) -> Row:
        return cls(
            name, found, _microseconds(entry.started_at), entry.started_at.date().isoformat(),
            entry.practice, cached.dumps(_row(entry)),
            json.dumps(entry_json(entry, name, steps=False)).encode("ascii"),
            cached.dumps(_steps_row(entry.steps)), json.dumps(steps_json(entry)).encode("ascii"),
            packed_facts(entry.facts),
        )  # fmt: skip


def _microseconds(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(microseconds=1)


def _row(entry: SessionEntry) -> dict[str, Any]:
    """An entry as named fields, but its steps (stored apart, once per distinct list)."""
    reflection, t = entry.reflection, entry.tailoring
    return {
        "routine_id": entry.routine_id,
        "routine_title": entry.routine_title,
        "format_version": entry.format_version,
        "started_at": entry.started_at.isoformat(),
        "ended_at": entry.ended_at.isoformat(),
        "ending": entry.ending.value,
        "practice": entry.practice,
        "tailoring": [t.more_time.value, t.only.value, t.shorter],
        "resumed": entry.resumed,
        "reflection": {
            "pain_before": reflection.pain_before,
            "pain_after": reflection.pain_after,
            **{key: getattr(reflection, key) for key in SIDE_PAIN_KEYS},
            "overall": reflection.overall.value if reflection.overall else None,
            "easier_steps": reflection.easier_steps,
            "harder_steps": reflection.harder_steps,
            "sharp_pain": reflection.sharp_pain,
            "sharp_pain_steps": reflection.sharp_pain_steps,
            "note": reflection.note,
        },
    }


def _steps_row(steps: list[StepLog]) -> list[dict[str, Any]]:
    return [
        {
            "index": step.index,
            "title": step.title,
            "side": step.side.value,
            "outcome": step.outcome.value,
            "seconds_planned": step.seconds_planned,
            "seconds_spent": step.seconds_spent,
            "seconds_added": step.seconds_added,
            "ended_early": step.ended_early,
        }
        for step in steps
    ]


# Looking a value up in these both checks it (KeyError, or TypeError if unhashable) and is
# much faster than calling the enum.
_ENDINGS = {ending.value: ending for ending in Ending}
_OVERALLS: dict[str | None, Overall | None] = {None: None, **{o.value: o for o in Overall}}
_SIDES = {side.value: side for side in Side}
_OUTCOMES = {outcome.value: outcome for outcome in StepOutcome}
_ONE_SIDE = {side.value: side for side in (Side.LEFT, Side.RIGHT, Side.NONE)}


class RowReader:
    """Builds entries from rows; each distinct list of steps is checked and built once, and
    shared by the entries that logged it.

    Anything unexpected in a row raises (BadRow, KeyError, ValueError...), and the file is then
    read again.
    """

    def __init__(self) -> None:
        self._steps: dict[int, list[StepLog]] = {}

    def entry(self, row: dict[str, Any], steps: str, steps_id: int) -> SessionEntry:
        entry = SessionEntry(
            routine_id=cached.text(row, "routine_id"),
            routine_title=cached.text(row, "routine_title"),
            format_version=cached.whole(row, "format_version"),
            started_at=_moment(row, "started_at"),
            ended_at=_moment(row, "ended_at"),
            ending=_ENDINGS[row["ending"]],
            steps=list(self._step_logs(steps, steps_id)),  # its own list, of shared steps
            reflection=_reflection(cached.obj(row, "reflection")),
            practice=cached.flag(row, "practice"),
            tailoring=_tailoring(row["tailoring"]),
            resumed=cached.whole(row, "resumed"),
        )
        check_times(entry)  # a row is held to what a file is (its steps as they are built)
        return entry

    def _step_logs(self, steps: str | None, steps_id: int) -> list[StepLog]:
        built = self._steps.get(steps_id)
        if built is None:
            if steps is None:  # no such list
                raise cached.BadRow("steps")
            parsed = json.loads(steps)
            if type(parsed) is not list or any(type(step) is not dict for step in parsed):
                raise cached.BadRow("steps")
            built = [_step_log(step) for step in parsed]
            check_steps(built)
            self._steps[steps_id] = built
        return built


def _step_log(row: dict[str, Any]) -> StepLog:
    return StepLog(
        index=cached.whole(row, "index"),
        title=cached.text(row, "title"),
        side=_SIDES[row["side"]],
        outcome=_OUTCOMES[row["outcome"]],
        seconds_planned=cached.whole(row, "seconds_planned"),
        seconds_spent=cached.number(row, "seconds_spent"),
        seconds_added=cached.whole(row, "seconds_added"),
        ended_early=cached.flag(row, "ended_early"),
    )


def _tailoring(row: list[Any]) -> Tailoring:
    more_time, only, shorter = row
    if type(shorter) is not bool:
        raise cached.BadRow("tailoring")
    return Tailoring(_ONE_SIDE[more_time], _ONE_SIDE[only], shorter)


def _reflection(row: dict[str, Any]) -> Reflection:
    return Reflection(
        pain_before=_pain(row, "pain_before"),
        pain_after=_pain(row, "pain_after"),
        pain_before_left=_pain(row, "pain_before_left"),
        pain_before_right=_pain(row, "pain_before_right"),
        pain_after_left=_pain(row, "pain_after_left"),
        pain_after_right=_pain(row, "pain_after_right"),
        overall=_OVERALLS[row["overall"]],
        easier_steps=cached.wholes(row, "easier_steps"),
        harder_steps=cached.wholes(row, "harder_steps"),
        sharp_pain=None if row["sharp_pain"] is None else cached.flag(row, "sharp_pain"),
        sharp_pain_steps=cached.wholes(row, "sharp_pain_steps"),
        note=cached.text(row, "note"),
    )


def _pain(row: dict[str, Any], key: str) -> int | None:
    value = cached.optional_whole(row, key)
    if value is not None and not 0 <= value <= 10:
        raise cached.BadRow(key)
    return value


def _moment(row: dict[str, Any], key: str) -> datetime:
    moment = datetime.fromisoformat(cached.text(row, key))
    if moment.utcoffset() is None:
        raise cached.BadRow(key)
    return moment


FACTS = struct.Struct("<I4bBdd")
"""SessionFacts packed: the day (its ordinal), the four pain scores (-1 for none), flags (the
bits below), the seconds left and right; the CRC-32 of these bytes follows."""
_NO_SCORE = -1
_BY_SIDE, _SHARP_PAIN_ANSWERED, _SHARP_PAIN, _PHYSICIAN_FIRST, _PRACTICE = 1, 2, 4, 8, 16
_FLAGS = 31
_DAYS = range(date(EARLIEST_YEAR, 1, 1).toordinal(), date(LATEST_YEAR, 12, 31).toordinal() + 1)
"""The days an entry may start on, as ordinals (the codec's rule)."""


def packed_facts(facts: SessionFacts) -> bytes:
    flags = (
        _BY_SIDE * facts.by_side
        | _SHARP_PAIN_ANSWERED * (facts.sharp_pain is not None)
        | _SHARP_PAIN * bool(facts.sharp_pain)
        | _PHYSICIAN_FIRST * facts.physician_first
        | _PRACTICE * facts.practice
    )
    scores = (facts.pain_before, facts.pain_after, facts.pain_before_left, facts.pain_before_right)
    packed = FACTS.pack(
        facts.local_date.toordinal(),
        *(_NO_SCORE if score is None else score for score in scores),
        flags,
        facts.left_seconds,
        facts.right_seconds,
    )
    return packed + zlib.crc32(packed).to_bytes(4, "little")


_SCORES: dict[int, int | None] = {_NO_SCORE: None, **{score: score for score in range(11)}}
"""A packed score as it was: a KeyError for anything else."""


def unpacked_facts(packed: object, days: dict[int, date]) -> SessionFacts:
    """The facts of one row (`days`: dates already made, by ordinal: sessions share days)."""
    if (
        type(packed) is not bytes
        or len(packed) != FACTS.size + 4
        or zlib.crc32(packed[:-4]) != int.from_bytes(packed[-4:], "little")
    ):
        raise cached.BadRow("facts")
    day, before, after, left, right, flags, left_seconds, right_seconds = FACTS.unpack_from(packed)
    # Held to what a file may hold, as rows are: the CRC finds damage, not a hand-made row.
    if day not in _DAYS or flags & ~_FLAGS or not _seconds(left_seconds, right_seconds):
        raise cached.BadRow("facts")
    local_date = days.get(day) or days.setdefault(day, date.fromordinal(day))
    return SessionFacts(
        local_date, _SCORES[before], _SCORES[after], _SCORES[left], _SCORES[right],
        bool(flags & _BY_SIDE),
        bool(flags & _SHARP_PAIN) if flags & _SHARP_PAIN_ANSWERED else None,
        bool(flags & _PHYSICIAN_FIRST), left_seconds, right_seconds, bool(flags & _PRACTICE),
    )  # fmt: skip


def _seconds(*seconds: float) -> bool:
    return all(math.isfinite(value) and value >= 0 for value in seconds)
