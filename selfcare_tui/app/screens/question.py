"""One question at a time, spoken when it appears: choices, steps to pick, and a free note."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
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
        self.action_repeat()

    def action_repeat(self) -> None:
        self.app.say_status(f"{self.prompt} {self.detail}".strip())  # type: ignore[attr-defined]

    def action_skip(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    key: str
    """Answers at once, without moving the highlight."""


class ChoiceScreen(QuestionScreen):
    """Pick one option with arrows and Enter, or its key; Escape skips (returns None)."""

    def __init__(
        self, prompt: str, choices: Sequence[Choice], detail: str = "", **kwargs: Any
    ) -> None:
        super().__init__(prompt, detail, **kwargs)
        self.choices = list(choices)

    def compose(self) -> ComposeResult:
        with Vertical(classes="question"):
            yield from self.compose_prompt()
            options = [Option(Text(f"{c.key})  {c.label}"), id=c.value) for c in self.choices]
            yield OptionList(*options, id="choices")
        yield Footer()

    def on_key(self, event: events.Key) -> None:
        choice = next((c for c in self.choices if c.key == event.character), None)
        if choice is not None:
            event.stop()
            self.dismiss(choice.value)

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


PAIN_WORDS = {0: "no pain", 5: "moderate pain", 10: "worst pain imaginable"}


def pain_choices() -> list[Choice]:
    choices = [Choice(str(n), PAIN_WORDS.get(n, ""), str(n)) for n in range(10)]
    return [*choices, Choice("10", PAIN_WORDS[10], "t")]


class StepsScreen(QuestionScreen):
    """Tick any number of steps with space; Enter confirms."""

    BINDINGS = [Binding("enter", "done", "Done", id="question.done", priority=True)]

    def __init__(self, prompt: str, steps: Sequence[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(prompt, "Space ticks a step, Enter when done.", **kwargs)
        self.steps = list(steps)

    def compose(self) -> ComposeResult:
        with Vertical(classes="question"):
            yield from self.compose_prompt()
            yield SelectionList[int](*[(Text(title), index) for index, title in self.steps])
        yield Footer()

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
