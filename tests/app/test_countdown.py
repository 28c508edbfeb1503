"""The countdown: Textual's three-row digits, drawn as lines, the same glyphs as a Digits."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widgets import Digits

from selfcare_tui.app.widgets.countdown import Countdown


class Both(App[None]):
    def compose(self) -> ComposeResult:
        yield Digits("10:05")
        yield Countdown("10:05")


def lines(widget: Digits | Countdown) -> list[str]:
    width, height = widget.size
    return [strip.text.rstrip() for strip in widget.render_lines(Region(0, 0, width, height))]


async def test_the_countdown_draws_what_textual_s_digits_draw() -> None:
    app = Both()
    async with app.run_test(size=(40, 8)) as pilot:
        digits, countdown = app.query_one(Digits), app.query_one(Countdown)
        for text in ("10:05", "9:59", "0:00", "1:11"):
            digits.update(text)
            countdown.update(text)
            await pilot.pause()
            assert lines(countdown) == lines(digits)
            assert len(lines(countdown)) == 3 and lines(countdown)[0].strip()


async def test_a_digit_more_widens_it_and_the_same_time_is_not_redrawn() -> None:
    app = Both()
    async with app.run_test(size=(40, 8)) as pilot:
        countdown = app.query_one(Countdown)
        countdown.update("9:59")
        await pilot.pause()
        narrow = countdown.size.width
        countdown.update("10:00")
        await pilot.pause()
        assert countdown.size.width > narrow
        refreshes: list[object] = []
        countdown.refresh = lambda *args, **kwargs: refreshes.append(args)  # type: ignore[method-assign,assignment]
        countdown.update("10:00")
        assert refreshes == []


async def test_a_copy_of_the_screen_gets_the_time_and_the_lines_words(tmp_path: Path) -> None:
    from apphelpers import Parts, tiny_library

    from selfcare_tui.app.screens.player import PlayerScreen

    parts = Parts(tiny_library(tmp_path))
    async with parts.app("tiny-sides").run_test(size=(80, 24)) as pilot:
        for key in ("n", "6"):
            await pilot.press(key)
            await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, PlayerScreen)
        screen.text_select_all()
        copied = screen.get_selected_text() or ""
        assert "0:20" in copied and "Countdown" not in copied
        assert "Step 0:20 left of 0:20" in copied and "ProgressLine" not in copied
