"""One question at a time, spoken when it appears: choices, steps to pick, and a free note."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Label, OptionList, SelectionList, Static
from textual.widgets.option_list import Option


class QuestionScreen(Screen[Any]):
    """A screen that speaks its prompt and can be skipped with Escape."""

    BINDINGS = [
        Binding("escape", "skip", "Skip", id="question.skip"),
        Binding("ctrl+r", "repeat", "Repeat question", id="question.repeat"),
    ]

    def __init__(self, prompt: str, detail: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.prompt = prompt
        self.detail = detail

    def compose_prompt(self) -> ComposeResult:
        yield Label(self.prompt, id="prompt", markup=False)
        if self.detail:
            yield Static(self.detail, id="detail", markup=False)

    def on_mount(self) -> None:
        # After what is being said (such as "Routine complete."); the answer hushes it anyway.
        self.say_prompt(interrupt=False)

    def action_repeat(self) -> None:
        self.say_prompt(interrupt=True)

    def say_prompt(self, interrupt: bool) -> None:
        text = f"{self.prompt} {self.detail}".strip()
        self.app.say_status(text, interrupt=interrupt)  # type: ignore[attr-defined]

    def action_skip(self) -> None:
        self.dismiss(None)


TYPING_PAUSE = 1.0
"""Seconds to wait after "1" for a "0", since both 1 and 10 are answers."""


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    key: str
    """Typing it answers at once (after a short pause when a longer key starts with it)."""
    aliases: tuple[str, ...] = ()

    @property
    def shortcuts(self) -> tuple[str, ...]:
        return (self.key, *self.aliases)


class ChoiceScreen(QuestionScreen):
    """Pick one option with arrows and Enter, or its key; Escape skips (returns None)."""

    def __init__(
        self, prompt: str, choices: Sequence[Choice], detail: str = "", **kwargs: Any
    ) -> None:
        super().__init__(prompt, detail, **kwargs)
        self.choices = list(choices)
        self._typed = ""
        self._pending: Timer | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="question"):
            yield from self.compose_prompt()
            options = [Option(Text(f"{c.key})  {c.label}"), id=c.value) for c in self.choices]
            yield OptionList(*options, id="choices")
        yield Footer()

    def on_key(self, event: events.Key) -> None:
        if not event.character or not event.character.isalnum():
            return
        typed = self._typed + event.character
        starting = self._starting(typed)
        if not starting:
            typed = event.character
            starting = self._starting(typed)
        if not starting:
            return
        event.stop()
        self._typed = typed
        if self._pending is not None:
            self._pending.stop()
        exact = next((c for c in starting if typed in c.shortcuts), None)
        if exact is None:
            return
        if len(starting) == 1:
            self.dismiss(exact.value)
            return
        self.query_one(OptionList).highlighted = self.choices.index(exact)
        self._pending = self.set_timer(TYPING_PAUSE, partial(self._answer, exact.value))

    def _answer(self, value: str) -> None:
        self.dismiss(value)  # not returned: a timer would await it, which dismiss() refuses

    def _starting(self, typed: str) -> list[Choice]:
        return [c for c in self.choices if any(k.startswith(typed) for k in c.shortcuts)]

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


PAIN_WORDS = {0: "no pain", 5: "moderate pain", 10: "worst pain imaginable"}


def pain_choices() -> list[Choice]:
    choices = [Choice(str(n), PAIN_WORDS.get(n, ""), str(n)) for n in range(10)]
    return [*choices, Choice("10", f"{PAIN_WORDS[10]} (type 10, or t)", "10", aliases=("t",))]


def tick_label(title: str, ticked: bool) -> Text:
    return Text(f"{'[x] ticked' if ticked else '[ ]'}  {title}")


class StepsScreen(QuestionScreen):
    """Tick any number of steps with space; Enter confirms."""

    BINDINGS = [Binding("enter", "done", "Done", id="question.done", priority=True)]

    def __init__(self, prompt: str, steps: Sequence[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(prompt, "Space ticks a step, Enter when done.", **kwargs)
        self.steps = list(steps)

    def compose(self) -> ComposeResult:
        with Vertical(classes="question"):
            yield from self.compose_prompt()
            yield SelectionList[int](*[(tick_label(title, False), i) for i, title in self.steps])
        yield Footer()

    @on(SelectionList.SelectionToggled)
    def toggled(self, event: SelectionList.SelectionToggled) -> None:
        # The tick is written in words too: the checkbox alone differs only by colour.
        ticked = event.selection.value in event.selection_list.selected
        title = self.steps[event.selection_index][1]
        event.selection_list.replace_option_prompt_at_index(
            event.selection_index, tick_label(title, ticked)
        )
        self.app.say_status(f"{'Ticked' if ticked else 'Not ticked'}: {title}")  # type: ignore[attr-defined]

    def action_done(self) -> None:
        self.dismiss(sorted(self.query_one(SelectionList).selected))

    def action_skip(self) -> None:
        self.dismiss([])


class NoteScreen(QuestionScreen):
    """A free note; Enter saves it, Escape skips."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="question"):
            yield from self.compose_prompt()
            yield Input(placeholder="Type a note, then Enter", max_length=2000, id="note")
        yield Footer()

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())

    def action_skip(self) -> None:
        self.dismiss("")
