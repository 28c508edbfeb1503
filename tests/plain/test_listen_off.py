"""`--listen` where voice commands cannot run: one line says why, and the session goes on."""

from __future__ import annotations

import io
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from apphelpers import START, tiny_library
from scripted_input import ScriptedInput

from selfcare_tui.plain import PlainOptions, run_plain
from selfcare_tui.settings import AppSettings
from selfcare_tui.testing import FakeClock, MemoryJournal, RecordingSpeaker

FAST = ["--plain", "--mute", "--speed", "200"]


def test_without_a_sound_server_listen_is_one_line_and_the_session_goes_on(
    run_in_steps, journal_dir, tiny_dir, env, tmp_path
) -> None:
    empty = tmp_path / "no-pulse"
    empty.mkdir()
    env["PULSE_RUNTIME_PATH"] = str(empty)  # no server answers here
    env.pop("PULSE_SERVER", None)
    result = run_in_steps(
        ["run", "tiny", "--routines", str(tiny_dir), *FAST, "--listen"],
        first="n\n5\n",
        after_line="Routine complete.",
        then="\n" * 7,
    )
    assert result.code == 0, result.err
    off = [line for line in result.out.splitlines() if line.startswith("Voice commands")]
    assert len(off) == 1 and off[0].startswith("Voice commands are off."), off
    assert "Traceback" not in result.err


def test_without_the_voice_extra_listen_is_one_line_and_the_session_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pocketsphinx", None)  # as if it were not installed
    routine = tiny_library(tmp_path).find("tiny-sides").routine  # type: ignore[union-attr]
    clock, journal, out = FakeClock(), MemoryJournal(), io.StringIO()
    code = run_plain(
        routine,  # type: ignore[arg-type]
        PlainOptions(listen=True),
        input=ScriptedInput(["n", "5", *[""] * 8], clock),
        out=out,
        err=io.StringIO(),
        journal=journal,
        speaker=RecordingSpeaker(),
        settings=AppSettings(),
        clock_factory=lambda: clock,
        now=lambda: START + timedelta(seconds=clock.now()),
    )
    assert code == 0
    lines = out.getvalue().splitlines()
    assert "Voice commands are off. PocketSphinx is not installed: pip install " in lines[1]
    assert len(journal.entries) == 1
