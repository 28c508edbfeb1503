"""Nothing only on screen: every screen of a session speaks when it opens, every place the Tab
key reaches says what it is, every notice is spoken, and a whole session can be followed and
finished by ear alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from apphelpers import Parts, tiny_library
from textual.pilot import Pilot

from selfcare_tui.app.app import SelfCareApp

pytestmark = pytest.mark.long  # each takes seconds: started early (tests/conftest.py)

SIZE = (100, 30)


class Ear:
    """What the app said and showed since the last look."""

    def __init__(self, app: SelfCareApp, parts: Parts, monkeypatch: pytest.MonkeyPatch) -> None:
        self.parts = parts
        self.heard = 0
        self.notices: list[str] = []
        notify = app.notify

        def recording_notify(message: str, **options: Any) -> None:
            self.notices.append(message)
            notify(message, **options)

        monkeypatch.setattr(app, "notify", recording_notify)

    def new(self) -> list[str]:
        texts = self.parts.speaker.texts
        fresh, self.heard = texts[self.heard :], len(texts)
        return fresh


async def walk(pilot: Pilot[None], ear: Ear, name: str) -> None:
    """On arrival something was said; then Tab visits every focusable place, each said."""
    await pilot.pause()
    assert ear.new(), f"{name}: nothing was said when it opened"
    screen = pilot.app.screen
    focusable = [widget for widget in screen.focus_chain if widget.focusable]
    for _ in focusable:
        await pilot.press("tab")
        await pilot.pause()
        assert ear.new(), f"{name}: the focus reached {pilot.app.focused!r} in silence"
    for notice in ear.notices:
        assert any(notice in text for text in ear.parts.speaker.texts), notice


@pytest.mark.long(9)
async def test_every_screen_speaks_and_every_focus_and_notice_is_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parts = Parts(tiny_library(tmp_path))
    app = parts.app()
    ear = Ear(app, parts, monkeypatch)
    async with app.run_test(size=SIZE) as pilot:
        await walk(pilot, ear, "picker")
        await pilot.press("f2")
        await pilot.app.workers.wait_for_complete()
        await walk(pilot, ear, "history")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press(*"tiny", "enter")
        await walk(pilot, ear, "safety check")
        await pilot.press("n")
        await walk(pilot, ear, "pain before")
        await pilot.press("5")
        await walk(pilot, ear, "player")
        await pilot.press("question_mark")
        await walk(pilot, ear, "help")
        await pilot.press("escape")
        await pilot.press("q")
        await walk(pilot, ear, "quit question")
        await pilot.press("y")
        await walk(pilot, ear, "pain after")
        await pilot.press("3")
        await walk(pilot, ear, "overall")
        await pilot.press("b")
        await walk(pilot, ear, "easier steps")
        await pilot.press("enter")
        await walk(pilot, ear, "harder steps")
        await pilot.press("enter")
        await walk(pilot, ear, "sharp pain")
        await pilot.press("n")
        await walk(pilot, ear, "note")
        await pilot.press("enter")
        await walk(pilot, ear, "closing")


async def test_a_whole_session_by_ear_and_keys_alone(tmp_path: Path) -> None:
    """Each key is chosen from what was said, never from the screen; time runs 200 times faster
    so the routine plays on its own timers."""
    from selfcare_tui.session.clock import MonotonicClock

    parts = Parts(tiny_library(tmp_path))
    parts.app_parts.clock_factory = lambda: MonotonicClock(200)
    heard = 0

    async def until_said(words: str) -> str:
        nonlocal heard
        for _ in range(600):
            texts = parts.speaker.texts
            for index in range(heard, len(texts)):
                if words in texts[index]:
                    heard = index + 1
                    return texts[index]
            await pilot.pause(0.02)
        raise AssertionError(f"never heard {words!r}; last: {parts.speaker.texts[-3:]}")

    async with parts.app().run_test(size=SIZE) as pilot:
        said = await until_said("minute")  # the picker says the highlighted routine
        while "Tiny sides" not in said:
            await pilot.press("down")
            said = await until_said("minute")
        await pilot.press("enter")
        said = await until_said("Does any of these apply to you?")
        assert "Press y if one does, or n if none does" in said
        await pilot.press("n")
        said = await until_said("How is your pain right now")
        await pilot.press("4")
        await until_said("Stretching your left side")
        await until_said("Switch to your right side.")
        await until_said("Routine complete.")
        await until_said("How is it now")
        await pilot.press("2")
        said = await until_said("better, about the same, or worse")
        await pilot.press("b")
        await until_said("Which steps felt easier")
        await pilot.press("enter")
        await until_said("Which steps felt harder")
        await pilot.press("enter")
        await until_said("Did any step cause sharp pain?")
        await pilot.press("n")
        await until_said("Anything else to note")
        await pilot.press(*"easier", "enter")
        said = await until_said("Your pain went from 4 to 2")
        assert "massage therapist" in said
    (entry,) = parts.journal.entries
    assert entry.ending.value == "completed" and entry.reflection.note == "easier"


async def test_the_command_palette_is_said_too(tmp_path: Path) -> None:
    from selfcare_tui.app.app import PALETTE_WORDS

    parts = Parts(tiny_library(tmp_path))
    async with parts.app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert PALETTE_WORDS in parts.speaker.texts
        await pilot.press(*"contrast")
        for _ in range(100):  # the palette searches in a worker: wait for its match
            await pilot.press("down")
            await pilot.pause()
            if any("High contrast" in text for text in parts.speaker.texts):
                break
        assert any("High contrast" in text for text in parts.speaker.texts)
