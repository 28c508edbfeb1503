"""The footer shows the screen's live keys, and is rebuilt only when they change."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widget import Widget

from selfcare_tui.app.widgets.footer import Footer


class TwoKeys(App[None]):
    BINDINGS = [Binding("a", "first", "First"), Binding("b", "second", "Second")]

    def __init__(self) -> None:
        super().__init__()
        self.second_shown = False

    def compose(self) -> ComposeResult:
        yield Footer(show_command_palette=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool:
        return self.second_shown or action != "second"


def footer_keys(app: App[None]) -> list[Widget]:
    return list(app.query("FooterKey"))


async def test_the_footer_is_rebuilt_only_when_its_keys_change() -> None:
    app = TwoKeys()
    async with app.run_test(size=(60, 6)) as pilot:
        await pilot.pause()
        shown = footer_keys(app)
        assert [getattr(key, "description", None) for key in shown] == ["First"]

        app.refresh_bindings()
        app.refresh_bindings()
        await pilot.pause()
        assert all(now is before for now, before in zip(footer_keys(app), shown, strict=True))

        app.second_shown = True
        app.refresh_bindings()
        await pilot.pause()
        assert [getattr(key, "description", None) for key in footer_keys(app)] == [
            "First",
            "Second",
        ]


class ChangedWhileRebuilding(Footer):
    """Its bindings change while its old keys are being removed, and change back just after."""

    armed = False

    def compose(self) -> ComposeResult:
        if self.armed:
            self.armed = False
            app = self.app
            assert isinstance(app, TwoKeys)
            app.second_shown = False
            app.refresh_bindings()

            def back() -> None:
                app.second_shown = True
                app.refresh_bindings()

            app.call_later(back)
        return super().compose()


class RaceApp(TwoKeys):
    def compose(self) -> ComposeResult:
        yield ChangedWhileRebuilding(show_command_palette=False)


async def test_a_change_during_a_rebuild_is_shown_once_it_settles() -> None:
    app = RaceApp()
    async with app.run_test(size=(60, 6)) as pilot:
        await pilot.pause()
        app.query_one(ChangedWhileRebuilding).armed = True
        app.second_shown = True
        app.refresh_bindings()
        both = ["First", "Second"]
        for _ in range(50):  # on the app's progress: until the footer settles on both keys
            await pilot.pause()
            if descriptions(app) == both:
                break
        assert descriptions(app) == both


def descriptions(app: App[None]) -> list[str | None]:
    return [getattr(key, "description", None) for key in footer_keys(app)]
