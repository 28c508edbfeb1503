"""All sound through one long-lived playback stream that the app mixes into itself.

A player process per utterance does not keep time: `paplay` takes about 2 s to leave after a
0.7 s clip, and on a PulseAudio sink a stream started while another is still draining loses its
audio (measured on a null sink: the "2" of a countdown, a digit started with its tick). So on
Linux with a sound server, one `pacat` reads raw samples from a pipe for as long as there is
something to play, and a mixer thread writes to it, a block at a time, a few blocks ahead of the
clock: speech and earcons are summed sample by sample, each starts within a block of being asked
for, and a clip is over when its last block has been written.

Between sounds nothing is written, so the server's buffer runs dry: a sound that comes after a
silence is not queued behind buffered silence, and starts about as soon as a player's would
(bench/first_sound_bench.py). Sounds that overlap or follow one another without a gap are
still written as one stream, on one clock.

The stream closes after `IDLE_SECONDS` of silence and opens again on the next sound.
"""

from __future__ import annotations

import array
import contextlib
import subprocess
import sys
import threading
import time
import wave
from dataclasses import dataclass, field
from pathlib import Path

RATE = 22050
"""Samples per second of the stream: espeak-ng's rate, so its WAVs are not resampled."""
BLOCK = 441
"""Samples per block: 20 ms."""
AHEAD_SECONDS = 0.04
"""How far the mixer writes ahead of the clock: enough to ride out a busy moment, little enough
that a sound asked for now starts almost at once."""
LATENCY_MSEC = 30
IDLE_SECONDS = 30.0
"""Silence after which the stream closes (a hold's cues are rarely further apart)."""
IDLE_CHECK_SECONDS = 1.0
_PIPE_BYTES = 4096
"""The pipe's buffer (Linux: F_SETPIPE_SZ), so it never holds seconds of sound ahead."""
_SILENCE = bytes(BLOCK * 2)


def read_samples(wav: Path, rate: int = RATE) -> array.array[int]:
    """A WAV's samples as 16-bit mono at `rate` (channels averaged, nearest-sample resampling)."""
    with wave.open(str(wav), "rb") as reader:
        params = reader.getparams()
        frames = reader.readframes(params.nframes)
    if params.sampwidth != 2:
        raise wave.Error("only 16-bit WAVs are played")
    samples = array.array("h")
    samples.frombytes(frames)
    if sys.byteorder == "big":
        samples.byteswap()
    if params.nchannels > 1:
        width = params.nchannels
        samples = array.array(
            "h", (sum(samples[i : i + width]) // width for i in range(0, len(samples), width))
        )
    if params.framerate != rate and params.framerate:
        step = params.framerate / rate
        count = int(len(samples) / step)
        samples = array.array("h", (samples[int(i * step)] for i in range(count)))
    return samples


@dataclass(eq=False)
class _Voice:
    samples: array.array[int]
    position: int = 0
    played: bool = True
    done: threading.Event = field(default_factory=threading.Event)


@dataclass
class _StreamPlayback:
    voice: _Voice
    stream: StreamPlayer

    def wait(self) -> bool:
        self.voice.done.wait()
        return self.voice.played

    def stop(self) -> None:
        self.stream._remove(self.voice)


class StreamPlayer:
    """A Player that mixes every WAV into one stream written to `command`'s standard input."""

    def __init__(self, command: tuple[str, ...]) -> None:
        self.command = command
        self._lock = threading.Lock()
        self._voices: list[_Voice] = []
        self._process: subprocess.Popen[bytes] | None = None
        self._thread: threading.Thread | None = None
        self._sound = threading.Event()
        """Set when a voice is added: the mixer, idle between sounds, starts writing."""

    def start(self, wav: Path) -> _StreamPlayback:
        """Mix `wav` in from the next block; OSError if the stream cannot start."""
        voice = _Voice(read_samples(wav))
        with self._lock:
            if self._thread is None:
                self._open()
            self._voices.append(voice)
            self._sound.set()
        return _StreamPlayback(voice, self)

    def close(self) -> None:
        with self._lock:
            for voice in self._voices:
                voice.done.set()
            self._voices.clear()
            process = self._process
            self._process = None
        if process is not None:
            _close(process)

    def _remove(self, voice: _Voice) -> None:
        with self._lock:
            if voice in self._voices:
                self._voices.remove(voice)
        voice.done.set()

    def _open(self) -> None:
        """Under the lock."""
        process = subprocess.Popen(
            self.command,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,  # a Ctrl+C for the app does not reach it
        )
        if sys.platform == "linux" and process.stdin is not None:
            import fcntl

            with contextlib.suppress(OSError):
                fcntl.fcntl(process.stdin.fileno(), fcntl.F_SETPIPE_SZ, _PIPE_BYTES)
        self._process = process
        self._thread = threading.Thread(
            target=self._mix, args=(process,), name="selfcare-audio-stream", daemon=True
        )
        self._thread.start()

    def _mix(self, process: subprocess.Popen[bytes]) -> None:
        stdin = process.stdin
        assert stdin is not None
        # Samples written before the server has the stream would pile up and play late: the
        # clock starts once pacat says the stream exists (it is started with --verbose).
        connected = threading.Event()
        threading.Thread(
            target=_watch_messages, args=(process, connected), name="selfcare-audio-log",
            daemon=True,
        ).start()  # fmt: skip
        connected.wait(CONNECT_SECONDS)
        began, written, quiet_since = time.monotonic(), 0, time.monotonic()
        try:
            while True:
                ahead = written / RATE - (time.monotonic() - began)
                if ahead > AHEAD_SECONDS:
                    time.sleep(ahead - AHEAD_SECONDS)
                    continue
                with self._lock:
                    if self._process is not process:
                        return
                    if self._voices:
                        quiet_since = time.monotonic()
                    elif time.monotonic() - quiet_since > IDLE_SECONDS:
                        self._process = None
                        return
                    idle = not self._voices
                    block = b"" if idle else self._next_block()
                    if idle:
                        self._sound.clear()
                if idle:
                    # Nothing to play: write nothing, and start the clock afresh with the next
                    # sound (within IDLE_CHECK_SECONDS, the idle time-out is checked again).
                    self._sound.wait(IDLE_CHECK_SECONDS)
                    began, written = time.monotonic(), 0
                    continue
                stdin.write(block)
                stdin.flush()
                written += BLOCK
        except (BrokenPipeError, OSError, ValueError):
            self._fail(process)
        finally:
            with self._lock:
                if self._thread is threading.current_thread():
                    self._thread = None
            _close(process)

    def _next_block(self) -> bytes:
        """Under the lock: the voices' next BLOCK samples, summed; finished voices are done."""
        voices = self._voices
        if not voices:
            return _SILENCE
        if len(voices) == 1:
            voice = voices[0]
            out = voice.samples[voice.position : voice.position + BLOCK]
            voice.position += BLOCK
            if len(out) < BLOCK:
                out.extend([0] * (BLOCK - len(out)))
        else:
            out = array.array("h", _SILENCE)
            for voice in voices:
                part = voice.samples[voice.position : voice.position + BLOCK]
                voice.position += BLOCK
                for index, sample in enumerate(part):
                    total = out[index] + sample
                    out[index] = 32767 if total > 32767 else -32768 if total < -32768 else total
        for voice in [voice for voice in voices if voice.position >= len(voice.samples)]:
            voices.remove(voice)
            voice.done.set()
        if sys.byteorder == "big":
            out.byteswap()
        return out.tobytes()

    def _fail(self, process: subprocess.Popen[bytes]) -> None:
        """The stream broke (no sound server): what was playing did not play."""
        with self._lock:
            if self._process is process:
                self._process = None
            for voice in self._voices:
                voice.played = False
                voice.done.set()
            self._voices.clear()


def _watch_messages(process: subprocess.Popen[bytes], connected: threading.Event) -> None:
    """Read pacat's messages (never to the terminal) and note when its stream is created."""
    assert process.stderr is not None
    with contextlib.suppress(OSError, ValueError):
        for line in process.stderr:
            if CREATED in line:
                connected.set()
    connected.set()  # it ended: the writer finds out


CREATED = b"Stream successfully created"
CONNECT_SECONDS = 5.0


def _close(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(OSError, ValueError):
        if process.stdin is not None:
            process.stdin.close()
    try:
        process.wait(timeout=1.0)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def pacat_command(latency_msec: int = LATENCY_MSEC) -> tuple[str, ...]:
    return (
        "pacat", "--verbose", "--playback", "--raw", "--format=s16le", f"--rate={RATE}",
        "--channels=1", f"--latency-msec={latency_msec}", "--client-name=selfcare",
    )  # fmt: skip


def sound_server_running(timeout: float = 2.0) -> bool:
    """Whether a PulseAudio (or PipeWire's pulse) server answers `pactl info`."""
    try:
        result = subprocess.run(
            ["pactl", "info"], capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0
