"""Where speech goes: our own voice, the user's speech-dispatcher, or nowhere (print only).

`speechd` shares one queue with the user's screen reader (Orca, Fenrir and speakup speak
through speech-dispatcher), so the two never talk over each other.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING

from selfcare_tui.speech.settings import SpeechSettings

if TYPE_CHECKING:
    from selfcare_tui.speech.service import SpeechService
    from selfcare_tui.speech.speechd import SpeechDispatcherSpeaker


class SpeechOutput(StrEnum):
    AUTO = "auto"
    """speech-dispatcher when plain mode finds one running, else our own voice."""
    OWN = "own"
    SPEECHD = "speechd"
    OFF = "off"
    """Print only; the voice key can still turn our own voice on."""


@dataclass(frozen=True)
class ChosenSpeaker:
    speaker: SpeechService | SpeechDispatcherSpeaker
    output: SpeechOutput
    """OWN, SPEECHD or OFF: what AUTO became."""

    @property
    def words(self) -> str:
        return speech_words(self.output)


def _speechd_available() -> bool:
    # Its module is loaded only when speech-dispatcher may be used: the app's launch, which
    # speaks with its own voice unless told otherwise, does not pay for it.
    from selfcare_tui.speech.speechd import speechd_available

    return speechd_available()


def speech_words(output: SpeechOutput) -> str:
    """Said (or printed) at start, so the user knows where the voice comes from."""
    if output is SpeechOutput.SPEECHD:
        return "Speech goes through your speech-dispatcher, with your screen reader's voice."
    if output is SpeechOutput.OFF:
        return "Speech is off: printing only. Press m during a routine to turn it on."
    return "Speech is on, in selfcare's own voice."


def choose_speaker(
    output: SpeechOutput, settings: SpeechSettings, *, prefer_speechd: bool, start: bool = True
) -> ChosenSpeaker:
    """The speaker for `output`; AUTO picks speech-dispatcher only if `prefer_speechd` and one
    is running. Nothing here fails: a speaker that cannot speak says why in `problem`."""
    from selfcare_tui.speech.service import SpeechService

    if output is SpeechOutput.AUTO:
        use_speechd = prefer_speechd and _speechd_available()
        output = SpeechOutput.SPEECHD if use_speechd else SpeechOutput.OWN
    if output is SpeechOutput.SPEECHD:
        from selfcare_tui.speech.speechd import SpeechDispatcherSpeaker

        return ChosenSpeaker(SpeechDispatcherSpeaker(settings, start=start), output)
    if output is SpeechOutput.OFF:
        settings = replace(settings, muted=True)
    elif settings.muted:
        output = SpeechOutput.OFF
    return ChosenSpeaker(SpeechService(settings, start=start), output)
