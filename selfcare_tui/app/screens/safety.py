"""The safety check before a routine: the red flags, read or heard part by part, then y or n.

Enter never answers it. The session speaks every part in turn; down and up step through them
(each is said again and scrolled to), and at 80×24 everything fits on one screen.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from selfcare_tui.app.messages import Speak
from selfcare_tui.app.styles import styles_beside
from selfcare_tui.app.widgets.footer import Footer
from selfcare_tui.session.script import SafetyCheck


def part_texts(check: SafetyCheck) -> list[Text]:
    """One block per spoken part: the title and notice, each group, the question. Compact, so
    that at 80×24 all of it shows before an answer is given."""
    first = Text.assemble((check.title, "bold underline"), "\n", check.intro)
    groups = [
        Text.assemble((f"{group.heading}: ", "bold"), f"{'; '.join(group.flags)}.")
        for group in check.groups
    ]
    return [first, *groups, Text(check.question, style="bold")]


class SafetyScreen(Screen[bool | None]):
    """Answers True (one applies: y), False (none applies: n) or None (Escape: back)."""

    DEFAULT_CSS = styles_beside(__file__)

    BINDINGS = [
        Binding("y", "answer(True)", "One applies", id="safety.one_applies"),
        Binding("n", "answer(False)", "None applies", id="safety.none_applies"),
        Binding("down", "step(1)", "Next part", id="safety.next_part", priority=True),
        Binding("up", "step(-1)", "Previous", id="safety.previous_part", show=False, priority=True),
        Binding("escape", "leave", "Back", id="safety.back"),
        Binding("ctrl+r", "repeat", "Repeat", id="safety.repeat", show=False),
    ]

    def __init__(self, check: SafetyCheck) -> None:
        super().__init__()
        self.check = check
        self.part = 0

    def compose(self) -> ComposeResult:
        # No buttons: Enter on a focused button would answer, and Enter must never answer this.
        with VerticalScroll(id="safety"):
            for number, text in enumerate(part_texts(self.check)):
                yield Static(text, id=f"part-{number}", classes="safety-part")
        yield Footer()

    def action_step(self, by: int) -> None:
        parts = self.check.parts
        self.part = max(0, min(len(parts) - 1, self.part + by))
        self.query_one(f"#part-{self.part}").scroll_visible()
        self.post_message(Speak(parts[self.part]))

    def orientation(self) -> str:
        parts = len(self.check.parts)
        return f"The safety check, part {self.part + 1} of {parts}. {self.check.question}"

    def action_repeat(self) -> None:
        self.post_message(Speak(self.check.spoken))

    def action_answer(self, applies: bool) -> None:
        self.dismiss(applies)

    def action_leave(self) -> None:
        self.dismiss(None)
