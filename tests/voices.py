"""Commands said by synthetic voices, as a person would say them to the microphone: flite's
voices and espeak-ng's, at the recogniser's 16 kHz, 16-bit mono. Shared with bench/."""

from __future__ import annotations

import array
import importlib.util
import subprocess
import tempfile
import threading
import wave
from pathlib import Path

import pytest
from system_packages import IN_CI

RATE = 16000
requires_recogniser = pytest.mark.skipif(
    importlib.util.find_spec("pocketsphinx") is None and not IN_CI,
    reason="pocketsphinx is not installed (pip install -e '.[test]'); CI always runs these",
)
"""Tests of the real recogniser (the voice extra, which the test extra installs)."""
VOICES = {
    "flite slt": ["flite", "-voice", "slt"],
    "flite rms": ["flite", "-voice", "rms"],
    "flite awb": ["flite", "-voice", "awb"],
    "flite kal16": ["flite", "-voice", "kal16"],
    "espeak-ng": ["espeak-ng", "-v", "en-us"],
}


def say(voice: str, text: str) -> bytes:
    """`text` said by `voice`, as raw samples at RATE."""
    with tempfile.TemporaryDirectory() as folder:
        wav = Path(folder) / "said.wav"
        command = VOICES[voice]
        if command[0] == "flite":
            subprocess.run([*command, "-t", text, "-o", str(wav)], check=True)
        else:
            subprocess.run([*command, "-w", str(wav), text], check=True)
        return read_wav(wav)


def read_wav(path: Path) -> bytes:
    with wave.open(str(path)) as wav:
        rate, channels = wav.getframerate(), wav.getnchannels()
        assert wav.getsampwidth() == 2, "16-bit voices only"
        samples = array.array("h")
        samples.frombytes(wav.readframes(wav.getnframes()))
    if channels == 2:
        samples = array.array("h", samples[::2])
    return resample(samples, rate).tobytes()


def resample(samples: array.array[int], rate: int) -> array.array[int]:
    """Linear interpolation to RATE: plenty for speech recognition tests."""
    if rate == RATE or not samples:
        return samples
    count = int(len(samples) * RATE / rate)
    step = rate / RATE
    out = array.array("h", bytes(2 * count))
    last = len(samples) - 1
    for n in range(count):
        position = n * step
        low = int(position)
        high = min(low + 1, last)
        fraction = position - low
        out[n] = int(samples[low] * (1 - fraction) + samples[high] * fraction)
    return out


def write_wav(path: Path, raw: bytes) -> Path:
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(raw)
    return path


def silence(seconds: float) -> bytes:
    return bytes(2 * int(seconds * RATE))


class ScriptedMicrophone:
    """Gives prepared audio 20 ms at a time, then waits; `source` as a real one's."""

    source = "test.monitor"

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.fed = threading.Condition()
        self.closed = False

    def add(self, audio: bytes) -> None:
        with self.fed:
            self.chunks += [audio[n : n + 640] for n in range(0, len(audio), 640)]
            self.fed.notify_all()

    def drained(self) -> bool:
        with self.fed:
            return not self.chunks

    def read(self) -> bytes:
        with self.fed:
            self.fed.wait_for(lambda: self.chunks or self.closed)
            return b"" if self.closed else self.chunks.pop(0)

    def close(self) -> None:
        with self.fed:
            self.closed = True
            self.fed.notify_all()
