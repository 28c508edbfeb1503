"""The keys, in words, also spoken."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# Keys while a routine plays

| key | what it does |
|---|---|
| space | pause or resume |
| n or → | next step |
| p or ← | previous step |
| r | repeat the instruction |
| s | say where you are: side, step, time left |
| m | mute or unmute the voice |
| + / - | speak faster / slower |
| q | quit (asks first; the session is kept as incomplete) |
| ? | this help |
| ctrl+p | command palette: every action by name |
| ctrl+t | high-contrast theme on or off |

Stretch to mild tension, never pain. Stop if anything feels sharp or gets worse.

Press Escape to close this help.
"""

SPOKEN_HELP = (
    "Space pauses or resumes. N, next step. P, previous step. R repeats the instruction. "
    "S says where you are. M mutes. Plus and minus change the speaking rate. Q quits. "
    "Escape closes this help."
)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close", id="help.close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Markdown(HELP)

    def on_mount(self) -> None:
        self.app.say_status(SPOKEN_HELP)  # type: ignore[attr-defined]
