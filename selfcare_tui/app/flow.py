"""The app's face of a session: each prompt of the session script as a screen.

The session (session/script.py) decides what is asked, said and saved; this shows each prompt,
waits for its answer and sends it back.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from textual.screen import Screen

from selfcare_tui.app.screens.notice import NoticeScreen
from selfcare_tui.app.screens.player import PlayerScreen
from selfcare_tui.app.screens.question import ChoiceScreen, NoteScreen, StepsScreen
from selfcare_tui.app.screens.safety import SafetyScreen
from selfcare_tui.routines.model import Routine
from selfcare_tui.session.script import (
    Choose,
    Notice,
    PickSteps,
    Play,
    Prompt,
    SafetyCheck,
    Session,
    SessionParts,
    WriteNote,
)


class AppFace:
    """Plays one session as a sequence of screens, each pushed and awaited by `ask`."""

    def __init__(
        self, ask: Callable[[Screen[Any]], Awaitable[Any]], routine: Routine, parts: SessionParts
    ) -> None:
        self.ask = ask
        self.session = Session(routine, replace(parts, caption=self.caption))
        self.player_screen: PlayerScreen | None = None

    async def run(self) -> None:
        prompt = self.session.begin()
        while prompt is not None:
            answer = await self.ask(self.screen_for(prompt))
            prompt = self.session.answer(answer)

    def screen_for(self, prompt: Prompt) -> Screen[Any]:
        match prompt:
            case SafetyCheck():
                return SafetyScreen(prompt)
            case Notice():
                return NoticeScreen(prompt)
            case Choose():
                return ChoiceScreen(prompt)
            case PickSteps():
                return StepsScreen(prompt)
            case WriteNote():
                return NoteScreen(prompt)
            case Play():
                self.player_screen = PlayerScreen(self.session)
                return self.player_screen

    def caption(self, text: str) -> None:
        """What the session says outside prompts, written under the player."""
        if self.player_screen is not None and self.player_screen.is_attached:
            self.player_screen.show_caption(text)
