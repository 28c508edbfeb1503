"""The scheduling rules, on the pure Scheduler with a fake clock."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from selfcare_tui.speech import Scheduler, Utterance, UtteranceKind

from .conftest import FakeClock

INSTRUCTION, CUE, STATUS = UtteranceKind.INSTRUCTION, UtteranceKind.CUE, UtteranceKind.STATUS
_ids = itertools.count(1)


def utterance(
    text: str, kind: UtteranceKind, clock: FakeClock, stale_in: float | None = None
) -> Utterance:
    stale_after = None if stale_in is None else clock.now + stale_in
    return Utterance(next(_ids), text, kind, clock.now, stale_after)


def say_all(scheduler: Scheduler) -> list[str]:
    said = []
    while (turn := scheduler.take()).utterance is not None:
        said.append(turn.utterance.text)
        scheduler.finish()
    return said


def test_status_then_instructions_then_cues_first_come_first_served() -> None:
    clock = FakeClock()
    scheduler = Scheduler(clock)
    scheduler.push(utterance("step", INSTRUCTION, clock))
    scheduler.push(utterance("cue 1", CUE, clock))
    scheduler.push(utterance("cue 2", CUE, clock))
    scheduler.push(utterance("status", STATUS, clock))

    assert say_all(scheduler) == ["status", "step", "cue 1", "cue 2"]


def test_a_cue_waits_for_the_instruction_being_spoken_and_never_cuts_it() -> None:
    clock = FakeClock()
    scheduler = Scheduler(clock)
    scheduler.push(utterance("Lie on your back.", INSTRUCTION, clock))
    assert scheduler.take().utterance is not None

    scheduler.push(utterance("Halfway.", CUE, clock, stale_in=3.0))
    clock.advance(2.0)
    assert scheduler.take().utterance is None  # the instruction is still being said
    assert scheduler.current is not None and scheduler.current.text == "Lie on your back."

    scheduler.finish()
    turn = scheduler.take()
    assert turn.utterance is not None and turn.utterance.text == "Halfway."
    assert turn.dropped == ()


def test_a_cue_that_went_stale_while_waiting_is_dropped_not_said_late() -> None:
    clock = FakeClock()
    scheduler = Scheduler(clock)
    scheduler.push(utterance("A long instruction.", INSTRUCTION, clock))
    scheduler.take()
    scheduler.push(utterance("3", CUE, clock, stale_in=0.5))
    scheduler.push(utterance("2", CUE, clock, stale_in=1.5))
    clock.advance(1.0)
    scheduler.finish()

    turn = scheduler.take()

    assert [u.text for u in turn.dropped] == ["3"]
    assert turn.utterance is not None and turn.utterance.text == "2"


def test_stale_exactly_at_the_deadline_is_still_said() -> None:
    clock = FakeClock()
    scheduler = Scheduler(clock)
    scheduler.push(utterance("1", CUE, clock, stale_in=0.5))
    clock.advance(0.5)
    assert scheduler.take().utterance is not None


def test_a_new_instruction_drops_the_cues_still_queued() -> None:
    clock = FakeClock()
    scheduler = Scheduler(clock)
    scheduler.push(utterance("Step one.", INSTRUCTION, clock))
    scheduler.take()
    scheduler.push(utterance("Keep breathing.", INSTRUCTION, clock))  # queued: not replaced
    scheduler.push(utterance("Halfway.", CUE, clock))

    replaced = scheduler.push(utterance("Step two.", INSTRUCTION, clock))

    assert [u.text for u in replaced] == ["Halfway."]
    scheduler.finish()
    assert say_all(scheduler) == ["Keep breathing.", "Step two."]


def test_clear_returns_the_queue_in_order_and_leaves_the_current_one() -> None:
    clock = FakeClock()
    scheduler = Scheduler(clock)
    scheduler.push(utterance("now", INSTRUCTION, clock))
    scheduler.take()
    scheduler.push(utterance("next", INSTRUCTION, clock))
    scheduler.push(utterance("cue", CUE, clock))

    assert [u.text for u in scheduler.clear()] == ["next", "cue"]
    assert len(scheduler) == 0
    assert scheduler.current is not None and scheduler.current.text == "now"


kinds = st.sampled_from([INSTRUCTION, CUE, STATUS])


@given(st.lists(kinds, max_size=20))
def test_every_utterance_is_said_or_dropped_exactly_once(queue: list[UtteranceKind]) -> None:
    clock = FakeClock()
    scheduler = Scheduler(clock)
    pushed, dropped = [], []
    for kind in queue:
        item = utterance(f"{kind}", kind, clock, stale_in=1.0 if kind is CUE else None)
        pushed.append(item.id)
        dropped += [u.id for u in scheduler.push(item)]
    clock.advance(0.5)
    said = []
    while (turn := scheduler.take()).utterance is not None:
        said.append(turn.utterance)
        scheduler.finish()

    assert sorted([u.id for u in said] + dropped) == sorted(pushed)
    ranks = [{STATUS: 0, INSTRUCTION: 1, CUE: 2}[u.kind] for u in said]
    assert ranks == sorted(ranks)
