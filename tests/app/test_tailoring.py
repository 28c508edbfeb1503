"""F4 on the routines list starts the highlighted routine with the tailoring questions."""

from __future__ import annotations

from pathlib import Path

from apphelpers import Parts, tiny_library
from test_both_faces import on_screen, press, run_clock_to

from selfcare_tui.app.screens.picker import PickerScreen
from selfcare_tui.app.screens.player import PlayerScreen
from selfcare_tui.app.screens.question import ChoiceScreen
from selfcare_tui.app.screens.safety import SafetyScreen
from selfcare_tui.session.script import TAILOR_QUESTION
from selfcare_tui.vocabulary import Side, Tailoring


async def test_f4_asks_how_to_play_and_plays_one_side_only(tmp_path: Path) -> None:
    parts = Parts(tiny_library(tmp_path))
    async with parts.app().run_test(size=(100, 30)) as pilot:
        await on_screen(pilot, PickerScreen)
        await press(pilot, *"tiny", "f4")  # filtered to the one routine, then F4
        await on_screen(pilot, SafetyScreen)
        await press(pilot, "n")
        for answer in ("5", "o", "r"):  # pain, one side only, the right
            await on_screen(pilot, ChoiceScreen)
            await press(pilot, answer)
        await on_screen(pilot, PlayerScreen)
        assert TAILOR_QUESTION in " ".join(parts.speaker.texts)
        await run_clock_to(pilot, parts, 5)
        player = pilot.app.session.player  # type: ignore[attr-defined]
        assert [step.title for step in player.steps] == ["Side bend, right side"]
        await press(pilot, "q", "y")
    (entry,) = parts.journal.entries
    assert entry.tailoring == Tailoring(only=Side.RIGHT)
