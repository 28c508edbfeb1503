"""The private folder of speech WAVs: gone at exit, and what a kill -9 left is gone at the next
start, but never the folder of another instance still running."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import wave
from pathlib import Path

from private_helpers import private_tree_problems, umask

from selfcare_tui.private_files import STALE_TEMP_SECONDS, reserve_private
from selfcare_tui.speech.workspace import Workspace, remove_stale

MAKE = (
    "import sys, time; from pathlib import Path\n"
    "from selfcare_tui.speech.workspace import Workspace\n"
    "workspace = Workspace.create(Path(sys.argv[1]))\n"
    "(workspace.path / 'utterance-1-0.wav').write_bytes(b'RIFF')\n"
    "print(workspace.path, flush=True)\n"
    "if sys.argv[2] == 'wait': time.sleep(600)\n"
)


def start(root: Path, then: str) -> tuple[subprocess.Popen[str], Path]:
    process = subprocess.Popen(
        [sys.executable, "-c", MAKE, str(root), then], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    return process, Path(process.stdout.readline().strip())


def test_a_folder_never_closed_is_removed_when_the_process_exits(tmp_path: Path) -> None:
    process, folder = start(tmp_path, "exit")
    assert process.wait(30) == 0
    assert folder.parent == tmp_path and not folder.exists()


def test_what_a_kill_9_left_is_removed_at_the_next_start_not_a_running_ones(
    tmp_path: Path,
) -> None:
    killed, left = start(tmp_path, "wait")
    running, kept = start(tmp_path, "wait")
    try:
        killed.send_signal(signal.SIGKILL)
        killed.wait(30)
        assert (left / "utterance-1-0.wav").exists()

        with Workspace.create(tmp_path) as mine:
            assert not left.exists() and kept.exists() and mine.path.exists()
        assert not mine.path.exists()
    finally:
        running.kill()
        running.wait(30)
        killed.wait(30)


def test_a_folder_without_its_lock_is_removed_only_when_old(tmp_path: Path) -> None:
    young, old = tmp_path / "run-young", tmp_path / "run-old"
    young.mkdir()
    old.mkdir()
    other = tmp_path / "not-ours"
    other.mkdir()
    now = time.time()
    os.utime(old, (now - STALE_TEMP_SECONDS - 1,) * 2)
    assert remove_stale(tmp_path, now) == [old]
    assert young.exists() and other.exists()


def test_the_folders_are_0700_whatever_the_umask(tmp_path: Path) -> None:
    with umask(0o000), Workspace.create(tmp_path / "a" / "speech") as workspace:
        reserve_private(workspace.path / "x.wav")
        with wave.open(str(workspace.path / "x.wav"), "wb") as writer:  # as pyttsx3 writes
            writer.setparams((1, 2, 22050, 0, "NONE", "not compressed"))
        assert private_tree_problems(tmp_path) == []
