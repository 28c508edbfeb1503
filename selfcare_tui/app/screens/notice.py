"""Words to read and go on from: the closing prompts, or why a routine did not start."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Markdown

from selfcare_tui.app.messages import Speak
from selfcare_tui.app.spoken import action_keys
from selfcare_tui.app.styles import styles_beside
from selfcare_tui.app.widgets.footer import Footer
from selfcare_tui.session.script import Notice
from selfcare_tui.speech.model import SpeechEvent, SpeechEventKind
from selfcare_tui.text import markdown_inline


def notice_markdown(notice: Notice) -> str:
    paragraphs = [markdown_inline(paragraph) for paragraph in notice.paragraphs]
    return "\n\n".join([f"# {markdown_inline(notice.title)}", *paragraphs])


class NoticeScreen(Screen[None]):
    DEFAULT_CSS = styles_beside(__file__)

    BINDINGS = [
        Binding("enter,escape", "done", "Continue", id="notice.done"),
        Binding("ctrl+r", "repeat", "Repeat", id="notice.repeat"),
    ]

    def __init__(self, notice: Notice) -> None:
        super().__init__()
        self.notice = notice

    @property
    def markdown(self) -> str:
        return notice_markdown(self.notice)

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="message"):
            yield Markdown(self.markdown)
            yield Button(f"{self.notice.done} (Enter)", id="done", variant="primary")
        yield Footer()

    def heard(self, event: SpeechEvent) -> None:
        """By ear, how to go on, once the notice's words (the session says them) have been
        heard to the end with the notice still shown: only F1 said it. Queued after them, it
        was heard on the routines list when Enter had been pressed before they ended."""
        if event.kind is SpeechEventKind.FINISHED and event.utterance.text == self.notice.spoken:
            self.post_message(Speak(self.keys_words(), interrupt=False))

    def keys_words(self) -> str:
        """How to go on, from the live bindings (a keymap may have changed them)."""
        done, repeat = action_keys(self, "done"), action_keys(self, "repeat")
        return f"{done.capitalize()} goes on; {repeat} says it again."

    def orientation(self) -> str:
        return f"{self.notice.title}. {self.keys_words()}"

    def action_repeat(self) -> None:
        self.post_message(Speak(self.notice.spoken))

    def action_done(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#done")
    def pressed(self) -> None:
        self.dismiss(None)
