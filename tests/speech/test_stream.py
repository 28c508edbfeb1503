"""The mixed audio stream: clips summed sample by sample into one pipe, each over when its last
block is written; a stream that breaks is reported. A real process stands in for pacat: it says
its stream is created, as pacat --verbose does, and keeps what it is sent."""

from __future__ import annotations

import array
import sys
import time
import wave
from pathlib import Path

import pytest

from selfcare_tui.speech.engine import find_player
from selfcare_tui.speech.stream import BLOCK, RATE, StreamPlayer, read_samples

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="a shell stands in for pacat")
WAIT = 10.0


def write_wav(path: Path, samples: list[int], rate: int = RATE) -> Path:
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(array.array("h", samples).tobytes())
    return path


def fake_pacat(tmp_path: Path) -> tuple[StreamPlayer, Path]:
    received = tmp_path / "received.raw"
    script = f"echo 'Stream successfully created.' >&2; exec cat > '{received}'"
    return StreamPlayer(("sh", "-c", script)), received


def received_samples(path: Path) -> array.array[int]:
    samples = array.array("h")
    data = path.read_bytes()
    samples.frombytes(data[: len(data) // 2 * 2])
    return samples


def test_two_clips_at_once_are_summed_into_one_stream(tmp_path: Path) -> None:
    player, received = fake_pacat(tmp_path)
    voice = write_wav(tmp_path / "voice.wav", [1000] * (BLOCK * 5))
    tick = write_wav(tmp_path / "tick.wav", [30000] * BLOCK)
    try:
        speaking = player.start(voice)
        ticking = player.start(tick)
        assert ticking.wait() and speaking.wait()
    finally:
        player.close()
    samples = received_samples(received).tolist()
    assert samples.count(31000) == BLOCK  # the tick, summed with the voice
    assert samples.count(1000) == BLOCK * 4  # the rest of the voice, alone
    assert set(samples) <= {0, 1000, 31000}  # and silence around them


def test_nothing_is_written_between_sounds(tmp_path: Path) -> None:
    # A sound after a silence must not queue behind written-ahead silence (it would start late:
    # bench/first_sound_bench.py); so the stream holds the two clips and nothing else.
    player, received = fake_pacat(tmp_path)
    first = write_wav(tmp_path / "first.wav", [1000] * (BLOCK * 3))
    second = write_wav(tmp_path / "second.wav", [2000] * (BLOCK * 2))
    try:
        assert player.start(first).wait()
        time.sleep(0.2)  # a pause the mixer once filled with ten blocks of silence
        assert player.start(second).wait()
    finally:
        player.close()
    assert received_samples(received).tolist() == [1000] * (BLOCK * 3) + [2000] * (BLOCK * 2)


def test_the_sum_is_clipped_not_wrapped(tmp_path: Path) -> None:
    player, received = fake_pacat(tmp_path)
    loud = write_wav(tmp_path / "loud.wav", [30000] * BLOCK * 5)  # the two surely overlap
    try:
        first, second = player.start(loud), player.start(loud)
        assert first.wait() and second.wait()
    finally:
        player.close()
    assert max(received_samples(received)) == 32767


def test_a_stopped_clip_leaves_the_stream_at_once(tmp_path: Path) -> None:
    player, received = fake_pacat(tmp_path)
    long = write_wav(tmp_path / "long.wav", [500] * RATE * 30)
    try:
        playing = player.start(long)
        time.sleep(0.1)
        playing.stop()
        assert playing.wait()
    finally:
        player.close()
    assert sum(1 for sample in received_samples(received) if sample) < RATE * 2


def test_a_stream_that_cannot_start_reports_the_clip_unplayed(tmp_path: Path) -> None:
    player = StreamPlayer(("sh", "-c", "echo 'Connection failure' >&2; exit 1"))
    clip = write_wav(tmp_path / "clip.wav", [500] * RATE * 5)
    try:
        assert player.start(clip).wait() is False
    finally:
        player.close()


def test_other_rates_and_stereo_are_made_the_streams(tmp_path: Path) -> None:
    path = tmp_path / "stereo.wav"
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(2)
        writer.setsampwidth(2)
        writer.setframerate(RATE * 2)
        writer.writeframes(array.array("h", [100, 300] * 8).tobytes())
    assert read_samples(path).tolist() == [200] * 4


def test_linux_with_a_sound_server_plays_through_the_stream() -> None:
    found = {"pacat", "pactl", "paplay"}
    with_server = find_player(lambda name: name if name in found else None, lambda: True)
    without = find_player(lambda name: name if name in found else None, lambda: False)
    if sys.platform.startswith("linux"):
        assert isinstance(with_server, StreamPlayer)
        assert not isinstance(without, StreamPlayer) and without is not None
