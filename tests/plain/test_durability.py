"""Nothing lost, nothing doubled: a session is in the journal from its first answer on, a kill
at any moment leaves exactly one readable entry, and a journal that cannot take an entry never
loses it."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO_ROOT

from selfcare_tui.journal.store import Journal
from selfcare_tui.vocabulary import Ending

RUN = ["run", "tiny", "--plain", "--mute", "--speed", "50"]


def start(env: dict[str, str], tiny_dir: Path) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "selfcare_tui", *RUN, "--routines", str(tiny_dir)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=env, cwd=REPO_ROOT,
    )  # fmt: skip
    assert process.stdin and process.stdout
    process.stdin.write("n\n4\n")
    process.stdin.flush()
    return process


def wait_for_line(process: subprocess.Popen[str], starting: str) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith(starting):
            return
    raise AssertionError(f"no line starting {starting!r}")


@pytest.mark.long
@pytest.mark.parametrize("moment", ["Starting", "Step 1 of 2", "Step 2 of 2"])
def test_a_kill_at_any_moment_after_the_pain_answer_leaves_one_readable_entry(
    env: dict[str, str], tiny_dir: Path, journal_dir: Path, moment: str
) -> None:
    process = start(env, tiny_dir)
    wait_for_line(process, moment)
    process.kill()  # SIGKILL: nothing runs after it
    process.wait(timeout=20)
    history = Journal(journal_dir).load_all()
    assert history.problems == []
    (entry,) = history.entries
    assert entry.ending is Ending.INTERRUPTED and entry.reflection.pain_before == 4


def test_a_signal_while_the_final_save_is_written_leaves_exactly_one_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGTERM arrives in the middle of writing the completed entry: the write finishes, the
    process then leaves, and the journal holds one entry, complete."""
    import io

    from apphelpers import tiny_library
    from scripted_input import ScriptedInput

    from selfcare_tui.plain import PlainOptions, run_plain
    from selfcare_tui.settings import AppSettings
    from selfcare_tui.testing import FakeClock, RecordingSpeaker

    journal = Journal(tmp_path / "journal")
    update = journal.update

    def signalled_update(path: Path, entry):  # type: ignore[no-untyped-def]
        if entry.ending is not Ending.INTERRUPTED:
            signal.raise_signal(signal.SIGTERM)  # handled at once, while the save is busy
        return update(path, entry)

    monkeypatch.setattr(journal, "update", signalled_update)
    routine = tiny_library(tmp_path).find("tiny-sides").routine  # type: ignore[union-attr]
    assert routine is not None
    clock = FakeClock()
    answers = ScriptedInput(["n", "4", "", "", "", "", "n", ""], clock)

    with pytest.raises(SystemExit) as leaving:
        run_plain(
            routine, PlainOptions(), input=answers, out=io.StringIO(), err=io.StringIO(),
            journal=journal, speaker=RecordingSpeaker(), settings=AppSettings(),
            clock_factory=lambda: clock,
        )  # fmt: skip
    assert leaving.value.code == 128 + signal.SIGTERM
    (entry,) = journal.load_all().entries
    assert entry.ending is Ending.COMPLETED


def test_a_journal_that_cannot_take_the_session_keeps_it_safe_until_the_next_start(
    run, tiny_dir: Path, journal_dir: Path, private_user_dirs: dict[str, Path]
) -> None:
    journal_dir.parent.mkdir(parents=True, exist_ok=True)
    journal_dir.write_text("a file where the journal folder should be", encoding="utf-8")
    args = ["run", "quick", "--routines", str(tiny_dir), "--plain", "--mute", "--speed", "50"]
    first = run(args, "n\n3\n")
    assert first.code == 0, first.err
    assert "so it is kept safe in" in first.out and "next start offers to move it" in first.out
    journal_dir.unlink()
    second = run(args, "y\nn\n3\n")  # y: move it in; then a new session
    assert "1 session could not be saved in your journal last time" in second.out
    assert "Moved 1 session into your journal." in second.out
    entries = Journal(journal_dir).load_all().entries
    assert len(entries) == 2
    assert all(entry.reflection.pain_before == 3 for entry in entries)
