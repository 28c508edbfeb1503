"""Every word heard, on the beat: a routine of about 30 s played at normal speed by the real
voice (pyttsx3, espeak-ng, paplay) into a PulseAudio null sink, recorded, and held against the
transcript. Nothing is dropped or cut, each utterance is heard for at least 90 % of its length,
and every countdown beat sounds within 150 ms of its second."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from recording import RATE, check

from selfcare_tui.routines.loader import load_routine
from selfcare_tui.session.clock import MonotonicClock
from selfcare_tui.session.player import RoutinePlayer, spoken_texts
from selfcare_tui.session.speaking import speak_announcement
from selfcare_tui.speech import SpeechService, SpeechSettings, Transcript
from selfcare_tui.vocabulary import CountdownStyle

from .test_speechd import Pulse, pulse  # noqa: F401 (the fixture)

BEAT_TOLERANCE = 0.15
ROUTINE = """
format = 1
title = "Heard check"
muscles = ["quadratus_lumborum"]

[[steps]]
title = "Side bend"
kind = "stretch"
side = "left"
seconds = 10
muscles = ["quadratus_lumborum"]
text = "Bend gently to the right."
speech = "Bend gently to the right."
cues = [{ at = 3, text = "Breathe out." }]

[[steps]]
title = "Side bend"
kind = "stretch"
side = "right"
seconds = 10
muscles = ["quadratus_lumborum"]
text = "Bend gently to the left."
speech = "Bend gently to the left."
"""


def wait_until_recording(raw: Path, timeout: float = 20.0) -> None:
    """parec takes a moment to deliver its first samples: the first word must not be missed."""
    deadline = time.monotonic() + timeout
    while raw.stat().st_size < RATE:  # half a second of silence has arrived
        assert time.monotonic() < deadline, "parec never started recording"
        time.sleep(0.05)


def play(routine_path: Path, transcript: Path) -> None:
    routine = load_routine(routine_path)
    service = SpeechService(SpeechSettings())
    try:
        assert service.wait_ready(10) and service.available, service.problem
        service.prepare(spoken_texts(routine, CountdownStyle.BOTH))
        assert service.wait_idle(20)
        with Transcript(transcript) as log:
            log.attach(service)
            clock = MonotonicClock()
            player = RoutinePlayer(
                routine, clock, lambda said: speak_announcement(service, said),
                countdown=CountdownStyle.BOTH, durations=service.duration,
            )  # fmt: skip
            player.start()
            while not player.is_over:
                time.sleep(min(0.05, player.seconds_to_next_change() or 0.05))
                player.tick()
            assert service.wait_idle(20)
    finally:
        service.close()


@pytest.mark.real_time
def test_every_word_and_beat_is_heard_in_full_and_on_time(
    pulse: Pulse,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PULSE_RUNTIME_PATH", pulse.env["PULSE_RUNTIME_PATH"])
    routine = tmp_path / "heard-check.toml"
    routine.write_text(ROUTINE, encoding="utf-8")
    transcript = tmp_path / "transcript.tsv"
    raw = tmp_path / "sink.raw"
    with pulse.recording(raw):
        wait_until_recording(raw)
        play(routine, transcript)
        time.sleep(0.5)  # the last sound's tail reaches the recorder

    report = check(transcript, raw, {0: 10, 1: 10})

    assert report.not_spoken == [], "nothing dropped, cut or silent"
    said = [row.text for row in report.words]
    assert said[:2] == [
        "Starting Heard check. About 1 minute.",
        "Step 1 of 2. Stretching your left side. Side bend. 10 seconds. Bend gently to the right.",
    ]
    assert "Breathe out." in said and said.count("2") == 2
    sounds = [row.text for row in report.rows if row.kind == "sound"]
    assert sounds.count("hold start") == 2 and sounds.count("beat") == 6
    assert sounds.count("side switch") == 1
    assert report.clipped == [] and report.unheard_sounds == []
    assert report.missing_beats == 0 and len(report.beat_errors) == 6
    assert max(abs(error) for error in report.beat_errors) <= BEAT_TOLERANCE, report.beat_errors
