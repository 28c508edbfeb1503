"""The footer shows the screen's live keys, whole, and presses the one clicked."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding

from selfcare_tui.app.widgets.footer import Footer


class CountedFooter(Footer):
    drawn = 0

    def render(self):  # type: ignore[no-untyped-def]
        self.drawn += 1
        return super().render()


class Keys(App[None]):
    BINDINGS = [
        Binding("a", "first", "First", tooltip="The first one"),
        Binding("b", "second", "Second"),
        Binding("c,d", "third", "Third"),  # one action: its first key is shown
        Binding("e", "hidden", "Hidden", show=False),
    ]

    def __init__(self, *, palette: bool = True) -> None:
        super().__init__()
        self.second_shown = False
        self.second_disabled = False
        self.palette = palette
        self.pressed: list[str] = []
        self.bells = 0

    def compose(self) -> ComposeResult:
        yield CountedFooter(show_command_palette=self.palette)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "second":
            return None if self.second_disabled else self.second_shown
        return True

    def action_first(self) -> None:
        self.pressed.append("first")

    def action_third(self) -> None:
        self.pressed.append("third")

    def bell(self) -> None:
        self.bells += 1


def line(app: Keys) -> str:
    return app.query_one(Footer).render().plain


async def test_the_screen_s_keys_are_shown_and_redrawn_only_when_they_change() -> None:
    app = Keys(palette=False)
    async with app.run_test(size=(60, 6)) as pilot:
        await pilot.pause()
        assert line(app).rstrip() == " a First  c Third"
        footer = app.query_one(CountedFooter)
        drawn = footer.drawn

        app.refresh_bindings()
        app.refresh_bindings()
        await pilot.pause()
        assert footer.drawn == drawn

        app.second_shown = True
        app.refresh_bindings()
        await pilot.pause()
        assert footer.drawn > drawn
        assert line(app).rstrip() == " a First  b Second  c Third"


async def test_narrower_the_palette_goes_then_keys_close_up_then_whole_keys_are_left_out() -> None:
    app = Keys()
    async with app.run_test(size=(60, 6)) as pilot:
        await pilot.pause()
        assert line(app) == " a First  c Third " + " " * 30 + "▏^p palette "
        await pilot.resize_terminal(24, 6)
        await pilot.pause()
        assert line(app) == " a First  c Third" + " " * 7  # no room for the palette too
        await pilot.resize_terminal(15, 6)
        await pilot.pause()
        assert line(app) == "a First c Third"  # closer together
        await pilot.resize_terminal(12, 6)
        await pilot.pause()
        assert line(app) == "a First" + " " * 5  # "c Third" is not cut


async def test_a_key_clicked_is_pressed_and_a_key_that_does_nothing_now_rings() -> None:
    app = Keys(palette=False)
    async with app.run_test(size=(60, 6)) as pilot:
        await pilot.pause()
        await pilot.click(Footer, offset=(2, 0))  # on "a First"
        await pilot.click(Footer, offset=(12, 0))  # on "c Third"
        await pilot.click(Footer, offset=(40, 0))  # on no key
        assert app.pressed == ["first", "third"]

        app.second_disabled = True  # shown, dimmed
        app.refresh_bindings()
        await pilot.pause()
        assert line(app).rstrip() == " a First  b Second  c Third"
        await pilot.click(Footer, offset=(12, 0))
        assert app.bells == 1 and app.pressed == ["first", "third"]


async def test_the_key_under_the_pointer_gives_its_tooltip() -> None:
    app = Keys(palette=False)
    async with app.run_test(size=(60, 6)) as pilot:
        await pilot.pause()
        footer = app.query_one(Footer)
        await pilot.hover(Footer, offset=(2, 0))
        assert footer.tooltip == "The first one"
        await pilot.hover(Footer, offset=(12, 0))
        assert footer.tooltip is None

        await pilot.hover(Footer, offset=(2, 0))
        await pilot.hover(offset=(2, 1))  # off the footer
        await pilot.hover(Footer, offset=(40, 0))  # back, on no key
        assert footer.tooltip is None


async def test_out_of_focus_the_footer_is_not_redrawn() -> None:
    app = Keys(palette=False)
    async with app.run_test(size=(60, 6)) as pilot:
        await pilot.pause()
        footer = app.query_one(CountedFooter)
        app.app_focus = False
        drawn = footer.drawn
        app.second_shown = True
        app.refresh_bindings()
        await pilot.pause()
        assert footer.drawn == drawn
        app.app_focus = True
        app.refresh_bindings()
        await pilot.pause()
        assert line(app).rstrip() == " a First  b Second  c Third"
