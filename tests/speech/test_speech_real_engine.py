"""The real pyttsx3 + espeak-ng engine and the real player, as a user meets them."""

from __future__ import annotations

import array
import json
import math
import subprocess
import sys
import wave
from pathlib import Path

import pytest
from helpers import requires_espeak
from system_packages import requires_audio_player

from selfcare_tui.cli import main
from selfcare_tui.speech import (
    NO_AUDIO_OUTPUT,
    Pyttsx3Synthesiser,
    SpeechEventKind,
    SpeechService,
    SpeechSettings,
)

from .conftest import WAIT, EventLog

pytestmark = requires_espeak

SENTENCE = "Lie on your back and bring your right knee towards your chest."


def wav_stats(path: Path) -> tuple[float, float]:
    """(duration in seconds, RMS of the samples from 0 to 1)."""
    with wave.open(str(path), "rb") as reader:
        assert reader.getsampwidth() == 2
        frames = reader.readframes(reader.getnframes())
        duration = reader.getnframes() / reader.getframerate()
    samples = array.array("h", frames)
    rms = math.sqrt(sum(s * s for s in samples) / max(len(samples), 1)) / 32768
    return duration, rms


def test_espeak_writes_a_non_silent_wav(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    synthesiser = Pyttsx3Synthesiser()
    synthesiser.configure(None, 165, 1.0)
    wav = tmp_path / "step.wav"

    synthesiser.synthesise(SENTENCE, wav)

    duration, rms = wav_stats(wav)
    assert duration > 0.3 and rms > 0.02
    assert capfd.readouterr() == ("", "")  # no "Audio saved to ..."


def test_say_output_writes_a_wav_through_the_cli(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    wav = tmp_path / "hello.wav"

    args = ["--rate", "150", "--voice", "en-gb", "--output", str(wav)]
    code = main(["say", "Breathe in slowly.", *args])

    duration, rms = wav_stats(wav)
    assert code == 0 and duration > 0.3 and rms > 0.02
    out, err = capfd.readouterr()
    assert out.startswith(f"Wrote {wav}") and out.count("\n") == 1 and err == ""


@requires_audio_player
def test_the_service_says_nothing_on_the_terminal_even_without_a_sound_card(
    capfd: pytest.CaptureFixture[str],
) -> None:
    # Uses the machine's real player: where there is no sound card (CI) it fails, and that
    # failure must stay off the terminal too.
    service = SpeechService(SpeechSettings(rate=400))
    log = EventLog()
    service.subscribe(log)
    try:
        service.speak("One.")
        service.speak("Two.", stale_after=None)
        assert log.wait_for(SpeechEventKind.FINISHED, "Two.", timeout=WAIT * 2)
    finally:
        service.close()
    assert service.available and service.problem in (None, NO_AUDIO_OUTPUT)
    assert capfd.readouterr() == ("", "")


def test_voices_json_lists_ids_names_and_languages(capfd: pytest.CaptureFixture[str]) -> None:
    assert main(["voices", "--json"]) == 0
    voices = json.loads(capfd.readouterr().out)
    assert voices and all(set(voice) == {"id", "name", "languages"} for voice in voices)
    assert all(isinstance(voice["languages"], list) for voice in voices)
    assert any("en-gb" in voice["languages"] for voice in voices)


def test_voices_lists_one_voice_a_line(capfd: pytest.CaptureFixture[str]) -> None:
    assert main(["voices"]) == 0
    lines = capfd.readouterr().out.splitlines()
    assert any(line.startswith("gmw/en ") and "en-gb" in line for line in lines)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rate", "fast"], "rate must be a whole number"),
        (["--rate", "20"], "between 80 and 450"),
        (["--volume", "2"], "volume must be from 0 to 1"),
        (["--voice", "en-gbb"], "did you mean en-gb"),
        (["--output", "nowhere/x.wav"], "does not exist"),
        (["--output", "x.mp3"], ".wav"),
    ],
)
def test_say_rejects_bad_values_with_one_line_and_exit_2(
    args: list[str], message: str, capfd: pytest.CaptureFixture[str]
) -> None:
    assert main(["say", "Hello.", *args]) == 2
    out, err = capfd.readouterr()
    assert out == "" and err.count("\n") == 1 and message in err
    assert err.startswith("selfcare say: ")


def test_say_without_output_and_no_sound_card_fails_with_a_hint(
    capfd: pytest.CaptureFixture[str],
) -> None:
    code = main(["say", "Hello."])
    out, err = capfd.readouterr()
    if code == 0:  # a machine with a working sound card
        assert (out, err) == ("", "")
    else:
        assert code == 1 and "--output" in err and err.count("\n") == 1


def test_say_to_a_path_that_cannot_be_written_is_a_clean_error(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "taken.wav"
    folder.mkdir()
    assert main(["say", "hi", "--output", str(folder)]) == 1
    missing = tmp_path / "gone" / "x.wav"
    assert main(["say", "hi", "--output", str(missing)]) != 0
    out, err = capfd.readouterr()
    assert "is a folder" in err
    assert "Traceback" not in out + err and "Exception ignored" not in out + err


LONG_TEXT = " ".join(
    f"Sentence {n} tells you to breathe slowly and let the muscle soften a little more."
    for n in range(20)
)  # 300 words: one synthesis of it used to fail ("the engine wrote no audio")


def test_say_writes_a_300_word_text_in_parts(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    wav = tmp_path / "long.wav"
    assert main(["say", LONG_TEXT, "--rate", "450", "--output", str(wav)]) == 0
    duration, rms = wav_stats(wav)
    assert duration > 30 and rms > 0.02  # 300 words at 450 wpm: about 40 s
    out, err = capfd.readouterr()
    assert out.startswith(f"Wrote {wav}") and err == ""


def test_the_first_long_synthesis_of_a_fresh_engine_is_awaited(tmp_path: Path) -> None:
    # espeak-ng synthesises on its own thread, and a fresh engine's first runAndWait() returned
    # before the WAV was written: so `selfcare say` failed above ~45 words. A fresh process.
    wav = tmp_path / "first.wav"
    words = " ".join(LONG_TEXT.split()[:60])
    code = (
        "import sys; from pathlib import Path\n"
        "from selfcare_tui.speech.engine import Pyttsx3Synthesiser\n"
        "Pyttsx3Synthesiser().synthesise(sys.argv[1], Path(sys.argv[2]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, words, str(wav)], capture_output=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert wav_stats(wav)[0] > 5


def test_a_text_with_a_name_that_is_not_utf8_is_spoken(tmp_path: Path) -> None:
    synthesiser = Pyttsx3Synthesiser()
    wav = tmp_path / "name.wav"
    synthesiser.synthesise("Cannot read caf\udce9.toml.", wav)
    assert wav_stats(wav)[0] > 0.3


def test_missing_espeak_data_is_a_notice_never_output_or_an_exit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    # espeak-ng itself prints "Error processing file .../phontab" and calls exit(1).
    monkeypatch.setenv("ESPEAK_DATA_PATH", str(tmp_path))
    monkeypatch.setattr("selfcare_tui.speech.engine._espeak_ok", False)
    service = SpeechService(player_factory=lambda: None)
    try:
        assert service.wait_ready(WAIT * 5)
    finally:
        service.close()
    assert not service.available
    assert "espeak-ng cannot start" in (service.problem or "")
    assert "phontab" in (service.problem or "")
    assert main(["say", "Hello.", "--output", str(tmp_path / "x.wav")]) == 1
    out, err = capfd.readouterr()
    assert out == "" and err.count("\n") == 1 and err.startswith("selfcare say: espeak-ng")


def test_a_runandwait_that_never_returns_is_caught_by_the_watchdog(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pyttsx3.drivers import _espeak

    from selfcare_tui.speech.service import ENGINE_HUNG

    # No synthesis ever starts, so the driver's end-of-message callback never comes (and the
    # engine never looks busy, which would make the driver end the run loop by itself).
    monkeypatch.setattr(_espeak, "Synth", lambda *args, **kwargs: 0)
    monkeypatch.setattr(_espeak, "IsPlaying", lambda: 0)
    service = SpeechService(player_factory=lambda: None, engine_timeout=1.0)
    log = EventLog()
    service.subscribe(log)
    try:
        service.speak("Lost in the engine.")
        assert log.wait_for(SpeechEventKind.FAILED, timeout=WAIT * 10)
    finally:
        service.close()
    assert service.problem == ENGINE_HUNG and not service.available

    monkeypatch.undo()  # the engine recovers: a new service speaks
    service = SpeechService(SpeechSettings(rate=450), player_factory=lambda: None)
    log = EventLog()
    service.subscribe(log)
    try:
        service.speak("Back again.")
        assert log.wait_for(SpeechEventKind.FINISHED, timeout=WAIT * 5)
    finally:
        service.close()
