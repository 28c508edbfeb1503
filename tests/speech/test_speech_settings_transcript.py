"""Settings validation, voice suggestions, the transcript format and the fakes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from private_helpers import give_away, mode, umask

from selfcare_tui.private_files import UnsafePath
from selfcare_tui.speech import (
    SettingsError,
    SpeechEvent,
    SpeechEventKind,
    SpeechSettings,
    Transcript,
    Utterance,
    UtteranceKind,
    VoiceInfo,
    resolve_voice,
)
from selfcare_tui.speech.settings import parse_rate, parse_volume
from selfcare_tui.testing import RecordingSpeaker, SilentSpeaker

from .conftest import FakeClock

VOICES = [
    VoiceInfo("gmw/en", "English (Great Britain)", ("en-gb",)),
    VoiceInfo("gmw/en-us", "English (America)", ("en-us",)),
    VoiceInfo("gmw/en-gb-x-rp", "English (Received Pronunciation)", ("en-gb-x-rp",)),
    VoiceInfo("roa/fr", "French (France)", ("fr-fr",)),
]


def test_default_settings() -> None:
    settings = SpeechSettings()
    assert (settings.voice, settings.rate, settings.volume, settings.muted) == (
        None,
        165,
        1.0,
        False,
    )


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"rate": 20}, "between 80 and 450"),
        ({"rate": 500}, "between 80 and 450"),
        ({"rate": "fast"}, "whole number"),
        ({"rate": True}, "whole number"),
        ({"volume": 1.5}, "from 0 to 1"),
        ({"volume": -0.1}, "from 0 to 1"),
        ({"volume": "loud"}, "a number"),
        ({"voice": "  "}, "voice must be"),
        ({"muted": "yes"}, "true or false"),
        ({"speed": 3}, "unknown speech setting 'speed'"),
    ],
)
def test_bad_settings_are_explained(values: dict[str, object], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        SpeechSettings.from_mapping(values)


def test_command_line_values_are_parsed() -> None:
    assert parse_rate("180") == 180
    assert parse_volume("0.25") == 0.25
    with pytest.raises(SettingsError, match=r"'1\.5x'"):
        parse_rate("1.5x")


@pytest.mark.parametrize("wanted", ["gmw/en-us", "en-us", "EN-US", "English (America)"])
def test_a_voice_is_found_by_id_short_id_language_or_name(wanted: str) -> None:
    assert resolve_voice(wanted, VOICES).id == "gmw/en-us"


def test_a_language_finds_its_voice() -> None:
    assert resolve_voice("en-gb", VOICES).id == "gmw/en"


def test_an_unknown_voice_offers_close_matches() -> None:
    with pytest.raises(SettingsError) as caught:
        resolve_voice("en-gbb", VOICES)
    message = str(caught.value)
    assert "unknown voice 'en-gbb'" in message and "did you mean en-gb" in message
    assert "\n" not in message


def test_a_misspelt_language_name_suggests_its_plain_voice() -> None:
    with pytest.raises(SettingsError, match=r"did you mean en-gb \(English \(Great Britain\)\)"):
        resolve_voice("englsh", VOICES)


def test_no_suggestion_when_nothing_is_close() -> None:
    with pytest.raises(SettingsError) as caught:
        resolve_voice("zzzzzz", VOICES)
    assert "did you mean" not in str(caught.value)


def event(kind: SpeechEventKind, text: str, utterance_kind: UtteranceKind) -> SpeechEvent:
    return SpeechEvent(kind, Utterance(1, text, utterance_kind, 0.0, None))


def test_transcript_writes_one_line_per_outcome(tmp_path: Path) -> None:
    clock = FakeClock()
    path = tmp_path / "said.tsv"
    with Transcript(path, clock) as transcript:
        transcript(event(SpeechEventKind.STARTED, "Step one.", UtteranceKind.INSTRUCTION))
        clock.advance(2.5)
        transcript(event(SpeechEventKind.FINISHED, "Step one.", UtteranceKind.INSTRUCTION))
        clock.advance(9.9)
        transcript(event(SpeechEventKind.FINISHED, "Halfway.", UtteranceKind.CUE))
        transcript(event(SpeechEventKind.DROPPED, "3", UtteranceKind.CUE))
        transcript(event(SpeechEventKind.MUTED, "a\tb\nc", UtteranceKind.STATUS))
        transcript(event(SpeechEventKind.INTERRUPTED, "Step two.", UtteranceKind.INSTRUCTION))
        # each line is on disk as soon as it is written
        assert path.read_text().count("\n") == 5

    assert path.read_text().splitlines() == [
        "2.50\tinstruction\tspoken\tStep one.\t\t",
        "12.40\tcue\tspoken\tHalfway.\t\t",
        "12.40\tcue\tdropped\t3\t\t",
        "12.40\tstatus\tmuted\ta b c\t\t",
        "12.40\tinstruction\tinterrupted\tStep two.\t\t",
    ]


def test_transcript_says_when_each_sound_was_heard_and_for_how_long(tmp_path: Path) -> None:
    clock = FakeClock(100.0)
    path = tmp_path / "said.tsv"
    with Transcript(path, clock) as transcript:
        clock.advance(3.0)
        heard = Utterance(1, "3", UtteranceKind.CUE, 101.0)
        transcript(SpeechEvent(SpeechEventKind.FINISHED, heard, "", 102.5, 0.413))
    assert path.read_text().splitlines() == ["3.00\tcue\tspoken\t3\t2.500\t0.413"]


def test_transcript_appends_and_follows_a_speaker(tmp_path: Path) -> None:
    path = tmp_path / "said.tsv"
    path.write_text("earlier\n")
    speaker = RecordingSpeaker()
    transcript = Transcript(path, FakeClock()).attach(speaker)
    speaker.speak("Hello.")
    speaker.set_muted(True)
    speaker.speak("Quiet.", UtteranceKind.CUE)
    transcript.close()
    assert path.read_text().splitlines() == [
        "earlier",
        "0.00\tinstruction\tspoken\tHello.\t\t",
        "0.00\tcue\tmuted\tQuiet.\t\t",
    ]


def test_the_transcript_holds_pain_scores_so_it_is_0600_whatever_the_umask(
    tmp_path: Path,
) -> None:
    new, old = tmp_path / "new.tsv", tmp_path / "old.tsv"
    old.write_text("earlier\n")
    old.chmod(0o644)
    with umask(0o000):
        for path in (new, old):
            with Transcript(path, FakeClock()) as transcript:
                transcript(event(SpeechEventKind.FINISHED, "Pain 6 of 10.", UtteranceKind.STATUS))
    assert (mode(new), mode(old)) == (0o600, 0o600)
    assert old.read_text().splitlines()[0] == "earlier"


def test_the_transcript_never_writes_through_a_link_planted_by_another_user(
    tmp_path: Path,
) -> None:
    victim = tmp_path / "victim"
    planted = tmp_path / "transcript.tsv"
    planted.symlink_to(victim)
    give_away(planted)
    with pytest.raises(UnsafePath):
        Transcript(planted, FakeClock())
    assert not victim.exists()


def test_a_file_name_that_is_not_utf8_is_written_not_lost(tmp_path: Path) -> None:
    path = tmp_path / "said.tsv"
    with Transcript(path, FakeClock()) as transcript:
        transcript(
            event(SpeechEventKind.FAILED, "Cannot read caf\udce9.toml", UtteranceKind.STATUS)
        )
        transcript(event(SpeechEventKind.FINISHED, "Next.", UtteranceKind.STATUS))
    assert path.read_text().splitlines() == [
        "0.00\tstatus\tfailed\tCannot read caf?.toml\t\t",
        "0.00\tstatus\tspoken\tNext.\t\t",
    ]


def test_recording_speaker_records_and_emits_synchronously() -> None:
    speaker = RecordingSpeaker()
    seen: list[str] = []
    speaker.subscribe(lambda e: seen.append(f"{e.kind}:{e.utterance.text}"))
    speaker.speak("Step.", UtteranceKind.INSTRUCTION)
    speaker.speak("3", UtteranceKind.CUE, stale_after=1.0)
    speaker.interrupt()
    assert speaker.spoken == [(UtteranceKind.INSTRUCTION, "Step."), (UtteranceKind.CUE, "3")]
    assert seen == ["started:Step.", "finished:Step.", "started:3", "finished:3"]
    assert speaker.interruptions == 1
    with pytest.raises(SettingsError):
        speaker.set_rate(5)


def test_silent_speaker_fails_every_utterance_with_its_problem() -> None:
    speaker = SilentSpeaker("No speech here.")
    speaker.speak("Step.")
    assert not speaker.available and speaker.problem == "No speech here."
    assert [(e.kind, e.detail) for e in speaker.events] == [
        (SpeechEventKind.FAILED, "No speech here.")
    ]


def test_importing_speech_loads_neither_textual_nor_pyttsx3() -> None:
    code = (
        "import sys, selfcare_tui.speech, selfcare_tui.speech.commands\n"
        "print(sorted(m for m in ('textual', 'pyttsx3') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_selfcare_help_does_not_load_pyttsx3() -> None:
    code = (
        "import sys\nfrom selfcare_tui.cli import build_parser\nbuild_parser()\n"
        "print('pyttsx3' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
