"""SelfCareApp: the screens of a session, wired to a player, a speaker and a journal.

Everything the app works with is built outside and passed in, so tests hand it a fake clock,
a recording speaker and a journal folder in tmp_path.
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, TypeVar

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.screen import Screen
from textual.theme import Theme

from selfcare_tui.app.screens.picker import PickerScreen
from selfcare_tui.app.screens.too_small import MIN_SIZE, TooSmallScreen
from selfcare_tui.settings import HIGH_CONTRAST_THEME, AppSettings
from selfcare_tui.speech.model import (
    Speaker,
    SpeechEvent,
    SpeechEventKind,
    Utterance,
    UtteranceKind,
)

if TYPE_CHECKING:
    # Only for annotations: the session's modules load when a session starts, not at launch.
    from selfcare_tui.journal.model import SessionEntry
    from selfcare_tui.routines.library import Library
    from selfcare_tui.routines.model import Routine
    from selfcare_tui.session.clock import Clock
    from selfcare_tui.session.player import Announcement

HIGH_CONTRAST = Theme(
    name=HIGH_CONTRAST_THEME,
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ffffff",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#1a1a1a",
    success="#00ff00",
    warning="#ffff00",
    error="#ff6060",
    dark=True,
)
RATE_STEP_LIMITS = (80, 400)
EXIT_GRACE_SECONDS = 5.0
"""After a signal, how long a clean exit may take before the process ends regardless."""
T = TypeVar("T")


class JournalLike(Protocol):
    def save(self, entry: SessionEntry) -> object: ...


@dataclass
class AppParts:
    """What the app runs on; `launch` builds the real ones, tests build fakes."""

    library: Library
    speaker: Speaker
    clock_factory: Callable[[], Clock]
    journal: JournalLike | None = None
    speed: float = 1.0
    now: Callable[[], datetime] = lambda: datetime.now().astimezone()
    settings: AppSettings = field(default_factory=AppSettings)
    save_settings: Callable[[AppSettings], object] | None = None
    """Keeps the user's choices (voice rate, mute, theme) for next time; None in tests."""
    notices: list[str] = field(default_factory=list)
    """Problems found while loading, e.g. a broken settings file, shown once at start."""
    start_speech: Callable[[], None] | None = None
    """Starts the speech engine; called after the first frame, so it never delays start-up."""


class SelfCareApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "selfcare"
    SUB_TITLE = "stretching and self-massage for the lower back"
    BINDINGS = [
        # Shown in the help and the command palette: the footer is kept for the screen's own keys.
        Binding("ctrl+t", "toggle_contrast", "High contrast", id="app.contrast", show=False),
        Binding("ctrl+q", "quit", "Quit app", id="app.quit", priority=True, show=False),
    ]

    class Spoken(Message):
        def __init__(self, event: SpeechEvent) -> None:
            super().__init__()
            self.event = event

    def __init__(
        self, parts: AppParts, routine_id: str | None = None, *, handle_signals: bool = False
    ) -> None:
        super().__init__()
        self.parts = parts
        self.routine_id = routine_id
        self.handle_signals = handle_signals
        self._reported: set[str] = set()
        self._mute_after: int | None = None
        """The utterance ("Voice off.") after which the voice goes quiet."""
        self.signalled: int | None = None
        """The signal that closed the app (SIGTERM, SIGHUP, SIGINT), if one did."""
        self.last_entry: SessionEntry | None = None
        self.unsaved_entry: Callable[[], SessionEntry] | None = None
        """Builds the entry of the session under way, so quitting never loses it."""
        self._too_small: TooSmallScreen | None = None

    async def on_mount(self) -> None:
        if self.handle_signals:
            self.close_on_signals()
        self.register_theme(HIGH_CONTRAST)
        if self.parts.settings.theme in self.available_themes:
            self.theme = self.parts.settings.theme
        # The user's own keys, by binding id ("player.pause" = "p"), as in Posting.
        self.set_keymap(self.parts.settings.keymap)
        if self.parts.notices:
            notices = "\n".join(self.parts.notices)
            self.notify(
                notices, title="Settings: using defaults for", severity="warning", timeout=15
            )
        self.parts.speaker.subscribe(lambda event: self.post_message(self.Spoken(event)))
        self.report_speech_problem()
        entry = self.parts.library.find(self.routine_id) if self.routine_id else None
        await self.push_screen(PickerScreen(self.parts.library))
        if self.parts.start_speech is not None:
            self.call_after_refresh(self.parts.start_speech)
        if entry is not None and entry.routine is not None:
            self.start_session(entry.routine)
        self.check_size()

    def close_on_signals(self) -> None:
        """Leave cleanly when killed or when the terminal closes, so the session is still saved.

        Plain signal handlers, not the event loop's: when the terminal is gone, Textual's
        shutdown can block the loop for good while flushing output (seen with SIGHUP).
        """
        loop = asyncio.get_running_loop()

        def handle(signum: int, frame: object) -> None:
            self.close_for_signal(signum, loop)

        for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            signal.signal(signum, handle)

    def close_for_signal(self, signum: int, loop: asyncio.AbstractEventLoop) -> None:
        self.signalled = signum
        self.save_unsaved()  # first, so the session is kept even if shutdown hangs
        watchdog = threading.Timer(EXIT_GRACE_SECONDS, os._exit, (128 + signum,))
        watchdog.daemon = True
        watchdog.start()
        loop.call_soon_threadsafe(self.exit)

    # -- speech ------------------------------------------------------------------------------

    def say(self, text: str, kind: UtteranceKind = UtteranceKind.STATUS) -> None:
        self.parts.speaker.speak(text, kind)

    def say_status(self, text: str, *, interrupt: bool = True) -> Utterance:
        """Speak a screen's words; by default cutting off what was being said."""
        if interrupt:
            self.parts.speaker.interrupt()
        return self.parts.speaker.speak(text, UtteranceKind.STATUS)

    def announce(self, announcement: Announcement) -> None:
        from selfcare_tui.session.speaking import speak_announcement

        speak_announcement(self.parts.speaker, announcement, speed=self.parts.speed)
        self.caption(announcement.text)

    def caption(self, text: str) -> None:
        for screen in self.screen_stack:
            if screen.id == "player":
                screen.show_caption(text)  # type: ignore[attr-defined]

    @on(Spoken)
    def spoken(self, message: Spoken) -> None:
        event = message.event
        if event.detail:
            self.report_speech_problem()
        if self._mute_after == event.utterance.id and event.kind is not SpeechEventKind.STARTED:
            # Muted only once "Voice off." has been heard, so the change is announced too.
            self._mute_after = None
            self.parts.speaker.set_muted(True)

    def report_speech_problem(self) -> None:
        """Say once, on screen and in speech if any, why the voice is missing or quiet."""
        problem = self.parts.speaker.problem
        if problem and problem not in self._reported:
            self._reported.add(problem)
            self.notify(problem, title="Speech", timeout=10)

    @property
    def voice_on(self) -> bool:
        return not self.parts.speaker.muted and self._mute_after is None

    def toggle_mute(self) -> None:
        speaker = self.parts.speaker
        if self.voice_on:
            self._mute_after = self.say_status("Voice off.").id
            self.notify("Voice off: captions only (m turns it back on)")
        else:
            self._mute_after = None
            speaker.set_muted(False)
            self.say_status("Voice on.")
            self.notify("Voice on")
        self.remember(self.parts.settings.with_speech(muted=not self.voice_on))

    def change_rate(self, delta: int) -> None:
        low, high = RATE_STEP_LIMITS
        rate = min(high, max(low, self.parts.speaker.rate + delta))
        self.parts.speaker.set_rate(rate)
        self.say_status(f"Speaking rate {rate} words per minute.")
        self.notify(f"Speaking rate: {rate} words per minute")
        self.remember(self.parts.settings.with_speech(rate=rate))

    def remember(self, settings: AppSettings) -> None:
        self.parts.settings = settings
        if self.parts.save_settings is None:
            return
        try:
            self.parts.save_settings(settings)
        except OSError as error:
            self.notify(f"Could not save settings: {error}", severity="warning")

    # -- sessions ----------------------------------------------------------------------------

    @on(PickerScreen.Chosen)
    def chosen(self, message: PickerScreen.Chosen) -> None:
        if message.entry.routine is not None:
            self.start_session(message.entry.routine)

    @property
    def in_session(self) -> bool:
        return any(worker.group == "session" and worker.is_running for worker in self.workers)

    def start_session(self, routine: Routine) -> None:
        # A key that lands on the picker between two screens of a session must not restart it.
        if not self.in_session:
            self.play_session(routine)

    @work(group="session")
    async def play_session(self, routine: Routine) -> None:
        from selfcare_tui.app.flow import run_session

        self.last_entry = await run_session(self, routine)

    def save_entry(self, entry: SessionEntry) -> str:
        journal = self.parts.journal
        if journal is None:
            return "Not saved: no journal in this run."
        try:
            where = journal.save(entry)
        except OSError as error:
            self.notify(f"Could not save the journal entry: {error}", severity="error")
            return f"Could not save the journal entry: {error.strerror or error}."
        return f"Saved to your private journal: {where}"

    # -- the rest ----------------------------------------------------------------------------

    def action_history(self) -> None:
        """Open the history screen from the routines list (never over a session under way)."""
        from selfcare_tui.app.screens.history import open_history

        if isinstance(self.screen, PickerScreen) and not self.in_session:
            open_history(self, self.parts.journal, self.parts.now().date())

    def action_toggle_contrast(self) -> None:
        high = self.theme != HIGH_CONTRAST.name
        self.theme = HIGH_CONTRAST.name if high else "textual-dark"
        self.say_status("High contrast on." if high else "High contrast off.")
        self.remember(replace(self.parts.settings, theme=self.theme))

    def on_resize(self, event: events.Resize) -> None:
        self.check_size(event.size)

    async def ask(self, screen: Screen[T], *, hush: bool = True) -> T:
        """Push a screen of the session and wait for its answer, keeping any size notice on top.

        With `hush`, speech stops once it is answered, as a screen reader stops when you type.
        """
        self.call_after_refresh(self.check_size)
        answer = await self.push_screen_wait(screen)
        if hush:
            self.parts.speaker.interrupt()
        return answer

    def check_size(self, size: Size | None = None) -> None:
        # A Resize event's size is the new one; self.size may not be updated yet.
        width, height = size or self.size
        small = width < MIN_SIZE[0] or height < MIN_SIZE[1]
        notice = self._too_small
        if notice is not None and (not small or self.screen is not notice):
            self._too_small = None
            if notice in self.screen_stack:
                self.app.call_later(self._remove_screen, notice)
        if small and self._too_small is None:
            self._too_small = TooSmallScreen()
            self.push_screen(self._too_small)
        elif small and notice is not None:
            notice.show_size(width, height)

    async def _remove_screen(self, screen: Screen) -> None:
        if screen is self.screen:
            self.pop_screen()
        else:
            self._screen_stack.remove(screen)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand(
            "High contrast", "Toggle the high-contrast theme", self.action_toggle_contrast
        )
        if isinstance(screen, PickerScreen):
            yield SystemCommand(
                "History", "Past sessions, pain over time, time per side (F2)", self.action_history
            )
        if screen.id == "player":
            for binding in screen.BINDINGS:
                if isinstance(binding, Binding) and binding.description:
                    action = binding.action
                    yield SystemCommand(
                        binding.tooltip or binding.description,
                        f"Key: {self.get_key_display(binding)}",
                        lambda action=action: screen.run_action(action),
                    )

    def on_unmount(self) -> None:
        self.save_unsaved()
        self.parts.speaker.close()

    def save_unsaved(self) -> None:
        if self.unsaved_entry is not None:
            self.save_entry(self.unsaved_entry())
            self.unsaved_entry = None
