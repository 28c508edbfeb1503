"""The session's questions, one screen each: a choice, steps to pick, and a free note.

The session speaks each question as it is asked; ctrl+r says it again, Escape skips it.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Label, OptionList, SelectionList, Static
from textual.widgets.option_list import Option

from selfcare_tui.app.messages import Speak
from selfcare_tui.app.spoken import action_keys
from selfcare_tui.app.styles import styles_beside
from selfcare_tui.app.widgets.footer import Footer
from selfcare_tui.session import script


class QuestionScreen(Screen[Any]):
    """A screen that says its question again on ctrl+r and can be skipped with Escape.

    Moving through its list says the item (not the first highlight: the question is being said).
    """

    DEFAULT_CSS = styles_beside(__file__)

    BINDINGS = [
        Binding("escape", "skip", "Skip", id="question.skip"),
        Binding("ctrl+r", "repeat", "Repeat question", id="question.repeat"),
    ]

    def __init__(self, question: str, detail: str = "") -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self._moved = False

    def say_item(self, text: str) -> None:
        if self._moved:
            self.post_message(Speak(text))
        self._moved = True

    def compose_question(self) -> ComposeResult:
        yield Label(self.question, id="prompt", markup=False)
        if self.detail:
            yield Static(self.detail, id="detail", markup=False)

    def orientation(self) -> str:
        return f"A question: {self.question} {self.detail}".strip()

    def action_repeat(self) -> None:
        self.post_message(Speak(f"{self.question} {self.detail}".strip()))

    def action_skip(self) -> None:
        self.dismiss(None)


TYPING_PAUSE = 1.0
"""Seconds to wait after "1" for a "0", since both 1 and 10 are answers."""


class ChoiceScreen(QuestionScreen):
    """Pick one option with arrows and Enter, or its key; Escape skips (returns None)."""

    def __init__(self, choose: script.Choose) -> None:
        super().__init__(choose.question)
        self.options = list(choose.options)
        self._typed = ""
        self._pending: Timer | None = None

    def on_mount(self) -> None:
        # The session's words say "or skip" in both faces, each its own key: only the footer
        # named it. Behind the question's words; an answer cuts both off (the session
        # interrupts).
        self.post_message(Speak(self.skip_words(), interrupt=False, behind=True))

    def skip_words(self) -> str:
        return f"{action_keys(self, 'skip').capitalize()} skips."

    def compose(self) -> ComposeResult:
        with Vertical(classes="question"):
            yield from self.compose_question()
            options = [Option(Text(f"{o.key})  {o.label}"), id=o.value) for o in self.options]
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
        exact = next((o for o in starting if typed in o.shortcuts), None)
        if exact is None:
            return
        if len(starting) == 1:
            self.dismiss(exact.value)
            return
        self.query_one(OptionList).highlighted = self.options.index(exact)
        self._pending = self.set_timer(TYPING_PAUSE, partial(self._answer, exact.value))

    def _answer(self, value: str) -> None:
        self.dismiss(value)  # not returned: a timer would await it, which dismiss() refuses

    def _starting(self, typed: str) -> list[script.Option]:
        return [o for o in self.options if any(k.startswith(typed) for k in o.shortcuts)]

    @on(OptionList.OptionHighlighted)
    def highlighted(self, event: OptionList.OptionHighlighted) -> None:
        option = self.options[event.option_index]
        self.say_item(f"{option.key}, {option.label}" if option.label else option.key)

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


def tick_label(title: str, ticked: bool) -> Text:
    return Text(f"{'[x] ticked' if ticked else '[ ]'}  {title}")


class StepsScreen(QuestionScreen):
    """Tick any number of steps with space; Enter confirms."""

    BINDINGS = [Binding("enter", "done", "Done", id="question.done", priority=True)]

    def __init__(self, pick: script.PickSteps) -> None:
        super().__init__(pick.question, "Space ticks a step, Enter when done.")
        self.steps = list(pick.steps)

    def on_mount(self) -> None:
        # How to pick, by ear: said after the question (plain mode says its own way).
        self.post_message(Speak(self.detail, interrupt=False))

    def compose(self) -> ComposeResult:
        with Vertical(classes="question"):
            yield from self.compose_question()
            yield SelectionList[int](*[(tick_label(title, False), i) for i, title in self.steps])
        yield Footer()

    @on(SelectionList.SelectionHighlighted)
    def highlighted(self, event: SelectionList.SelectionHighlighted[int]) -> None:
        ticked = event.selection.value in event.selection_list.selected
        title = self.steps[event.selection_index][1]
        self.say_item(f"{title}, {'ticked' if ticked else 'not ticked'}")

    @on(SelectionList.SelectionToggled)
    def toggled(self, event: SelectionList.SelectionToggled[int]) -> None:
        # The tick is written in words too: the checkbox alone differs only by colour.
        ticked = event.selection.value in event.selection_list.selected
        title = self.steps[event.selection_index][1]
        event.selection_list.replace_option_prompt_at_index(
            event.selection_index, tick_label(title, ticked)
        )
        self.post_message(Speak(f"{'Ticked' if ticked else 'Not ticked'}: {title}"))

    def action_done(self) -> None:
        self.dismiss(sorted(self.query_one(SelectionList).selected))

    def action_skip(self) -> None:
        self.dismiss([])


class NoteScreen(QuestionScreen):
    """A free note; Enter saves it, Escape skips."""

    def __init__(self, note: script.WriteNote) -> None:
        super().__init__(note.question)

    def compose(self) -> ComposeResult:
        with Vertical(classes="question"):
            yield from self.compose_question()
            yield Input(placeholder="Type a note, then Enter", max_length=2000, id="note")
        yield Footer()

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())

    def action_skip(self) -> None:
        self.dismiss("")
