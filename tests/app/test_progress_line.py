"""The player's progress lines: a name, a bar to the nearest half cell, and the words."""

from __future__ import annotations

from textual.app import App, ComposeResult

from selfcare_tui.app.widgets.progress_line import NAME_WIDTH, WORDS_WIDTH, ProgressLine


class OneLine(App[None]):
    def compose(self) -> ComposeResult:
        yield ProgressLine("Step")


async def drawn(width: int, total: float, done: float, words: str) -> str:
    app = OneLine()
    async with app.run_test(size=(width, 3)) as pilot:
        line = app.query_one(ProgressLine)
        line.show(total, done, words)
        await pilot.pause()
        return line.render_line(0).text


def counted_refreshes(line: ProgressLine) -> list[object]:
    """The refreshes `line` asks for from now on, counted rather than done."""
    refreshes: list[object] = []
    line.refresh = lambda *args, **kwargs: refreshes.append(args)  # type: ignore[method-assign,assignment]
    return refreshes


async def test_the_name_the_bar_and_the_words_fill_the_line() -> None:
    text = await drawn(60, total=600, done=0, words="10:00 left of 10:00")
    bar = 60 - NAME_WIDTH - 1 - WORDS_WIDTH
    assert text == "Step".ljust(NAME_WIDTH) + "━" * bar + " " + "10:00 left of 10:00".ljust(20)


async def test_the_bar_fills_to_the_nearest_half_cell() -> None:
    bar = 60 - NAME_WIDTH - 1 - WORDS_WIDTH  # 30 cells: 60 halves
    text = await drawn(60, total=60, done=31, words="0:29 left of 1:00")
    assert text[NAME_WIDTH : NAME_WIDTH + bar] == "━" * 15 + "╸" + "━" * 14


async def test_a_narrow_line_keeps_the_words_and_leaves_out_the_bar() -> None:
    text = await drawn(36, total=600, done=300, words="5:00 left of 10:00")
    assert text.rstrip() == "Step     5:00 left of 10:00"
    assert "━" not in text


async def test_a_line_is_redrawn_only_when_its_values_change() -> None:
    app = OneLine()
    async with app.run_test(size=(60, 3)):
        line = app.query_one(ProgressLine)
        refreshes = counted_refreshes(line)
        line.show(600, 1, "9:59 left of 10:00")
        line.show(600, 1, "9:59 left of 10:00")
        assert len(refreshes) == 1
        line.show(600, 2, "9:58 left of 10:00")
        assert len(refreshes) == 2


async def test_a_line_is_redrawn_when_its_bar_moves_half_a_cell_not_before() -> None:
    app = OneLine()
    async with app.run_test(size=(60, 3)):  # a bar of 30 cells: 60 halves, 10 s each
        line = app.query_one(ProgressLine)
        refreshes = counted_refreshes(line)
        line.show(600, 0, "10 of 10 min left")
        line.show(600, 4, "10 of 10 min left")
        assert len(refreshes) == 1
        line.show(600, 6, "10 of 10 min left")
        assert len(refreshes) == 2
        line.show(600, 600, "0 of 10 min left")
        assert len(refreshes) == 3


async def test_words_longer_than_their_column_shorten_the_bar_never_the_words() -> None:
    words = "122:20 left of 123:00"  # a routine of two hours
    text = await drawn(60, total=7380, done=40, words=words)
    assert len(text) == 60 and text.rstrip().endswith(words)
    assert text.count("━") == 60 - NAME_WIDTH - 1 - len(words)
