"""From asking for a prepared sentence to its first sound at a PulseAudio null sink (issue 13),
against `paplay` of a ready WAV measured the same way in the same run.

    python bench/first_sound_bench.py [--trials 15]

A null sink of the bench's own (bench/null_sink.py); `parec --latency-msec=5` records its monitor
in a thread that stamps each chunk as it arrives. A trial is the time from the call
(`SpeechService.speak` of a sentence `prepare` already synthesised, with the stream open as it
is during a routine; or the spawn of `paplay` with the same sentence's WAV) to the first chunk
louder than the noise floor. Alternating trials, a second of silence between them.
"""

from __future__ import annotations

import argparse
import array
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from null_sink import null_sink
from reference import describe, reference_seconds

from selfcare_tui.speech.model import UtteranceKind
from selfcare_tui.speech.service import SpeechService
from selfcare_tui.speech.settings import SpeechSettings

SINK = "firstsound"
RATE = 22050
LOUD = 500
SENTENCE = "Switch to your right side."


class Recorder:
    """parec on the sink's monitor; `first_sound_after(t)` is when sound first arrived after t."""

    def __init__(self) -> None:
        self.chunks: list[tuple[float, bool]] = []
        self.process = subprocess.Popen(
            ["parec", f"--device={SINK}.monitor", "--raw", "--format=s16le", f"--rate={RATE}",
             "--channels=1", "--latency-msec=5"],
            stdout=subprocess.PIPE,
        )  # fmt: skip
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        while data := self.process.stdout.read1(4096):  # type: ignore[attr-defined]
            samples = array.array("h", data[: len(data) // 2 * 2])
            self.chunks.append((time.monotonic(), max(map(abs, samples), default=0) > LOUD))

    def first_sound_after(self, start: float, timeout: float = 3.0) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for stamp, loud in list(self.chunks):
                if stamp > start and loud:
                    return stamp - start
            time.sleep(0.005)
        raise RuntimeError("no sound reached the sink")

    def stop(self) -> None:
        self.process.terminate()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=15)
    trials = parser.parse_args().trials
    print(describe(reference_seconds()))
    with null_sink(SINK), tempfile.TemporaryDirectory() as temp:
        wav = Path(temp) / "sentence.wav"
        subprocess.run(["espeak-ng", "-w", str(wav), SENTENCE], check=True)
        service = SpeechService(SpeechSettings())
        service.prepare([SENTENCE])
        time.sleep(2)  # synthesised ahead, as the session does for a routine's words
        recorder = Recorder()
        time.sleep(0.5)
        service.speak(SENTENCE, UtteranceKind.INSTRUCTION)  # opens the stream, as a routine has
        time.sleep(2.5)
        ours, paplay = [], []
        for _ in range(trials):
            start = time.monotonic()
            service.speak(SENTENCE, UtteranceKind.INSTRUCTION)
            ours.append(recorder.first_sound_after(start))
            time.sleep(2.5)
            start = time.monotonic()
            player = subprocess.Popen(["paplay", f"--device={SINK}", str(wav)])
            paplay.append(recorder.first_sound_after(start))
            player.wait()
            time.sleep(1.0)
        recorder.stop()
        service.close()
    o, p = statistics.median(ours), statistics.median(paplay)
    print(f"prepared sentence to first sound: p50 {o * 1000:.1f} ms, max {max(ours) * 1000:.1f}"
          f" ms; paplay of a ready WAV p50 {p * 1000:.1f} ms ({o / p:.2f}x; target: at most"
          " 20 ms)")  # fmt: skip


if __name__ == "__main__":
    main()
