"""A page of text that is also spoken: the safety check, the closing prompts."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Markdown


class MessageScreen(Screen[bool]):
    """Shows Markdown and speaks `spoken`; Enter (or y) answers True, n or Escape False."""

    BINDINGS = [
        Binding("enter,y", "answer(True)", "Continue", id="message.yes"),
        Binding("n", "answer(False)", "Back", id="message.no"),
        Binding("escape", "leave", "Back", show=False, id="message.leave"),
        Binding("ctrl+r", "repeat", "Repeat", id="message.repeat"),
    ]

    def __init__(
        self, markdown: str, spoken: str, *, yes: str = "Continue", no: str | None = "Back"
    ) -> None:
        super().__init__()
        self.markdown = markdown
        self.spoken = spoken
        self.labels = (yes, no)

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="message"):
            yield Markdown(self.markdown)
        yield Footer()

    def on_mount(self) -> None:
        yes, no = self.labels
        self._bindings.key_to_bindings["enter"][0] = self._relabel("enter", yes)
        if no is not None:
            self._bindings.key_to_bindings["n"][0] = self._relabel("n", no)
        self.refresh_bindings()
        self.app.say_status(self.spoken, interrupt=False)  # type: ignore[attr-defined]

    def _relabel(self, key: str, description: str) -> Binding:
        binding = self._bindings.key_to_bindings[key][0]
        return Binding(binding.key, binding.action, description, id=binding.id)

    def action_repeat(self) -> None:
        self.app.say_status(self.spoken)  # type: ignore[attr-defined]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A screen with one answer (closing prompts, "please do not start") has no "n".
        return not (action == "answer" and parameters == (False,) and self.labels[1] is None)

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    def action_leave(self) -> None:
        self.dismiss(self.labels[1] is None)
