"""Every word heard, on the beat (issue 10): the bundled routines' plans, and one played for real.

1. Each bundled routine is planned with the real voice's lengths (pyttsx3 + espeak-ng synthesis
   at the default rate, nothing played): utterances planned, moved, dropped, and how long the
   planning took against the reference loop.
2. With `--play ID` (default: desk-break, about 5 minutes), that routine is played at normal
   speed through the real speech path (SpeechService, the mixed pacat stream) into a PulseAudio
   null sink this script starts, recorded with parec, and held against the transcript:
   utterances heard in full, clipped, dropped; beat error p50/p95/max.

Run: python bench/timeline_bench.py [--play ID | --no-play]
Needs espeak-ng, pulseaudio and pulseaudio-utils for the second part.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from null_sink import null_sink
from reference import describe, ratio, reference_seconds

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from recording import PAREC_OPTIONS, check

from selfcare_tui.locations import bundled_routines_dir
from selfcare_tui.routines.loader import load_routine
from selfcare_tui.routines.model import Routine
from selfcare_tui.session.clock import MonotonicClock
from selfcare_tui.session.player import RoutinePlayer, spoken_texts
from selfcare_tui.session.speaking import speak_announcement
from selfcare_tui.session.timeline import timeline
from selfcare_tui.speech import SpeechService, Transcript
from selfcare_tui.speech.engine import SilentPlayer
from selfcare_tui.vocabulary import CountdownStyle

STYLE = CountdownStyle.BOTH


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--play", metavar="ID", default="desk-break")
    parser.add_argument("--no-play", action="store_true")
    args = parser.parse_args()
    reference = reference_seconds()
    print(describe(reference))
    for path in sorted(bundled_routines_dir().glob("*.toml")):
        plan_figures(load_routine(path), reference)
    if not args.no_play:
        play_figures(load_routine(bundled_routines_dir() / f"{args.play}.toml"))


def plan_figures(routine: Routine, reference: float) -> None:
    service = SpeechService(player_factory=SilentPlayer)
    try:
        service.wait_ready(10)
        service.prepare(spoken_texts(routine, STYLE))
        service.wait_idle(60)
        began = time.perf_counter()
        line = timeline(routine, STYLE, service.duration)
        seconds = time.perf_counter() - began
    finally:
        service.close()
    items = [item for _, plan in line.plans for item in plan.items if item.text]
    moved = sum(item.moved for item in items)
    dropped = sum(item.dropped for item in items)
    lead_ins = sum(plan.lead_in for _, plan in line.plans)
    print(
        f"{routine.id:13} planned {len(items):3} utterances, moved {moved}, dropped {dropped}; "
        f"lead-ins {lead_ins:.0f} s over {routine.total_seconds} s of holds; "
        f"planning {seconds * 1000:.0f} ms ({ratio(seconds, reference)})"
    )


def play_figures(routine: Routine) -> None:
    folder = Path(tempfile.mkdtemp(prefix="timeline-bench-"))
    raw, transcript = folder / "sink.raw", folder / "transcript.tsv"
    with null_sink("bench") as env, raw.open("wb") as out:
        recorder = subprocess.Popen(
            ["parec", "--device=bench.monitor", *PAREC_OPTIONS], env=env, stdout=out
        )
        while raw.stat().st_size < 16000:
            time.sleep(0.05)
        play(routine, transcript)
        time.sleep(0.5)
        recorder.terminate()
        recorder.wait()
    holds = {n: step.seconds for n, step in enumerate(routine.steps)}
    report = check(transcript, raw, holds)
    words = report.words
    errors = sorted(abs(error) * 1000 for error in report.beat_errors)
    print(
        f"played {routine.id} at normal speed: {len(words)} utterances, "
        f"heard in full {len(words) - len(report.clipped) - len(report.not_spoken)}, "
        f"clipped {len(report.clipped)}, not spoken {len(report.not_spoken)}; "
        f"sounds unheard {len(report.unheard_sounds)}"
    )
    if errors:
        p95 = errors[min(len(errors) - 1, int(len(errors) * 0.95))]
        print(
            f"beats: {len(errors)} heard, {report.missing_beats} missing; error "
            f"p50 {statistics.median(errors):.0f} ms, p95 {p95:.0f} ms, max {errors[-1]:.0f} ms"
        )


def play(routine: Routine, transcript: Path) -> None:
    service = SpeechService()
    try:
        service.wait_ready(10)
        service.prepare(spoken_texts(routine, STYLE))
        service.wait_idle(60)
        with Transcript(transcript) as log:
            log.attach(service)
            player = RoutinePlayer(
                routine, MonotonicClock(), lambda said: speak_announcement(service, said),
                countdown=STYLE, durations=service.duration,
            )  # fmt: skip
            player.start()
            while not player.is_over:
                time.sleep(min(0.05, player.seconds_to_next_change() or 0.05))
                player.tick()
            service.wait_idle(30)
    finally:
        service.close()


if __name__ == "__main__":
    main()
