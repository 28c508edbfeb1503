"""The speech-aware timeline: a lead-in, a hold, and words that never overlap (issue 10).

Lengths come from the estimate at 165 words per minute (what `RecordingSpeaker` reports with
`words_per_minute`), so every figure here is exact and needs no voice.
"""

from __future__ import annotations

from functools import partial
from itertools import pairwise
from pathlib import Path

import pytest
from helpers import run_for, write

from selfcare_tui.locations import bundled_routines_dir
from selfcare_tui.routines.loader import load_routine
from selfcare_tui.routines.model import Routine
from selfcare_tui.session.plan import GAP, HOLD_PAUSE, StepPlan, plan_step
from selfcare_tui.session.player import (
    Announcement,
    PlayerState,
    RoutinePlayer,
    instruction_text,
    spoken_texts,
)
from selfcare_tui.session.timeline import format_timeline, plan_warnings, timeline
from selfcare_tui.speech.model import Sound, UtteranceKind
from selfcare_tui.speech.timing import estimate_seconds
from selfcare_tui.testing import FakeClock
from selfcare_tui.vocabulary import CountdownStyle

ROUTINE = """
format = 1
title = "Plan check"
[[steps]]
title = "Side bend"
kind = "stretch"
each_side = ["left", "right"]
seconds = 30
text = "Bend gently to the {other_side} side."
cautions = ["If it hurts, ease off."]
[[steps.cues]]
at = 11
text = "Breathe out slowly and let your shoulders soften as you ease a little further."
"""
CROWDED = """
format = 1
title = "Crowded"
[[steps]]
title = "Hold"
kind = "stretch"
seconds = 12
text = "Hold still."
[[steps.cues]]
at = 8
text = "Keep your shoulders low and relaxed and keep breathing slowly through your nose."
"""


def durations(text: str) -> float:
    return estimate_seconds(text, 165)


@pytest.fixture
def routine(tmp_path: Path) -> Routine:
    return load_routine(write(tmp_path / "plan-check.toml", ROUTINE))


def first_plan(routine: Routine, style: CountdownStyle = CountdownStyle.BOTH) -> StepPlan:
    step = routine.steps[0]
    return plan_step(step, instruction_text(routine, step), durations, style)


def spoken_spans(plan: StepPlan) -> list[tuple[float, float]]:
    return sorted((item.at, item.end) for item in plan.said if item.text)


def test_the_hold_starts_once_the_instruction_has_been_heard(routine: Routine) -> None:
    plan = first_plan(routine)
    instruction = plan.items[0]
    assert instruction.kind is UtteranceKind.INSTRUCTION and instruction.at == 0
    assert plan.lead_in == pytest.approx(instruction.seconds + HOLD_PAUSE)
    sounds = {item.sound: item.at for item in plan.items if item.sound}
    assert sounds[Sound.HOLD_START] == plan.lead_in
    assert sounds[Sound.HOLD_END] == plan.lead_in + 30 == plan.total
    assert sounds[Sound.HALFWAY] == plan.lead_in + 15


def test_cautions_are_said_before_the_action(routine: Routine) -> None:
    words = first_plan(routine).items[0].text
    assert words.index("Caution: If it hurts") < words.index("Bend gently")


def test_nothing_said_overlaps_and_a_colliding_cue_is_moved_not_dropped(routine: Routine) -> None:
    plan = first_plan(routine)
    spans = spoken_spans(plan)
    assert all(end + GAP <= start + 1e-6 for (_, end), (start, _) in pairwise(spans))
    # The author's cue at 11 s runs past 15 s: "Halfway." gives way, within its 3 s.
    [moved] = plan.moved
    assert moved.text == "Halfway." and moved.wanted is not None
    assert 0 < moved.at - moved.wanted <= 3
    halfway_sound = next(item for item in plan.items if item.sound is Sound.HALFWAY)
    assert halfway_sound.at == moved.wanted  # the sound keeps its time
    assert plan.dropped == ()


def test_a_cue_with_no_free_moment_is_dropped_and_the_dry_run_and_validate_say_so(
    tmp_path: Path,
) -> None:
    crowded = load_routine(write(tmp_path / "crowded.toml", CROWDED))
    line = timeline(crowded, CountdownStyle.BOTH, durations)
    [(_, plan)] = line.plans
    [dropped] = plan.dropped
    assert dropped.text.startswith("Keep your shoulders low")
    assert all(item.text != dropped.text for item in line.said)
    assert any("left out, no free moment: Keep your shoulders" in row for row in
               format_timeline(line))  # fmt: skip
    assert plan_warnings(line) == [
        "step 1 (Hold): the cue 'Keep your shoulders low and relaxed and keep breathing slowly "
        "through your nose.' has no free moment and is not said"
    ]


@pytest.mark.parametrize(
    ("style", "digits", "ticks"),
    [
        (CountdownStyle.BOTH, True, True),
        (CountdownStyle.SPEECH, True, False),
        (CountdownStyle.SOUNDS, False, True),
        (CountdownStyle.OFF, False, False),
    ],
)
def test_the_countdown_is_said_ticked_both_or_neither(
    routine: Routine, style: CountdownStyle, digits: bool, ticks: bool
) -> None:
    plan = first_plan(routine, style)
    hold_end = plan.lead_in + 30
    said = [item.text for item in plan.items if item.text in ("3", "2", "1")]
    beats = [item.at for item in plan.items if item.sound is Sound.BEAT]
    assert said == (["3", "2", "1"] if digits else [])
    assert beats == ([hold_end - 3, hold_end - 2, hold_end - 1] if ticks else [])
    if digits:  # a beat is never moved
        assert [i.at for i in plan.items if i.text in ("3", "2", "1")] == [
            hold_end - 3, hold_end - 2, hold_end - 1
        ]  # fmt: skip


@pytest.mark.parametrize("name", ["short-relief", "desk-break", "full-session"])
def test_the_bundled_routines_drop_nothing_at_the_default_rate(name: str) -> None:
    routine = load_routine(bundled_routines_dir() / f"{name}.toml")
    line = timeline(routine, CountdownStyle.BOTH, durations)
    assert [plan.dropped for _, plan in line.plans if plan.dropped] == []
    for _, plan in line.plans:
        spans = spoken_spans(plan)
        assert all(end + GAP <= start + 1e-6 for (_, end), (start, _) in pairwise(spans))


# -- the player following the plan ----------------------------------------------------------


def play(routine: Routine) -> tuple[RoutinePlayer, FakeClock, list[Announcement]]:
    clock = FakeClock()
    said: list[Announcement] = []
    player = RoutinePlayer(routine, clock, said.append, durations=durations)
    player.start()
    return player, clock, said


run_for = partial(run_for, step=0.05)
"""Fine steps: lead-ins and cues fall between whole seconds."""


def test_the_countdown_stands_still_until_the_instruction_has_been_heard(
    routine: Routine,
) -> None:
    player, clock, said = play(routine)
    lead_in = player.plan.lead_in
    assert player.plan.items[0].at >= durations(player.intro)  # after "Starting ..."
    run_for(player, clock, lead_in - 0.1)
    assert player.view.lead_in and player.view.step_remaining == 30
    assert Sound.HOLD_START not in [item.sound for item in said]
    run_for(player, clock, 0.6)
    assert not player.view.lead_in and player.view.step_remaining == 30
    assert [item.sound for item in said].count(Sound.HOLD_START) == 1


def test_switching_sides_is_sounded_then_said(routine: Routine) -> None:
    player, clock, said = play(routine)
    run_for(player, clock, player.plan.total + 1)
    switch = next(item for item in said if item.sound is Sound.SIDE_SWITCH)
    instruction = next(item for item in said if item.text.startswith("Switch to your right"))
    assert instruction.at > switch.at


def test_pausing_during_the_instruction_says_it_again_from_the_start(routine: Routine) -> None:
    player, clock, said = play(routine)
    run_for(player, clock, player.plan.items[0].at + 1)
    player.pause()
    clock.advance(60)
    player.resume()
    assert player.state is PlayerState.PLAYING and player.view.lead_in
    texts = [item.text for item in said]
    assert texts[-2].startswith("Resumed.") and texts[-1].startswith("Step 1 of 2.")
    assert player.plan.items[0].at >= durations(texts[-2])  # after "Resumed ..."


def test_a_status_during_the_hold_moves_the_cues_it_would_overlap(routine: Routine) -> None:
    player, clock, said = play(routine)
    run_for(player, clock, player.plan.lead_in + 13)  # "Halfway." comes at 15 s
    player.speak_status()
    status = said[-1]
    busy_until = status.at + durations(status.text)
    run_for(player, clock, 16)  # to the countdown
    after = [item for item in said[said.index(status) + 1 :] if item.text]
    assert after and all(item.at >= busy_until for item in after)
    assert "Halfway." not in [item.text for item in after]  # no free moment within 3 s
    assert Sound.HALFWAY in [item.sound for item in said]  # its sound keeps its time


def test_everything_a_run_says_is_prepared_ahead(routine: Routine) -> None:
    player, clock, said = play(routine)
    run_for(player, clock, 200, step=0.5)
    prepared = set(spoken_texts(routine, CountdownStyle.BOTH))
    assert {item.text for item in said if item.text} <= prepared
