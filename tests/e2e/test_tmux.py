"""The real app in a real terminal (tmux) with real espeak-ng and no sound card, at --speed 50."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import requires_espeak, write
from system_packages import requires_audio_player, requires_tmux

ROUTINE = """
format = 1
title = "Tmux check"
[[steps]]
title = "Side bend, {side} side"
kind = "stretch"
each_side = ["left", "right"]
seconds = 150
text = "Reach your {side} arm up. Mild tension, never pain."
"""
NOISE = ("ALSA", "aplay", "Traceback", "Audio saved", "espeak", "Error")

pytestmark = [requires_espeak, requires_tmux, pytest.mark.long]


class Terminal:
    """A tmux server of one test's own: never a user's, whose environment the app would inherit,
    nor the previous test's, which may still be shutting down."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.tmux = ("tmux", "-L", name)
        self.command = ""
        """What the pane runs: `restart` runs it again."""

    def restart(self) -> None:
        subprocess.run(
            [*self.tmux, "respawn-pane", "-k", "-t", self.name, self.command], check=True
        )

    def keys(self, *keys: str) -> None:
        for key in keys:
            subprocess.run([*self.tmux, "send-keys", "-t", self.name, key], check=True)
            time.sleep(0.4)

    def screen(self) -> str:
        result = subprocess.run(
            [*self.tmux, "capture-pane", "-p", "-t", self.name], capture_output=True, text=True
        )
        return result.stdout

    def wait_for(self, text: str, timeout: float = 15) -> str:
        return self.wait_until(lambda screen: text in screen, timeout, text)

    def wait_until(self, test: Callable[[str], bool], timeout: float, what: str) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if test(screen):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"never saw {what!r}; screen:\n{self.screen()}")


@pytest.fixture
def terminal(tmp_path: Path) -> Terminal:
    folder = tmp_path / "routines"
    write(folder / "tmux-check.toml", ROUTINE)
    terminal = Terminal(f"selfcare-test-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    env = (
        f"XDG_CONFIG_HOME={tmp_path / 'config'} XDG_DATA_HOME={tmp_path / 'data'} "
        f"XDG_CACHE_HOME={tmp_path / 'cache'} XDG_STATE_HOME={tmp_path / 'state'} "
        f"XDG_RUNTIME_DIR={tmp_path / 'runtime'} PULSE_RUNTIME_PATH={tmp_path / 'pulse'} "
        f"SELFCARE_TRANSCRIPT={tmp_path / 'transcript.tsv'} TERM=xterm-256color"
    )
    command = (
        f"env {env} {sys.executable} -m selfcare_tui run tmux-check --routines {folder} "
        "--speed 50; sleep 60"
    )
    terminal.command = command
    size = ("-x", "100", "-y", "30")
    subprocess.run(
        [*terminal.tmux, "new-session", "-d", "-s", terminal.name, *size, command], check=True
    )
    yield terminal
    subprocess.run([*terminal.tmux, "kill-server"], check=False)


@requires_audio_player  # else the screen shows "No audio player found (... aplay)"
@pytest.mark.long(12)
def test_a_routine_at_speed_50_with_real_speech(terminal: Terminal, tmp_path: Path) -> None:
    terminal.wait_for("Before you start")
    terminal.keys("n")
    terminal.wait_for("How is your pain right now")
    terminal.keys("6")
    playing = terminal.wait_for("Left side")
    assert "Step 1 of 2" in playing
    assert "Next: Right side" in playing  # the rest may sit under the "no audio" notice
    terminal.wait_for("Step 2 of 2", timeout=10)
    after = terminal.wait_for("Your pain was 6 before", timeout=15)
    for screen in (playing, after):
        assert not any(noise in screen for noise in NOISE), screen
    terminal.keys("4", "b", "Enter", "Enter", "n", "Enter")
    closing = terminal.wait_for("Session complete")
    assert "Your pain went from 6 to 4, 2 lower. That is worth noting" in closing
    assert not any(noise in closing for noise in NOISE), closing
    terminal.keys("Enter", "C-q")
    journal = list((tmp_path / "data" / "selfcare" / "journal").glob("*.toml"))
    assert len(journal) == 1
    transcript = (tmp_path / "transcript.tsv").read_text(encoding="utf-8")
    assert "Step 1 of 2. Stretching your left side." in transcript
    assert "Switch to your right side." in transcript


def app_pid(terminal: Terminal) -> int:
    shell = subprocess.run(
        [*terminal.tmux, "list-panes", "-t", terminal.name, "-F", "#{pane_pid}"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    children = subprocess.run(["pgrep", "-P", shell], capture_output=True, text=True).stdout
    return int(children.split()[0])


def start_playing(terminal: Terminal) -> None:
    terminal.wait_for("Before you start")
    terminal.keys("n")
    terminal.wait_for("How is your pain right now")
    terminal.keys("6")
    terminal.wait_for("Left side")


def wait_until_gone(pid: int, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.2)
    raise AssertionError(f"process {pid} is still running")


def only_entry(tmp_path: Path) -> str:
    (entry,) = (tmp_path / "data" / "selfcare" / "journal").glob("*.toml")
    return entry.read_text(encoding="utf-8")


def test_sigterm_mid_routine_keeps_an_interrupted_entry(terminal: Terminal, tmp_path: Path) -> None:
    start_playing(terminal)
    pid = app_pid(terminal)
    os.kill(pid, 15)
    wait_until_gone(pid)
    assert 'ending = "interrupted"' in only_entry(tmp_path)


@pytest.mark.long(12)
def test_a_session_cut_off_by_sigterm_goes_on_in_the_next_run_as_the_same_session(
    terminal: Terminal, tmp_path: Path
) -> None:
    start_playing(terminal)
    pid = app_pid(terminal)
    os.kill(pid, 15)
    wait_until_gone(pid)
    terminal.restart()
    terminal.wait_for("Before you start")
    terminal.keys("n")
    terminal.wait_for("cut off earlier today")
    terminal.keys("y")
    terminal.wait_for("Step 1 of 2")
    terminal.wait_for("Your pain was 6 before", timeout=20)  # the pain before is kept
    terminal.keys("4", "b", "Enter", "Enter", "n", "Enter")
    terminal.wait_for("Session complete")
    entry = only_entry(tmp_path)  # one file: completed where it was begun
    assert 'ending = "completed"' in entry and "resumed = 1" in entry


def test_closing_the_terminal_keeps_the_entry_and_ends_the_app(
    terminal: Terminal, tmp_path: Path
) -> None:
    start_playing(terminal)
    pid = app_pid(terminal)
    subprocess.run([*terminal.tmux, "kill-session", "-t", terminal.name], check=True)
    wait_until_gone(pid)
    assert 'ending = "interrupted"' in only_entry(tmp_path)
