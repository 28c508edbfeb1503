"""What the user can do while a routine plays, and the keys for it, after the user's keymap.

The app builds its player bindings from this table and plain mode reads the same keys, so the
footer, the help screen, the spoken help and plain mode's help all name the same keys. Keys use
Textual's names ("space", "question_mark"); a keymap entry replaces a command's keys by binding
id, as Textual's `App.set_keymap` does: {"player.pause": "k"}.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum


class PlayerCommand(StrEnum):
    PAUSE = "pause"
    NEXT = "next"
    PREVIOUS = "previous"
    REPEAT = "repeat"
    LONGER = "longer"
    END_HOLD = "end_hold"
    STATUS = "status"
    MUTE = "mute"
    FASTER = "faster"
    SLOWER = "slower"
    QUIT = "quit"
    HELP = "help"


@dataclass(frozen=True)
class CommandKeys:
    command: PlayerCommand
    keys: tuple[str, ...]
    label: str
    """A word or two, for the footer."""
    does: str
    """What it does, for the help."""

    @property
    def binding_id(self) -> str:
        return f"player.{self.command.value}"


PLAYER_COMMANDS: tuple[CommandKeys, ...] = (
    CommandKeys(PlayerCommand.PAUSE, ("space",), "Pause", "pause or resume"),
    CommandKeys(PlayerCommand.NEXT, ("n", "right"), "Next", "next step"),
    CommandKeys(PlayerCommand.PREVIOUS, ("p", "left"), "Back", "previous step"),
    CommandKeys(PlayerCommand.REPEAT, ("r",), "Repeat", "repeat the instruction"),
    CommandKeys(PlayerCommand.LONGER, ("a",), "+10 s", "hold 10 seconds longer"),
    CommandKeys(PlayerCommand.END_HOLD, ("e",), "End hold", "end the hold early, as done"),
    CommandKeys(PlayerCommand.STATUS, ("s",), "Status", "say where you are"),
    CommandKeys(PlayerCommand.MUTE, ("m",), "Mute", "mute or unmute the voice"),
    CommandKeys(PlayerCommand.FASTER, ("plus", "equals_sign"), "Faster", "speak faster"),
    CommandKeys(PlayerCommand.SLOWER, ("minus",), "Slower", "speak slower"),
    CommandKeys(PlayerCommand.QUIT, ("q",), "Quit", "quit the routine"),
    CommandKeys(PlayerCommand.HELP, ("question_mark",), "Help", "every key"),
)

KEY_WORDS = {
    "space": "space",
    "right": "right arrow",
    "left": "left arrow",
    "up": "up arrow",
    "down": "down arrow",
    "plus": "plus",
    "minus": "minus",
    "equals_sign": "equals",
    "question_mark": "question mark",
    "escape": "escape",
    "enter": "enter",
}
KEY_CHARACTERS = {"space": " ", "plus": "+", "minus": "-", "equals_sign": "=", "question_mark": "?"}
"""Keys that type a character, by Textual name: what plain mode reads for them."""


def player_commands(keymap: Mapping[str, str] | None = None) -> tuple[CommandKeys, ...]:
    """The commands with the user's keys: a keymap entry replaces the defaults of its id."""
    keymap = keymap or {}
    commands = []
    for command in PLAYER_COMMANDS:
        mapped = keymap.get(command.binding_id)
        if mapped:
            keys = tuple(key.strip() for key in mapped.split(",") if key.strip())
            command = replace(command, keys=keys or command.keys)
        commands.append(command)
    return tuple(commands)


def key_words(key: str) -> str:
    """A key as it is said and shown in help: "space", "right arrow", "question mark", "q"."""
    if key in KEY_WORDS:
        return KEY_WORDS[key]
    if key.startswith("ctrl+"):
        return "control " + key_words(key[5:])
    return key.replace("_", " ")


def keys_words(keys: Iterable[str]) -> str:
    return " or ".join(key_words(key) for key in keys)


def help_rows(commands: Iterable[CommandKeys]) -> list[tuple[str, str]]:
    """(keys, what they do), one row per command, in the table's order."""
    return [(keys_words(command.keys), command.does) for command in commands]


BRIEF_HELP = (
    PlayerCommand.PAUSE,
    PlayerCommand.NEXT,
    PlayerCommand.PREVIOUS,
    PlayerCommand.REPEAT,
    PlayerCommand.LONGER,
    PlayerCommand.END_HOLD,
    PlayerCommand.HELP,
)
"""The keys named before every routine; help names them all."""


def help_sentence(
    commands: Iterable[CommandKeys], only: Iterable[PlayerCommand] | None = None
) -> str:
    """The keys in one spoken sentence: "Keys: space, pause or resume; n or right arrow, ..." """
    chosen = [c for c in commands if only is None or c.command in set(only)]
    rows = "; ".join(f"{keys}, {does}" for keys, does in help_rows(chosen))
    return f"Keys while the routine plays: {rows}."


def command_for(key: str, commands: Iterable[CommandKeys]) -> PlayerCommand | None:
    """The command bound to a Textual key name, if any."""
    for command in commands:
        if key in command.keys:
            return command.command
    return None
