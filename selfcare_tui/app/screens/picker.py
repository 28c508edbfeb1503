"""Choose a routine: filter as you type, see its plan, Enter starts."""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from selfcare_tui import locations
from selfcare_tui.app.messages import Speak, tell
from selfcare_tui.app.screens.sized import SizedScreen
from selfcare_tui.app.spoken import action_keys
from selfcare_tui.app.widgets.footer import Footer
from selfcare_tui.routines.card import muscle_name
from selfcare_tui.routines.library import Entry, Library
from selfcare_tui.text import escaped
from selfcare_tui.vocabulary import spoken_duration


def entry_label(entry: Entry) -> str:
    card = entry.card
    if card is None:
        return f"{escaped(entry.id)}  BROKEN ({entry.source_label})"
    muscles = ", ".join(muscle_name(muscle) for muscle in card.muscles)
    parts = [card.title, f"{card.minutes} min", muscles, entry.source.value]
    return "  ·  ".join(part for part in parts if part)


def entry_spoken(entry: Entry) -> str:
    if entry.card is None:
        return f"{escaped(entry.id)}: broken, cannot be played."
    return f"{entry.card.title}, {spoken_duration(entry.card.minutes * 60)}."


def entry_details(entry: Entry) -> str:
    if entry.routine is None or entry.error is not None:
        return f"This routine cannot be played. Fix its file and restart:\n\n{entry.error}"
    routine = entry.routine
    muscles = ", ".join(muscle_name(muscle) for muscle in routine.muscles) or "not given"
    steps = len(routine.steps)
    lines = [
        routine.title,
        routine.summary,
        "",
        f"{spoken_duration(routine.minutes * 60)}, {steps} step{'s' * (steps != 1)}. "
        f"Muscles: {muscles}.",
        f"Source: {entry.source_label}"
        + (" (overrides the bundled one)" if entry.overrides else ""),
        "",
    ]
    for step in routine.steps:
        side = "" if step.side.value == "none" else f" [{step.side.value.upper()}]"
        lines.append(f"{step.number:>2}. {step.title}{side}  {step.seconds} s")
    return "\n".join(lines)


def voice_words(voice_on: bool) -> str:
    if voice_on:
        return "Voice: on (F3 turns it off)."
    return "Voice: OFF. Press F3 to turn it on."


class PickerScreen(SizedScreen[None]):
    """Lists every routine, broken ones included with their error."""

    # Narrow terminals: the details pane gives way (the safety check says the summary).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (60, "-wide")]
    AUTO_FOCUS = "#routines"
    """The list, not the filter above it (Textual's default: the first that can be focused)."""

    BINDINGS = [
        Binding("slash", "focus_filter", "Filter", id="picker.filter"),
        Binding(
            "f2", "app.history", "History", id="picker.history", tooltip="Past sessions and pain"
        ),
        Binding("f3", "app.toggle_voice", "Voice", id="picker.voice", tooltip="Voice on or off"),
        Binding(
            "f4", "tailor", "Tailor", id="picker.tailor",
            tooltip="Start it with choices: more time on one side, one side only, shorter holds",
        ),
    ]  # fmt: skip

    class Settled(Message):
        """The list has been shown a few seconds: a quiet moment to read ahead what F2 shows."""

    class Chosen(Message):
        def __init__(self, entry: Entry, tailor: bool = False) -> None:
            super().__init__()
            self.entry = entry
            self.tailor = tailor
            """Ask how to play it (more time on one side, one side only, shorter holds)."""

    def __init__(
        self,
        library: Library,
        *,
        quiet_start: bool = False,
        voice_on: bool = True,
        settle_seconds: float | None = None,
    ) -> None:
        super().__init__()
        self.library = library
        self.voice_on = voice_on
        self._quiet = quiet_start
        """`selfcare run ID` opens a session at once: the first highlight is not said over it."""
        self._first = True
        """The first highlight queues behind what the start says (that the terminal is small,
        that a setting was not read): it cut those off, unheard."""
        self.settle_seconds = settle_seconds
        """How long the list is shown before `Settled` is posted (None: never)."""
        self._settling: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="picker"):
            with Vertical(id="choices-pane"):
                yield Label("Choose a routine: type to filter, Enter starts", id="picker-title")
                yield Label(voice_words(self.voice_on), id="voice-state")
                yield Input(placeholder="Filter routines", id="filter")
                # Filled here, the first routine's details too, so the first frame is whole: filled
                # once mounted, they were laid out again, a tenth of the screen's start.
                yield OptionList(*self.options(""), id="routines")
            with VerticalScroll(id="details-pane"):
                first = self.library.entries[0] if self.library.entries else None
                yield Static(entry_details(first) if first else "", id="details", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        options = self.query_one("#routines", OptionList)
        if options.option_count:
            options.highlighted = 0
        if not self.library.entries:
            where = locations.user_routines_dir()
            self.query_one("#details", Static).update(
                f"No routines found. Put .toml routine files in {where}, "
                "or run 'selfcare new my-routine' to write a starter."
            )

    def on_screen_resume(self) -> None:
        if self.settle_seconds is not None:
            self._settling = self.set_timer(
                self.settle_seconds, lambda: self.post_message(self.Settled())
            )

    def on_screen_suspend(self) -> None:
        if self._settling is not None:
            self._settling.stop()

    def show_voice(self, voice_on: bool) -> None:
        self.voice_on = voice_on
        self.query_one("#voice-state", Label).update(voice_words(voice_on))

    def back_words(self) -> str:
        """Said when the list is shown again, after a session or the history: where the user
        is, and the routine that Enter would start."""
        entry = self.highlighted_entry()
        return f"Routines list. {entry_spoken(entry)}" if entry else "Routines list."

    def highlighted_entry(self) -> Entry | None:
        """The routine under the cursor: the one Enter would start."""
        options = self.query_one("#routines", OptionList)
        if options.highlighted is None:
            return None
        return self.library.find(options.get_option_at_index(options.highlighted).id or "")

    def opening_words(self) -> str:
        """Said once, before the first routine: where the user is, and how to go on."""
        count = len(self.library.entries)
        where_keys = action_keys(self, "orient")
        return (
            f"Routines list, {count} to choose from: up and down move, Enter starts; "
            f"{where_keys} says where you are and every key."
        )

    def orientation(self) -> str:
        count = len(self.library.entries)
        return (
            f"Routines: {count} to choose from. Up and down move, Enter starts, F4 starts with "
            "choices such as more time on one side, typing filters. "
            f"{voice_words(self.voice_on)}"
        )

    def options(self, text: str) -> list[Option]:
        """The routines whose id or label holds `text`, whatever its case."""
        needle = text.casefold()
        labelled = ((entry, entry_label(entry)) for entry in self.library.entries)
        return [
            Option(Text(label), id=entry.id)
            for entry, label in labelled
            if needle in f"{entry.id} {label}".casefold()
        ]

    def fill(self, text: str) -> None:
        options = self.query_one("#routines", OptionList)
        options.set_options(self.options(text))
        if options.option_count:
            options.highlighted = 0
        elif self.library.entries:
            message = f"No routine matches '{text}'. Delete some of the filter to see more."
            self.query_one("#details", Static).update(message)
            self.post_message(Speak(message))

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.fill(event.value)

    @on(Input.Submitted, "#filter")
    def filter_submitted(self) -> None:
        options = self.query_one("#routines", OptionList)
        if options.highlighted is not None:
            options.action_select()

    @on(OptionList.OptionHighlighted, "#routines")
    def highlighted(self, event: OptionList.OptionHighlighted) -> None:
        entry = self.library.find(event.option.id or "")
        if entry is not None:
            details = self.query_one("#details", Static)
            if details.content != (shown := entry_details(entry)):  # the first is composed
                details.update(shown)
            if not self._quiet:
                words = entry_spoken(entry)
                if self._first:
                    words = f"{self.opening_words()} {words}"
                self.post_message(Speak(words, interrupt=not self._first))
            self._quiet = self._first = False

    @on(OptionList.OptionSelected, "#routines")
    def selected(self, event: OptionList.OptionSelected) -> None:
        self.choose(event.option.id or "")

    def action_tailor(self) -> None:
        if (entry := self.highlighted_entry()) is not None:
            self.choose(entry.id, tailor=True)

    def choose(self, routine_id: str, tailor: bool = False) -> None:
        entry = self.library.find(routine_id)
        if entry is None:
            return
        if entry.routine is None:
            summary = entry.error.summary if entry.error else ""
            tell(self.app, f"{escaped(entry.id)} is broken: {summary}", severity="warning")
            return
        self.post_message(self.Chosen(entry, tailor))

    def on_key(self, event: events.Key) -> None:
        filtering = isinstance(self.focused, Input)
        if filtering and event.key in ("down", "up"):
            # Arrows in the filter move through the list, so Enter starts what you see.
            options = self.query_one("#routines", OptionList)
            options.action_cursor_down() if event.key == "down" else options.action_cursor_up()
            event.stop()
        elif not filtering and event.character and event.character.isalnum():
            # Typing a letter anywhere on the list starts filtering, as in most pickers.
            filter_input = self.query_one("#filter", Input)
            filter_input.focus()
            filter_input.insert_text_at_cursor(event.character)
            event.stop()

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()
