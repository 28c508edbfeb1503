"""Screens get their breakpoint classes as they are built, the same Textual gives at a resize."""

from __future__ import annotations

import pytest
from textual.app import App

from selfcare_tui.app.screens.sized import SizedScreen

BREAKPOINT_CLASSES = {"-narrow", "-wide", "-short", "-tall"}


class Sized(SizedScreen[None]):
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (60, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((40, 12), {"-narrow", "-short"}),
        ((60, 20), {"-wide", "-tall"}),
        ((120, 40), {"-wide", "-tall"}),
    ],
)
async def test_a_screen_is_built_with_the_classes_of_the_terminal_s_size(
    size: tuple[int, int], expected: set[str]
) -> None:
    app: App[None] = App()
    async with app.run_test(size=size) as pilot:
        screen = Sized()
        assert set(screen.classes) & BREAKPOINT_CLASSES == expected  # before its first layout
        await app.push_screen(screen)
        await pilot.pause()
        assert set(screen.classes) & BREAKPOINT_CLASSES == expected  # as Textual sets them
        await pilot.resize_terminal(30, 30)
        await pilot.pause()
        assert set(screen.classes) & BREAKPOINT_CLASSES == {"-narrow", "-tall"}


def test_a_screen_built_outside_a_running_app_waits_for_its_resize() -> None:
    assert set(Sized().classes) & BREAKPOINT_CLASSES == set()
