"""Speech watchdog benchmark (issue 12, item 7): the budgets the watchdog tests do not assert.

- a hung player (one that forks a child and hangs): from `started` to the `failed` event, less
  the two limits the watchdog must wait out (first try and one restart), and until every
  process it started is gone;
- a hung engine (a fake whose synthesis never ends until cancelled): to the `failed` event,
  less the two limits;
- a 300-word text with the real pyttsx3 + espeak-ng: speak() to the first part handed to the
  player, against synthesising the whole text in one piece.

Run: python bench/watchdog_bench.py
"""

from __future__ import annotations

import statistics
import tempfile
import threading
import time
import wave
from pathlib import Path

from reference import describe, ratio, reference_seconds

from selfcare_tui.speech import CommandPlayer, Pyttsx3Synthesiser, SpeechEventKind, SpeechService
from selfcare_tui.speech.engine import Playback, TimedPlayback

LIMIT = 0.5
RUNS = 5
WORDS_300 = " ".join(
    f"Sentence {n} tells you to breathe slowly and let the muscle soften a little more."
    for n in range(20)
)


class Events:
    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.stamps: dict[SpeechEventKind, float] = {}

    def __call__(self, event: object) -> None:
        with self.cond:
            self.stamps.setdefault(event.kind, time.perf_counter())  # type: ignore[attr-defined]
            self.cond.notify_all()

    def wait(self, kind: SpeechEventKind, timeout: float = 30.0) -> float:
        with self.cond:
            if not self.cond.wait_for(lambda: kind in self.stamps, timeout):
                raise TimeoutError(kind)
            return self.stamps[kind]


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


class _ShortWavs:
    """Writes 0.05 s of silence: the limits are then almost all the watchdog waits."""

    def configure(self, voice_id: str | None, rate: int, volume: float) -> None:
        return None

    def synthesise(self, text: str, wav: Path) -> None:
        with wave.open(str(wav), "wb") as writer:
            writer.setnchannels(1)
            writer.setsampwidth(2)
            writer.setframerate(22050)
            writer.writeframes(b"\0\0" * 1102)

    def voices(self) -> list:  # type: ignore[type-arg]
        return []


def bench_hung_player(folder: Path) -> tuple[list[float], list[float]]:
    pids = folder / "pids"
    script = folder / "player.sh"
    script.write_text(f"#!/bin/sh\nsleep 600 &\necho $! >> '{pids}'\necho $$ >> '{pids}'\nwait\n")
    script.chmod(0o755)
    overheads, cleanups = [], []
    for _ in range(RUNS):
        pids.unlink(missing_ok=True)
        service = SpeechService(
            synthesiser_factory=_ShortWavs,
            player_factory=lambda: CommandPlayer((str(script),)),
            player_grace=LIMIT,
        )
        events = Events()
        service.subscribe(events)
        service.wait_ready()
        try:
            service.speak("Lie on your back.")
            started = events.wait(SpeechEventKind.STARTED)
            failed = events.wait(SpeechEventKind.FAILED)
            started_pids = [int(line) for line in pids.read_text().split()]
            while any(alive(pid) for pid in started_pids):
                time.sleep(0.001)
            gone = time.perf_counter()
        finally:
            service.close()
        overheads.append(failed - started - 2 * (LIMIT + 0.05))
        cleanups.append(gone - started - 2 * (LIMIT + 0.05))
    return overheads, cleanups


class _Hanging:
    def __init__(self) -> None:
        self.cancelled = threading.Event()

    def configure(self, voice_id: str | None, rate: int, volume: float) -> None:
        return None

    def synthesise(self, text: str, wav: Path) -> None:
        self.cancelled.wait()
        raise RuntimeError("cancelled")

    def voices(self) -> list:  # type: ignore[type-arg]
        return []

    def cancel(self) -> None:
        self.cancelled.set()


def bench_hung_engine() -> list[float]:
    overheads = []
    for _ in range(RUNS):
        service = SpeechService(synthesiser_factory=_Hanging, engine_timeout=LIMIT)
        events = Events()
        service.subscribe(events)
        service.wait_ready()
        try:
            begin = time.perf_counter()
            service.speak("Step one.")
            overheads.append(events.wait(SpeechEventKind.FAILED) - begin - 2 * LIMIT)
        finally:
            service.close()
    return overheads


class _Stamping:
    def __init__(self) -> None:
        self.handed_at: list[float] = []

    def start(self, wav: Path) -> Playback:
        self.handed_at.append(time.perf_counter())
        return TimedPlayback(0.0)


def bench_long_text(folder: Path) -> tuple[float, float]:
    player = _Stamping()
    service = SpeechService(player_factory=lambda: player)
    events = Events()
    service.subscribe(events)
    service.wait_ready()
    try:
        begin = time.perf_counter()
        service.speak(WORDS_300)
        events.wait(SpeechEventKind.FINISHED, timeout=120)
        first = player.handed_at[0] - begin
    finally:
        service.close()
    synthesiser = Pyttsx3Synthesiser()
    begin = time.perf_counter()
    synthesiser.synthesise(WORDS_300, folder / "whole.wav")
    return first, time.perf_counter() - begin


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def main() -> None:
    reference = reference_seconds()
    print(describe(reference))
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        overheads, cleanups = bench_hung_player(folder)
        print(
            f"hung forking player -> `failed`, beyond the 2 × {LIMIT} s limits ({RUNS} runs): "
            f"p50 {ms(statistics.median(overheads))}, max {ms(max(overheads))} "
            f"({ratio(max(overheads), reference)})  (target < 200 ms)"
        )
        print(f"  ... every process it started gone: max {ms(max(cleanups))}  (target < 200 ms)")
        engine = bench_hung_engine()
        print(
            f"hung engine -> `failed`, beyond the 2 × {LIMIT} s limits ({RUNS} runs): "
            f"p50 {ms(statistics.median(engine))}, max {ms(max(engine))} "
            f"({ratio(max(engine), reference)})  (target < 200 ms)"
        )
        first, whole = bench_long_text(folder)
        print(
            f"300 words, speak() -> first part handed to the player: {ms(first)} "
            f"({ratio(first, reference)}); the whole text in one synthesis: {ms(whole)}  "
            "(target: first part < 300 ms)"
        )


if __name__ == "__main__":
    main()
