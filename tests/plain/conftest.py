"""Running `selfcare` in a subprocess, through pipes, as a script or a tester would."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import REPO_ROOT, write

TIMEOUT = 30

# Two 4-minute steps: at --speed 50 each lasts 4.8 s, long enough for real speech to keep up.
TINY = """
format = 1
title = "Tiny"
[[steps]]
title = "Breathe"
kind = "breathing"
seconds = {seconds}
text = "Breathe slowly."
[[steps]]
title = "Bend"
kind = "stretch"
side = "left"
seconds = {seconds}
text = "Bend to the left."
[[steps.cues]]
at = 20
text = "Ease off."
"""

QUICK = """
format = 1
title = "Quick"
[[steps]]
title = "Breathe"
kind = "breathing"
seconds = 2
text = "Breathe."
"""


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def env(private_user_dirs: dict[str, Path]) -> dict[str, str]:
    values = dict(os.environ)
    values["XDG_CONFIG_HOME"] = str(private_user_dirs["config"])
    values["XDG_DATA_HOME"] = str(private_user_dirs["data"])
    values.pop("SELFCARE_TRANSCRIPT", None)
    return values


@pytest.fixture
def journal_dir(private_user_dirs: dict[str, Path]) -> Path:
    return private_user_dirs["data"] / "selfcare" / "journal"


@pytest.fixture
def tiny_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "routines"
    write(folder / "tiny.toml", TINY.format(seconds=240))
    write(folder / "quick.toml", QUICK)
    return folder


def selfcare(args: Sequence[str], stdin: str, env: dict[str, str]) -> Result:
    done = subprocess.run(
        [sys.executable, "-m", "selfcare_tui", *args],
        input=stdin, capture_output=True, text=True, env=env, cwd=REPO_ROOT, timeout=TIMEOUT,
    )  # fmt: skip
    return Result(done.returncode, done.stdout, done.stderr)


def selfcare_in_steps(
    args: Sequence[str], first: str, after_line: str, then: str, env: dict[str, str]
) -> Result:
    """Write `first`, wait for `after_line` on stdout, write `then`, close stdin: a tester."""
    process = subprocess.Popen(
        [sys.executable, "-m", "selfcare_tui", *args],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env=env, cwd=REPO_ROOT,
    )  # fmt: skip
    assert process.stdin and process.stdout and process.stderr
    errors: list[str] = []
    reader = threading.Thread(target=lambda: errors.append(process.stderr.read()), daemon=True)
    reader.start()
    process.stdin.write(first)
    process.stdin.flush()
    lines = []
    for line in process.stdout:
        lines.append(line)
        if line.strip() == after_line:
            break
    process.stdin.write(then)
    process.stdin.close()
    lines.append(process.stdout.read())
    code = process.wait(TIMEOUT)
    reader.join(TIMEOUT)
    return Result(code, "".join(lines), "".join(errors))


@pytest.fixture
def run(env: dict[str, str]):
    """`run(args, stdin)`: selfcare through pipes with private folders."""
    return lambda args, stdin="": selfcare(args, stdin, env)


@pytest.fixture
def run_in_steps(env: dict[str, str]):
    return lambda args, first, after_line, then: selfcare_in_steps(
        args, first, after_line, then, env
    )
