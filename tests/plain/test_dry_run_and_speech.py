"""The dry run as an oracle: equal to a fake-clock run, listed by the CLI, matched by speech."""

from __future__ import annotations

from pathlib import Path

import pytest

from selfcare_tui.routines.library import discover
from selfcare_tui.session.player import Announcement, RoutinePlayer
from selfcare_tui.session.speaking import (
    BEAT_STALE_SECONDS,
    CUE_STALE_SECONDS,
    speak_announcement,
)
from selfcare_tui.session.timeline import Timeline, format_timeline, timeline
from selfcare_tui.speech import UtteranceKind
from selfcare_tui.testing import FakeClock, RecordingSpeaker


def bundled(routine_id: str):
    routine = discover().find(routine_id).routine
    assert routine is not None
    return routine


@pytest.mark.parametrize("routine_id", ["short-relief", "desk-break", "full-session"])
def test_dry_run_equals_a_fake_clock_run_of_the_player(routine_id):
    routine = bundled(routine_id)
    clock, said = FakeClock(), []
    player = RoutinePlayer(routine, clock, said.append)
    player.start()
    while not player.is_over:
        clock.advance(0.1)
        player.tick()
    assert said == timeline(routine).said


def test_cli_dry_run_lists_every_announcement_at_once(run):
    result = run(["run", "short-relief", "--dry-run"])
    assert result.code == 0
    header, *lines = result.out.splitlines()
    assert header.startswith("# Short relief")  # the voice's lengths, or estimates without it
    words = [item.text for item in timeline(bundled("short-relief")).said if item.text]
    said = [line.split(None, 2) for line in lines]
    assert [text for _, kind, text in said if kind in ("instruction", "cue")] == words
    assert said[0] == ["0.00", "instruction", words[0]]
    assert [float(at) for at, _, _ in said] == sorted(float(at) for at, _, _ in said)
    assert any(text == "[hold start]" for _, kind, text in said if kind == "sound")
    assert lines[-1].endswith("Routine complete.") and "\x1b" not in result.out


def test_format_timeline_keeps_each_announcement_on_one_line():
    item = Announcement("Breathe in.\nAnd\tout.", UtteranceKind.CUE, 12.5)
    line = format_timeline(Timeline([item], []))
    assert line == ["   12.50  cue          Breathe in. And out."]


@pytest.mark.long(11)
def test_real_speech_transcript_says_what_the_dry_run_says(run, tiny_dir, tmp_path: Path):
    transcript = tmp_path / "transcript.tsv"
    args = ["run", "tiny", "--routines", str(tiny_dir), "--plain", "--speed", "50"]
    result = run([*args, "--transcript", str(transcript)], "n\n\n")
    assert result.code == 0, result.err
    assert "\x1b" not in result.out + result.err
    rows = [line.split("\t") for line in transcript.read_text(encoding="utf-8").splitlines()]
    assert all(len(row) == 6 for row in rows)
    texts = [row[3] for row in rows if row[1] != "sound"]
    routine = discover([tiny_dir]).find("tiny").routine
    expected = [item.text for item in timeline(routine).said if item.text]
    start = texts.index(expected[0])
    assert texts[start : start + len(expected)] == expected
    kinds = [row[1] for row in rows if row[1] != "sound"][start : start + len(expected)]
    assert all(kind in ("instruction", "cue") for kind in kinds)


def test_adapter_interrupts_and_passes_stale_after():
    speaker = RecordingSpeaker()
    now = lambda: 100.0  # noqa: E731
    speak_announcement(
        speaker, Announcement("Step 2.", UtteranceKind.INSTRUCTION, 30, True), now=now
    )
    assert speaker.interruptions == 1
    cue = speak_announcement(speaker, Announcement("Halfway.", UtteranceKind.CUE, 45), now=now)
    beat = speak_announcement(
        speaker, Announcement("3", UtteranceKind.CUE, 57, on_beat=True), 2.0, now=now
    )
    step = speak_announcement(speaker, Announcement("Step 3.", UtteranceKind.INSTRUCTION, 60))
    assert speaker.interruptions == 1
    assert cue.stale_after == pytest.approx(100 + CUE_STALE_SECONDS)
    assert beat.stale_after == pytest.approx(100 + BEAT_STALE_SECONDS / 2)
    assert step.stale_after is None
    assert speaker.spoken == [
        (UtteranceKind.INSTRUCTION, "Step 2."),
        (UtteranceKind.CUE, "Halfway."),
        (UtteranceKind.CUE, "3"),
        (UtteranceKind.INSTRUCTION, "Step 3."),
    ]
