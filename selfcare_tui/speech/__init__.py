"""The app's voice: a speech service in plain Python (no Textual) and its settings.

Importing this package loads neither pyttsx3 nor Textual; the engine is imported on the speech
thread when a SpeechService starts. The names below are imported from their modules when first
used, so importing one module of the package (its settings, say) does not load them all.
"""

import importlib
import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from selfcare_tui.speech.engine import (
        NO_AUDIO_OUTPUT,
        CommandPlayer,
        EngineUnavailable,
        Player,
        Pyttsx3Synthesiser,
        SilentPlayer,
        Synthesiser,
        SynthesisError,
        find_player,
        list_voices,
    )
    from selfcare_tui.speech.model import (
        EventCallback,
        Outcome,
        Speaker,
        SpeechEvent,
        SpeechEventKind,
        Utterance,
        UtteranceKind,
    )
    from selfcare_tui.speech.scheduler import Scheduler, Turn
    from selfcare_tui.speech.service import (
        ENGINE_HUNG,
        ENGINE_START_HUNG,
        PLAYER_HUNG,
        SILENT,
        SpeechService,
    )
    from selfcare_tui.speech.settings import (
        DEFAULT_RATE,
        MAX_RATE,
        MIN_RATE,
        SettingsError,
        SpeechSettings,
        VoiceInfo,
        resolve_voice,
    )
    from selfcare_tui.speech.transcript import Transcript

_MODULES = {
    "NO_AUDIO_OUTPUT": "engine",
    "CommandPlayer": "engine",
    "EngineUnavailable": "engine",
    "Player": "engine",
    "Pyttsx3Synthesiser": "engine",
    "SilentPlayer": "engine",
    "Synthesiser": "engine",
    "SynthesisError": "engine",
    "find_player": "engine",
    "list_voices": "engine",
    "EventCallback": "model",
    "Outcome": "model",
    "Speaker": "model",
    "SpeechEvent": "model",
    "SpeechEventKind": "model",
    "Utterance": "model",
    "UtteranceKind": "model",
    "Scheduler": "scheduler",
    "ENGINE_HUNG": "service",
    "ENGINE_START_HUNG": "service",
    "PLAYER_HUNG": "service",
    "SILENT": "service",
    "SpeechService": "service",
    "DEFAULT_RATE": "settings",
    "MAX_RATE": "settings",
    "MIN_RATE": "settings",
    "SettingsError": "settings",
    "SpeechSettings": "settings",
    "VoiceInfo": "settings",
    "resolve_voice": "settings",
    "Transcript": "transcript",
}
"""Where each name this package offers is defined (its module in this package)."""


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


# Warnings from the speech thread must never reach a terminal that Textual is drawing on.
# pyttsx3 calls logging.debug() on the root logger, which gives the root a stderr handler; so the
# speech logger must not propagate, or a failure in the engine thread would print over the screen.
_logger = logging.getLogger(__name__)
_logger.addHandler(logging.NullHandler())
_logger.propagate = False

__all__ = [
    "DEFAULT_RATE",
    "ENGINE_HUNG",
    "ENGINE_START_HUNG",
    "MAX_RATE",
    "MIN_RATE",
    "NO_AUDIO_OUTPUT",
    "PLAYER_HUNG",
    "SILENT",
    "CommandPlayer",
    "EngineUnavailable",
    "EventCallback",
    "Outcome",
    "Player",
    "Pyttsx3Synthesiser",
    "Scheduler",
    "SettingsError",
    "SilentPlayer",
    "Speaker",
    "SpeechEvent",
    "SpeechEventKind",
    "SpeechService",
    "SpeechSettings",
    "SynthesisError",
    "Synthesiser",
    "Transcript",
    "Turn",
    "Utterance",
    "UtteranceKind",
    "VoiceInfo",
    "find_player",
    "list_voices",
    "resolve_voice",
]
