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
from functools import partial
from typing import TYPE_CHECKING, TypeVar

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.message import Message
from textual.screen import Screen
from textual.theme import Theme

from selfcare_tui.app.messages import Speak, tell
from selfcare_tui.app.screens.picker import PickerScreen
from selfcare_tui.settings import HIGH_CONTRAST_THEME, AppSettings
from selfcare_tui.speech.model import Speaker, SpeechEvent, UtteranceKind
from selfcare_tui.text import one_line

if TYPE_CHECKING:
    from pathlib import Path

    # Only for annotations: the session's modules load when a session starts, not at launch.
    from selfcare_tui.app.screens.history import HistoryReader
    from selfcare_tui.journal.guard import JournalLike
    from selfcare_tui.listening.listener import Listener
    from selfcare_tui.routines.library import Entry, Library
    from selfcare_tui.routines.model import Routine
    from selfcare_tui.session.clock import Clock
    from selfcare_tui.session.script import Session
    from selfcare_tui.session.voice import VoiceControl
    from selfcare_tui.speech import Transcript
    from selfcare_tui.vocabulary import Tailoring

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
PALETTE_WORDS = (
    "Command palette: type what you want to do; up and down read the matches; Enter runs one; "
    "Escape closes it."
)
SMALL_SIZE = (80, 24)
"""Below this, some of a screen may be cut off or scroll: the app says so, and carries on."""
EXIT_GRACE_SECONDS = 5.0
"""After a signal, how long a clean exit may take before the process ends regardless."""
T = TypeVar("T")


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
    tailoring: Tailoring | None = None
    """How the routine opened at launch is played (`run ID --more-time left`...)."""
    ask_tailoring: bool = False
    """The routine opened at launch asks how to play it first (`run ID --tailor`)."""
    listen: bool = False
    """Voice commands during a routine (`--listen`, or the `listen` setting)."""
    microphone: str = ""
    """The source to listen on; "": the default microphone."""
    screen_reader: bool = False
    """The voice is the user's speech-dispatcher: voice commands may mishear it."""
    transcript: Transcript | None = None
    """Where the words of voice commands are recorded too (never audio)."""
    """Problems found while loading, e.g. a broken settings file, shown once at start."""
    read_ahead_after: float | None = 3.0
    """Seconds the routines list is shown before the journal is read ahead of F2 (None: never,
    as in most tests, where a read at a moment set by the wall clock would vary the run)."""
    start_speech: Callable[[], None] | None = None
    """Starts the speech engine; called after the first frame, so it never delays start-up."""
    exit_grace_seconds: float | None = EXIT_GRACE_SECONDS
    """After a signal, the process ends this long after the session is saved even if Textual's
    shutdown hangs; None leaves it to Textual (tests that signal the app in-process)."""


class SelfCareApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "selfcare"
    SUB_TITLE = "stretching and self-massage for the lower back"
    BINDINGS = [
        # Shown in the help and the command palette: the footer is kept for the screen's own keys.
        Binding("ctrl+t", "toggle_contrast", "High contrast", id="app.contrast", show=False),
        Binding("ctrl+q", "quit", "Quit app", id="app.quit", priority=True, show=False),
        Binding("f1", "orient", "Where am I", id="app.orient", show=False),
    ]

    class Spoken(Message):
        def __init__(self, event: SpeechEvent) -> None:
            super().__init__()
            self.event = event

    class Listened(Message):
        """The listener has a command to take, or a new state to show (from its thread)."""

    def __init__(
        self, parts: AppParts, routine_id: str | None = None, *, handle_signals: bool = False
    ) -> None:
        super().__init__()
        self.parts = parts
        self.routine_id = routine_id
        self.handle_signals = handle_signals
        self._reported: set[str] = set()
        self.signalled: int | None = None
        """The signal that closed the app (SIGTERM, SIGHUP, SIGINT), if one did."""
        self.session: Session | None = None
        """The session under way, or the last one."""
        self._voice: VoiceControl | None = None
        self._was_small = False
        self.listener: Listener | None = None
        """Voice commands, once listening has started."""
        self._opened_at_launch: Entry | None = None
        """The routine `selfcare run ID` opens (found with the first screen)."""
        self._waiting: list[Path] = []
        """Sessions the journal could not take last time, to offer to move in."""
        self._history_reader: HistoryReader | None = None
        self._orientation: tuple[int, bool] | None = None
        """F1's words (their utterance's id) and whether they are being said yet: a key pressed
        while they are said cuts them short, as a screen reader's next key does. Queued behind
        other words (the closing advice), they cut nothing."""

    @property
    def voice(self) -> VoiceControl:
        """Mute and rate, shared by every session of this run."""
        if self._voice is None:
            from selfcare_tui.session.voice import VoiceControl

            self._voice = VoiceControl(self.parts.speaker, self.parts.settings, self.remember)
        return self._voice

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
            tell(self, notices, title="Settings: using defaults for", severity="warning")
        self.parts.speaker.subscribe(self.heard)
        self.report_speech_problem()
        if not self.voice.voice_on:
            tell(self, "The voice is off, as you left it. Press F3 to turn it on.", title="Voice")
        if self.parts.start_speech is not None:
            self.call_after_refresh(self.parts.start_speech)
        if self.parts.listen:
            self.call_after_refresh(self.start_listening)
        entry = self._opened_at_launch
        if entry is not None and entry.routine is not None:
            self.start_session(entry.routine, self.parts.tailoring, self.parts.ask_tailoring)
        elif self._waiting:
            self.offer_unsaved(len(self._waiting))
        self.check_size()

    def get_default_screen(self) -> Screen[None]:
        """The routines list is the app's first screen (no blank screen drawn before it)."""
        from selfcare_tui.journal.fallback import unsaved

        routine_id = self.routine_id
        entry = self.parts.library.find(routine_id) if routine_id else None
        self._opened_at_launch = entry
        self._waiting = unsaved() if self.parts.journal is not None and entry is None else []
        # Quiet when something else is said first: a session opening, or the offer of unsaved
        # sessions.
        quiet = entry is not None or bool(self._waiting)
        self.picker = PickerScreen(
            self.parts.library,
            quiet_start=quiet,
            voice_on=self.voice.voice_on,
            settle_seconds=self.parts.read_ahead_after,
        )
        return self.picker

    def offer_unsaved(self, count: int) -> None:
        """Sessions the journal could not take last time: ask to move them in now."""
        from selfcare_tui.app.screens.confirm import ConfirmScreen
        from selfcare_tui.journal.fallback import move_unsaved, moved_words, offer_words

        journal = self.parts.journal
        assert journal is not None

        def answered(move: bool | None) -> None:
            if move:
                tell(self, moved_words(*move_unsaved(journal)))

        question = offer_words(count)
        self.post_message(Speak(question))
        self.push_screen(ConfirmScreen(question), answered)

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
        grace = self.parts.exit_grace_seconds
        if grace is not None:
            watchdog = threading.Timer(grace, os._exit, (128 + signum,))
            watchdog.daemon = True
            watchdog.start()
        loop.call_soon_threadsafe(self.exit)

    # -- speech ------------------------------------------------------------------------------

    def heard(self, event: SpeechEvent) -> None:
        """Every speech event, from the speech thread: handled on the app's."""
        self.post_message(self.Spoken(event))

    @on(Speak)
    def speak(self, message: Speak) -> None:
        """A screen's own words."""
        if message.interrupt:
            self.parts.speaker.interrupt()
        kind = UtteranceKind.INSTRUCTION if message.behind else UtteranceKind.STATUS
        self.parts.speaker.speak(message.text, kind)

    @on(Spoken)
    def spoken(self, message: Spoken) -> None:
        if message.event.detail:
            self.report_speech_problem()
        asked = self._orientation
        if asked is not None and message.event.utterance.id == asked[0]:
            self._orientation = None if message.event.kind.outcome else (asked[0], True)
        heard = getattr(self.screen, "heard", None)  # a screen that waits on its words
        if heard is not None:
            heard(message.event)
        if self._voice is not None:
            self._voice.settle()
            if self.picker.voice_on != self._voice.voice_on:
                self.picker.show_voice(self._voice.voice_on)

    # -- voice commands ----------------------------------------------------------------------

    def start_listening(self) -> None:
        """Load the recogniser and open the microphone in a thread (a second or so)."""
        self.run_worker(self._open_listener, name="listener", group="listener", thread=True)

    def _open_listener(self) -> None:
        from selfcare_tui.listening.listener import listening_words, start_listening
        from selfcare_tui.listening.recognizer import VoiceUnavailable

        transcript = self.parts.transcript
        try:
            listener = start_listening(
                self.parts.speaker, self.parts.microphone or None,
                on_change=lambda: self.post_message(self.Listened()),
                record=(lambda h: transcript.heard(h.words, h.acted_on)) if transcript else
                (lambda h: None),
            )  # fmt: skip
        except VoiceUnavailable as error:
            self.call_from_thread(tell, self, f"Voice commands are off. {error}", title="Voice")
            return
        self.listener = listener
        words = listening_words(listener, self.parts.screen_reader)
        self.call_from_thread(tell, self, words, title="Voice commands")

    @on(Listened)
    def listened(self) -> None:
        """Commands go to the session under way, as keys do; the player shows the state."""
        from selfcare_tui.app.screens.player import PlayerScreen

        listener = self.listener
        if listener is None:
            return
        for command, _heard in listener.take():
            if self.session is not None:
                self.session.voice_command(command)
        if isinstance(self.screen, PlayerScreen):
            self.screen.show_listening(listener.state)

    def report_speech_problem(self) -> None:
        """Say once, on screen and in speech if any, why the voice is missing or quiet."""
        problem = self.parts.speaker.problem
        if problem and problem not in self._reported:
            self._reported.add(problem)
            tell(self, problem, title="Speech")

    def action_toggle_voice(self) -> None:
        """Voice on or off from anywhere (the player's m does the same)."""
        shown = self.voice.toggle_mute()  # says "Voice on." or "Voice off." itself
        self.notify(shown, markup=False)
        self.picker.show_voice(self.voice.voice_on)

    def action_command_palette(self) -> None:
        super().action_command_palette()
        self.post_message(Speak(PALETTE_WORDS))

    @on(CommandPalette.OptionHighlighted)
    def palette_match(self, event: CommandPalette.OptionHighlighted) -> None:
        """The command palette's matches are said as they are reached."""
        prompt = event.highlighted_event.option.prompt
        self.post_message(Speak(one_line(str(prompt))))

    def action_focus_next(self) -> None:
        super().action_focus_next()
        self.say_focus()

    def action_focus_previous(self) -> None:
        super().action_focus_previous()
        self.say_focus()

    def say_focus(self) -> None:
        """Tab and shift+Tab say where the focus lands (a first focus on a new screen does not:
        the screen's own words are being said)."""
        from selfcare_tui.app.spoken import focus_words

        if self.focused is not None:
            self.post_message(Speak(focus_words(self.focused)))

    def action_orient(self) -> None:
        """Say where you are and what the keys are, from the live bindings."""
        from selfcare_tui.session.commands import key_words

        screen = self.screen
        where = getattr(screen, "orientation", None)
        keys = [
            f"{key_words(key)}, {(active.binding.tooltip or active.binding.description).lower()}"
            for key, active in screen.active_bindings.items()
            if active.binding.description
        ]
        said = (where() + " " if callable(where) else "") + "Keys: " + "; ".join(keys) + "."
        self.notify(said, markup=False)
        self._orientation = (self.parts.speaker.speak(said, UtteranceKind.STATUS).id, False)

    async def on_event(self, event: events.Event) -> None:
        being_said = self._orientation is not None and self._orientation[1]
        if isinstance(event, events.Key) and not event.is_forwarded and being_said:
            # F1 lists every key, for up to a minute: a key pressed meanwhile ends it, so
            # what that key starts (a routine's safety check, a screen) is heard at once.
            self._orientation = None
            self.parts.speaker.interrupt()
        await super().on_event(event)

    def remember(self, settings: AppSettings) -> None:
        self.parts.settings = settings
        if self.parts.save_settings is None:
            return
        try:
            self.parts.save_settings(settings)
        except OSError as error:
            tell(self, f"Could not save settings: {error}", severity="warning")

    # -- sessions ----------------------------------------------------------------------------

    @on(PickerScreen.Chosen)
    def chosen(self, message: PickerScreen.Chosen) -> None:
        if message.entry.routine is not None:
            self.start_session(message.entry.routine, ask_tailoring=message.tailor)

    @property
    def in_session(self) -> bool:
        return any(worker.group == "session" and worker.is_running for worker in self.workers)

    def start_session(
        self, routine: Routine, tailoring: Tailoring | None = None, ask_tailoring: bool = False
    ) -> None:
        # A key that lands on the picker between two screens of a session must not restart it.
        if not self.in_session:
            self.play_session(routine, tailoring, ask_tailoring)

    @work(group="session")
    async def play_session(
        self, routine: Routine, tailoring: Tailoring | None = None, ask_tailoring: bool = False
    ) -> None:
        from selfcare_tui.app.flow import AppFace
        from selfcare_tui.session.commands import player_commands
        from selfcare_tui.session.script import SessionParts

        parts, settings = self.parts, self.parts.settings
        face = AppFace(
            self.push_screen_wait,
            routine,
            SessionParts(
                parts.speaker, parts.clock_factory, parts.journal, parts.now, parts.speed,
                settings.countdown_for(routine.countdown), player_commands(settings.keymap),
                self.voice, tailoring, ask_tailoring,
            ),
        )  # fmt: skip
        self.session = face.session
        await face.run()
        self.back_to_the_list()

    # -- the rest ----------------------------------------------------------------------------

    def action_history(self) -> None:
        """Open the history screen from the routines list (never over a session under way)."""
        if isinstance(self.screen, PickerScreen) and not self.in_session:
            reader = self.history_reader()
            if reader is None:
                tell(self, "There is no journal in this run, so no history to show.")
            else:
                # Back from it, the summary need not be heard out: leaving cuts it short.
                reader.open(self.parts.now().date(), closed=lambda _: self.back_to_the_list(True))

    def back_to_the_list(self, interrupt: bool = False) -> None:
        """Say that the routines list is shown again (nothing on screen says it to the ear):
        after a session, behind its last words ("Nothing started.", the closing advice)."""
        if self.screen is self.picker:
            words = self.picker.back_words()
            self.post_message(Speak(words, interrupt=interrupt, behind=not interrupt))

    @on(PickerScreen.Settled)
    def read_history_ahead(self) -> None:
        reader = self.history_reader()
        if reader is not None:
            reader.read_ahead(self.parts.now().date())

    def history_reader(self) -> HistoryReader | None:
        """The history screen's reader of the journal; None when this run has no journal."""
        from selfcare_tui.app.screens.history import HistoryReader, LoadableJournal

        if self._history_reader is None and isinstance(self.parts.journal, LoadableJournal):
            self._history_reader = HistoryReader(self, self.parts.journal)
        return self._history_reader

    def action_toggle_contrast(self) -> None:
        high = self.theme != HIGH_CONTRAST.name
        self.theme = HIGH_CONTRAST.name if high else "textual-dark"
        self.post_message(Speak("High contrast on." if high else "High contrast off."))
        self.remember(replace(self.parts.settings, theme=self.theme))

    def on_resize(self, event: events.Resize) -> None:
        self.check_size(event.size.width, event.size.height)

    def check_size(self, width: int | None = None, height: int | None = None) -> None:
        """Say once, when the terminal becomes small, that some of a screen may not show."""
        # A Resize event's size is the new one; self.size may not be updated yet.
        width = width if width is not None else self.size.width
        height = height if height is not None else self.size.height
        small = width < SMALL_SIZE[0] or height < SMALL_SIZE[1]
        if small and not self._was_small:
            message = (
                f"{width}×{height}: some parts scroll or are left out; everything still works. "
                f"{SMALL_SIZE[0]}×{SMALL_SIZE[1]} shows it all."
            )
            tell(self, message, title="Small terminal")
        self._was_small = small

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand(
            "High contrast", "Toggle the high-contrast theme", self.action_toggle_contrast
        )
        if isinstance(screen, PickerScreen):
            yield SystemCommand(
                "History", "Past sessions, pain over time, time per side (F2)", self.action_history
            )
        for binding in screen.BINDINGS:
            if isinstance(binding, Binding) and binding.id and binding.id.startswith("player."):
                yield SystemCommand(
                    binding.tooltip or binding.description,
                    f"Key: {self.get_key_display(binding)}",
                    partial(screen.run_action, binding.action),
                )

    def on_unmount(self) -> None:
        self.save_unsaved()
        if self.listener is not None:
            self.listener.close()
        self.parts.speaker.close()

    def save_unsaved(self) -> None:
        """Keep the session under way, as interrupted, when the app closes before its end."""
        if self.session is None:
            return
        try:
            self.session.interrupt()
        except OSError as error:
            from selfcare_tui.journal.guard import report_unsaved

            report_unsaved(error)
