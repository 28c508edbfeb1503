"""Plain mode on a real terminal (a pseudo-terminal): single keys answer, as in the app."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from helpers import REPO_ROOT

from selfcare_tui.journal.store import Journal
from selfcare_tui.vocabulary import Overall

TIMEOUT = 30


class Terminal:
    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.master, slave = pty.openpty()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "selfcare_tui", *args],
            stdin=slave, stdout=slave, stderr=subprocess.PIPE, env=env, cwd=REPO_ROOT,
        )  # fmt: skip
        os.close(slave)
        self.seen = ""

    def wait_for(self, text: str) -> None:
        deadline = time.monotonic() + TIMEOUT
        while text not in self.seen:
            ready, _, _ = select.select([self.master], [], [], deadline - time.monotonic())
            assert ready, f"waited for {text!r}; the terminal showed:\n{self.seen[-2000:]}"
            self.seen += os.read(self.master, 4096).decode("utf-8", errors="replace")
        self.seen = self.seen[self.seen.index(text) + len(text) :]

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def close(self) -> int:
        code = self.process.wait(TIMEOUT)
        os.close(self.master)
        return code


def test_single_keys_answer_and_an_enter_after_one_is_not_the_next_answer(
    env: dict[str, str], tiny_dir: Path, journal_dir: Path
) -> None:
    terminal = Terminal(
        ["run", "quick", "--routines", str(tiny_dir), "--plain", "--mute", "--speed", "50"], env
    )
    terminal.wait_for("Does any of these apply to you?")
    terminal.type("n")  # no Enter needed
    terminal.wait_for("How is your pain right now")
    terminal.type("5\r")  # 5 answers at once; the Enter just after it is not the next answer
    terminal.wait_for("Your pain was 5 before")
    terminal.type("10")  # 1 could be 10: it waits for the 0
    terminal.wait_for("Overall, do you feel better")
    terminal.type("b")
    terminal.wait_for("Which steps felt easier today?")
    terminal.type("1\r")
    terminal.wait_for("Which steps felt harder?")
    terminal.type("\r")
    terminal.wait_for("Did any step cause sharp pain?")
    terminal.type("n")
    terminal.wait_for("Anything else to note")
    terminal.type("all good\r")
    terminal.wait_for("Session complete")
    assert terminal.close() == 0
    (entry,) = Journal(journal_dir).load_all().entries
    reflection = entry.reflection
    assert (reflection.pain_before, reflection.pain_after) == (5, 10)
    assert reflection.overall is Overall.BETTER
    assert reflection.easier_steps == [0] and reflection.harder_steps == []
    assert reflection.note == "all good"
