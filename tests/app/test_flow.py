"""The whole session through Pilot: pick, safety, pain, play, pause, skip, quit, reflect."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from apphelpers import Parts, tiny_library
from textual.pilot import Pilot
from textual.widgets import Label

from selfcare_tui.app.screens.notice import NoticeScreen
from selfcare_tui.app.screens.picker import PickerScreen
from selfcare_tui.app.screens.player import PlayerScreen
from selfcare_tui.app.screens.safety import SafetyScreen
from selfcare_tui.app.widgets.progress_line import ProgressLine
from selfcare_tui.app.widgets.side_banner import SideBanner
from selfcare_tui.journal.model import Ending, Overall
from selfcare_tui.session.player import PlayerState
from selfcare_tui.session.script import EACH_SIDE_HINT
from selfcare_tui.speech.model import (
    Sound,
    SpeechEvent,
    SpeechEventKind,
    Utterance,
    UtteranceKind,
)
from selfcare_tui.testing import RecordingSpeaker

SIZE = (100, 30)
NOTICE_KEYS = "Enter or escape goes on; control r says it again."


@pytest.fixture
def parts(tmp_path: Path) -> Parts:
    return Parts(tiny_library(tmp_path))


async def advance(pilot: Pilot, parts: Parts, seconds: float) -> None:
    parts.clock.advance(seconds)
    screen = pilot.app.screen
    assert isinstance(screen, PlayerScreen)
    screen.tick()
    await pilot.pause()


async def safe_and_rated(pilot: Pilot, pain: str) -> None:
    """Confirm the safety check, then rate the pain before: the player starts."""
    for key in ("n", pain):
        await pilot.press(key)
        await pilot.pause()


async def start_tiny(pilot: Pilot, pain: str = "6") -> PlayerScreen:
    await pilot.pause()
    assert isinstance(pilot.app.screen, PickerScreen)
    await pilot.press("t", "i", "n", "y", "enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SafetyScreen)
    await pilot.press("n")
    await pilot.pause()
    await pilot.press(pain)
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, PlayerScreen)
    return screen


@pytest.mark.long
async def test_a_full_session_with_pause_skip_back_and_quit(parts: Parts) -> None:
    app = parts.app()
    async with app.run_test(size=SIZE) as pilot:
        player_screen = await start_tiny(pilot)
        player = player_screen.player
        assert "Left side" in str(player_screen.query_one(SideBanner).render())
        assert any("Does any of these apply" in text for text in parts.speaker.texts)

        await advance(pilot, parts, 20.5)
        assert player.view.step.number == 2
        assert any(text.startswith("Switch to your right side.") for text in parts.speaker.texts)
        assert "Right side" in str(player_screen.query_one(SideBanner).render())

        await pilot.press("space")
        assert player.state is PlayerState.PAUSED
        await advance(pilot, parts, 300)
        assert player.view.step_elapsed == pytest.approx(0.5)
        assert "PAUSED" in str(player_screen.query_one("#state").render())
        await pilot.press("space")

        interruptions = parts.speaker.interruptions
        await pilot.press("p")
        assert player.view.step.number == 1
        assert parts.speaker.interruptions > interruptions
        await pilot.press("n")
        assert player.view.step.number == 2

        await pilot.press("q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        # The reflection: pain after, overall, easier, harder, sharp pain, note.
        await pilot.press("3")
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        await pilot.press("space", "enter")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"felt easier", "enter")
        await pilot.pause()
        closing = pilot.app.screen
        assert isinstance(closing, NoticeScreen)
        assert "Your pain went from 6 to 3, 3 lower. That is worth noting" in closing.markdown
        assert closing.markdown.index("massage therapist") < closing.markdown.index("physician")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, PickerScreen)

    (entry,) = parts.journal.entries
    assert entry.ending is Ending.QUIT
    assert entry.reflection.pain_before == 6 and entry.reflection.pain_after == 3
    assert entry.reflection.overall is Overall.BETTER
    assert entry.reflection.easier_steps == [0]
    assert entry.reflection.note == "felt easier"
    assert [step.outcome for step in entry.steps] == ["done", "partial"]


@pytest.mark.long
async def test_worse_or_sharp_pain_puts_the_physician_first(parts: Parts) -> None:
    app = parts.app("tiny-sides")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("escape")  # pain before skipped
        await pilot.pause()
        await advance(pilot, parts, 41)
        for key in ("4", "w", "enter", "enter", "y", "space", "enter", "enter"):
            await pilot.press(key)
            await pilot.pause()
        closing = pilot.app.screen
        assert isinstance(closing, NoticeScreen)
        text = closing.markdown
        assert text.index("Stop doing step 1, Side bend, left side") < text.index("physician")
        assert text.index("physician") < text.index("Share this log")
    (entry,) = parts.journal.entries
    assert entry.ending is Ending.COMPLETED
    assert entry.reflection.sharp_pain_steps == [0]
    assert entry.reflection.pain_before is None


async def test_saying_a_red_flag_applies_stops_and_shows_where_to_get_help(parts: Parts) -> None:
    app = parts.app("tiny-sides")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, NoticeScreen)
        assert "emergency services" in screen.markdown
        # Said too, then, once heard to the end, how to go on (only F1 said it).
        *_, (_, advice), keys = parts.speaker.spoken
        assert "emergency services" in advice
        assert keys == (UtteranceKind.STATUS, NOTICE_KEYS)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, PickerScreen)
        # Words that end after the notice was left (Enter pressed while they were said) are
        # not followed by its keys: on the routines list, Enter starts a routine.
        ended = Utterance(99, advice, UtteranceKind.INSTRUCTION, 0.0)
        pilot.app.heard(SpeechEvent(SpeechEventKind.FINISHED, ended))
        await pilot.pause()
        assert parts.speaker.texts.count(NOTICE_KEYS) == 1
    assert parts.journal.entries == []


async def test_closing_the_app_mid_routine_keeps_an_interrupted_entry(parts: Parts) -> None:
    app = parts.app("tiny-sides")
    async with app.run_test(size=SIZE) as pilot:
        await safe_and_rated(pilot, "5")
        await advance(pilot, parts, 7)
        await pilot.press("ctrl+q")
        await pilot.pause()
    (entry,) = parts.journal.entries
    assert entry.ending is Ending.INTERRUPTED
    assert entry.steps[0].seconds_spent == 7


@pytest.mark.long
async def test_keys_status_repeat_mute_rate_and_help(parts: Parts) -> None:
    app = parts.app("tiny-sides")
    async with app.run_test(size=SIZE) as pilot:
        await safe_and_rated(pilot, "5")
        await advance(pilot, parts, 5)
        await pilot.press("s")
        assert parts.speaker.texts[-1] == (
            "Left side, Side bend, left side, 15 seconds left. "
            "Next: Right side, Side bend, right side. 35 seconds left in the routine."
        )
        await pilot.press("r")
        assert parts.speaker.texts[-1].startswith("Step 1 of 2. Stretching your left side.")
        rate = parts.speaker.rate
        await pilot.press("plus")
        assert parts.speaker.rate == rate + 15
        await pilot.press("minus")
        assert parts.speaker.rate == rate
        await pilot.press("m")
        await pilot.pause()
        assert parts.speaker.texts[-1] == "Voice off."
        assert parts.speaker.muted
        assert "Voice off" in str(pilot.app.screen.query_one("#state").render())
        await pilot.press("m")
        assert not parts.speaker.muted
        assert parts.speaker.texts[-1] == "Voice on."
        await pilot.press("question_mark")
        await pilot.pause()
        assert parts.speaker.texts[-1].startswith("Keys while the routine plays: space, pause")
        assert "Sounds: two rising notes, the hold starts" in parts.speaker.texts[-1]
        help_text = pilot.app.screen.query_one("Markdown").source
        assert "| space | pause or resume |" in help_text
        assert "| a double tap | halfway through the hold |" in help_text


async def test_the_picker_filters_and_shows_broken_routines(tmp_path: Path) -> None:
    from helpers import write

    from selfcare_tui.routines.library import discover

    folder = tmp_path / "routines"
    write(folder / "broken-one.toml", "format = 1\n")
    parts = Parts(discover([folder]))
    async with parts.app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        details = pilot.app.screen.query_one("#details")
        await pilot.press("b", "r", "o", "k")
        await pilot.pause()
        assert "cannot be played" in str(details.render())
        assert "title: missing" in str(details.render())


async def test_a_small_terminal_says_so_and_carries_on(parts: Parts) -> None:
    async with parts.app().run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        assert isinstance(pilot.app.screen, PickerScreen)
        assert any("Small terminal: 60×20" in text for text in parts.speaker.texts)


@pytest.mark.long
async def test_pain_ten_can_be_typed_and_one_still_answers(parts: Parts) -> None:
    app = parts.app("tiny-sides")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("1", "0")
        await pilot.pause()
        *_, severe, skip = parts.speaker.texts
        assert severe.startswith("Pain of 9 or 10 is severe.") and skip == "Escape skips."
        await pilot.press("g")  # go on gently
        await pilot.pause()
        assert isinstance(pilot.app.screen, PlayerScreen)
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause(1.3)  # "1" could still become "10": it answers after a short pause
        assert "better, about the same, or worse" in parts.speaker.texts[-2]
        await pilot.press("ctrl+q")
    (entry,) = parts.journal.entries
    assert (entry.reflection.pain_before, entry.reflection.pain_after) == (10, 1)


async def test_ticked_steps_say_so_in_words(parts: Parts) -> None:
    app = parts.app("tiny-sides")
    async with app.run_test(size=SIZE) as pilot:
        for key in ("n", "5", "n", "n", "5", "b"):
            await pilot.press(key)
            await pilot.pause()
        await pilot.press("space")
        await pilot.pause()
        assert parts.speaker.texts[-1] == "Ticked: 1. Side bend, left side"
        options = pilot.app.screen.query_one("SelectionList")
        assert str(options.get_option_at_index(0).prompt).startswith("[x] ticked")
        assert str(options.get_option_at_index(1).prompt).startswith("[ ]")


async def test_the_size_notice_is_said_once_each_time_the_terminal_becomes_small(
    parts: Parts,
) -> None:
    def notices() -> list[str]:
        return [text for text in parts.speaker.texts if "Small terminal" in text]

    async with parts.app().run_test(size=(100, 30)) as pilot:
        await pilot.resize_terminal(70, 20)
        await pilot.pause()
        await pilot.resize_terminal(72, 20)
        await pilot.pause()
        assert len(notices()) == 1 and "70×20" in notices()[0]
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        await pilot.resize_terminal(60, 12)
        await pilot.pause()
        assert len(notices()) == 2
        assert isinstance(pilot.app.screen, PickerScreen)


async def test_a_notice_at_start_is_said_in_full_before_the_first_routine(parts: Parts) -> None:
    # The first routine's words used to cut the notice off: only the screen said it.
    async with parts.app().run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        texts = parts.speaker.texts
        assert texts[0].startswith("Small terminal: 40×12") and len(texts) == 2
        assert parts.speaker.interruptions == 0
        await pilot.press("down")  # moving on still cuts the last routine short
        await pilot.pause()
        assert parts.speaker.interruptions == 1


async def test_a_red_flag_stop_names_each_action_with_its_signs(parts: Parts) -> None:
    async with parts.app("tiny-sides").run_test(size=SIZE) as pilot:
        await pilot.press("y")
        await pilot.pause()
        text = pilot.app.screen.markdown
        assert "If you have any of the emergency signs, call emergency services" in text
        assert "self-massage" not in text  # the tiny routine has no massage step


async def test_a_speech_problem_is_shown_once(tmp_path: Path) -> None:
    from selfcare_tui.testing import RecordingSpeaker

    parts = Parts(tiny_library(tmp_path))
    speaker = RecordingSpeaker(problem="No audio output found: captions only.")
    parts.app_parts.speaker = speaker
    app = parts.app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.report_speech_problem()
        said = "Speech: No audio output found: captions only."
        assert speaker.texts.count(said) == 1


async def test_the_keys_said_after_a_question_and_a_notice_follow_the_keymap(
    parts: Parts,
) -> None:
    from selfcare_tui.settings import AppSettings

    keymap = {"question.skip": "f5", "notice.repeat": "ctrl+t"}
    parts.app_parts.settings = AppSettings(keymap=keymap)
    async with parts.app("tiny-sides").run_test(size=SIZE) as pilot:
        await pilot.press("n")  # no warning sign applies: the pain question
        await pilot.pause()
        assert parts.speaker.texts[-1] == "F5 skips."
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(pilot.app.screen, PlayerScreen)
    async with parts.app("tiny-sides").run_test(size=SIZE) as pilot:
        await pilot.press("y")  # one applies: the advice
        await pilot.pause()
        assert parts.speaker.texts[-1] == "Enter or escape goes on; control t says it again."


async def test_the_list_says_where_the_user_is_before_its_first_routine(parts: Parts) -> None:
    from selfcare_tui.settings import AppSettings

    opening = "Routines list, 4 to choose from: up and down move, Enter starts; "  # 3 bundled
    async with parts.app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert parts.speaker.texts == [
            f"{opening}f1 says where you are and every key. Desk break: side bends and wall "
            "lean, 5 minutes."
        ]
    parts.app_parts.settings = AppSettings(keymap={"app.orient": "f9"})
    async with parts.app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert parts.speaker.texts[-1].startswith(f"{opening}f9 says where you are")


class EndlessOrientation(RecordingSpeaker):
    """Says F1's list of keys ("Routines: ...") without end; all else at once."""

    def speak(
        self, text: str, kind: UtteranceKind = UtteranceKind.INSTRUCTION, **options: Any
    ) -> Utterance:
        self.endless = text.startswith("Routines:")
        return super().speak(text, kind, **options)

    def _outcome(self) -> list[tuple[SpeechEventKind, str]]:
        return [(SpeechEventKind.STARTED, "")] if self.endless else super()._outcome()


class QueuedOrientation(EndlessOrientation):
    """F1's list of keys waits behind other words, never begun."""

    def _outcome(self) -> list[tuple[SpeechEventKind, str]]:
        return [] if self.endless else super()._outcome()


async def test_a_key_pressed_while_f1_lists_the_keys_cuts_it_short(parts: Parts) -> None:
    parts.speaker = parts.app_parts.speaker = EndlessOrientation()
    async with parts.app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert parts.speaker.texts[-1].startswith("Routines: 4 to choose from.")
        before = parts.speaker.interruptions
        await pilot.press("enter")  # the safety check is heard at once, not after the list
        await pilot.pause()
        assert parts.speaker.interruptions == before + 1
        assert isinstance(pilot.app.screen, SafetyScreen)
        await pilot.press("x")  # F1's words are over: a key cuts nothing more
        await pilot.pause()
        assert parts.speaker.interruptions == before + 1


async def test_a_key_cuts_nothing_while_f1_waits_behind_other_words(parts: Parts) -> None:
    parts.speaker = parts.app_parts.speaker = QueuedOrientation()
    async with parts.app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        before = parts.speaker.interruptions
        await pilot.press("f12")  # what is being said (the closing advice, say) goes on
        await pilot.pause()
        assert parts.speaker.interruptions == before


async def test_the_end_is_heard_and_cautions_are_spoken(parts: Parts) -> None:
    app = parts.app("tiny-sides")
    async with app.run_test(size=SIZE) as pilot:
        await safe_and_rated(pilot, "5")
        # Cautions come before the action: "ease off" is no use once the user is in the stretch.
        assert "Caution: If it hurts, ease off. Slide your right hand" in parts.speaker.texts[-1]
        before = parts.speaker.interruptions
        await advance(pilot, parts, 41)
        *_, complete, question, skip = parts.speaker.texts
        assert complete == "Routine complete."
        assert question.startswith("Your pain was 5 before. How is it now")
        assert question.endswith(EACH_SIDE_HINT)
        assert skip == "Escape skips."  # the session's words say "or skip", not which key
        assert parts.speaker.interruptions == before


async def test_a_key_between_screens_never_restarts_the_session(parts: Parts) -> None:
    app = parts.app("tiny-sides")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("3", "enter")  # Enter may reach the picker below, between screens
        await pilot.pause()
        assert isinstance(pilot.app.screen, PlayerScreen)
        assert pilot.app.screen.player.routine.id == "tiny-sides"
    assert [entry.ending for entry in parts.journal.entries] == [Ending.INTERRUPTED]


async def test_the_countdown_can_be_turned_off_in_the_settings(parts: Parts) -> None:
    from selfcare_tui.settings import AppSettings

    parts.app_parts.settings = AppSettings(announce_countdown=False)
    async with parts.app("tiny-sides").run_test(size=SIZE) as pilot:
        await safe_and_rated(pilot, "5")
        await advance(pilot, parts, 19.5)
        assert not {"3", "2", "1"} & set(parts.speaker.texts)


async def test_keys_can_be_remapped_by_binding_id_and_every_help_says_so(parts: Parts) -> None:
    from selfcare_tui.settings import AppSettings

    parts.app_parts.settings = AppSettings(keymap={"player.pause": "k"})
    async with parts.app("tiny-sides").run_test(size=SIZE) as pilot:
        await safe_and_rated(pilot, "5")
        assert any(
            text.startswith("Keys while the routine plays: k, pause")
            for text in parts.speaker.texts
        )
        await pilot.press("k")
        screen = pilot.app.screen
        assert isinstance(screen, PlayerScreen)
        assert screen.player.state is PlayerState.PAUSED
        await pilot.pause()
        assert "PAUSED (k resumes)" in str(screen.query_one("#state").render())
        await pilot.press("question_mark")
        await pilot.pause()
        assert parts.speaker.texts[-1].startswith(
            "Keys while the routine plays: k, pause or resume"
        )
        help_text = pilot.app.screen.query_one("Markdown").source
        assert "| k | pause or resume |" in help_text and "| space |" not in help_text


async def test_the_safety_check_is_said_in_parts_and_enter_never_answers_it(parts: Parts) -> None:
    from selfcare_tui import content

    async with parts.app("tiny-sides").run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert parts.speaker.texts[-1] == content.SAFETY_QUESTION  # first and last
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, SafetyScreen)
        await pilot.press("down")
        assert parts.speaker.texts[-1] == content.RED_FLAGS[0].spoken()
        assert "nine nine nine, nine one one or one one two" in parts.speaker.texts[-1]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, PickerScreen)
        # Queued behind "Nothing started." (a status would go first if both were waiting).
        assert parts.speaker.spoken[-2:] == [
            (UtteranceKind.INSTRUCTION, content.NOTHING_STARTED),
            (UtteranceKind.INSTRUCTION, pilot.app.screen.back_words()),
        ]
    assert parts.journal.entries == []


async def test_a_saved_mute_is_never_a_trap(tmp_path: Path) -> None:
    from selfcare_tui.settings import AppSettings
    from selfcare_tui.testing import RecordingSpeaker

    parts = Parts(tiny_library(tmp_path))
    parts.app_parts.speaker = speaker = RecordingSpeaker(muted=True)
    parts.app_parts.settings = AppSettings().with_speech(muted=True)
    async with parts.app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        state = pilot.app.screen.query_one("#voice-state")
        assert "Voice: OFF. Press F3 to turn it on." in str(state.render())
        assert "Voice: The voice is off, as you left it. Press F3 to turn it on." in speaker.texts
        await pilot.press("f3")
        await pilot.pause()
        assert not speaker.muted and speaker.texts[-1] == "Voice on."  # said once
        assert "Voice: on" in str(state.render())
        await pilot.press("f1")
        await pilot.pause()
        assert speaker.texts[-1].startswith("Routines: 4 to choose from.")
        assert "f3, voice on or off" in speaker.texts[-1]
    assert parts.app_parts.settings.speech.muted is False  # remembered


async def test_moving_through_a_list_says_each_item(parts: Parts) -> None:
    async with parts.app("tiny-sides").run_test(size=SIZE) as pilot:
        await safe_and_rated(pilot, "5")
        await advance(pilot, parts, 41)
        await pilot.press("down")
        await pilot.pause()
        assert parts.speaker.texts[-1] == "1"
        await pilot.press("3", "b")  # pain after 3, better
        await pilot.pause()
        await pilot.press("down")
        await pilot.pause()
        assert parts.speaker.texts[-1] == "2. Side bend, right side, not ticked"


async def test_sessions_kept_safe_last_time_are_offered_at_start(parts: Parts) -> None:
    from datetime import UTC, datetime

    from selfcare_tui.journal.fallback import keep_unsaved, unsaved
    from selfcare_tui.journal.model import Reflection, SessionEntry

    start = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    kept = SessionEntry(
        "tiny-sides", "Tiny sides", 1, start, start, Ending.COMPLETED, [], Reflection(pain_before=3)
    )
    keep_unsaved(kept)
    async with parts.app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "could not be saved in your journal last time" in parts.speaker.texts[-1]
        await pilot.press("y")
        await pilot.pause()
        assert parts.speaker.texts[-1] == "Moved 1 session into your journal."
    assert [entry.reflection.pain_before for entry in parts.journal.entries] == [3]
    assert unsaved() == []


async def test_the_steps_question_says_how_to_tick_them(parts: Parts) -> None:
    app = parts.app("tiny-sides")
    async with app.run_test(size=SIZE) as pilot:
        await safe_and_rated(pilot, "5")
        await advance(pilot, parts, 41)
        for key in ("3", "b"):
            await pilot.press(key)
            await pilot.pause()
        assert parts.speaker.texts[-2].startswith("Which steps felt easier today?")
        assert parts.speaker.texts[-1] == "Space ticks a step, Enter when done."


async def test_the_screen_says_the_hold_waits_for_the_instruction(parts: Parts) -> None:
    parts.speaker.words_per_minute = 165  # speech takes time: each step has a lead-in
    async with parts.app("tiny-sides").run_test(size=SIZE) as pilot:
        await safe_and_rated(pilot, "5")
        screen = pilot.app.screen
        assert isinstance(screen, PlayerScreen)
        lead_in = screen.player.plan.lead_in
        await advance(pilot, parts, lead_in - 0.5)
        state = str(screen.query_one("#state", Label).render())
        assert "Get ready" in state
        step_line = screen.query_one("#step-progress", ProgressLine)
        assert "0:20 left of 0:20" in step_line.render_line(0).text
        await advance(pilot, parts, 1.5)
        state = str(screen.query_one("#state", Label).render())
        assert "Playing" in state
        assert "0:19 left of 0:20" in step_line.render_line(0).text
        assert Sound.HOLD_START in parts.speaker.sounds


async def test_the_routine_line_counts_whole_minutes_and_the_step_line_seconds(
    tmp_path: Path,
) -> None:
    from apphelpers import TINY
    from helpers import write

    from selfcare_tui.routines.library import discover

    folder = tmp_path / "routines"
    write(folder / "tiny-sides.toml", TINY.replace("seconds = 20", "seconds = 90"))
    parts = Parts(discover([folder]))
    async with parts.app().run_test(size=SIZE) as pilot:
        screen = await start_tiny(pilot)
        step_line = screen.query_one("#step-progress", ProgressLine)
        routine_line = screen.query_one("#routine-progress", ProgressLine)
        assert "1:30 left of 1:30" in step_line.render_line(0).text
        assert "3 of 3 min left" in routine_line.render_line(0).text
        await advance(pilot, parts, 1)
        assert "1:29 left of 1:30" in step_line.render_line(0).text
        assert "3 of 3 min left" in routine_line.render_line(0).text
        await advance(pilot, parts, 60)
        assert "0:29 left of 1:30" in step_line.render_line(0).text
        assert "2 of 3 min left" in routine_line.render_line(0).text


async def test_a_routine_can_ask_for_ticks_only_and_the_user_can_overrule_it(
    tmp_path: Path,
) -> None:
    from apphelpers import TINY
    from helpers import write

    from selfcare_tui.routines.library import discover
    from selfcare_tui.settings import AppSettings
    from selfcare_tui.vocabulary import CountdownStyle

    folder = tmp_path / "routines"
    write(folder / "tiny-sides.toml", 'countdown = "sounds"\n' + TINY)
    for settings, digits in (
        (AppSettings(), False),
        (AppSettings(countdown=CountdownStyle.BOTH), True),
    ):
        parts = Parts(discover([folder]))
        parts.app_parts.settings = settings
        async with parts.app("tiny-sides").run_test(size=SIZE) as pilot:
            await safe_and_rated(pilot, "5")
            await advance(pilot, parts, 19.5)
            assert ({"3", "2", "1"} <= set(parts.speaker.texts)) is digits
            assert parts.speaker.sounds.count(Sound.BEAT) == 3  # ticks either way


@pytest.mark.long
async def test_the_state_line_says_which_repetition_at_every_size(tmp_path: Path) -> None:
    from apphelpers import TINY
    from helpers import write

    from selfcare_tui.routines.library import discover

    folder = tmp_path / "routines"
    write(folder / "tiny-sides.toml", TINY.replace("seconds = 20", "reps = 2\nhold = 10"))
    for size in ((40, 12), (80, 24), (120, 40)):  # the countdown is hidden in small terminals
        parts = Parts(discover([folder]))
        async with parts.app("tiny-sides").run_test(size=size) as pilot:
            await safe_and_rated(pilot, "5")
            screen = pilot.app.screen
            assert isinstance(screen, PlayerScreen)
            state = screen.query_one("#state", Label)
            assert "Repetition 1 of 2" in str(state.render())
            await advance(pilot, parts, screen.player.plan.lead_in + 12)
            assert "Repetition 2 of 2" in str(state.render())


async def test_a_new_rate_says_again_what_it_cut_at_that_rate(parts: Parts) -> None:
    parts.speaker.words_per_minute = 165
    async with parts.app("tiny-sides").run_test(size=SIZE) as pilot:
        await safe_and_rated(pilot, "5")
        screen = pilot.app.screen
        assert isinstance(screen, PlayerScreen)
        instruction = screen.player.plan.items[0]
        await advance(pilot, parts, instruction.at + 1)  # the instruction is being said
        assert parts.speaker.texts[-1] == instruction.text
        await pilot.press("plus")
        status = "Speaking rate 180 words per minute."
        # Said again, whole, queued behind the new rate's words (a status goes first).
        assert parts.speaker.texts[-2:] == [status, instruction.text]
        plan = screen.player.plan
        assert plan.items[0].at >= parts.speaker.duration(status)
        assert screen.player.view.lead_in and plan.lead_in > instruction.seconds
        assert parts.speaker.prepared.count(instruction.text) == 2  # made ready at the new rate


def test_a_routine_is_said_with_its_minutes_in_words(tmp_path: Path) -> None:
    from selfcare_tui.app.screens.picker import entry_spoken

    entry = tiny_library(tmp_path).find("tiny-sides")
    assert entry is not None and entry_spoken(entry) == "Tiny sides, 1 minute."
