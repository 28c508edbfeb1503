"""A picture of every screen at 40×12, 80×24 and 120×40, with a fake clock and a recording speaker.

A session's pictures are taken along one walk through it (`test_screens`). A picture that
differs is named, and written beside the test's files for a look against the snapshot; after a
deliberate change, `pytest tests/app/test_snapshots.py --snapshot-update` writes the new ones,
to compare in git before committing. A walk that stopped early (an error, not a picture that
differs) must be mended first: the pictures it did not reach would count as unused, and an
update would delete them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from apphelpers import Parts, tiny_library
from pinned_versions import requires_pinned_versions
from pytest_textual_snapshot import SVGImageExtension
from syrupy.assertion import SnapshotAssertion
from textual.pilot import Pilot
from textual.widgets import Input

from selfcare_tui.app.screens.player import PlayerScreen
from selfcare_tui.routines.library import discover

pytestmark = requires_pinned_versions  # the pictures depend on the exact releases

SIZES = [(40, 12), (80, 24), (120, 40)]


async def keys(pilot: Pilot, *pressed: str) -> None:
    for key in pressed:
        await pilot.press(key)
        await pilot.pause()


async def play_for(pilot: Pilot, parts: Parts, seconds: float) -> None:
    parts.clock.advance(seconds)
    screen = pilot.app.screen
    assert isinstance(screen, PlayerScreen)
    screen.tick()
    await pilot.pause()


class Pictures:
    """SVG pictures of one running app, each compared with its snapshot as it is taken.

    Each mismatch is named at the end, so one changed screen does not hide the others.
    """

    def __init__(self, pilot: Pilot, snapshot: SnapshotAssertion, folder: Path) -> None:
        self.pilot = pilot
        self.snapshot = snapshot.use_extension(SVGImageExtension)
        self.title = pilot.app.title  # as pytest-textual-snapshot titles its pictures
        self.folder = folder
        self.mismatched: list[str] = []

    async def take(self, name: str) -> None:
        app = self.pilot.app
        app.clear_notifications()  # the small-terminal notice has its own picture
        for field in app.screen.query(Input):
            field.cursor_blink = False  # a blink caught mid-way would change the picture
        await self.pilot.pause()
        await self.pilot.wait_for_scheduled_animations()
        await self.pilot.pause()
        picture = app.export_screenshot(title=self.title, simplify=True)
        if self.snapshot(name=name) != picture:
            drawn = self.folder / f"{name}.svg"
            drawn.write_text(picture, encoding="utf-8")
            self.mismatched.append(f"{name}: drawn now in {drawn}")


async def a_whole_session(pilot: Pilot, parts: Parts, pictures: Pictures) -> None:
    """Every screen of tiny-sides, in the order a session meets them; each side trip (the quit
    question, help, pause) is undone before going on, so later pictures do not show it."""
    await pictures.take("safety")
    await keys(pilot, "n")
    await pictures.take("pain_before")
    await keys(pilot, "6")
    await play_for(pilot, parts, 26)
    await pictures.take("player")
    await keys(pilot, "q")
    await pictures.take("quit_confirm")
    await keys(pilot, "escape")
    await keys(pilot, "question_mark")
    await pictures.take("help")
    await keys(pilot, "escape")
    await keys(pilot, "space")
    await pictures.take("player_paused")
    await keys(pilot, "space")
    await play_for(pilot, parts, 15)
    await keys(pilot, "3")
    await pictures.take("reflection_overall")
    await keys(pilot, "b", "space")
    await pictures.take("reflection_steps")
    await keys(pilot, "enter", "enter", "n")
    await pictures.take("reflection_note")
    await keys(pilot, *"stiff in the morning", "enter")
    await pictures.take("closing")


async def the_picker(pilot: Pilot, parts: Parts, pictures: Pictures) -> None:
    await pictures.take("picker")


async def stopped_for_safety(pilot: Pilot, parts: Parts, pictures: Pictures) -> None:
    await keys(pilot, "y")
    await pictures.take("stopped_for_safety")


Walk = Callable[[Pilot, Parts, Pictures], Awaitable[None]]
WALKS: dict[str, tuple[str | None, Walk]] = {
    "session": ("tiny-sides", a_whole_session),
    "picker": (None, the_picker),
    "safety-yes": ("tiny-sides", stopped_for_safety),
}


@pytest.mark.long(6)
@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("walk", list(WALKS))
async def test_screens(
    walk: str, size: tuple[int, int], tmp_path: Path, snapshot: SnapshotAssertion
) -> None:
    """One app for all the pictures of a walk: starting an app and playing up to each screen
    again for each picture cost most of these tests' time."""
    routine_id, steps = WALKS[walk]
    parts = Parts(tiny_library(tmp_path))
    async with parts.app(routine_id).run_test(size=size) as pilot:
        await pilot.pause()
        pictures = Pictures(pilot, snapshot, tmp_path)
        await steps(pilot, parts, pictures)
    assert pictures.mismatched == [], "pictures that differ from tests/app/__snapshots__"


def test_the_whole_safety_check_of_a_massage_routine_fits_at_80x24(snap_compare) -> None:
    parts = Parts(discover())
    assert snap_compare(parts.app("short-relief"), terminal_size=(80, 24))


def test_empty_library_says_where_routines_go(
    tmp_path: Path, snap_compare, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    parts = Parts(discover([], bundled_dir=empty, user_dir=empty))
    # The message names the user's routines folder: keep it the same on every machine.
    monkeypatch.setenv("XDG_CONFIG_HOME", "/home/you/.config")
    assert snap_compare(parts.app(), terminal_size=(80, 24))


def test_a_small_terminal_is_told_and_carries_on(tmp_path: Path, snap_compare) -> None:
    parts = Parts(tiny_library(tmp_path))
    assert snap_compare(parts.app(), terminal_size=(60, 20))
