"""What may be said: the wake word, then one of the player's commands."""

from __future__ import annotations

from enum import StrEnum

WAKE_WORD = "coach"
"""Chosen from measurements (bench/voice_bench.py): said before every command."""


class VoiceCommand(StrEnum):
    NEXT = "next"
    GO_BACK = "go back"
    PAUSE = "pause"
    RESUME = "resume"
    REPEAT = "repeat"
    STATUS = "status"
    STOP = "stop"
    LONGER = "longer"
    # No voice command ends a hold (the e key does): "coach end hold" and "coach done" were both
    # heard in the app's own words, 3.7 and 6 times an hour (bench/voice_bench.py).


FILLER = (
    "and", "your", "side", "left", "right", "hold", "step", "seconds", "breathe", "stretch",
    "on", "in", "of", "it", "is", "you", "with", "back", "knee", "hip", "out", "down", "up",
    "now", "slowly",
)  # fmt: skip
"""Everyday words the grammar may hear instead of a command: speech that is not "coach" and a
command decodes as these. Short words (a, the, to) are left out: they swallow "coach"."""


def phrase(command: VoiceCommand, wake_word: str = WAKE_WORD) -> str:
    return f"{wake_word} {command.value}"


def command_in(words: str, wake_word: str = WAKE_WORD) -> VoiceCommand | None:
    """The command in recognised words, if they are exactly the wake word and a command."""
    prefix = f"{wake_word} "
    if not words.startswith(prefix):
        return None
    try:
        return VoiceCommand(words[len(prefix) :])
    except ValueError:
        return None
