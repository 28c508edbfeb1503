"""What a widget says when the keyboard focus reaches it, and a screen's keys in words: nothing
is only on screen."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, DataTable, Input, OptionList, SelectionList

from selfcare_tui.session.commands import keys_words


def focus_words(widget: Widget) -> str:
    """The focused widget in words: what it is, and what it holds now."""
    if isinstance(widget, Input):
        value = f", {widget.value}" if widget.value else ", empty"
        return f"{widget.placeholder or 'Text'}: edit box{value}"
    if isinstance(widget, Button):
        return f"{widget.label} button"
    if isinstance(widget, SelectionList):
        return f"List of steps, {_highlighted(widget)}; space ticks"
    if isinstance(widget, OptionList):
        return f"List, {_highlighted(widget)}; up and down move, Enter chooses"
    if isinstance(widget, DataTable):
        return f"Table of {widget.row_count} rows; up and down read them"
    return "Text; up and down scroll it"


def _highlighted(options: OptionList) -> str:
    if options.highlighted is None:
        return "nothing highlighted"
    return str(options.get_option_at_index(options.highlighted).prompt)


def action_keys(screen: Screen[Any], action: str) -> str:
    """The keys that do `action` on `screen` now, the user's keymap applied, in words
    ("enter or escape", "control r")."""
    keys = [
        key for key, active in screen.active_bindings.items() if active.binding.action == action
    ]
    return keys_words(keys)
