"""The player: one step at a time, its side in large letters, a countdown and what comes next."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Digits, Footer, Label, ProgressBar, Static

from selfcare_tui.app.widgets.side_banner import SideBanner
from selfcare_tui.routines.model import Side, Step
from selfcare_tui.session.cues import side_phrase
from selfcare_tui.session.player import PlayerState, PlayerView, RoutinePlayer

TIMER_SLACK = 0.005
"""Seconds added to each wait, so a tick lands just after the moment it waits for."""


def clock_text(seconds: int) -> str:
    minutes, rest = divmod(max(0, seconds), 60)
    return f"{minutes}:{rest:02d}"


def step_label(step: Step) -> str:
    side = side_phrase(step.side)
    return f"{side}: {step.title}" if side else step.title


class PlayerScreen(Screen[PlayerState]):
    """Renders the RoutinePlayer and forwards keys to it; dismissed when the routine is over."""

    BINDINGS = [
        Binding("space", "toggle_pause", "Pause", id="player.pause", tooltip="Pause or resume"),
        Binding("n,right", "next_step", "Next", id="player.next"),
        Binding("p,left", "previous_step", "Back", id="player.previous", tooltip="Previous step"),
        Binding("r", "repeat", "Repeat", id="player.repeat"),
        Binding("s", "status", "Status", id="player.status"),
        Binding("m", "toggle_mute", "Mute", id="player.mute"),
        Binding(
            "plus,equals_sign",
            "faster",
            "Rate",
            id="player.faster",
            key_display="+/-",
            tooltip="Speak faster",
        ),
        Binding(
            "minus", "slower", "Slower", id="player.slower", show=False, tooltip="Speak slower"
        ),
        Binding("q", "quit_session", "Quit", id="player.quit"),
        Binding("question_mark", "help", "Help", id="player.help", key_display="?"),
    ]

    def __init__(self, player: RoutinePlayer, speed: float = 1.0) -> None:
        super().__init__(id="player")
        self.player = player
        self.speed = speed
        self._timer: Timer | None = None
        self._lines: dict[str, str] = {}
        self._shown: tuple[object, ...] = (-1,)
        self._dismissed = False

    def compose(self) -> ComposeResult:
        with Vertical(id="player"):
            yield Label("", id="state")
            with Horizontal(id="now"):
                yield SideBanner(id="side")
                with Vertical(id="timing"):
                    yield Digits("0:00", id="countdown")
                    yield Label("", id="repetition")
            yield Label("", id="step-title", markup=False)
            # The text scrolls, so the countdown, progress and what comes next always show.
            with VerticalScroll(id="text-area"):
                yield Static("", id="instruction", markup=False)
                yield Static("", id="cautions", markup=False)
            with Horizontal(classes="progress-row"):
                yield Label("Step", classes="progress-label")
                yield ProgressBar(id="step-progress", show_eta=False, show_percentage=False)
                yield Label("", id="step-progress-text")
            with Horizontal(classes="progress-row"):
                yield Label("Routine", classes="progress-label")
                yield ProgressBar(id="routine-progress", show_eta=False, show_percentage=False)
                yield Label("", id="routine-progress-text")
            yield Label("", id="next", markup=False)
            yield Static("", id="caption", markup=False)
        # Compact, without the palette key (ctrl+p still opens it): every key fits in 80 columns.
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.player.start()
        self.tick()

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
                 view.repetition, self.app.voice_on)  # type: ignore[attr-defined]  # fmt: skip
        if shown == self._shown:
            return
        if view.step.index != self._shown[0]:
            self.show_step(view)
        self._shown = shown
        self.show_time(view)

    def show_time(self, view: PlayerView) -> None:
        self.query_one("#countdown", Digits).update(clock_text(view.step_remaining))
        self._set_line("#state", self.state_text(view))
        self.set_class(view.state is PlayerState.PAUSED, "-paused")
        reps = view.step.repetitions
        self._set_line("#repetition", f"Repetition {view.repetition} of {reps}" if reps > 1 else "")
        step_done = view.step.seconds - view.step_remaining
        self.query_one("#step-progress", ProgressBar).update(
            total=view.step.seconds, progress=step_done
        )
        self.query_one("#routine-progress", ProgressBar).update(
            total=view.routine_seconds, progress=view.routine_seconds - view.routine_remaining
        )
        step_left = f"{clock_text(view.step_remaining)} left of {clock_text(view.step.seconds)}"
        self._set_line("#step-progress-text", step_left)
        routine_left = f"{clock_text(view.routine_remaining)} left of "
        self._set_line("#routine-progress-text", routine_left + clock_text(view.routine_seconds))

    def _set_line(self, selector: str, text: str) -> None:
        # Only lines that changed, and without a layout pass (their sizes are fixed in
        # app.tcss): this is most of what keeps a countdown's CPU use low.
        if self._lines.get(selector) != text:
            self._lines[selector] = text
            self.query_one(selector, Label).update(text, layout=False)

    def state_text(self, view: PlayerView) -> str:
        state = {PlayerState.PAUSED: "PAUSED (space resumes)", PlayerState.PLAYING: "Playing"}
        where = f"Step {view.step.number} of {view.step_count}"
        voice = "" if self.app.voice_on else "  ·  Voice off (m)"  # type: ignore[attr-defined]
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

    def show_caption(self, text: str) -> None:
        self.query_one("#caption", Static).update(f"Voice: {text}")

    def action_toggle_pause(self) -> None:
        self.player.toggle_pause()
        self.tick()

    def action_next_step(self) -> None:
        self.player.next_step()
        self.tick()

    def action_previous_step(self) -> None:
        self.player.previous_step()
        self.tick()

    def action_repeat(self) -> None:
        self.player.repeat_instruction()

    def action_status(self) -> None:
        self.player.speak_status()

    def action_toggle_mute(self) -> None:
        self.app.toggle_mute()  # type: ignore[attr-defined]
        self.refresh_view()

    def action_faster(self) -> None:
        self.app.change_rate(+15)  # type: ignore[attr-defined]

    def action_slower(self) -> None:
        self.app.change_rate(-15)  # type: ignore[attr-defined]

    def action_help(self) -> None:
        from selfcare_tui.app.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())

    def action_quit_session(self) -> None:
        from selfcare_tui.app.screens.confirm import ConfirmScreen

        was_playing = self.player.state is PlayerState.PLAYING
        if was_playing:
            self.player.pause()

        def answered(quit_now: bool | None) -> None:
            if quit_now:
                self.player.quit()
            elif was_playing:
                self.player.resume()
            self.tick()

        question = "Quit this routine? Your session is kept as incomplete. y quits, n goes on."
        self.app.push_screen(ConfirmScreen(question), answered)


def _switches(side: Side, following: Side) -> bool:
    return {side, following} == {Side.LEFT, Side.RIGHT}
