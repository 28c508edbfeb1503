"""The footer every screen shows: the screen's live keys, drawn as one line by one widget."""

from __future__ import annotations

from collections.abc import Hashable

from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget

Key = tuple[str, str, str, bool, str]
"""One key as drawn: the key pressed, how it is shown, its description, whether it acts now,
and its tooltip."""


class Footer(Widget, can_focus=False):
    """`f2 History  f3 Voice  f4 Tailor        ▏^p palette`, as Textual's footer draws it.

    One widget drawing one line, in place of Textual's footer, which builds a widget for each
    key whenever its screen's bindings are refreshed (as the screen is shown, at each change of
    focus): 7 ms a key, a third of the work of showing a screen. Where the keys do not all fit,
    the palette's is left out first, then the keys are drawn closer together, as the player
    draws them; a key that still does not fit is left out rather than cut ("f3 Vo"), and every
    key is in the help and the command palette. As in Textual's, a key clicked is pressed, the
    one under the pointer is lit and gives its tooltip, and one that does nothing now is dimmed.
    """

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"footer--key", "footer--description", "footer--separator", "footer--lit"}
    DEFAULT_CSS = """
    Footer {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .footer--separator {
            color: $foreground 20%;
        }
        & > .footer--lit {
            background: $block-hover-background;
        }
    }
    """

    def __init__(
        self, *, compact: bool = False, show_command_palette: bool = True, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.compact = compact
        """Keys closer together, as the player shows them: `space Pause r Repeat`."""
        self.show_command_palette = show_command_palette
        self._drawn: Hashable = None
        """The keys last drawn (`keys`), so that a refresh of the same bindings draws nothing."""
        self._spans: list[tuple[int, int, Key]] = []
        """Where each key drawn lies on the line: its first cell, the cell after its last."""
        self._hovered: str | None = None
        """The key under the pointer."""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        # Out of focus, the terminal's focused widget lets go of its keys: not worth a redraw.
        if self.app.app_focus and self.keys() != self._drawn:
            self.refresh()

    def keys(self) -> tuple[tuple[Key, ...], Key | None]:
        """The screen's keys shown in the footer, the first of each action, and the palette's."""
        app = self.app
        palette = None
        shown: dict[str, Key] = {}
        for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items():
            drawn = (key, app.get_key_display(binding), binding.description, enabled, tooltip)
            if key == app.COMMAND_PALETTE_BINDING:
                if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
                    palette = (*drawn[:4], binding.tooltip or binding.description)
            elif binding.show:
                shown.setdefault(binding.action, drawn)
        return tuple(shown.values()), palette

    def render(self) -> Text:
        self._drawn = keys = self.keys()
        shown, palette = keys
        width = self.size.width
        right = self._palette_text(palette) if palette else Text()
        compact = self.compact
        texts = [(key, self._key_text(key, compact)) for key in shown]
        if _cells(texts, compact) + right.cell_len > width:
            right, palette = Text(), None  # the screen's own keys come first
            if not compact and _cells(texts, compact) > width:  # closer, to show more of them
                compact = True
                texts = [(key, self._key_text(key, compact)) for key in shown]
        line = Text(no_wrap=True, overflow="crop")
        self._spans = []
        for key, text in texts:
            gap = " " if compact and line else ""
            if line.cell_len + len(gap) + text.cell_len > width:
                break  # this key and those after it are left out, not cut
            line.append(gap)
            self._spans.append((line.cell_len, line.cell_len + text.cell_len, key))
            line.append_text(text)
        line.pad_right(width - right.cell_len - line.cell_len)
        if palette:
            self._spans.append((line.cell_len, width, palette))
            line.append_text(right)
        return line

    def _key_text(self, key: Key, compact: bool) -> Text:
        pressed, display, description, enabled, _tooltip = key
        if compact:  # `space Pause`, a space between keys
            parts = [(display, "footer--key"), (f" {description}", "footer--description")]
        else:  # ` f2 History `
            parts = [(f" {display} ", "footer--key"), (f"{description} ", "footer--description")]
        return Text.assemble(*self._styled(parts, pressed, enabled))

    def _palette_text(self, key: Key) -> Text:
        pressed, display, description, enabled, _tooltip = key
        parts = [
            ("▏", "footer--separator"),
            (display, "footer--key"),
            (f" {description}", "footer--description"),
        ]
        return Text.assemble(*self._styled(parts, pressed, enabled), " ")

    def _styled(
        self, parts: list[tuple[str, str]], pressed: str, enabled: bool
    ) -> list[tuple[str, Style]]:
        state = Style.null() if enabled else Style(dim=True)
        if pressed == self._hovered:  # lit from behind: its colours stay
            state += Style(bgcolor=self.get_component_rich_style("footer--lit").bgcolor)
        return [(words, self.get_component_rich_style(part) + state) for words, part in parts]

    def _key_at(self, x: int) -> Key | None:
        return next((key for start, end, key in self._spans if start <= x < end), None)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        key = self._key_at(event.x)
        pressed = key[0] if key else None
        if pressed != self._hovered:
            self._hovered = pressed
            self.tooltip = key[4] if key and key[4] else None
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        self.tooltip = None
        if self._hovered is not None:
            self._hovered = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        key = self._key_at(event.x)
        if key is None:
            return
        if key[3]:
            self.app.simulate_key(key[0])
        else:
            self.app.bell()


def _cells(texts: list[tuple[Key, Text]], compact: bool) -> int:
    """How wide `texts` are, laid out side by side."""
    gaps = max(len(texts) - 1, 0) if compact else 0
    return sum(text.cell_len for _, text in texts) + gaps
