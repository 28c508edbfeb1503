"""The bundled routines and the format documentation's example: valid, and as promised."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from selfcare_tui.routines.loader import load_routine
from selfcare_tui.routines.model import Routine, Side

ROOT = Path(__file__).resolve().parents[2]
ROUTINES = ROOT / "routines"
DOC = ROOT / "docs" / "routine-format.md"
EXAMPLE = ROOT / "tests" / "data" / "example-routine.toml"
EXAMPLE_MARKER = "<!-- example: tests/data/example-routine.toml (keep identical) -->"

BUNDLED = ("full-session", "short-relief", "desk-break")
MINUTES = {"full-session": (38, 50), "short-relief": (8, 12), "desk-break": (4, 6)}


def load(routine_id: str) -> Routine:
    return load_routine(ROUTINES / f"{routine_id}.toml")


def side_seconds(routine: Routine, side: Side) -> int:
    return sum(step.seconds for step in routine.steps if step.side is side)


def words(routine: Routine) -> str:
    """Everything the routine shows or says, in lowercase."""
    parts = [routine.title, routine.summary]
    for step in routine.steps:
        parts += [step.title, step.text, step.speech, *step.cautions]
        parts += [cue.text for cue in step.cues]
    return " ".join(parts).lower()


def test_every_bundled_file_loads() -> None:
    found = sorted(path.name for path in ROUTINES.glob("*.toml"))
    assert set(found) >= {f"{routine_id}.toml" for routine_id in BUNDLED}
    for name in found:
        routine = load_routine(ROUTINES / name)
        assert routine.id == name.removesuffix(".toml")


@pytest.mark.parametrize("routine_id", BUNDLED)
def test_length(routine_id: str) -> None:
    low, high = MINUTES[routine_id]
    assert low * 60 <= load(routine_id).total_seconds <= high * 60


def test_full_session_spends_long_enough_on_each_side() -> None:
    routine = load("full-session")
    assert side_seconds(routine, Side.LEFT) >= 17 * 60
    assert side_seconds(routine, Side.RIGHT) >= 17 * 60


def test_full_session_works_both_muscles_with_massage_and_stretch_on_each_side() -> None:
    routine = load("full-session")
    for side in (Side.LEFT, Side.RIGHT):
        for muscle in ("quadratus_lumborum", "gluteus_medius"):
            kinds = {
                step.kind.value
                for step in routine.steps
                if step.side is side and muscle in step.muscles
            }
            assert {"massage", "stretch"} <= kinds, (side, muscle)


@pytest.mark.parametrize("routine_id", BUNDLED)
def test_says_mild_tension_never_pain(routine_id: str) -> None:
    text = words(load(routine_id))
    assert "mild tension" in text
    assert "never pain" in text


@pytest.mark.parametrize("routine_id", BUNDLED)
def test_works_both_sides(routine_id: str) -> None:
    routine = load(routine_id)
    assert side_seconds(routine, Side.LEFT) > 0
    assert side_seconds(routine, Side.RIGHT) > 0


@pytest.mark.parametrize("routine_id", BUNDLED)
def test_has_breathing_steps_and_cues(routine_id: str) -> None:
    routine = load(routine_id)
    assert any(step.kind.value == "breathing" for step in routine.steps)
    assert any("breathe" in cue.text.lower() for step in routine.steps for cue in step.cues)


@pytest.mark.parametrize("routine_id", BUNDLED)
def test_last_step_hands_over_to_the_reflection(routine_id: str) -> None:
    last = load(routine_id).steps[-1]
    assert last.side is Side.NONE
    for said in (last.text, last.speech):
        assert "in a moment you'll be asked how you feel" in said.lower()


@pytest.mark.parametrize("routine_id", BUNDLED)
def test_ball_never_stays_on_a_spot_over_30_seconds(routine_id: str) -> None:
    """A ball step longer than 30 s must tell the user to move it at least every 30 s."""
    for step in load(routine_id).steps:
        if step.kind.value != "massage" or "roller" in step.title.lower():
            continue
        moves = [
            cue.at_second
            for cue in step.cues
            if "move" in cue.text.lower() or "spot" in cue.text.lower()
        ]
        moments = [0, *moves, step.seconds]
        assert max(b - a for a, b in itertools.pairwise(moments)) <= 30, step.title


def test_docs_example_is_the_test_file_and_loads() -> None:
    doc = DOC.read_text(encoding="utf-8")
    match = re.search(re.escape(EXAMPLE_MARKER) + r"\n```toml\n(.*?)```\n", doc, re.DOTALL)
    assert match, "the example block is missing from docs/routine-format.md"
    assert match[1] == EXAMPLE.read_text(encoding="utf-8")
    routine = load_routine(EXAMPLE)
    assert routine.id == "example-routine"
    assert {step.side for step in routine.steps} >= {Side.LEFT, Side.RIGHT, Side.NONE}
