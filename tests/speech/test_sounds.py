"""Earcons: generated, private, short, and each its own shape, so they are told apart by ear."""

from __future__ import annotations

import stat
import wave
from itertools import combinations
from pathlib import Path

from selfcare_tui.speech.model import Sound
from selfcare_tui.speech.sounds import MEANINGS, render, sound_seconds, sounds_sentence
from selfcare_tui.speech.stream import read_samples


def test_each_sound_is_short_private_and_unlike_the_others(tmp_path: Path) -> None:
    shapes = {}
    for sound in Sound:
        path = tmp_path / f"{sound.name}.wav"
        render(sound, path)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        with wave.open(str(path), "rb") as reader:
            seconds = reader.getnframes() / reader.getframerate()
        assert 0.05 <= seconds <= 0.5 and abs(seconds - sound_seconds(sound)) < 0.01
        samples = read_samples(path).tolist()
        assert max(map(abs, samples)) < 32767 // 2  # under the voice, never clipping
        assert abs(samples[0]) < 500 and abs(samples[-1]) < 500  # soft edges: no click
        shapes[sound] = samples
    for first, second in combinations(Sound, 2):
        assert shapes[first] != shapes[second], (first, second)


def test_every_sound_has_its_meaning_in_words() -> None:
    assert set(MEANINGS) == set(Sound)
    sentence = sounds_sentence()
    assert all(meaning in sentence for _, meaning in MEANINGS.values())
