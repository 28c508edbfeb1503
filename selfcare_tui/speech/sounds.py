"""Earcons: short sounds generated here (no audio files shipped), played over speech.

Each sound has its own shape, so they are told apart by ear: one tick for a countdown beat, two
rising notes when the hold starts, a double tap at halfway, one long falling note at the end of a
hold and three rising notes when the side changes. They are played by a player process of their
own, started at once, so they stay on the beat even while a sentence is being said: the sound
server mixes them.
"""

from __future__ import annotations

import math
import struct
import threading
import wave
from dataclasses import dataclass, field
from pathlib import Path

from selfcare_tui.private_files import reserve_private
from selfcare_tui.speech.engine import Playback, Player, SilentPlayer
from selfcare_tui.speech.model import Sound, SpeechEvent, SpeechEventKind, Utterance

RATE = 22050
VOLUME = 0.35
"""Of full scale: the sounds sit under the voice, not over it."""

Note = tuple[float, float]
"""(hertz, seconds); 0 Hz is a rest."""
_SHAPES: dict[Sound, tuple[Note, ...]] = {
    Sound.BEAT: ((1320.0, 0.06),),
    Sound.HOLD_START: ((660.0, 0.09), (0.0, 0.03), (990.0, 0.12)),
    Sound.HALFWAY: ((880.0, 0.05), (0.0, 0.07), (880.0, 0.05)),
    Sound.HOLD_END: ((990.0, 0.12), (660.0, 0.25)),
    Sound.SIDE_SWITCH: ((523.0, 0.08), (659.0, 0.08), (784.0, 0.14)),
    Sound.HEARD: ((392.0, 0.07), (0.0, 0.02), (330.0, 0.09)),
}


MEANINGS: dict[Sound, tuple[str, str]] = {
    Sound.HOLD_START: ("two rising notes", "the hold starts: the clock runs"),
    Sound.BEAT: ("a tick", "each of the last three seconds"),
    Sound.HALFWAY: ("a double tap", "halfway through the hold"),
    Sound.HOLD_END: ("a long falling note", "the hold is over"),
    Sound.SIDE_SWITCH: ("three rising notes", "change sides"),
    Sound.HEARD: ("two low falling notes", "a voice command was heard"),
}
"""What each sound is and means, in words: for the help, spoken and shown."""


def sounds_sentence() -> str:
    """The sounds in one spoken sentence, for the help key."""
    rows = "; ".join(f"{shape}, {meaning}" for shape, meaning in MEANINGS.values())
    return f"Sounds: {rows}."


def sound_seconds(sound: Sound) -> float:
    return sum(seconds for _, seconds in _SHAPES[sound])


def render(sound: Sound, path: Path) -> None:
    """Write `sound` as a 16-bit mono WAV: sine notes with a soft start and end (no clicks)."""
    samples: list[int] = []
    for hertz, seconds in _SHAPES[sound]:
        count = int(seconds * RATE)
        fade = max(1, min(count // 4, int(0.01 * RATE)))
        for n in range(count):
            envelope = min(1.0, n / fade, (count - n) / fade)
            value = math.sin(2 * math.pi * hertz * n / RATE) if hertz else 0.0
            samples.append(int(32767 * VOLUME * envelope * value))
    reserve_private(path)
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(RATE)
        writer.writeframes(struct.pack(f"<{len(samples)}h", *samples))


@dataclass
class SoundChannel:
    """Plays earcons from `folder` through `player`, each in a process of its own."""

    folder: Path
    player: Player
    _playing: list[Playback] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def create(cls, folder: Path, player: Player) -> SoundChannel:
        folder.mkdir(mode=0o700, exist_ok=True)
        for sound in Sound:
            render(sound, folder / _file_name(sound))
        return cls(folder, player)

    @property
    def audible(self) -> bool:
        return not isinstance(self.player, SilentPlayer)

    def play(self, sound: Sound) -> bool:
        """Start `sound` now; False when it cannot be heard (no player, or it failed to start)."""
        if not self.audible:
            return False
        try:
            playback = self.player.start(self.folder / _file_name(sound))
        except OSError:
            return False
        with self._lock:
            self._playing.append(playback)
        threading.Thread(target=self._reap, args=(playback,), daemon=True).start()
        return True

    def stop(self) -> None:
        """Cut off every sound still playing (on close)."""
        with self._lock:
            playing, self._playing = self._playing, []
        for playback in playing:
            playback.stop()

    def _reap(self, playback: Playback) -> None:
        playback.wait()  # reaps the process and whatever it left running
        with self._lock:
            if playback in self._playing:
                self._playing.remove(playback)


def play_sound_event(
    channel: SoundChannel | None, sound: Sound, utterance: Utterance, *, muted: bool
) -> SpeechEvent:
    """Play `sound` (announced as `utterance`) unless muted; the event that reports it."""
    if muted:
        return SpeechEvent(SpeechEventKind.MUTED, utterance)
    if channel is None or not channel.play(sound):
        return SpeechEvent(SpeechEventKind.FINISHED, utterance, SILENT_SOUND)
    seconds = sound_seconds(sound)
    return SpeechEvent(SpeechEventKind.FINISHED, utterance, "", utterance.queued_at, seconds)


SILENT_SOUND = "silent: no audio output"


def _file_name(sound: Sound) -> str:
    return f"sound-{sound.name.lower()}.wav"
