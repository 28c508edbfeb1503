"""A picture of every screen at 80×24 and 120×40, with a fake clock and a recording speaker."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from apphelpers import Parts, tiny_library
from pinned_versions import requires_pinned_versions
from textual.pilot import Pilot
from textual.widgets import Input

from selfcare_tui.app.screens.player import PlayerScreen
from selfcare_tui.routines.library import discover

pytestmark = requires_pinned_versions  # the pictures depend on the exact releases

SIZES = [(40, 12), (80, 24), (120, 40)]
Steps = Callable[[Pilot, Parts], Awaitable[None]]


async def keys(pilot: Pilot, *pressed: str) -> None:
    for key in pressed:
        await pilot.press(key)
        await pilot.pause()


async def to_player(pilot: Pilot, parts: Parts, seconds: float = 26) -> None:
    await keys(pilot, "n", "6")
    parts.clock.advance(seconds)
    screen = pilot.app.screen
    assert isinstance(screen, PlayerScreen)
    screen.tick()
    await pilot.pause()


async def picker(pilot: Pilot, parts: Parts) -> None:
    await pilot.pause()


async def safety(pilot: Pilot, parts: Parts) -> None:
    await pilot.pause()


async def pain_before(pilot: Pilot, parts: Parts) -> None:
    await keys(pilot, "n")


async def player(pilot: Pilot, parts: Parts) -> None:
    await to_player(pilot, parts)


async def paused(pilot: Pilot, parts: Parts) -> None:
    await to_player(pilot, parts)
    await keys(pilot, "space")


async def quit_confirm(pilot: Pilot, parts: Parts) -> None:
    await to_player(pilot, parts)
    await keys(pilot, "q")


async def help_screen(pilot: Pilot, parts: Parts) -> None:
    await to_player(pilot, parts)
    await keys(pilot, "question_mark")


async def reflection_overall(pilot: Pilot, parts: Parts) -> None:
    await to_player(pilot, parts, seconds=41)
    await keys(pilot, "3")


async def reflection_steps(pilot: Pilot, parts: Parts) -> None:
    await reflection_overall(pilot, parts)
    await keys(pilot, "b", "space")


async def reflection_note(pilot: Pilot, parts: Parts) -> None:
    await reflection_steps(pilot, parts)
    await keys(pilot, "enter", "enter", "n")


async def closing(pilot: Pilot, parts: Parts) -> None:
    await reflection_note(pilot, parts)
    await keys(pilot, *"stiff in the morning", "enter")


async def stopped_for_safety(pilot: Pilot, parts: Parts) -> None:
    await keys(pilot, "y")


SCREENS: dict[str, tuple[str | None, Steps]] = {
    "picker": (None, picker),
    "safety": ("tiny-sides", safety),
    "stopped_for_safety": ("tiny-sides", stopped_for_safety),
    "pain_before": ("tiny-sides", pain_before),
    "player": ("tiny-sides", player),
    "player_paused": ("tiny-sides", paused),
    "quit_confirm": ("tiny-sides", quit_confirm),
    "help": ("tiny-sides", help_screen),
    "reflection_overall": ("tiny-sides", reflection_overall),
    "reflection_steps": ("tiny-sides", reflection_steps),
    "reflection_note": ("tiny-sides", reflection_note),
    "closing": ("tiny-sides", closing),
}


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("name", list(SCREENS))
def test_screen(name: str, size: tuple[int, int], tmp_path: Path, snap_compare) -> None:
    routine_id, steps = SCREENS[name]
    parts = Parts(tiny_library(tmp_path))

    async def run_before(pilot: Pilot) -> None:
        await steps(pilot, parts)
        pilot.app.clear_notifications()  # the small-terminal notice has its own picture
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False  # a blink caught mid-way would change the picture
        await pilot.pause()

    assert snap_compare(parts.app(routine_id), terminal_size=size, run_before=run_before)


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
