"""The player: one step at a time, its side in large letters, a countdown and what comes next."""

from __future__ import annotations

from dataclasses import dataclass, replace

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Label, Static

from selfcare_tui.app.screens.sized import SizedScreen
from selfcare_tui.app.styles import styles_beside
from selfcare_tui.app.widgets.countdown import Countdown
from selfcare_tui.app.widgets.footer import Footer
from selfcare_tui.app.widgets.progress_line import ProgressLine
from selfcare_tui.app.widgets.side_banner import SideBanner
from selfcare_tui.listening.listener import ListenerState, indicator_text
from selfcare_tui.routines.model import Side, Step, minutes_of
from selfcare_tui.session.commands import (
    PLAYER_COMMANDS,
    CommandKeys,
    PlayerCommand,
    help_rows,
    key_words,
    keys_words,
)
from selfcare_tui.session.player import PlayerState, PlayerView
from selfcare_tui.session.script import QUIT_QUESTION, Session
from selfcare_tui.vocabulary import clock_text, minutes_left_text, side_label

TIMER_SLACK = 0.005
"""Seconds added to each wait, so a tick lands just after the moment it waits for."""


@dataclass(frozen=True)
class FooterLook:
    label: str | None = None
    key_display: str | None = None
    show: bool = True


_FOOTER = {
    PlayerCommand.PREVIOUS: FooterLook(label="Step", key_display="←/→"),
    PlayerCommand.NEXT: FooterLook(show=False),
    PlayerCommand.LONGER: FooterLook(label="Hold", key_display="a/e"),
    PlayerCommand.END_HOLD: FooterLook(show=False),
    PlayerCommand.STATUS: FooterLook(show=False),  # spoken more than seen: ? lists it
    PlayerCommand.FASTER: FooterLook(label="Rate", key_display="+/-"),
    PlayerCommand.SLOWER: FooterLook(show=False),
}
"""How the footer shows a few commands, so that every key fits in 80 columns."""


def step_label(step: Step) -> str:
    side = side_label(step.side)
    return f"{side}: {step.title}" if side else step.title


def player_binding(command: CommandKeys) -> Binding:
    look = _FOOTER.get(command.command, FooterLook())
    return Binding(
        ",".join(command.keys),
        f"command('{command.command.value}')",
        look.label or command.label,
        show=look.show,
        key_display=look.key_display,
        id=command.binding_id,
        tooltip=command.does.capitalize(),
        priority=True,  # before the focused text area's own arrows: → is always "next step"
    )


class PlayerScreen(SizedScreen[PlayerState]):
    """Renders the RoutinePlayer and forwards keys to it; dismissed when the routine is over."""

    DEFAULT_CSS = styles_beside(__file__)

    BINDINGS = [player_binding(command) for command in PLAYER_COMMANDS]
    # Small terminals (large fonts): the big letters and bars give way; the side, the time left
    # and what comes next stay, in words (player.tcss).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (60, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]

    def __init__(self, session: Session) -> None:
        super().__init__(id="player")
        assert session.player is not None
        self.session = session
        self.player = session.player
        self.speed = session.parts.speed
        self._timer: Timer | None = None
        self._state_line = ""
        self._state_keys: dict[PlayerCommand, str] = {}
        """The keys the state line names, looked up once: the bindings are walked to find them,
        and the line is redrawn every second."""
        self._shown: tuple[object, ...] = (-1,)
        self._dismissed = False

    def compose(self) -> ComposeResult:
        # No container around it all: what changes every second (the countdown and the step's
        # line) is then redrawn with only the few widgets beside it. Below, what changes at
        # most once a minute is in one container, which that redraw passes over (player.tcss).
        yield Label("", id="state")
        with Horizontal(id="now"):
            yield SideBanner(id="side")
            yield Countdown("0:00", id="countdown")
        yield ProgressLine("Step", id="step-progress")
        with Vertical(id="below-the-clock"):
            yield ProgressLine("Routine", id="routine-progress")
            with Vertical(id="player-step"):
                yield Label("", id="step-title", markup=False)
                # The text scrolls, so the countdown, progress and what comes next always show.
                with VerticalScroll(id="text-area"):
                    yield Static("", id="instruction", markup=False)
                    yield Static("", id="cautions", markup=False)
                yield Label("", id="next", markup=False)
            with Vertical(id="bottom-lines"):
                yield Static("", id="caption", markup=False)
                yield Label("", id="listening", markup=False)
        # Compact, without the palette key (ctrl+p still opens it): every key fits in 80 columns.
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        # Looked up once: a query walks the DOM, and these change every second.
        self.countdown = self.query_one("#countdown", Countdown)
        self.step_progress = self.query_one("#step-progress", ProgressLine)
        self.routine_progress = self.query_one("#routine-progress", ProgressLine)
        self.player.start()
        self.tick()

    def show_listening(self, state: ListenerState) -> None:
        """The voice-command indicator: microphone, level, listening or not, last words heard."""
        label = self.query_one("#listening", Label)
        label.update(indicator_text(state))
        label.display = True

    def tick(self) -> None:
        """Catch up with the clock, redraw, and sleep until the next thing to say or show."""
        self.player.tick()
        self.refresh_view()
        if self._timer is not None:
            self._timer.stop()
        wait = self.player.seconds_to_next_change()
        if wait is not None and not self._dismissed:
            self._timer = self.set_timer(wait / self.speed + TIMER_SLACK, self.tick)

    def refresh_view(self) -> None:
        if self.player.is_over and not self._dismissed:
            self._dismissed = True
            self.dismiss(self.player.state)
            return
        view = self.player.view
        # The player ticks ten times a second for on-time cues, but what is shown changes once a
        # second at most: redrawing only then keeps the countdown's CPU use near zero.
        shown = (view.step.index, view.step_remaining, view.routine_remaining, view.state,
                 view.repetition, self.voice_on, view.lead_in)  # fmt: skip
        if shown == self._shown:
            return
        if view.step.index != self._shown[0]:
            self.show_step(view)
        self._shown = shown
        self.show_time(view)

    def show_time(self, view: PlayerView) -> None:
        step = view.step
        self.countdown.update(clock_text(view.step_remaining))
        self.step_progress.show(
            step.seconds,
            step.seconds - view.step_remaining,
            _left_of(view.step_remaining, step.seconds),
        )
        self.routine_progress.show(
            view.routine_seconds,
            view.routine_seconds - view.routine_remaining,
            # To the minute: a line that changes every second is noise to a screen reader
            # that reads what changes, and costs a redraw; the step's line has the seconds.
            minutes_left_text(view.routine_remaining, minutes_of(view.routine_seconds)),
        )
        self.set_class(view.state is PlayerState.PAUSED, "-paused")
        state = self.state_text(view)
        if state != self._state_line:  # not every second: when paused, resumed, and so on
            self._state_line = state
            self.query_one("#state", Label).update(state)

    @property
    def voice_on(self) -> bool:
        voice = self.session.parts.voice
        return voice is None or voice.voice_on

    def live_commands(self) -> list[CommandKeys]:
        """The player's commands with the keys bound now, after the user's keymap."""
        bound: dict[str, list[str]] = {}
        for key, active in self.active_bindings.items():
            if active.binding.id:
                bound.setdefault(active.binding.id, []).append(key)
        return [replace(c, keys=tuple(bound.get(c.binding_id, ()))) for c in PLAYER_COMMANDS]

    def help_rows(self) -> list[tuple[str, str]]:
        """Every key that does something here now: the player's, then the app's."""
        rows = help_rows(self.live_commands())
        for key, active in self.active_bindings.items():
            binding = active.binding
            if not (binding.id or "").startswith("player.") and binding.description:
                rows.append((key_words(key), (binding.tooltip or binding.description).lower()))
        return rows

    def live_keys(self, command: PlayerCommand) -> str:
        """The keys bound to `command` now, in words."""
        keys = next(c.keys for c in self.live_commands() if c.command is command)
        return keys_words(keys) or "no key"

    def state_key(self, command: PlayerCommand) -> str:
        if command not in self._state_keys:
            self._state_keys[command] = self.live_keys(command)
        return self._state_keys[command]

    def state_text(self, view: PlayerView) -> str:
        resume = f"PAUSED ({self.state_key(PlayerCommand.PAUSE)} resumes)"
        # During the lead-in the clock waits for the instruction: say so, or it looks stuck.
        playing = "Get ready" if view.lead_in else "Playing"
        state = {PlayerState.PAUSED: resume, PlayerState.PLAYING: playing}
        side = side_label(view.step.side)
        where = f"Step {view.step.number} of {view.step_count}" + (f"  ·  {side}" if side else "")
        reps = view.step.repetitions
        where += f"  ·  Repetition {view.repetition} of {reps}" if reps > 1 else ""
        mute = self.state_key(PlayerCommand.MUTE)
        voice = "" if self.voice_on else f"  ·  Voice off ({mute})"
        return f"{where}  ·  {state.get(view.state, view.state.value.capitalize())}{voice}"

    def show_step(self, view: PlayerView) -> None:
        step = view.step
        self.query_one(SideBanner).show_side(step.side)
        self.query_one("#step-title", Label).update(f"{step.title}  ({step.kind.value})")
        self.query_one("#instruction", Static).update(step.text)
        cautions = "\n".join(f"Caution: {caution}" for caution in step.cautions)
        self.query_one("#cautions", Static).update(cautions)
        following = view.next_step
        upcoming = "Next: routine complete, then your reflection"
        if following is not None:
            switch = "  (switch sides)" if _switches(step.side, following.side) else ""
            upcoming = f"Next: {step_label(following)}, {clock_text(following.seconds)}{switch}"
        self.query_one("#next", Label).update(upcoming)

    def orientation(self) -> str:
        return f"The routine is playing. {self.player.status_text()}"

    def show_caption(self, text: str) -> None:
        self.query_one("#caption", Static).update(f"Voice: {text}")

    def action_command(self, name: str) -> None:
        command = PlayerCommand(name)
        self.session.command(command)
        self.tick()  # the header says "paused" while a question is asked
        if command is PlayerCommand.QUIT and not self.player.is_over:
            from selfcare_tui.app.screens.confirm import ConfirmScreen

            self.app.push_screen(ConfirmScreen(QUIT_QUESTION), self.quit_answered)
        elif command is PlayerCommand.HELP:
            from selfcare_tui.app.screens.help import HelpScreen

            self.app.push_screen(HelpScreen(self.help_rows()))

    def quit_answered(self, quit_now: bool | None) -> None:
        self.session.answer_quit(bool(quit_now))
        self.tick()


def _left_of(remaining: int, total: int) -> str:
    return f"{clock_text(remaining)} left of {clock_text(total)}"


def _switches(side: Side, following: Side) -> bool:
    return {side, following} == {Side.LEFT, Side.RIGHT}
