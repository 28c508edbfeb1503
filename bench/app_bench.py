"""The Textual app (issue 4): launch to the picker and peak memory against a bare Textual app,
and CPU while a step counts down.

    python bench/app_bench.py [--runs 10] [--window 10]

Every process runs in a real terminal: a pseudo-terminal of 100x30 (TERM=xterm-256color) whose
output the bench reads as it arrives, so "the screen shows X" is detected as soon as the bytes
are written, not at the next poll of a screen capture. Textual writes a label's text as one run
of characters, so the marker is found in the raw stream (after removing escape sequences).

1. Launch: wall time from spawning the process to the marker on screen: "Choose a routine" for
   `selfcare` (`python -m selfcare_tui`, private XDG_CONFIG_HOME / XDG_DATA_HOME) and "Third
   option" for a bare Textual app (Header, OptionList of 3 items, Footer) written to a temporary
   file. Alternating runs; median and p90.
2. Peak memory: ctrl+q is sent once the marker is seen; the peak RSS is ru_maxrss of the child,
   from os.wait4. VmHWM at the moment the marker appeared is printed too.
3. CPU: `selfcare run desk-break` at speed 1, with speech and with --mute: `n` to the safety
   check, `5` to the pain question, then, once the player shows "Step 1 of", utime + stime of
   the process (all its threads, /proc/PID/stat) plus its child processes (the speech player)
   over a window inside step 1 (30 s long), as a percentage of one core.
Launch and memory are printed as ratios to the bare app, the key latency as a ratio to the
reference loop (bench/reference.py); both references are measured in the same run.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import re
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

from reference import describe, ratio, reference_seconds

REPO = Path(__file__).resolve().parents[1]
COLUMNS, ROWS = 100, 30
CTRL_Q = b"\x11"
ESCAPES = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|P[^\x1b]*\x1b\\|.)")
TICK = os.sysconf("SC_CLK_TCK")

BARE_APP = textwrap.dedent(
    """
    from textual.app import App
    from textual.widgets import Footer, Header, OptionList


    class Bare(App[None]):
        BINDINGS = [("z", "mark", "Mark")]

        def compose(self):
            yield Header()
            yield OptionList("First option", "Second option", "Third option")
            yield Footer()

        def action_mark(self):
            self.sub_title = "Key z handled"


    Bare().run()
    """
)
BARE_COUNTDOWN = textwrap.dedent(
    """
    from textual.app import App
    from textual.widgets import Digits, Footer, Header


    class Countdown(App[None]):
        def compose(self):
            yield Header()
            yield Digits("30:00")
            yield Footer()

        def on_mount(self):
            self.left = 30 * 60
            self.set_interval(1, self.tick)

        def tick(self):
            self.left -= 1
            self.query_one(Digits).update(f"{self.left // 60}:{self.left % 60:02}")


    Countdown().run()
    """
)


@dataclass
class Launch:
    seconds: float
    hwm_at_marker_kb: int
    peak_kb: int


class Terminal:
    """A child process on a pseudo-terminal, its output read as it arrives."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        self.master = master
        self.output = bytearray()
        self.seen = 0
        """Where the next wait_for starts looking: text seen before a key press does not count."""
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            command, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=REPO,
            start_new_session=True, preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
        )  # fmt: skip
        os.close(slave)

    def read(self, timeout: float) -> bool:
        """Read what is there within timeout; False once the terminal is closed."""
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return True
        try:
            data = os.read(self.master, 65536)
        except OSError:  # EIO: every process on the terminal has closed it
            return False
        self.output += data
        return bool(data)

    def text(self, start: int = 0) -> str:
        return ESCAPES.sub(b"", bytes(self.output[start:])).decode("utf-8", "replace")

    def wait_for(self, marker: str, timeout: float = 30) -> float:
        """Seconds since spawn when marker first appears after the last key press."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            # Markers are short; looking back a little covers one split across two reads.
            start = max(0, self.seen - 4096)
            if marker in self.text(start):
                self.seen = len(self.output)
                return time.perf_counter() - self.started
            if not self.read(0.05):
                break
        raise RuntimeError(f"never saw {marker!r}; last output:\n{self.text()[-2000:]}")

    def press(self, keys: bytes) -> None:
        self.seen = len(self.output)
        os.write(self.master, keys)

    def drain(self, seconds: float) -> None:
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline and self.read(deadline - time.perf_counter()):
            pass

    def finish(self, timeout: float = 20) -> int:
        """Wait for the process to exit, reading its output; returns its peak RSS in KiB."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            pid, status, usage = os.wait4(self.process.pid, os.WNOHANG)
            if pid:
                self.process.returncode = os.waitstatus_to_exitcode(status)
                os.close(self.master)
                return usage.ru_maxrss
            self.read(0.05)
        self.process.kill()
        _, _, usage = os.wait4(self.process.pid, 0)
        self.process.returncode = -9
        os.close(self.master)
        raise RuntimeError(f"{self.process.args} did not quit; output:\n{self.text()[-2000:]}")


def status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def launch(command: list[str], env: dict[str, str], marker: str) -> Launch:
    terminal = Terminal(command, env)
    seconds = terminal.wait_for(marker)
    hwm = status_kb(terminal.process.pid, "VmHWM")
    terminal.drain(0.3)  # let the first frame finish before quitting
    terminal.press(CTRL_Q)
    peak = terminal.finish()
    if terminal.process.returncode != 0:
        raise RuntimeError(f"{command} exited {terminal.process.returncode}")
    return Launch(seconds, hwm, peak)


def first_key(command: list[str], env: dict[str, str], marker: str, effect: str) -> float:
    """Seconds from pressing z the moment `marker` is on screen to `effect` on screen."""
    terminal = Terminal(command, env)
    terminal.wait_for(marker)
    start = time.perf_counter()
    terminal.press(b"z")
    terminal.wait_for(effect)
    latency = time.perf_counter() - start
    terminal.drain(0.3)
    terminal.press(CTRL_Q)
    terminal.finish()
    return latency


def bare_countdown_cpu(command: list[str], env: dict[str, str], window: float) -> float:
    """% of a core a minimal Textual countdown (Digits, once a second) uses."""
    terminal = Terminal(command, env)
    terminal.wait_for("Countdown")  # the title, in the header
    terminal.drain(SETTLE_SECONDS)
    pid = terminal.process.pid
    before = cpu_ticks(pid, False)
    start = time.perf_counter()
    terminal.drain(window)
    elapsed = time.perf_counter() - start
    used = cpu_ticks(pid, False) - before
    terminal.press(CTRL_Q)
    terminal.finish()
    return 100 * used / TICK / elapsed


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def cpu_ticks(pid: int, with_children: bool) -> int:
    """utime + stime of pid (all threads); with_children adds reaped children (cutime +
    cstime) and the live descendants."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    # After the ")": state is field 3, utime 14, stime 15, cutime 16, cstime 17.
    ticks = int(fields[11]) + int(fields[12])
    if with_children:
        ticks += int(fields[13]) + int(fields[14])
        ticks += sum(cpu_ticks(child, False) for child in descendants(pid))
    return ticks


SETTLE_SECONDS = 2.0


def start_routine(run_arguments: list[str], env: dict[str, str]) -> Terminal:
    """`selfcare run ...` in a terminal, past the safety check and the pain question.

    Each with a journal of its own: a routine quit in step 1 would be offered to resume.
    """
    env = env | {"XDG_DATA_HOME": tempfile.mkdtemp(prefix="selfcare-bench-")}
    terminal = Terminal([sys.executable, "-m", "selfcare_tui", "run", *run_arguments], env)
    terminal.wait_for("Before you start")
    terminal.drain(0.5)
    terminal.press(b"n")
    terminal.wait_for("from 0 to 10")
    terminal.drain(0.5)
    terminal.press(b"5")
    terminal.wait_for("Step 1 of")
    return terminal


def countdown_cpu(env: dict[str, str], mute: bool, window: float) -> tuple[float, float]:
    """(% of a core for the app process, % including its child processes) during step 1."""
    extra = ["--mute"] if mute else []
    terminal = start_routine(["desk-break", "--speed", "1", *extra], env)
    # Steady state: the player screen has mounted and the first instruction is synthesised.
    terminal.drain(SETTLE_SECONDS)
    pid = terminal.process.pid
    own, total = cpu_ticks(pid, False), cpu_ticks(pid, True)
    start = time.perf_counter()
    terminal.drain(window)
    elapsed = time.perf_counter() - start
    own = cpu_ticks(pid, False) - own
    total = cpu_ticks(pid, True) - total
    if "Step 2 of" in terminal.text():
        raise RuntimeError("the window did not stay inside step 1")
    terminal.press(CTRL_Q)
    terminal.finish()
    return 100 * own / TICK / elapsed, 100 * total / TICK / elapsed


def key_latency(env: dict[str, str], presses: int = 15) -> list[float]:
    """Seconds from pressing `n` to the next step on screen, while speech is being synthesised.

    Each press cuts off the instruction being spoken and starts the next one's synthesis, so
    every measurement is taken with the speech thread busy.
    """
    terminal = start_routine(["full-session"], env)
    latencies = []
    for number in range(2, presses + 2):
        terminal.drain(0.3)  # the new instruction is being synthesised now
        start = time.perf_counter()
        terminal.press(b"n")
        terminal.wait_for(f"Step {number} of")
        latencies.append(time.perf_counter() - start)
    terminal.press(CTRL_Q)
    terminal.finish()
    return latencies


def p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10, method="inclusive")[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--window", type=float, default=10.0)
    options = parser.parse_args()
    reference = reference_seconds()
    with tempfile.TemporaryDirectory() as temp:
        bare = Path(temp) / "bare_app.py"
        bare.write_text(BARE_APP, encoding="utf-8")
        base = {
            key: value for key, value in os.environ.items() if not key.startswith("TEXTUAL")
        }  # fmt: skip
        base |= {"TERM": "xterm-256color", "COLUMNS": str(COLUMNS), "LINES": str(ROWS)}
        env = base | {
            "XDG_CONFIG_HOME": f"{temp}/config", "XDG_DATA_HOME": f"{temp}/data",
            "XDG_CACHE_HOME": f"{temp}/cache", "PYTHONPATH": str(REPO),
        }  # fmt: skip
        app_command = [sys.executable, "-m", "selfcare_tui"]
        bare_command = [sys.executable, str(bare)]
        # One unmeasured run each, so the file cache is warm for both.
        launch(app_command, env, "Choose a routine")
        launch(bare_command, base, "Third option")
        apps: list[Launch] = []
        bares: list[Launch] = []
        for _ in range(options.runs):
            apps.append(launch(app_command, env, "Choose a routine"))
            bares.append(launch(bare_command, base, "Third option"))

        first_keys, bare_first_keys = [], []
        for _ in range(options.runs):
            first_keys.append(first_key(app_command, env, "Choose a routine", "No routine matches"))
            bare_first_keys.append(first_key(bare_command, base, "Third option", "Key z handled"))
        countdown = Path(temp) / "bare_countdown.py"
        countdown.write_text(BARE_COUNTDOWN, encoding="utf-8")
        bare_cpu = bare_countdown_cpu([sys.executable, str(countdown)], base, options.window)
        cpu = {mute: countdown_cpu(env, mute, options.window) for mute in (False, True)}
        keys = key_latency(env)

    def row(name: str, app: list[float], bare: list[float], unit: str, scale: float) -> None:
        a, b = statistics.median(app), statistics.median(bare)
        print(
            f"{name:<26} selfcare p50 {a * scale:7.1f} {unit} p90 {p90(app) * scale:7.1f} {unit}"
            f" | bare p50 {b * scale:7.1f} {unit} p90 {p90(bare) * scale:7.1f} {unit}"
            f" | ratio {a / b:.2f}x"
        )

    print(f"{options.runs} alternating runs each, {COLUMNS}x{ROWS} pty, {os.cpu_count()} cores")
    print(describe(reference))
    row("launch to marker", [r.seconds for r in apps], [r.seconds for r in bares], "ms", 1000)
    row("peak RSS (ru_maxrss)", [r.peak_kb for r in apps], [r.peak_kb for r in bares], "MB",
        1 / 1024)  # fmt: skip
    row("VmHWM at marker", [r.hwm_at_marker_kb for r in apps],
        [r.hwm_at_marker_kb for r in bares], "MB", 1 / 1024)  # fmt: skip
    row("z at first paint, handled", first_keys, bare_first_keys, "ms", 1000)
    print(
        f"key press to screen, speech busy: p50 {statistics.median(keys) * 1000:.1f} ms, "
        f"p90 {p90(keys) * 1000:.1f} ms, max {max(keys) * 1000:.1f} ms (target 50 ms); "
        f"p50 {ratio(statistics.median(keys), reference)}"
    )
    print(f"CPU of a minimal Textual countdown (Digits, 1 Hz), {options.window:.0f} s: "
          f"{bare_cpu:.2f} % of a core")  # fmt: skip
    for mute, (own, total) in cpu.items():
        label = "--mute" if mute else "speech on"
        print(
            f"CPU during step 1, {label:<9} {options.window:.0f} s: app process {own:.2f} % of a"
            f" core, with child processes {total:.2f} %"
        )


if __name__ == "__main__":
    main()
