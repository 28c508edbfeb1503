"""One session, two faces: the same answers through the app (Pilot) and plain mode give the same
journal entry and the same words spoken, whatever the ending.

Both run on a fake clock moved by the test, a recording speaker and a journal in memory; keys
during the routine are pressed at the same moments of routine time in both.
"""

from __future__ import annotations

import asyncio
import io
import signal
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from apphelpers import START, Parts, tiny_library
from scripted_input import ScriptedInput
from textual.pilot import Pilot

from selfcare_tui import content
from selfcare_tui.app.screens.notice import NoticeScreen
from selfcare_tui.app.screens.player import PlayerScreen
from selfcare_tui.app.screens.question import ChoiceScreen, NoteScreen, StepsScreen
from selfcare_tui.app.screens.safety import SafetyScreen
from selfcare_tui.journal.history import export_markdown
from selfcare_tui.journal.model import SessionEntry
from selfcare_tui.plain import PlainOptions, run_plain
from selfcare_tui.plain.prompts import STEPS_SAID
from selfcare_tui.settings import AppSettings
from selfcare_tui.speech.model import Sound, UtteranceKind
from selfcare_tui.testing import FakeClock, MemoryJournal, RecordingSpeaker
from selfcare_tui.vocabulary import Ending, Side, StepOutcome, Tailoring

pytestmark = pytest.mark.long(5)  # each takes seconds: started early (tests/conftest.py)

SIZE = (100, 30)
EPSILON = 1e-9


@dataclass(frozen=True)
class Reflecting:
    """Answers to the reflection, as a user gives them in either face."""

    pain_after: str | None = "3"
    sides_after: tuple[str, str] | None = None
    """Pain after for the left and the right side (asked so when scored so before)."""
    overall: str | None = "b"
    easier: tuple[int, ...] = (0,)
    """Positions in the list of steps offered."""
    sharp: str = "n"
    note: str = "felt easier"


@dataclass(frozen=True)
class Scenario:
    id: str
    safe: bool = True
    pain_before: str | None = "6"
    sides_before: tuple[str, str] | None = None
    """Score each side apart ("e"), left then right, instead of `pain_before`."""
    offers: tuple[str, ...] = ()
    """Answers to what is offered before the routine (resume, more time for the sorer side)."""
    resuming: bool = False
    """The first offer resumes a session cut off: no pain question follows."""
    keys: tuple[tuple[float, str], ...] = ()
    """(routine seconds, key) pressed while the routine plays."""
    play_until: float = 40.0
    """Routine seconds the clock runs to before the reflection (if the routine is not over)."""
    sigterm_at: float | None = None
    reflecting: Reflecting = field(default_factory=Reflecting)
    ending: Ending | None = None
    """The ending the entry must have; None: no entry at all."""
    words_per_minute: int | None = None
    """Speech takes the time an estimate at this rate says (None: no time): lead-ins, moved
    cues and the re-planning after a status key then show."""


SCENARIOS = [
    Scenario("completed", ending=Ending.COMPLETED),
    Scenario(
        "speech-takes-time",
        keys=((20, "s"),),
        play_until=120,
        ending=Ending.COMPLETED,
        words_per_minute=165,
    ),
    Scenario("all-skipped", keys=((1, "n"), (2, "n")), ending=Ending.QUIT),
    Scenario("quit-mid-routine", keys=((25, "q"), (25, "y")), ending=Ending.QUIT),
    Scenario("red-flag", safe=False, ending=None),
    Scenario(
        "each-side-more-time-and-longer",
        sides_before=("6", "3"),
        offers=("y",),
        keys=((5, "a"), (35, "a"), (60, "e")),
        play_until=200,
        reflecting=Reflecting(pain_after=None, sides_after=("4", "3")),
        ending=Ending.COMPLETED,
    ),
    Scenario("sigterm-mid-step", pain_before=None, sigterm_at=27, ending=Ending.INTERRUPTED),
    Scenario(
        "paused-and-skipped-pain",
        pain_before=None,
        keys=((5, "space"), (12, "space"), (30, "s")),
        play_until=47,
        reflecting=Reflecting(pain_after=None, overall="w", easier=(), sharp="y", note=""),
        ending=Ending.COMPLETED,
    ),
]


@dataclass
class Outcome:
    entries: list[SessionEntry]
    spoken: list[tuple[UtteranceKind, str]]
    sounds: list[Sound]
    exit_code: int | None = None


# -- the app, through Pilot --------------------------------------------------------------------


async def through_the_app(
    scenario: Scenario, tmp_path: Path, earlier: Sequence[SessionEntry] = ()
) -> Outcome:
    parts = Parts(tiny_library(tmp_path))
    parts.journal.entries = list(earlier)
    parts.speaker.words_per_minute = scenario.words_per_minute
    parts.app_parts.exit_grace_seconds = None
    async with parts.app("tiny-sides").run_test(size=SIZE) as pilot:
        await on_screen(pilot, SafetyScreen)
        await press(pilot, "n" if scenario.safe else "y")
        if not scenario.safe:
            await on_screen(pilot, NoticeScreen)
            await press(pilot, "enter")
            return outcome_of(parts)
        for answer in before_answers(scenario):
            await on_screen(pilot, ChoiceScreen)
            await press(pilot, answer or "escape")
        await on_screen(pilot, PlayerScreen)
        for at, key in scenario.keys:
            await run_clock_to(pilot, parts, at)
            await press(pilot, key)
        if scenario.sigterm_at is not None:
            await run_clock_to(pilot, parts, scenario.sigterm_at)
            pilot.app.close_for_signal(signal.SIGTERM, asyncio.get_running_loop())
            await pilot.pause()
            return outcome_of(parts)
        # A second at a time, as plain mode's input does, until the routine ends or play_until.
        while (
            isinstance(pilot.app.screen, PlayerScreen) and parts.clock.now() < scenario.play_until
        ):
            await run_clock_to(pilot, parts, min(parts.clock.now() + 1, scenario.play_until))
        await reflect_in_the_app(pilot, scenario.reflecting)
    return outcome_of(parts)


def before_answers(scenario: Scenario) -> list[str]:
    if scenario.resuming:
        return list(scenario.offers)
    if scenario.sides_before is None:
        return [scenario.pain_before or "", *scenario.offers]
    return ["e", *scenario.sides_before, *scenario.offers]


def after_answers(answers: Reflecting) -> list[str]:
    return list(answers.sides_after or (answers.pain_after or "",))


async def reflect_in_the_app(pilot: Pilot[None], answers: Reflecting) -> None:
    for answer in after_answers(answers):
        await on_screen(pilot, ChoiceScreen)
        await press(pilot, answer or "escape")
    await on_screen(pilot, ChoiceScreen)
    await press(pilot, answers.overall or "escape")
    await tick_steps(pilot, answers.easier)
    await tick_steps(pilot, ())
    await on_screen(pilot, ChoiceScreen)
    await press(pilot, answers.sharp)
    if answers.sharp == "y":
        await tick_steps(pilot, (0,))
    await on_screen(pilot, NoteScreen)
    await press(pilot, *answers.note, "enter")
    await on_screen(pilot, NoticeScreen)
    await press(pilot, "enter")


async def tick_steps(pilot: Pilot[None], positions: tuple[int, ...]) -> None:
    await on_screen(pilot, StepsScreen)
    cursor = 0
    for position in positions:
        await press(pilot, *["down"] * (position - cursor), "space")
        cursor = position
    await press(pilot, "enter")


async def run_clock_to(pilot: Pilot[None], parts: Parts, seconds: float) -> None:
    parts.clock.advance(max(0.0, seconds - parts.clock.now()))
    screen = pilot.app.screen
    if isinstance(screen, PlayerScreen):
        screen.tick()
    await pilot.pause()


async def press(pilot: Pilot[None], *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await pilot.pause()


async def on_screen(pilot: Pilot[None], kind: type) -> None:
    """Wait (on the app's own progress, not on time) until a screen of this kind is shown."""
    for _ in range(50):
        if isinstance(pilot.app.screen, kind):
            return
        await pilot.pause()
    raise AssertionError(f"expected {kind.__name__}, got {type(pilot.app.screen).__name__}")


def outcome_of(parts: Parts) -> Outcome:
    return Outcome(list(parts.journal.entries), session_words(parts.speaker), parts.speaker.sounds)


# -- plain mode, through its input -------------------------------------------------------------


def plain_lines(scenario: Scenario) -> list[str]:
    if not scenario.safe:
        return ["y"]
    answers = scenario.reflecting
    steps = " ".join(str(position + 1) for position in answers.easier)
    lines = ["n", *before_answers(scenario), *after_answers(answers)]
    lines += [answers.overall or "", steps, "", answers.sharp]
    if answers.sharp == "y":
        lines.append("1")
    return [*lines, answers.note]


def through_plain_mode(
    scenario: Scenario, tmp_path: Path, earlier: Sequence[SessionEntry] = ()
) -> Outcome:
    library = tiny_library(tmp_path)
    routine = library.find("tiny-sides").routine  # type: ignore[union-attr]
    assert routine is not None
    speaker = RecordingSpeaker(words_per_minute=scenario.words_per_minute)
    clock, journal = FakeClock(), MemoryJournal()
    journal.entries = list(earlier)
    try:
        code = run_plain(
            routine,
            PlainOptions(),
            input=ScriptedInput(
                plain_lines(scenario), clock, keys=scenario.keys, sigterm_at=scenario.sigterm_at
            ),
            out=io.StringIO(),
            err=io.StringIO(),
            journal=journal,
            speaker=speaker,
            settings=AppSettings(),
            clock_factory=lambda: clock,
            now=lambda: START + timedelta(seconds=clock.now()),
        )
    except SystemExit as leaving:  # SIGTERM: saved, then the process is to end
        code = int(leaving.code or 0)
    return Outcome(list(journal.entries), session_words(speaker), speaker.sounds, code)


def session_words(speaker: RecordingSpeaker) -> list[tuple[UtteranceKind, str]]:
    """What was said from the safety check on, less how each face reads its lists (the app says
    each item as it is reached or ticked, plain mode says the list before asking for numbers)
    and the keys the app says after a notice (plain mode goes on by itself)."""
    spoken = speaker.spoken
    start = next(i for i, (_, text) in enumerate(spoken) if content.SAFETY_NOTICE in text)
    own = (
        "Ticked: ",
        "Not ticked: ",
        "Space ticks a step",
        STEPS_SAID,
        "Enter or escape goes on;",
        "Escape skips.",
    )
    return [(kind, text) for kind, text in spoken[start:] if not text.startswith(own)]


# -- the test ----------------------------------------------------------------------------------


BACK_ON_THE_LIST = "Routines list. Desk break: side bends and wall lean, 5 minutes."


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda scenario: scenario.id)
async def test_the_same_answers_give_the_same_entry_and_words(
    scenario: Scenario, tmp_path: Path
) -> None:
    in_app = await through_the_app(scenario, tmp_path / "app")
    in_plain = through_plain_mode(scenario, tmp_path / "plain")

    signalled = scenario.sigterm_at is not None
    assert in_plain.exit_code == (128 + signal.SIGTERM if signalled else 0)
    assert in_app.entries == in_plain.entries
    # The same words; then the app, back on its routines list, says so behind them (plain mode
    # has ended).
    back = [] if signalled else [(UtteranceKind.INSTRUCTION, BACK_ON_THE_LIST)]
    assert in_app.spoken == in_plain.spoken + back
    assert in_app.sounds == in_plain.sounds
    if scenario.ending is None:
        assert in_app.entries == []
    else:
        (entry,) = in_app.entries
        assert entry.ending is scenario.ending
        assert entry.started_at == START + timedelta(seconds=0)


def test_plain_mode_reads_the_users_keymap_and_its_help_names_it(tmp_path: Path) -> None:
    routine = tiny_library(tmp_path).find("tiny-sides").routine  # type: ignore[union-attr]
    assert routine is not None
    clock, speaker, out = FakeClock(), RecordingSpeaker(), io.StringIO()
    scenario = Scenario("keymap", keys=((3, "k"), (4, "space"), (5, "k")))
    run_plain(
        routine,
        PlainOptions(),
        input=ScriptedInput(["n", "5"], clock, keys=scenario.keys),
        out=out,
        err=io.StringIO(),
        journal=MemoryJournal(),
        speaker=speaker,
        settings=AppSettings(keymap={"player.pause": "k"}),
        clock_factory=lambda: clock,
    )
    assert "Paused." in speaker.texts and any(t.startswith("Resumed.") for t in speaker.texts)
    nothing = next(line for line in out.getvalue().splitlines() if "does nothing" in line)
    assert "Keys while the routine plays: k, pause or resume" in nothing


def test_each_side_scored_more_time_and_a_longer_hold_are_all_in_the_entry(
    tmp_path: Path,
) -> None:
    scenario = next(s for s in SCENARIOS if s.id == "each-side-more-time-and-longer")
    in_plain = through_plain_mode(scenario, tmp_path)
    (entry,) = in_plain.entries
    reflection = entry.reflection
    assert (reflection.pain_before_left, reflection.pain_before_right) == (6, 3)
    assert (reflection.pain_after_left, reflection.pain_after_right) == (4, 3)
    assert (reflection.pain_before, reflection.pain_after) == (6, 4)  # the sorer side
    assert entry.tailoring == Tailoring(more_time=Side.LEFT)
    left, right = entry.steps
    # 20 s +50 % is 30 s, and two presses of "a" add 20 s; the right side ended early.
    assert (left.seconds_planned, left.seconds_added, left.seconds_spent) == (30, 20, 50)
    assert (right.seconds_planned, right.seconds_added, right.ended_early) == (20, 0, True)
    assert right.outcome is StepOutcome.DONE and right.seconds_spent < 20
    said = " ".join(text for _, text in in_plain.spoken)
    assert "Your left side is sorer today. Give it more time, with holds 50% longer?" in said
    assert "Stretching your left side. Side bend, left side. 30 seconds." in said
    assert said.count("10 seconds more.") == 2 and "Hold ended." in said
    assert "Your left side went from 6 to 4" in said and "Your right side is the same" in said
    export = export_markdown([entry])  # what a therapist reads: per side, as played
    assert "| Left | Right | Overall | As played |" in export and "| 6 → 4 | 3 → 3 |" in export
    assert "more time on left side (+50%); +20 s added to holds; 1 hold ended early" in export


@pytest.mark.parametrize("face", ["app", "plain"])
async def test_a_session_cut_off_by_sigterm_resumes_where_it_stopped(
    face: str, tmp_path: Path
) -> None:
    cut = next(s for s in SCENARIOS if s.id == "sigterm-mid-step")  # in step 2, 7 s into it
    again = Scenario("resume", offers=("y",), resuming=True, ending=Ending.COMPLETED)
    if face == "app":
        (cut_off,) = (await through_the_app(cut, tmp_path / "first")).entries
        resumed = await through_the_app(again, tmp_path / "again", earlier=[cut_off])
    else:
        (cut_off,) = through_plain_mode(cut, tmp_path / "first").entries
        resumed = through_plain_mode(again, tmp_path / "again", earlier=[cut_off])

    (entry,) = resumed.entries  # the same session, completed in place
    assert entry.started_at == cut_off.started_at and entry.ending is Ending.COMPLETED
    assert entry.resumed == 1
    first, second = entry.steps
    assert first.outcome is StepOutcome.DONE and first.seconds_spent == 20
    assert second.outcome is StepOutcome.DONE and second.seconds_spent == 27  # 7 s, then 20
    said = [text for _, text in resumed.spoken]
    assert any("cut off earlier today, at step 2 of 2, Side bend, right side" in t for t in said)
    assert "Resuming Tiny sides at step 2 of 2." in said
    assert not any("Side bend, left side." in text for text in said)  # step 1 is not played


async def test_speech_that_takes_time_is_planned_the_same_in_both_faces(tmp_path: Path) -> None:
    scenario = next(scenario for scenario in SCENARIOS if scenario.words_per_minute)
    in_plain = through_plain_mode(scenario, tmp_path)
    # Each hold starts after its instruction, the side change is sounded, each hold ends.
    assert in_plain.sounds.count(Sound.HOLD_START) == 2
    assert in_plain.sounds.count(Sound.HOLD_END) == 2
    assert in_plain.sounds.count(Sound.SIDE_SWITCH) == 1
    assert in_plain.sounds.count(Sound.BEAT) == 6
    (entry,) = in_plain.entries
    assert [log.seconds_spent for log in entry.steps] == [20, 20]  # holds, not lead-ins
