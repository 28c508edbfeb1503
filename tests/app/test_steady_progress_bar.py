"""The player's progress bars redraw only when their fill moves."""

from __future__ import annotations

from textual.app import App, ComposeResult

from selfcare_tui.app.widgets.steady_progress_bar import SteadyProgressBar


class OneBar(App[None]):
    def compose(self) -> ComposeResult:
        yield SteadyProgressBar(show_eta=False, show_percentage=False)


async def test_the_bar_is_updated_only_when_it_would_look_different() -> None:
    app = OneBar()
    async with app.run_test(size=(30, 3)) as pilot:
        await pilot.pause()
        bar = app.query_one(SteadyProgressBar)
        width = bar.size.width
        assert width > 0
        bar.show(total=600, progress=0)
        assert (bar.total, bar.progress) == (600, 0)
        bar.show(total=600, progress=1)  # far less than half a cell of 600 s
        assert bar.progress == 0
        half_a_cell = 600 / width / 2
        bar.show(total=600, progress=half_a_cell + 1)
        assert bar.progress == half_a_cell + 1
        bar.show(total=30, progress=1)  # another step: always shown
        assert (bar.total, bar.progress) == (30, 1)
