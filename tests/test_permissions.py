"""Private by construction: under umask 000 every folder the app creates is 0700 and every file
0600, through the real commands in real processes (issue 12, item 6)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO_ROOT
from private_helpers import mode, private_tree_problems, umask

from selfcare_tui.settings import AppSettings, save_settings

FAST = ["--plain", "--mute", "--speed", "200"]


@pytest.fixture
def dirs(private_user_dirs: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)  # speech files go to the cache folder
    return private_user_dirs


def selfcare(args: list[str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    """`selfcare args` in a child started under umask 000."""

    def loosen() -> None:
        os.umask(0o000)

    return subprocess.run(
        [sys.executable, "-m", "selfcare_tui", *args],
        input=stdin, capture_output=True, text=True, cwd=REPO_ROOT, timeout=60,
        preexec_fn=loosen,
    )  # fmt: skip


def test_settings(dirs: dict[str, Path]) -> None:
    with umask(0o000):
        save_settings(AppSettings())
    assert mode(dirs["config"]) == 0o700
    assert private_tree_problems(dirs["config"]) == []


@pytest.mark.long(6)
def test_a_session_journal_transcript_and_speech_folder(dirs: dict[str, Path], tmp_path: Path):
    transcript = tmp_path / "transcript.tsv"
    done = selfcare(["run", "short-relief", *FAST, "--transcript", str(transcript)], "n\n5\nn\n")
    assert done.returncode == 0, done.stderr
    assert list((dirs["data"] / "selfcare" / "journal").glob("*.toml"))
    assert mode(transcript) == 0o600
    assert mode(dirs["data"]) == 0o700 and private_tree_problems(dirs["data"]) == []
    speech = dirs["cache"] / "selfcare" / "run" / "speech"
    assert speech.is_dir() and list(speech.iterdir()) == []  # its WAV folder went on exit
    assert private_tree_problems(dirs["cache"] / "selfcare" / "run") == []


def test_a_new_routine(dirs: dict[str, Path]) -> None:
    done = selfcare(["new", "my-morning"])
    assert done.returncode == 0, done.stderr
    assert (dirs["config"] / "selfcare" / "routines" / "my-morning.toml").is_file()
    assert mode(dirs["config"]) == 0o700 and private_tree_problems(dirs["config"]) == []


def test_the_routine_cache(dirs: dict[str, Path]) -> None:
    done = selfcare(["list"])
    assert done.returncode == 0, done.stderr
    assert (dirs["cache"] / "selfcare" / "routines.sqlite3").is_file()
    selfcare(["show", "desk-break"])  # opened: the index is read and written again
    assert mode(dirs["cache"]) == 0o700 and private_tree_problems(dirs["cache"]) == []


def test_a_journal_folder_linked_to_another_users_shared_folder_is_refused(tmp_path: Path):
    from datetime import UTC, datetime

    from private_helpers import give_away

    from selfcare_tui.journal.model import Ending, Reflection, SessionEntry
    from selfcare_tui.journal.store import Journal

    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o1777)
    give_away(shared)
    link = tmp_path / "journal"
    link.symlink_to(shared)
    start = datetime(2026, 1, 2, 9, 0, tzinfo=UTC)
    entry = SessionEntry(
        routine_id="short-relief", routine_title="Short relief", format_version=1,
        started_at=start, ended_at=start, ending=Ending.QUIT, steps=[], reflection=Reflection(),
    )  # fmt: skip
    try:
        with pytest.raises(PermissionError):
            Journal(link).save(entry)
    finally:
        assert mode(shared) == 0o1777  # never chmod'ed through the link
    assert list(shared.iterdir()) == []


def test_speech_files_go_to_a_private_runtime_dir_else_the_cache_never_tmpdir(
    dirs: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from private_helpers import give_away

    from selfcare_tui import locations

    runtime = tmp_path / "run-user"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    assert locations.speech_temp_dir() == runtime / "selfcare" / "speech"
    fallback = dirs["cache"] / "selfcare" / "run" / "speech"
    runtime.chmod(0o755)  # not what the XDG spec promises: not used
    assert locations.speech_temp_dir() == fallback
    runtime.chmod(0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", "relative/path")
    assert locations.speech_temp_dir() == fallback
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    give_away(runtime)
    assert locations.speech_temp_dir() == fallback
