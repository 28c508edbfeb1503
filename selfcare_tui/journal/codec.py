"""A journal entry as a TOML document (journal format 1), and back.

One file per session::

    journal_format = 1
    routine_id = "ql-glute-basics"
    routine_title = "QL and gluteus medius basics"
    routine_format_version = 1
    ending = "completed"                       # completed | quit | interrupted
    started_at = 2026-03-29T00:30:00Z          # the instant, in UTC
    started_at_local = 2026-03-29T00:30:00Z    # the same instant with the user's offset then
    ended_at = 2026-03-29T01:30:00Z
    ended_at_local = 2026-03-29T02:30:00+01:00 # the offset may differ: daylight saving
    duration_seconds = 3600.0                  # informative; recomputed from the instants
    practice = true                            # only for a --speed run: not a real session
    resumed = 1                                # only if resumed after being cut off

    [seconds_by_side]                          # informative; recomputed from the steps
    left = 90.0
    right = 90.0
    both = 30.0
    none = 0.0

    [tailoring]                                # only if not played as written
    more_time = "left"                         # that side's holds +50 %
    only = "left"                              # the other side's steps left out
    shorter = true                             # holds two thirds as long (never under 10 s)

    [reflection]                               # a skipped answer is simply absent
    pain_before = 6                            # one score, or the sorer side's
    pain_after = 4
    pain_before_left = 6                       # only when each side was scored apart
    pain_before_right = 3
    pain_after_left = 4
    pain_after_right = 3
    overall = "better"                         # better | same | worse
    easier_steps = [0]                         # step indexes (0-based; step 1 is index 0)
    harder_steps = [2]
    sharp_pain = false                         # absent when the question was skipped
    sharp_pain_steps = []
    note = "Left side tighter."

    [[steps]]
    index = 0
    title = "Standing side bend"
    side = "left"                              # left | right | both | none
    outcome = "done"                           # done | skipped | partial | not_reached
    seconds_planned = 90
    seconds_spent = 90.0
    seconds_added = 10                         # only if the user added time during the hold
    ended_early = true                         # only if the user ended the hold early

The local datetimes are the truth for the model (they keep the offset the user lived in); the UTC
ones sort and compare without any time-zone database. Both are TOML offset datetimes, so any TOML
reader gets the exact instant.

Compatibility: keys this version does not know are ignored, so a later version may add keys
without a new format number. A file with a `journal_format` above ours is reported ("written by a
newer selfcare"), not guessed at; a TOML file without `journal_format` is reported as foreign.

Every file is checked as it is read, since a journal may be copied, edited or crafted: dates in
1970–2200, the end not before the start, finite seconds from 0 to a day, step indexes unique.
A file that fails is reported with the reason.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timezone
from typing import Any

from selfcare_tui.journal.model import (
    Ending,
    Overall,
    Reflection,
    SessionEntry,
    StepLog,
)
from selfcare_tui.vocabulary import Side, StepOutcome, Tailoring

JOURNAL_FORMAT = 1
SIDES = tuple(side.value for side in Side)
OUTCOMES = tuple(outcome.value for outcome in StepOutcome)
ONE_SIDE = (Side.LEFT.value, Side.RIGHT.value, Side.NONE.value)
"""What a tailoring side may be in a file ("none" is what an absent key means)."""


class EntryError(ValueError):
    """A journal file that cannot be read as an entry; the message is one line for the user."""


def entry_to_document(entry: SessionEntry) -> dict[str, Any]:
    """The TOML document for `entry` (tomli-w ready: no None anywhere)."""
    _require_aware(entry.started_at, "started_at")
    _require_aware(entry.ended_at, "ended_at")
    reflection = entry.reflection
    answers: dict[str, Any] = {}
    if reflection.pain_before is not None:
        answers["pain_before"] = reflection.pain_before
    if reflection.pain_after is not None:
        answers["pain_after"] = reflection.pain_after
    for key in SIDE_PAIN_KEYS:
        if getattr(reflection, key) is not None:
            answers[key] = getattr(reflection, key)
    if reflection.overall is not None:
        answers["overall"] = reflection.overall.value
    answers |= {
        "easier_steps": list(reflection.easier_steps),
        "harder_steps": list(reflection.harder_steps),
    }
    if reflection.sharp_pain is not None:
        answers["sharp_pain"] = reflection.sharp_pain
    answers |= {"sharp_pain_steps": list(reflection.sharp_pain_steps), "note": reflection.note}
    extra: dict[str, Any] = {"practice": True} if entry.practice else {}
    if entry.resumed:
        extra["resumed"] = entry.resumed
    if not entry.tailoring.as_written:
        extra["tailoring"] = _tailoring_table(entry.tailoring)
    return {
        "journal_format": JOURNAL_FORMAT,
        "routine_id": entry.routine_id,
        "routine_title": entry.routine_title,
        "routine_format_version": entry.format_version,
        "ending": entry.ending.value,
        "started_at": entry.started_at.astimezone(UTC),
        "started_at_local": _fixed_offset(entry.started_at),
        "ended_at": entry.ended_at.astimezone(UTC),
        "ended_at_local": _fixed_offset(entry.ended_at),
        "duration_seconds": round(entry.duration_seconds, 1),
        **extra,
        "seconds_by_side": {side: round(s, 1) for side, s in entry.seconds_by_side.items()},
        "reflection": answers,
        "steps": [
            {
                "index": step.index,
                "title": step.title,
                "side": step.side,
                "outcome": step.outcome,
                "seconds_planned": step.seconds_planned,
                "seconds_spent": float(step.seconds_spent),
                **({"seconds_added": step.seconds_added} if step.seconds_added else {}),
                **({"ended_early": True} if step.ended_early else {}),
            }
            for step in entry.steps
        ],
    }


def entry_from_document(document: dict[str, Any]) -> SessionEntry:
    """The entry in a parsed TOML document; EntryError names the first bad key."""
    version = document.get("journal_format")
    if version is None:
        raise EntryError("not a selfcare journal entry (no journal_format key)")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise EntryError(f"journal_format: expected a whole number from 1, not {version!r}")
    if version > JOURNAL_FORMAT:
        raise EntryError(
            f"journal_format {version} was written by a newer selfcare (this one reads "
            f"{JOURNAL_FORMAT}); the file is left as it is"
        )
    started = _when(document, "started_at")
    ended = _when(document, "ended_at")
    reflection = _reflection(_table(document, "reflection", required=False))
    steps = [_step(step, n) for n, step in enumerate(_array(document, "steps"))]
    entry = SessionEntry(
        routine_id=_get(document, "routine_id", str),
        routine_title=_get(document, "routine_title", str),
        format_version=_get(document, "routine_format_version", int),
        started_at=started,
        ended_at=ended,
        ending=_enum(document, "ending", Ending),
        steps=steps,
        reflection=reflection,
        practice=_get(document, "practice", bool, default=False),
        tailoring=_tailoring(_table(document, "tailoring", required=False)),
        resumed=_get(document, "resumed", int, default=0),
    )
    check_entry(entry)
    return entry


EARLIEST_YEAR, LATEST_YEAR = 1970, 2200
MAX_STEP_SECONDS = 24 * 3600
MAX_RESUMES = 1000
SIDE_PAIN_KEYS = ("pain_before_left", "pain_before_right", "pain_after_left", "pain_after_right")


def check_entry(entry: SessionEntry) -> None:
    """An entry a therapist can rely on, or EntryError naming what is wrong."""
    check_times(entry)
    check_steps(entry.steps)


def check_times(entry: SessionEntry) -> None:
    """check_entry but for the steps: its start, end and resumes."""
    for name, moment in (("started_at", entry.started_at), ("ended_at", entry.ended_at)):
        try:
            year = moment.astimezone(UTC).year
        except OverflowError:
            year = 0
        if not EARLIEST_YEAR <= year <= LATEST_YEAR:
            raise EntryError(f"{name}: expected a date from {EARLIEST_YEAR} to {LATEST_YEAR}")
    if entry.duration_seconds < 0:
        raise EntryError("ended_at: before started_at")
    if not 0 <= entry.resumed <= MAX_RESUMES:
        raise EntryError(f"resumed: expected 0 to {MAX_RESUMES}")


def check_steps(steps: list[StepLog]) -> None:
    """check_entry for the steps alone: each logged once, with sane seconds."""
    seen: set[int] = set()
    for n, step in enumerate(steps):
        if step.index in seen:
            raise EntryError(f"steps[{n}].index: {step.index} is logged twice")
        seen.add(step.index)
        planned, spent = step.seconds_planned, step.seconds_spent
        if not 0 <= planned <= MAX_STEP_SECONDS:
            raise EntryError(f"steps[{n}].seconds_planned: expected 0 to {MAX_STEP_SECONDS}")
        if not (math.isfinite(spent) and 0 <= spent <= MAX_STEP_SECONDS):
            raise EntryError(f"steps[{n}].seconds_spent: expected 0 to {MAX_STEP_SECONDS}")
        if not 0 <= step.seconds_added <= MAX_STEP_SECONDS:
            raise EntryError(f"steps[{n}].seconds_added: expected 0 to {MAX_STEP_SECONDS}")


# -- writing -------------------------------------------------------------------------------------


def _require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, not {moment!r}")


def _fixed_offset(moment: datetime) -> datetime:
    """The same wall time with its offset frozen (a ZoneInfo cannot go into TOML by name)."""
    offset = moment.utcoffset()
    assert offset is not None
    return moment.replace(tzinfo=UTC if not offset else timezone(offset), fold=0)


def _tailoring_table(tailoring: Tailoring) -> dict[str, Any]:
    table: dict[str, Any] = {}
    if tailoring.more_time.one_sided:
        table["more_time"] = tailoring.more_time.value
    if tailoring.only.one_sided:
        table["only"] = tailoring.only.value
    if tailoring.shorter:
        table["shorter"] = True
    return table


# -- reading -------------------------------------------------------------------------------------


def _tailoring(table: dict[str, Any]) -> Tailoring:
    sides = {}
    for key in ("more_time", "only"):
        value = table.get(key, Side.NONE.value)
        if value not in ONE_SIDE:
            raise EntryError(f'tailoring.{key}: expected "left" or "right", not {value!r}')
        sides[key] = Side(value)
    shorter = _get(table, "shorter", bool, default=False, where="tailoring")
    return Tailoring(sides["more_time"], sides["only"], shorter)


def _when(document: dict[str, Any], key: str) -> datetime:
    """The local offset datetime, checked against the UTC one when both are present."""
    local = document.get(f"{key}_local")
    instant = document.get(key)
    for name, value in ((f"{key}_local", local), (key, instant)):
        if value is not None and not (isinstance(value, datetime) and value.tzinfo is not None):
            raise EntryError(f"{name}: expected a date and time with an offset, not {value!r}")
    if local is None and instant is None:
        raise EntryError(f"{key}: missing")
    if local is not None and instant is not None and local != instant:
        raise EntryError(f"{key} and {key}_local name different moments")
    chosen = local if local is not None else instant
    assert isinstance(chosen, datetime)
    return chosen


def _reflection(table: dict[str, Any]) -> Reflection:
    pain_before = _pain(table, "pain_before")
    pain_after = _pain(table, "pain_after")
    overall = _enum(table, "overall", Overall, required=False)
    return Reflection(
        pain_before=pain_before,
        pain_after=pain_after,
        pain_before_left=_pain(table, "pain_before_left"),
        pain_before_right=_pain(table, "pain_before_right"),
        pain_after_left=_pain(table, "pain_after_left"),
        pain_after_right=_pain(table, "pain_after_right"),
        overall=overall,
        easier_steps=_indexes(table, "easier_steps"),
        harder_steps=_indexes(table, "harder_steps"),
        sharp_pain=_get(table, "sharp_pain", bool, default=None, where="reflection"),
        sharp_pain_steps=_indexes(table, "sharp_pain_steps"),
        note=_get(table, "note", str, default="", where="reflection"),
    )


def _pain(table: dict[str, Any], key: str) -> int | None:
    value = table.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise EntryError(f"reflection.{key}: expected a whole number from 0 to 10, not {value!r}")
    return value


def _indexes(table: dict[str, Any], key: str) -> list[int]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(
        isinstance(item, int) and not isinstance(item, bool) and item >= 0 for item in value
    ):
        raise EntryError(f"reflection.{key}: expected a list of step indexes, not {value!r}")
    return list(value)


def _step(table: object, n: int) -> StepLog:
    where = f"steps[{n}]"
    if not isinstance(table, dict):
        raise EntryError(f"{where}: expected a table, not {table!r}")
    side = _get(table, "side", str, where=where)
    if side not in SIDES:
        raise EntryError(f"{where}.side: expected one of {', '.join(SIDES)}, not {side!r}")
    outcome = _get(table, "outcome", str, where=where)
    if outcome not in OUTCOMES:
        raise EntryError(f"{where}.outcome: expected one of {', '.join(OUTCOMES)}, not {outcome!r}")
    spent = _get(table, "seconds_spent", float, where=where)
    return StepLog(
        index=_get(table, "index", int, where=where),
        title=_get(table, "title", str, where=where),
        side=Side(side),
        outcome=StepOutcome(outcome),
        seconds_planned=_get(table, "seconds_planned", int, where=where),
        seconds_spent=float(spent),
        seconds_added=_get(table, "seconds_added", int, default=0, where=where),
        ended_early=_get(table, "ended_early", bool, default=False, where=where),
    )


_MISSING = object()


def _get(
    table: dict[str, Any], key: str, kind: type, default: Any = _MISSING, where: str = ""
) -> Any:
    name = f"{where}.{key}" if where else key
    value = table.get(key, _MISSING)
    if value is _MISSING:
        if default is _MISSING:
            raise EntryError(f"{name}: missing")
        return default
    accepted: tuple[type, ...] = (int, float) if kind is float else (kind,)
    if isinstance(value, bool) is not (kind is bool) or not isinstance(value, accepted):
        raise EntryError(f"{name}: expected {_KIND_NAMES[kind]}, not {value!r}")
    return value


_KIND_NAMES = {str: "text", int: "a whole number", float: "a number", bool: "true or false"}


def _enum(table: dict[str, Any], key: str, kind: Any, required: bool = True) -> Any:
    value = table.get(key)
    if value is None and not required:
        return None
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(member.value for member in kind)
        raise EntryError(f"{key}: expected one of {choices}, not {value!r}") from None


def _table(document: dict[str, Any], key: str, required: bool = True) -> dict[str, Any]:
    value = document.get(key, _MISSING)
    if value is _MISSING and not required:
        return {}
    if not isinstance(value, dict):
        raise EntryError(f"{key}: expected a table, not {value!r}")
    return value


def _array(document: dict[str, Any], key: str) -> list[Any]:
    value = document.get(key, [])
    if not isinstance(value, list):
        raise EntryError(f"{key}: expected an array of tables, not {value!r}")
    return value
