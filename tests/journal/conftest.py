"""Journal entries to save and load: a factory with sensible defaults."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from selfcare_tui.journal import store
from selfcare_tui.journal.model import Ending, Overall, Reflection, SessionEntry, StepLog

LONDON_SUMMER = timezone(timedelta(hours=1))

STEPS = (
    StepLog(0, "Standing side bend", "left", "done", 90, 90.0),
    StepLog(1, "Standing side bend", "right", "done", 90, 90.0),
    StepLog(2, "Figure-four", "left", "skipped", 45, 12.5),
    StepLog(3, "Figure-four", "right", "partial", 45, 30.0),
    StepLog(4, "Breathing", "none", "not_reached", 60, 0.0),
)


def build_entry(
    start: datetime | None = None,
    minutes: float = 9,
    ending: Ending = Ending.COMPLETED,
    **answers: Any,
) -> SessionEntry:
    start = start or datetime(2026, 6, 1, 7, 30, tzinfo=LONDON_SUMMER)
    reflection = Reflection(
        **{
            "pain_before": 6,
            "pain_after": 4,
            "overall": Overall.BETTER,
            "easier_steps": [0],
            "harder_steps": [2],
            "note": "Left side tighter.",
            **answers,
        }
    )
    return SessionEntry(
        "ql-glute-basics",
        "QL and gluteus medius basics",
        1,
        start,
        start + timedelta(minutes=minutes),
        ending,
        list(STEPS),
        reflection,
    )


@pytest.fixture
def make_entry() -> Callable[..., SessionEntry]:
    return build_entry


@pytest.fixture
def every_file_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every read checks each file, as it does while the folder has just changed: for tests of
    files edited in place, whatever the time the test takes."""
    monkeypatch.setattr(store, "folder_stamp", lambda info, now_ns: None)
