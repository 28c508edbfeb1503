"""Which cut-off sessions are offered to resume: this routine's, today's, with steps left, from
a routine file that still has the steps it logged."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from apphelpers import START, tiny_library

from selfcare_tui.journal.model import SessionEntry, StepLog
from selfcare_tui.routines.model import Routine
from selfcare_tui.session.script import Choose, Play, Session, SessionParts, resume_point
from selfcare_tui.testing import FakeClock, MemoryJournal, RecordingSpeaker
from selfcare_tui.vocabulary import Ending, Side, StepOutcome, Tailoring


@pytest.fixture
def routine(tmp_path: Path) -> Routine:
    found = tiny_library(tmp_path).find("tiny-sides")
    assert found is not None and found.routine is not None
    return found.routine


def cut_off(routine: Routine, **changes: object) -> SessionEntry:
    steps = [
        StepLog(0, "Side bend, left side", Side.LEFT, StepOutcome.DONE, 20, 20.0),
        StepLog(1, "Side bend, right side", Side.RIGHT, StepOutcome.PARTIAL, 20, 7.0),
    ]
    entry = SessionEntry(
        routine.id, routine.title, 1, START, START + timedelta(seconds=27), Ending.INTERRUPTED,
        steps,
    )  # fmt: skip
    return replace(entry, **changes)


def first_question_after_safety(routine: Routine, earlier: list[SessionEntry]) -> str:
    journal = MemoryJournal()
    journal.entries = list(earlier)
    clock = FakeClock()
    parts = SessionParts(
        RecordingSpeaker(), lambda: clock, journal, now=lambda: START + timedelta(hours=3)
    )
    session = Session(routine, parts)
    session.begin()
    prompt = session.answer(False)  # no red flag
    assert isinstance(prompt, Choose)
    return prompt.question


def test_the_step_cut_off_is_where_it_goes_on(routine: Routine) -> None:
    assert resume_point(cut_off(routine), routine) == 1


def test_a_session_never_started_goes_on_from_step_one(routine: Routine) -> None:
    steps = [replace(log, outcome=StepOutcome.NOT_REACHED, seconds_spent=0.0)
             for log in cut_off(routine).steps]  # fmt: skip
    assert resume_point(cut_off(routine, steps=steps), routine) == 0


@pytest.mark.parametrize(
    "changes",
    [
        {"ending": Ending.QUIT},  # ended by the user: nothing to resume
        {"steps": []},  # the routine file has other steps now
    ],
    ids=["quit", "other-steps"],
)
def test_these_cannot_be_resumed(routine: Routine, changes: dict[str, object]) -> None:
    assert resume_point(cut_off(routine, **changes), routine) is None


def test_a_renamed_step_means_the_routine_changed(routine: Routine) -> None:
    entry = cut_off(routine)
    renamed = [replace(entry.steps[0], title="Another stretch"), entry.steps[1]]
    assert resume_point(replace(entry, steps=renamed), routine) is None


def test_today_s_cut_off_session_is_offered(routine: Routine) -> None:
    question = first_question_after_safety(routine, [cut_off(routine)])
    assert question.startswith("This routine was cut off earlier today, at step 2 of 2")


@pytest.mark.parametrize(
    "changes",
    [
        {"started_at": START - timedelta(days=1), "ended_at": START - timedelta(days=1)},
        {"practice": True},
        {"routine_id": "another-routine"},
    ],
    ids=["yesterday", "practice", "another-routine"],
)
def test_other_sessions_are_not_offered(routine: Routine, changes: dict[str, object]) -> None:
    question = first_question_after_safety(routine, [cut_off(routine, **changes)])
    assert question.startswith("How is your pain right now")


def test_a_tailored_session_goes_on_tailored_as_it_was(routine: Routine) -> None:
    only_right = Tailoring(only=Side.RIGHT)
    step = StepLog(0, "Side bend, right side", Side.RIGHT, StepOutcome.PARTIAL, 20, 5.0)
    entry = cut_off(routine, steps=[step], tailoring=only_right)
    journal = MemoryJournal()
    journal.entries = [entry]
    clock = FakeClock()
    parts = SessionParts(
        RecordingSpeaker(), lambda: clock, journal, now=lambda: START + timedelta(hours=3)
    )
    session = Session(routine, parts)
    session.begin()
    session.answer(False)
    prompt = session.answer("yes")  # go on from where it stopped
    assert isinstance(prompt, Play)
    assert [s.title for s in prompt.player.steps] == ["Side bend, right side"]
    assert session.tailoring == only_right
    assert session.entry is not None and session.entry.tailoring == only_right
