"""The safety check before a routine: the red flags, read and answered with y or n."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Markdown

from selfcare_tui.app.messages import Speak
from selfcare_tui.session.script import SafetyCheck
from selfcare_tui.text import markdown_inline


def safety_markdown(check: SafetyCheck) -> str:
    lines = [f"# {markdown_inline(check.title)}", "", check.intro, ""]
    for group in check.groups:
        lines += [f"## {group.heading}:", *(f"- {flag}" for flag in group.flags), ""]
    lines.append(f"**{check.question}**")
    return "\n".join(lines)


class SafetyScreen(Screen[bool]):
    """Answers True (none apply: y or Enter) or False (one applies: n or Escape)."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", "None apply", id="safety.none_apply"),
        Binding("n,escape", "answer(False)", "One applies", id="safety.one_applies"),
        Binding("ctrl+r", "repeat", "Repeat", id="safety.repeat"),
    ]

    def __init__(self, check: SafetyCheck) -> None:
        super().__init__()
        self.check = check

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="message"):
            yield Markdown(safety_markdown(self.check))
            with Horizontal(classes="answers"):
                yield Button(f"{self.check.yes} (y)", id="yes", variant="primary")
                yield Button(f"{self.check.no} (n)", id="no", variant="error")
        yield Footer()

    def action_repeat(self) -> None:
        self.post_message(Speak(self.check.spoken))

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")
