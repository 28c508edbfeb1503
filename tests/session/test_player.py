"""The routine player, driven by a fake clock: no screen, no sleeping."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run_for, write

from selfcare_tui.routines.loader import load_routine
from selfcare_tui.routines.model import Routine, Side
from selfcare_tui.session.clock import MonotonicClock
from selfcare_tui.session.player import Announcement, PlayerState, RoutinePlayer, StepOutcome
from selfcare_tui.session.timeline import timeline
from selfcare_tui.speech.model import UtteranceKind
from selfcare_tui.testing import FakeClock

ROUTINE = """
format = 1
title = "Test routine"
[[steps]]
title = "Breathe"
kind = "breathing"
seconds = 20
text = "Breathe slowly."
[[steps]]
title = "Side bend"
kind = "stretch"
each_side = ["left", "right"]
reps = 2
hold = 30
text = "Stretch your {side} side."
[[steps.cues]]
at = 45
text = "Breathe out and ease a little further."
"""


@pytest.fixture
def routine(tmp_path: Path) -> Routine:
    return load_routine(write(tmp_path / "test-routine.toml", ROUTINE))


def play(routine: Routine) -> tuple[RoutinePlayer, FakeClock, list[Announcement]]:
    """The player with speech that takes no time; `said` keeps the words (the earcons and the
    lead-in are tested in test_plan.py)."""
    clock = FakeClock()
    said: list[Announcement] = []
    player = RoutinePlayer(routine, clock, lambda item: said.append(item) if item.text else None)
    player.start()
    return player, clock, said


def test_a_whole_run_says_each_step_cue_and_side_switch_in_order(routine: Routine) -> None:
    player, clock, said = play(routine)
    run_for(player, clock, 140)
    assert player.state is PlayerState.FINISHED
    texts = [(item.at, item.kind.value, item.text) for item in said]
    assert texts[:3] == [
        (0, "instruction", "Starting Test routine. About 2 minutes."),
        (0, "instruction", "Step 1 of 3. Breathe. 20 seconds. Breathe slowly."),
        (17, "cue", "3"),
    ]
    assert (70, "cue", "Ten seconds left.") in texts
    second = "Step 2 of 3. Stretching your left side. Side bend. 2 holds of 30 seconds."
    assert (20, "instruction", f"{second} Stretch your left side.") in texts
    assert (50, "cue", "Release, and again. Repetition 2 of 2.") in texts
    assert (65, "cue", "Breathe out and ease a little further.") in texts
    third = "Step 3 of 3. Stretching your right side. Side bend. 2 holds of 30 seconds."
    assert (
        80,
        "instruction",
        f"Switch to your right side. {third} Stretch your right side.",
    ) in texts
    assert [text for at, _, text in texts if 77 <= at < 80] == ["3", "2", "1"]
    assert texts[-1] == (140, "instruction", "Routine complete.")
    assert [record.outcome for record in player.records] == [StepOutcome.DONE] * 3


def test_no_drift_whatever_the_ticks(routine: Routine) -> None:
    player, clock, _ = play(routine)
    for jitter in [0.013, 0.4, 1.7, 0.09] * 33:
        clock.advance(jitter)
        player.tick()
    assert player.view.routine_elapsed == pytest.approx(clock.now())
    assert player.view.step.index == 1
    assert player.view.step_elapsed == pytest.approx(clock.now() - 20)


def test_a_forty_minute_routine_ends_within_a_tenth_of_a_second(tmp_path: Path) -> None:
    steps = "".join(
        f'[[steps]]\ntitle = "S{i}"\nkind = "stretch"\nseconds = 60\ntext = "x"\n'
        for i in range(40)
    )
    routine = load_routine(write(tmp_path / "long.toml", 'format = 1\ntitle = "L"\n' + steps))
    player, clock, said = play(routine)
    while clock.now() < 40 * 60 - 0.1:
        clock.advance(0.0997)  # ticks that never line up with whole seconds
        player.tick()
    assert player.state is PlayerState.PLAYING
    clock.advance(0.1)
    player.tick()
    assert player.state is PlayerState.FINISHED
    assert said[-1].at == 40 * 60


def test_paused_time_is_excluded(routine: Routine) -> None:
    player, clock, said = play(routine)
    run_for(player, clock, 5)
    player.pause()
    clock.advance(600)
    player.tick()
    assert player.view.step_elapsed == 5
    assert player.status_text() == (
        "Paused. Breathe, 15 seconds left. Next: Left side, Side bend. "
        "2 minutes 15 seconds left in the routine."
    )
    player.resume()
    run_for(player, clock, 15)
    assert player.view.step.index == 1
    assert [item.text for item in said if item.kind is UtteranceKind.STATUS] == [
        "Paused.",
        "Resumed. 15 seconds left.",
    ]
    assert said[2].interrupt


def test_skip_and_back_interrupt_and_record_outcomes(routine: Routine) -> None:
    player, clock, said = play(routine)
    run_for(player, clock, 3)
    player.next_step()
    assert said[-1].interrupt and said[-1].text.startswith(
        "Step 2 of 3. Stretching your left side."
    )
    run_for(player, clock, 10)
    player.previous_step()
    assert player.view.step.index == 0 and player.view.step_elapsed == 0
    run_for(player, clock, 20)
    player.next_step()
    player.next_step()
    assert player.state is PlayerState.FINISHED
    outcomes = [(record.outcome, record.seconds_spent) for record in player.records]
    assert outcomes == [
        (StepOutcome.DONE, 23),
        (StepOutcome.SKIPPED, 10),
        (StepOutcome.SKIPPED, 0),
    ]
    assert player.time_by_side()[Side.LEFT] == 10


def test_quit_keeps_the_partial_step(routine: Routine) -> None:
    player, clock, _ = play(routine)
    run_for(player, clock, 30)
    player.quit()
    assert player.state is PlayerState.QUIT
    assert [record.outcome for record in player.records] == [
        StepOutcome.DONE,
        StepOutcome.PARTIAL,
        StepOutcome.NOT_REACHED,
    ]
    assert player.records[1].seconds_spent == 10


def test_status_and_repeat(routine: Routine) -> None:
    player, clock, said = play(routine)
    run_for(player, clock, 55)
    player.speak_status()
    assert said[-1].text == (
        "Left side, Side bend, 25 seconds left. Repetition 2 of 2. Next: Right side, Side bend. "
        "1 minute 25 seconds left in the routine."
    )
    assert said[-1].kind is UtteranceKind.STATUS
    player.repeat_instruction()
    assert said[-1].text.endswith("Stretch your left side.") and said[-1].interrupt


def test_dry_run_equals_a_ticked_run(routine: Routine) -> None:
    player, clock, said = play(routine)
    run_for(player, clock, 200, step=0.1)
    assert [item for item in timeline(routine).said if item.text] == said


def test_speed_makes_time_run_faster() -> None:
    clock = MonotonicClock(speed=1000)
    first = clock.now()
    while clock.now() - first < 1:
        pass
    with pytest.raises(ValueError):
        MonotonicClock(speed=0)


def test_moving_while_paused_stays_paused(routine: Routine) -> None:
    player, clock, said = play(routine)
    run_for(player, clock, 5)
    player.pause()
    player.next_step()
    clock.advance(100)
    player.tick()
    assert player.state is PlayerState.PAUSED
    assert player.view.step.number == 2 and player.view.step_elapsed == 0
    assert said[-1].text.startswith("Step 2 of 3.")


def test_skipping_every_step_is_not_a_completed_session(routine: Routine) -> None:
    from selfcare_tui.session.script import earned_ending
    from selfcare_tui.vocabulary import Ending

    player, _, _ = play(routine)
    for _ in routine.steps:
        player.next_step()
    assert player.state is PlayerState.FINISHED and earned_ending(player) is Ending.QUIT


def test_the_player_says_how_long_a_screen_may_sleep(routine: Routine) -> None:
    player, clock, _ = play(routine)
    assert player.seconds_to_next_change() == 1  # the countdown's next second
    clock.advance(16.5)
    assert player.seconds_to_next_change() == 0.5  # "3" is due at 17 s
    player.pause()
    assert player.seconds_to_next_change() is None
