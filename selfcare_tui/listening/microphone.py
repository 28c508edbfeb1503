"""The microphone, read through the sound server: one `parec` process writing raw 16 kHz mono
samples to a pipe. Nothing is written to disk; the samples live only as long as a decoding."""

from __future__ import annotations

import array
import math
import shutil
import subprocess

from selfcare_tui.listening.recognizer import SAMPLE_RATE, VoiceUnavailable

CHUNK_BYTES = 640
"""20 ms of samples: the level and the gate follow speech closely."""
SILENT_DB = -90.0


def default_source(device: str | None = None) -> str:
    """The microphone to use: `device` (a source name), else the server's default source."""
    if shutil.which("parec") is None or shutil.which("pactl") is None:
        raise VoiceUnavailable(
            "parec and pactl are missing (Debian: pulseaudio-utils): no way to a microphone."
        )
    name = device or _pactl("get-default-source")
    if not name:
        raise VoiceUnavailable("No microphone found: the sound server has no input.")
    if name not in _sources():
        raise VoiceUnavailable(f"No microphone called {name!r}: see pactl list short sources.")
    return name


class Microphone:
    """`parec` on one source; `read()` gives the next chunk, b"" once it has ended."""

    def __init__(self, source: str) -> None:
        self.source = source
        """The sound server's name for it (`pactl list short sources`)."""
        self._process = subprocess.Popen(
            [
                "parec", "--raw", "--format=s16le", f"--rate={SAMPLE_RATE}", "--channels=1",
                "--latency-msec=20", f"--device={source}", "--client-name=selfcare",
                "--stream-name=voice commands",
            ],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )  # fmt: skip

    def read(self) -> bytes:
        stdout = self._process.stdout
        assert stdout is not None
        return stdout.read(CHUNK_BYTES)

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(2)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()


def level_db(chunk: bytes) -> float:
    """The loudness of a chunk in dB below full scale (0 is the loudest)."""
    samples = array.array("h")
    samples.frombytes(chunk[: len(chunk) - len(chunk) % 2])
    if not samples:
        return SILENT_DB
    power = sum(sample * sample for sample in samples) / len(samples)
    return max(SILENT_DB, 10 * math.log10(power / 32768**2)) if power else SILENT_DB


def _pactl(*args: str) -> str:
    try:
        done = subprocess.run(
            ["pactl", *args], capture_output=True, text=True, timeout=3, stdin=subprocess.DEVNULL
        )
    except (OSError, subprocess.TimeoutExpired):
        raise VoiceUnavailable("No microphone found: the sound server does not answer.") from None
    if done.returncode != 0:
        raise VoiceUnavailable("No microphone found: no sound server is running.")
    return done.stdout.strip()


def _sources() -> list[str]:
    """The name of each source; a monitor of an output counts (the tests listen to one)."""
    rows = (line.split("\t") for line in _pactl("list", "short", "sources").splitlines())
    return [fields[1] for fields in rows if len(fields) >= 2]
