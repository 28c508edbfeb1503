"""Hands-free, for real: a session in plain mode with the real voice, speaking into a PulseAudio
null sink whose monitor is the microphone. Commands said by two flite voices and espeak-ng are
played into the same sink during the routine, and the player obeys them; the app's own speech,
heard by the same microphone, gives no command (its instructions say "stop", "pause", "next")."""

from __future__ import annotations

import io
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from apphelpers import START
from helpers import REPO_ROOT, write
from scripted_input import ScriptedInput
from system_packages import requires_flite
from voices import requires_recogniser, say, silence, write_wav

from selfcare_tui.journal.model import SessionEntry
from selfcare_tui.plain import PlainOptions, run_plain
from selfcare_tui.routines.loader import load_routine
from selfcare_tui.settings import AppSettings
from selfcare_tui.speech import SpeechService, SpeechSettings
from selfcare_tui.testing import FakeClock, MemoryJournal
from selfcare_tui.vocabulary import StepOutcome

from .test_speechd import SINK, WAIT, Pulse, pulse  # noqa: F401 (the fixture)

pytestmark = [requires_flite, requires_recogniser]

ROUTINE = """
format = 1
title = "Hands free"
[[steps]]
title = "Long hold"
kind = "stretch"
side = "left"
seconds = 120
text = "Lie on your back."
speech = "Stop if it hurts. Pause, and breathe out. Next, let your knee fall to the left."
[[steps]]
title = "Short hold"
kind = "stretch"
side = "right"
seconds = 5  # the countdown fits; a longer hold would only add to the suite's longest wait
text = "Let your knee fall to the right."
"""


class RealTimeInput(ScriptedInput):
    """Answers the questions from lines; while the routine plays, real time passes."""

    def poll(self, timeout: float) -> list[str]:
        time.sleep(timeout)
        return []


def transcript_has(path: Path, text: str, after: int = 0) -> Callable[[], int | None]:
    """The line number of the first transcript line from `after` holding `text`, or None."""

    def look() -> int | None:
        lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
        return next((n for n, line in enumerate(lines) if n >= after and text in line), None)

    return look


def wait_for(look: Callable[[], int | None], what: str) -> int:
    deadline = time.monotonic() + WAIT * 2
    while (found := look()) is None:
        assert time.monotonic() < deadline, f"never saw {what}"
        time.sleep(0.05)
    return found


def play_into_the_sink(server: Pulse, wav: Path) -> None:
    subprocess.run(["paplay", f"--device={SINK}", str(wav)], env=server.env, check=True)


@pytest.mark.real_time
def test_commands_said_into_the_microphone_are_obeyed_and_the_app_s_own_speech_is_not(
    pulse: Pulse,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PULSE_RUNTIME_PATH", pulse.env["PULSE_RUNTIME_PATH"])
    routine = load_routine(write(tmp_path / "hands-free.toml", ROUTINE))
    said = {
        "pause": ("flite slt", "coach pause"),
        "resume": ("espeak-ng", "coach resume"),
        "next": ("flite rms", "coach next"),
    }
    clips = {
        name: write_wav(tmp_path / f"{name}.wav", silence(0.2) + say(voice, words) + silence(0.3))
        for name, (voice, words) in said.items()
    }
    transcript = tmp_path / "transcript.tsv"
    journal = MemoryJournal()
    service = SpeechService(SpeechSettings())
    outcome: dict[str, object] = {}

    def session() -> None:
        outcome["code"] = run_plain(
            routine,
            PlainOptions(listen=True, microphone=f"{SINK}.monitor", transcript=transcript),
            input=RealTimeInput(["n", "5", *[""] * 8], FakeClock()),
            out=(out := io.StringIO()),
            err=io.StringIO(),
            journal=journal,
            speaker=service,
            settings=AppSettings(),
            now=lambda: START,
        )
        outcome["out"] = out.getvalue()

    try:
        assert service.wait_ready(10) and service.available, service.problem
        runner = threading.Thread(target=session)
        runner.start()
        held = wait_for(transcript_has(transcript, "hold start"), "the hold start")
        time.sleep(1.5)  # listening again after the sound and the tail
        play_into_the_sink(pulse, clips["pause"])
        paused = wait_for(transcript_has(transcript, "Paused.", held), "Paused.")
        time.sleep(1.5)
        play_into_the_sink(pulse, clips["resume"])
        resumed = wait_for(transcript_has(transcript, "Resumed.", paused), "Resumed.")
        time.sleep(1.5)
        play_into_the_sink(pulse, clips["next"])
        wait_for(transcript_has(transcript, "Step 2 of 2", resumed), "step 2")
        runner.join(WAIT * 3)
        assert not runner.is_alive(), "the session never ended"
    finally:
        service.close()

    assert outcome["code"] == 0, outcome.get("out")
    rows = [line.split("\t") for line in transcript.read_text().splitlines()]
    assert [(row[2], row[3]) for row in rows if row[1] == "heard"] == [
        ("command", "coach pause"), ("command", "coach resume"), ("command", "coach next"),
    ], "exactly the commands played: nothing the app said was taken for one"  # fmt: skip
    assert [row[3] for row in rows if row[1] == "sound"].count("heard") == 3  # each confirmed
    (entry,) = journal.entries
    assert isinstance(entry, SessionEntry)
    first, second = entry.steps
    assert first.outcome is StepOutcome.SKIPPED and 0 < first.seconds_spent < 60
    assert second.outcome is StepOutcome.DONE
    assert "Voice commands are on: say coach" in str(outcome["out"])


@pytest.mark.long
def test_listen_test_prints_the_microphone_and_what_it_hears(
    pulse: Pulse,  # noqa: F811
    tmp_path: Path,
) -> None:
    clip = write_wav(tmp_path / "next.wav", silence(0.2) + say("flite slt", "coach next"))
    listening = subprocess.Popen(
        [sys.executable, "-m", "selfcare_tui", "listen", "--test", "--mic", f"{SINK}.monitor",
         "--seconds", "30"],
        env=pulse.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO_ROOT,
    )  # fmt: skip
    assert listening.stdout is not None
    try:
        first = listening.stdout.readline()
        assert first.startswith(f"Listening on {SINK}.monitor.")
        play_into_the_sink(pulse, clip)
        for line in listening.stdout:
            if line.startswith("heard:"):
                assert line.startswith("heard: coach next -> next ("), line
                break
    finally:
        listening.terminate()
        listening.wait(WAIT)
