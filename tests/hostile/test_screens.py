"""The app fed the hostile routines: no byte of C0 or C1 but newline and tab, no bidirectional
control and no live markup on any screen the picker shows, and no crash."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from apphelpers import Parts, drawn_text
from hostile.crafted import hostile_contents, hostile_names, unclean

from selfcare_tui.app.screens.picker import PickerScreen
from selfcare_tui.routines.library import discover

pytestmark = pytest.mark.long  # each takes seconds: started early (tests/conftest.py)


@pytest.mark.parametrize(
    "craft",
    [
        pytest.param(hostile_contents, id="contents", marks=pytest.mark.long(12)),
        pytest.param(hostile_names, id="names"),
    ],
)
async def test_every_routine_in_the_picker_is_shown_cleanly(
    tmp_path: Path, craft: Callable[[Path], object]
) -> None:
    folder = tmp_path / "shared"
    craft(folder)
    library = discover([folder])
    parts = Parts(library)
    async with parts.app().run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.pause()
        assert "Choose a routine" in drawn_text(pilot.app)  # what is checked is what is shown
        notices = 0
        for _ in library.entries:
            await pilot.press("down")
            await pilot.pause()
            assert isinstance(pilot.app.screen, PickerScreen)  # no markup ran an action
            assert unclean(drawn_text(pilot.app)) == []
            await pilot.press("enter")  # a broken one is said to be broken; a good one starts
            await pilot.pause()
            drawn = drawn_text(pilot.app)
            assert unclean(drawn) == []
            notices += "is broken:" in drawn  # the notice, drawn with the file's words in it
            if not isinstance(pilot.app.screen, PickerScreen):
                await pilot.press("escape")  # back from the safety check
                await pilot.pause()
    assert notices
    assert all(unclean(text) == [] for text in parts.speaker.texts)


async def test_markup_in_a_routine_stays_text_in_the_player(tmp_path: Path) -> None:
    from hostile.crafted import MARKUP, everywhere, write_named

    from selfcare_tui.app.screens.player import PlayerScreen

    folder = tmp_path / "shared"
    for name, text in MARKUP.items():
        write_named(folder, f"markup-{name}.toml", everywhere(text))
    library = discover([folder])
    playable = [
        entry.id for entry in library.entries if entry.routine and entry.path.parent == folder
    ]
    assert playable
    for routine_id in playable:
        parts = Parts(library)
        async with parts.app(routine_id).run_test(size=(120, 40), notifications=True) as pilot:
            for key in ("n", "escape"):  # no red flag; pain skipped
                await pilot.pause()
                await pilot.press(key)
            await pilot.pause()
            assert isinstance(pilot.app.screen, PlayerScreen), routine_id
            assert unclean(drawn_text(pilot.app)) == []
