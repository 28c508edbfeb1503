"""Messages the screens post up to the app: screens never call the app's methods."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.message import Message
from textual.notifications import SeverityLevel


class Speak(Message):
    """Say a screen's own words (a highlighted routine, a question asked again, a summary)."""

    def __init__(self, text: str, *, interrupt: bool = True, behind: bool = False) -> None:
        super().__init__()
        self.text = text
        self.interrupt = interrupt
        """Cut off what is being said first, as a screen reader does on a new focus."""
        self.behind = behind
        """Queued behind every word already waiting (a status otherwise goes first)."""


def tell(
    app: App[Any], message: str, *, title: str = "", severity: SeverityLevel = "information"
) -> None:
    """A notice, shown and spoken: nothing is only on screen. Never markup: it may hold a path."""
    app.notify(message, title=title, severity=severity, markup=False)
    app.post_message(Speak(f"{title}: {message}" if title else message, interrupt=False))
