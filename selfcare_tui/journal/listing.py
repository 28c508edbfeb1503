"""A journal entry as `selfcare history --json` lists it (keys in journal.commands' docstring).

Below the command and the index, which keeps each entry's listing ready (journal.index).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from selfcare_tui.journal.model import SessionEntry
from selfcare_tui.vocabulary import Side


def entry_json(entry: SessionEntry, name: str, steps: bool = True) -> dict[str, Any]:
    """One session for `history --json` (keys documented in the module docstring)."""
    reflection = entry.reflection
    started, ended = entry.started_at, entry.ended_at
    started_utc, ended_utc = started.astimezone(UTC), ended.astimezone(UTC)
    started_text = started.isoformat()  # each worked out once: 10,000 entries add up
    item = {
        "file": name,
        "routine_id": entry.routine_id,
        "routine_title": entry.routine_title,
        "routine_format_version": entry.format_version,
        "date": started_text[:10],
        "started_at": started_text,
        "started_at_utc": _utc_text(started_utc),
        "ended_at": ended.isoformat(),
        "ended_at_utc": _utc_text(ended_utc),
        "duration_seconds": round((ended_utc - started_utc).total_seconds(), 1),
        "ending": entry.ending.value,
        "completed": entry.completed,
        "pain_before": reflection.pain_before,
        "pain_after": reflection.pain_after,
        "pain_by_side": {
            "before": {"left": reflection.pain_before_left, "right": reflection.pain_before_right},
            "after": {"left": reflection.pain_after_left, "right": reflection.pain_after_right},
        },
        "overall": reflection.overall.value if reflection.overall else None,
        "easier_steps": reflection.easier_steps,
        "harder_steps": reflection.harder_steps,
        "sharp_pain": reflection.sharp_pain,
        "sharp_pain_steps": reflection.sharp_pain_steps,
        "note": reflection.note,
        "practice": entry.practice,
        "seconds_by_side": entry.seconds_by_side,
        "tailoring": {
            "more_time": _side_or_none(entry.tailoring.more_time),
            "only": _side_or_none(entry.tailoring.only),
            "shorter": entry.tailoring.shorter,
        },
        "resumed": entry.resumed,
    }
    if steps:
        item["steps"] = steps_json(entry)
    return item


def steps_json(entry: SessionEntry) -> list[dict[str, Any]]:
    return [
        {
            "index": step.index,
            "title": step.title,
            "side": step.side,
            "outcome": step.outcome,
            "seconds_planned": step.seconds_planned,
            "seconds_spent": step.seconds_spent,
            "seconds_added": step.seconds_added,
            "ended_early": step.ended_early,
        }
        for step in entry.steps
    ]


def _side_or_none(side: Side) -> str | None:
    return side.value if side.one_sided else None


def _utc_text(moment_in_utc: datetime) -> str:
    return moment_in_utc.isoformat()[:-6] + "Z"
