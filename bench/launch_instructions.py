"""Launch in instructions: what the app executes from its start to the first frame of the routines
list, against a bare Textual app (Header, OptionList of 3, Footer), counted by valgrind.

    python bench/launch_instructions.py [--modules]

Wall time of a 300 ms launch moves by 10 % from one run to the next on the 2-core container, so
a change of 1 or 2 % cannot be seen in it. The count of instructions (callgrind's `Ir`) is the
same from run to run within 0.1 %, and says where the launch's work goes; the wall-time ratio
(`app_bench.py`) follows it, a little below, since both apps wait on the terminal alike.

Each process runs in a 100x30 pseudo-terminal under `valgrind --tool=callgrind` and ends itself
(os._exit) as it writes its marker ("Choose a routine", "Third option"): the count is everything
up to the first frame. PYTHONHASHSEED is fixed. The routine index is made by one `selfcare list`
first, as for a warm launch. Needs valgrind (Debian: valgrind); each run takes about 10 s.

With --modules, the instructions each of the app's modules on the launch path adds when
imported after Textual, in the order the launch imports them.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import re
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import termios
import textwrap
from pathlib import Path

from app_bench import BARE_APP, COLUMNS, REPO, ROWS

STOP_AT_MARKER = textwrap.dedent(
    """
    import os, sys
    import textual.drivers.linux_driver as driver

    write, marker = driver.LinuxDriver.write, os.environ["BENCH_MARKER"]

    def write_until_marker(self, data):
        if marker in data:
            os._exit(0)
        return write(self, data)

    driver.LinuxDriver.write = write_until_marker
    if sys.argv[1] == "-m":
        from selfcare_tui.launcher import main
        sys.argv = ["selfcare"]
        raise SystemExit(main())
    import runpy
    runpy.run_path(sys.argv[1], run_name="__main__")
    """
)
LAUNCH_MODULES = [
    "selfcare_tui.launcher", "selfcare_tui.command_line", "selfcare_tui.locations",
    "selfcare_tui.private_files", "json", "selfcare_tui.file_cache", "sqlite3",
    "selfcare_tui.private_db", "selfcare_tui.routines.card", "selfcare_tui.routines.problems",
    "selfcare_tui.routines.cache", "selfcare_tui.routines.library", "selfcare_tui.vocabulary",
    "selfcare_tui.speech.settings", "selfcare_tui.speech.output", "selfcare_tui.settings",
    "selfcare_tui.speech.model", "selfcare_tui.journal.index", "selfcare_tui.journal.store",
    "selfcare_tui.speech.scheduler", "selfcare_tui.speech.service",
    "selfcare_tui.app.screens.sized", "selfcare_tui.app.widgets.footer",
    "selfcare_tui.app.screens.picker", "selfcare_tui.app.app", "selfcare_tui.app.launch",
]  # fmt: skip
TEXTUAL = "import textual.app, textual.widgets, textual.containers, textual.command"


def callgrind(command: list[str], env: dict[str, str], in_terminal: bool) -> int:
    """Instructions `command` executed (callgrind's `Collected`)."""
    with tempfile.NamedTemporaryFile(suffix=".log") as log:
        full = [
            "valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
            f"--log-file={log.name}", *command,
        ]  # fmt: skip
        env = env | {"PYTHONHASHSEED": "0"}
        if in_terminal:
            _run_in_terminal(full, env)
        else:
            subprocess.run(full, env=env, check=True)
        found = re.search(r"Collected : (\d+)", Path(log.name).read_text(encoding="utf-8"))
    if found is None:
        raise RuntimeError(f"valgrind gave no count for {command}")
    return int(found.group(1))


def _run_in_terminal(command: list[str], env: dict[str, str]) -> None:
    pid, fd = pty.fork()
    if pid == 0:
        try:
            os.execvpe(command[0], command, env)
        finally:
            os._exit(127)  # not found: the child must never go on as the bench
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    while select.select([fd], [], [], 120)[0]:
        try:
            if not os.read(fd, 65536):
                break
        except OSError:  # the child has gone: the terminal is closed
            break
    os.waitpid(pid, 0)


def module_costs(env: dict[str, str]) -> None:
    imported = TEXTUAL
    before = callgrind([sys.executable, "-P", "-c", imported], env, in_terminal=False)
    for module in LAUNCH_MODULES:
        imported += f"; import {module}"
        after = callgrind([sys.executable, "-P", "-c", imported], env, in_terminal=False)
        print(f"  {module:36s} {(after - before) / 1e6:6.1f} M")
        before = after


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--modules", action="store_true")
    options = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("needs valgrind (Debian: apt install valgrind)")
    with tempfile.TemporaryDirectory() as temp:
        bare, wrapper = Path(temp) / "bare_app.py", Path(temp) / "stop_at_marker.py"
        bare.write_text(BARE_APP, encoding="utf-8")
        wrapper.write_text(STOP_AT_MARKER, encoding="utf-8")
        base = {key: value for key, value in os.environ.items() if not key.startswith("TEXTUAL")}
        base |= {"TERM": "xterm-256color", "COLUMNS": str(COLUMNS), "LINES": str(ROWS)}
        env = base | {
            "XDG_CONFIG_HOME": f"{temp}/config", "XDG_DATA_HOME": f"{temp}/data",
            "XDG_CACHE_HOME": f"{temp}/cache", "PYTHONPATH": str(REPO),
        }  # fmt: skip
        subprocess.run(
            [sys.executable, "-m", "selfcare_tui", "list"], env=env, check=True,
            capture_output=True,
        )  # fmt: skip
        app = callgrind(
            [sys.executable, "-P", str(wrapper), "-m"],
            env | {"BENCH_MARKER": "Choose a routine"}, in_terminal=True,
        )  # fmt: skip
        reference = callgrind(
            [sys.executable, str(wrapper), str(bare)],
            base | {"BENCH_MARKER": "Third option"}, in_terminal=True,
        )  # fmt: skip
        print("instructions to the first frame, 100x30 pty (valgrind callgrind)")
        print(f"selfcare   {app / 1e6:8.1f} M")
        print(f"bare app   {reference / 1e6:8.1f} M")
        print(f"ratio      {app / reference:.3f}x (ours beyond the bare app's: "
              f"{(app - reference) / 1e6:.0f} M)")  # fmt: skip
        if options.modules:
            print("each module on the launch path, imported after Textual:")
            module_costs(env)


if __name__ == "__main__":
    main()
