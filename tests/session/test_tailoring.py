"""Tailoring a routine without editing it, and changing a hold while it plays: the dose stays
within its range, the player's end, cues and records follow."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run_for, write

from selfcare_tui.routines.loader import load_routine
from selfcare_tui.routines.model import Routine
from selfcare_tui.routines.tailoring import tailor
from selfcare_tui.session.player import NOT_HOLDING, Announcement, PlayerState, RoutinePlayer
from selfcare_tui.testing import FakeClock
from selfcare_tui.vocabulary import Side, StepOutcome, Tailoring

ROUTINE = """
format = 1
title = "Sides"
[[steps]]
title = "Breathe"
kind = "breathing"
seconds = 20
text = "Breathe slowly."
[[steps]]
title = "Side bend, {side} side"
kind = "stretch"
each_side = ["left", "right"]
reps = 2
hold = 30
text = "Stretch your {side} side."
[[steps]]
title = "Ball on the {side} glute"
kind = "massage"
each_side = ["left", "right"]
seconds = 20
text = "Lean on the ball."
[[steps.cues]]
at = 10
text = "Breathe out."
[[steps]]
title = "Long hold"
kind = "stretch"
seconds = 90
text = "Hold it."
"""


@pytest.fixture
def routine(tmp_path: Path) -> Routine:
    return load_routine(write(tmp_path / "sides.toml", ROUTINE))


def seconds(routine: Routine) -> list[tuple[str, int]]:
    return [(step.title, step.seconds) for step in routine.steps]


def test_as_written_is_the_routine_itself(routine: Routine) -> None:
    assert tailor(routine, Tailoring()) is routine


def test_more_time_lengthens_that_sides_holds_within_the_dose(routine: Routine) -> None:
    tailored = tailor(routine, Tailoring(more_time=Side.LEFT))
    assert seconds(tailored) == [
        ("Breathe", 20),  # not a dose: as written
        ("Side bend, left side", 90),  # 2 holds of 45 s
        ("Side bend, right side", 60),
        ("Ball on the left glute", 30),  # 20 s +50 %, and never over 30 s on a spot
        ("Ball on the right glute", 20),
        ("Long hold", 90),  # no side: as written
    ]
    assert tailored.steps[1].hold_seconds == 45 and tailored.steps[1].repetitions == 2
    assert tailored.steps[3].cues[0].at_second == 15  # the cue keeps its place in the hold


def test_shorter_holds_never_go_under_ten_seconds_and_long_ones_are_not_cut_below_the_dose(
    routine: Routine,
) -> None:
    tailored = tailor(routine, Tailoring(shorter=True))
    assert seconds(tailored) == [
        ("Breathe", 20),
        ("Side bend, left side", 40),  # 2 × 20 s
        ("Side bend, right side", 40),
        ("Ball on the left glute", 13),
        ("Ball on the right glute", 13),
        ("Long hold", 60),  # two thirds of 90 s: within 60
    ]


def test_one_side_only_leaves_the_other_out_and_numbers_the_steps_as_played(
    routine: Routine,
) -> None:
    tailored = tailor(routine, Tailoring(only=Side.RIGHT))
    assert [step.title for step in tailored.steps] == [
        "Breathe", "Side bend, right side", "Ball on the right glute", "Long hold",
    ]  # fmt: skip
    assert [step.number for step in tailored.steps] == [1, 2, 3, 4]


def test_tailoring_words_and_offer() -> None:
    both = Tailoring(more_time=Side.LEFT, shorter=True)
    assert both.words() == "more time on your left side (+50%); shorter holds"
    assert both.offer() == "Last time you gave your left side more time and chose shorter holds"
    assert Tailoring().words() == "as written"


# -- during a hold -----------------------------------------------------------------------------


def play(routine: Routine) -> tuple[RoutinePlayer, FakeClock, list[Announcement]]:
    clock = FakeClock()
    said: list[Announcement] = []
    player = RoutinePlayer(routine, clock, said.append)
    player.start()
    return player, clock, said


def texts(said: list[Announcement]) -> list[str]:
    return [item.text for item in said if item.text]


def test_ten_seconds_more_moves_the_end_and_its_countdown(routine: Routine) -> None:
    player, clock, said = play(tailor(routine, Tailoring(only=Side.LEFT)))
    run_for(player, clock, 25)  # 5 s into the left side bend (2 × 30 s)
    player.add_time()
    assert texts(said)[-1] == "10 seconds more. 1 minute 5 seconds left."
    assert player.view.step_remaining == 65 and player.view.routine_seconds == 20 + 70 + 20 + 90
    run_for(player, clock, 64)
    assert player.step.title == "Side bend, left side"
    assert texts(said)[-3:] == ["3", "2", "1"]  # the countdown ends the longer hold
    run_for(player, clock, 1)
    assert player.step.title == "Ball on the left glute"
    record = player.records[1]
    assert (record.seconds_added, record.seconds_spent, record.outcome) == (
        10,
        70,
        StepOutcome.DONE,
    )
    assert record.step.seconds == 60  # as planned when the step began


def test_halfway_is_not_said_twice_when_time_is_added_after_it(routine: Routine) -> None:
    player, clock, said = play(routine)
    run_for(player, clock, 20 + 60 + 60 + 20 + 20 + 50)  # 50 s into the long hold: past halfway
    assert texts(said).count("Halfway.") == 1
    player.add_time()
    run_for(player, clock, 60)
    assert texts(said).count("Halfway.") == 1


def test_ending_a_hold_early_counts_it_as_done_not_skipped(routine: Routine) -> None:
    player, clock, said = play(routine)
    run_for(player, clock, 30)  # 10 s into the left side bend
    player.end_hold()
    assert "Hold ended." in texts(said)
    record = player.records[1]
    assert (record.outcome, record.ended_early, record.seconds_spent) == (
        StepOutcome.DONE,
        True,
        10,
    )
    assert player.step.title == "Side bend, right side"


def test_in_the_lead_in_both_keys_say_the_hold_has_not_started(routine: Routine) -> None:
    clock, said = FakeClock(), []
    player = RoutinePlayer(routine, clock, said.append, durations=lambda text: 3.0)
    player.start()
    clock.advance(1)
    player.tick()
    assert player.in_lead_in
    player.add_time()
    player.end_hold()
    assert texts(said)[-2:] == [NOT_HOLDING, NOT_HOLDING]
    assert player.records[0].seconds_added == 0 and player.state is PlayerState.PLAYING
