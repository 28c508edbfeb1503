"""Speech settings and their validation; no engine needed except to resolve a voice."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any, NamedTuple

MIN_RATE = 80
MAX_RATE = 450
DEFAULT_RATE = 165


class SettingsError(ValueError):
    """A setting with a bad value; the message is one line, fit to show the user."""


class VoiceInfo(NamedTuple):
    id: str
    """What the engine accepts, e.g. "gmw/en-us"."""
    name: str
    """A human name, e.g. "English (America)"."""
    languages: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SpeechSettings:
    voice: str | None = None
    """A voice id, its last part or a language ("gmw/en-us", "en-us", "en-gb"); None: default."""
    rate: int = DEFAULT_RATE
    """Words per minute, MIN_RATE to MAX_RATE."""
    volume: float = 1.0
    """0 (silent) to 1 (full)."""
    muted: bool = False

    def __post_init__(self) -> None:
        check_rate(self.rate)
        check_volume(self.volume)
        if self.voice is not None and (not isinstance(self.voice, str) or not self.voice.strip()):
            raise SettingsError(f"voice must be a voice id or a language, not {self.voice!r}")
        if not isinstance(self.muted, bool):
            raise SettingsError(f"muted must be true or false, not {self.muted!r}")

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> SpeechSettings:
        """Build from a config table, naming any key that is not a setting."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise SettingsError(f"unknown speech setting {unknown[0]!r}; known: {sorted(known)}")
        return cls(**values)


def check_rate(rate: object) -> int:
    if isinstance(rate, bool) or not isinstance(rate, int):
        raise SettingsError(f"rate must be a whole number of words per minute, not {rate!r}")
    if not MIN_RATE <= rate <= MAX_RATE:
        raise SettingsError(
            f"rate must be between {MIN_RATE} and {MAX_RATE} words per minute, not {rate}"
        )
    return rate


def check_volume(volume: object) -> float:
    if isinstance(volume, bool) or not isinstance(volume, int | float):
        raise SettingsError(f"volume must be a number from 0 to 1, not {volume!r}")
    if not 0.0 <= volume <= 1.0:
        raise SettingsError(f"volume must be from 0 to 1, not {volume}")
    return float(volume)


def parse_rate(text: str) -> int:
    """A rate typed on the command line."""
    try:
        value = int(text)
    except ValueError:
        message = f"rate must be a whole number of words per minute, not {text!r}"
        raise SettingsError(message) from None
    return check_rate(value)


def parse_volume(text: str) -> float:
    """A volume typed on the command line."""
    try:
        value = float(text)
    except ValueError:
        raise SettingsError(f"volume must be a number from 0 to 1, not {text!r}") from None
    return check_volume(value)


def resolve_voice(wanted: str, voices: Sequence[VoiceInfo]) -> VoiceInfo:
    """The voice `wanted` names, by id, the id's last part, a language or a name."""
    key = wanted.strip().lower()
    for voice in voices:
        if key in _names_of(voice):
            return voice
    raise SettingsError(_unknown_voice_message(wanted, voices))


def _names_of(voice: VoiceInfo) -> list[str]:
    names = [voice.id, voice.id.rsplit("/", 1)[-1], *voice.languages, voice.name]
    return [name.lower() for name in names]


def _unknown_voice_message(wanted: str, voices: Iterable[VoiceInfo]) -> str:
    shown = _suggestions(voices)
    matches = difflib.get_close_matches(wanted.strip().lower(), list(shown), n=3, cutoff=0.6)
    message = f"unknown voice {wanted!r}"
    if matches:
        message += f"; did you mean {_or_list(list(dict.fromkeys(shown[m] for m in matches)))}?"
    return message + " (`selfcare voices` lists them all)"


def _suggestions(voices: Iterable[VoiceInfo]) -> dict[str, str]:
    """What a user may have meant to type, and what to suggest for it."""
    shown: dict[str, str] = {}
    # The shortest id per language name is its plain variant ("gmw/en" for "English").
    for voice in sorted(voices, key=lambda voice: len(voice.id)):
        for name in _names_of(voice):
            shown.setdefault(name, name)
        language = voice.languages[0] if voice.languages else voice.id
        shown.setdefault(voice.name.split(" (")[0].lower(), f"{language} ({voice.name})")
    return shown


def _or_list(items: Sequence[str]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " or " + items[-1]
