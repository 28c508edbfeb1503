"""Speech benchmark (issue 3): latency to the player, interruption latency, idle CPU, and the
budgets the tests no longer assert: speak() returning at once, mute and close() cutting off a
playing utterance.

Run: python bench/speech_bench.py
Uses the real pyttsx3 + espeak-ng synthesis; the players are instrumented stand-ins so the
figures do not depend on a sound card. Every figure is also printed as a ratio to the reference
loop (bench/reference.py) measured in the same run.
"""

from __future__ import annotations

import statistics
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from reference import describe, ratio, reference_seconds

from selfcare_tui.speech import CommandPlayer, SpeechEvent, SpeechEventKind, SpeechService
from selfcare_tui.speech.engine import Playback, TimedPlayback

SENTENCES = [
    "Lie on your back with your knees bent and your feet flat on the floor.",
    "Let your right knee fall slowly towards the floor.",
    "Breathe out and relax your lower back.",
    "Halfway.",
    "Roll onto your side and bring your top knee forward.",
    "Press gently into the muscle with the ball and hold.",
]
RUNS = 30
INTERRUPTS = 10
SPEAKS = 50
CLOSES = 5
IDLE_SECONDS = 2.0
SLOW_PLAYER = ("sh", "-c", "exec sleep 5")


@dataclass
class StampingPlayer:
    """Records when each WAV is handed over; the playback ends at once."""

    handed_at: list[float] = field(default_factory=list)

    def start(self, wav: Path) -> Playback:
        self.handed_at.append(time.perf_counter())
        return TimedPlayback(0.0)


class Waiter:
    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.events: list[tuple[float, SpeechEvent]] = []

    def __call__(self, event: SpeechEvent) -> None:
        with self.cond:
            self.events.append((time.perf_counter(), event))
            self.cond.notify_all()

    def wait(self, kind: SpeechEventKind, utterance_id: int, timeout: float = 5.0) -> float:
        def found() -> float | None:
            for stamp, event in self.events:
                if event.kind is kind and event.utterance.id == utterance_id:
                    return stamp
            return None

        with self.cond:
            if not self.cond.wait_for(lambda: found() is not None, timeout):
                raise TimeoutError(f"no {kind} event for utterance {utterance_id}")
            return found() or 0.0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def bench_time_to_player() -> list[float]:
    player = StampingPlayer()
    service = SpeechService(player_factory=lambda: player)
    waiter = Waiter()
    service.subscribe(waiter)
    service.wait_ready()
    delays = []
    try:
        for n in range(RUNS):
            begin = time.perf_counter()
            utterance = service.speak(SENTENCES[n % len(SENTENCES)])
            waiter.wait(SpeechEventKind.FINISHED, utterance.id)
            delays.append(player.handed_at[-1] - begin)
    finally:
        service.close()
    return delays


def bench_speak_returns() -> float:
    """Wall time of SPEAKS speak() calls in a row while the engine is busy synthesising."""
    service = SpeechService(player_factory=StampingPlayer)
    service.wait_ready()
    try:
        service.speak(SENTENCES[0])
        begin = time.perf_counter()
        for n in range(SPEAKS):
            service.speak(f"Step {n}.")
        return time.perf_counter() - begin
    finally:
        service.close()


def bench_interrupt() -> tuple[list[float], list[float]]:
    """(interrupt() returning, the `interrupted` event) after each call, player killed."""
    service = SpeechService(player_factory=lambda: CommandPlayer(SLOW_PLAYER))
    waiter = Waiter()
    service.subscribe(waiter)
    service.wait_ready()
    returned, delays = [], []
    try:
        for n in range(INTERRUPTS):
            utterance = service.speak(SENTENCES[n % len(SENTENCES)])
            waiter.wait(SpeechEventKind.STARTED, utterance.id)
            begin = time.perf_counter()
            service.interrupt()
            returned.append(time.perf_counter() - begin)
            delays.append(waiter.wait(SpeechEventKind.INTERRUPTED, utterance.id) - begin)
    finally:
        service.close()
    return returned, delays


def bench_mute() -> list[float]:
    """set_muted(True) -> `interrupted` event of the utterance playing, player killed."""
    service = SpeechService(player_factory=lambda: CommandPlayer(SLOW_PLAYER))
    waiter = Waiter()
    service.subscribe(waiter)
    service.wait_ready()
    delays = []
    try:
        for n in range(INTERRUPTS):
            utterance = service.speak(SENTENCES[n % len(SENTENCES)])
            waiter.wait(SpeechEventKind.STARTED, utterance.id)
            begin = time.perf_counter()
            service.set_muted(True)
            delays.append(waiter.wait(SpeechEventKind.INTERRUPTED, utterance.id) - begin)
            service.set_muted(False)
    finally:
        service.close()
    return delays


def bench_close() -> list[float]:
    """close() returning, mid-utterance (a new service each run), speech thread ended."""
    delays = []
    for n in range(CLOSES):
        service = SpeechService(player_factory=lambda: CommandPlayer(SLOW_PLAYER))
        waiter = Waiter()
        service.subscribe(waiter)
        service.wait_ready()
        utterance = service.speak(SENTENCES[n % len(SENTENCES)])
        service.speak("Never said.")
        waiter.wait(SpeechEventKind.STARTED, utterance.id)
        begin = time.perf_counter()
        service.close()
        delays.append(time.perf_counter() - begin)
        if any(t.name == "selfcare-speech" and t.is_alive() for t in threading.enumerate()):
            raise RuntimeError("close() returned with the speech thread still running")
    return delays


def bench_idle_cpu() -> float:
    player = StampingPlayer()
    service = SpeechService(player_factory=lambda: player)
    waiter = Waiter()
    service.subscribe(waiter)
    service.wait_ready()
    try:
        utterance = service.speak(SENTENCES[0])
        waiter.wait(SpeechEventKind.FINISHED, utterance.id)
        service.wait_idle()
        cpu = time.process_time()
        time.sleep(IDLE_SECONDS)
        used = time.process_time() - cpu
        utterance = service.speak(SENTENCES[1])  # still alive and responsive afterwards
        waiter.wait(SpeechEventKind.FINISHED, utterance.id)
    finally:
        service.close()
    return used


def spread(values: list[float], reference: float) -> str:
    p95 = percentile(values, 0.95)
    return (
        f"p50 {ms(statistics.median(values))}, p95 {ms(p95)} ({ratio(p95, reference)}), "
        f"max {ms(max(values))}"
    )


def main() -> None:
    reference = reference_seconds()
    print(describe(reference))
    to_player = bench_time_to_player()
    print(
        f"speak() -> WAV handed to the player ({RUNS} utterances, real espeak-ng): "
        f"{spread(to_player, reference)}  (target p95 < 100 ms)"
    )
    speaks = bench_speak_returns()
    print(
        f"{SPEAKS} speak() calls while the engine is busy: {ms(speaks)} "
        f"({ratio(speaks, reference)})  (target < 50 ms)"
    )
    returned, interrupts = bench_interrupt()
    print(
        f"interrupt() returns, player playing ({INTERRUPTS} runs): {spread(returned, reference)}"
        "  (target < 100 ms)"
    )
    print(
        f"interrupt() -> `interrupted` event, player killed ({INTERRUPTS} runs): "
        f"{spread(interrupts, reference)}  (target < 100 ms)"
    )
    mutes = bench_mute()
    print(
        f"set_muted(True) -> `interrupted` event, player killed ({INTERRUPTS} runs): "
        f"{spread(mutes, reference)}  (target < 100 ms)"
    )
    closes = bench_close()
    print(
        f"close() mid-utterance, thread ended ({CLOSES} runs): {spread(closes, reference)}"
        "  (target < 500 ms)"
    )
    idle = bench_idle_cpu()
    print(
        f"process CPU time over {IDLE_SECONDS:.0f} s idle between utterances: {ms(idle)} "
        f"({idle / IDLE_SECONDS * 100:.2f} % of one core, {ratio(idle, reference)})  "
        "(target near zero)"
    )


if __name__ == "__main__":
    main()
