"""CPU while a step counts down (issue 13), measured over a long window, pair by pair.

    python bench/countdown_bench.py [--pairs 3] [--window 60]

(compile first: python -m compileall -q selfcare_tui)

app_bench.py measures the countdown inside desk-break's first step (30 s), which leaves a short
window: at 100 ticks a second, 20 s of 0.5 % of a core is 10 ticks, too few to tell 1.2x from
1.5x. Here the routine is one step of 10 minutes, so the window can be a minute or more. Each
pair runs the minimal Textual countdown of app_bench.py (Digits, once a second), then
`selfcare run ... --speed 1 --mute` in step 1, in the same 100x30 pseudo-terminal; the figure is
utime + stime of the process over the window, as a percentage of one core, and the ratio of the
two in each pair.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

from app_bench import (
    BARE_COUNTDOWN,
    COLUMNS,
    CTRL_Q,
    REPO,
    ROWS,
    SETTLE_SECONDS,
    TICK,
    bare_countdown_cpu,
    cpu_ticks,
    start_routine,
)
from reference import describe, reference_seconds

LONG_STEP = """
format = 1
title = "Long count"
[[steps]]
title = "Breathe"
kind = "breathing"
seconds = 600
text = "Breathe slowly."
"""


def app_countdown_cpu(env: dict[str, str], routines: Path, window: float) -> float:
    terminal = start_routine(["long-count", "--routines", str(routines), "--speed", "1",
                              "--mute"], env)  # fmt: skip
    terminal.drain(SETTLE_SECONDS)
    pid = terminal.process.pid
    before = cpu_ticks(pid, False)
    terminal.drain(window)
    used = cpu_ticks(pid, False) - before
    terminal.press(CTRL_Q)
    terminal.finish()
    return 100 * used / TICK / window


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--window", type=float, default=60.0)
    options = parser.parse_args()
    print(describe(reference_seconds()))
    with tempfile.TemporaryDirectory() as temp:
        base = {key: value for key, value in os.environ.items() if not key.startswith("TEXTUAL")}
        base |= {"TERM": "xterm-256color", "COLUMNS": str(COLUMNS), "LINES": str(ROWS)}
        env = base | {
            "XDG_CONFIG_HOME": f"{temp}/config", "XDG_DATA_HOME": f"{temp}/data",
            "XDG_CACHE_HOME": f"{temp}/cache", "PYTHONPATH": str(REPO),
        }  # fmt: skip
        routines = Path(temp) / "routines"
        routines.mkdir()
        (routines / "long-count.toml").write_text(LONG_STEP, encoding="utf-8")
        countdown = Path(temp) / "bare_countdown.py"
        countdown.write_text(BARE_COUNTDOWN, encoding="utf-8")
        ratios = []
        for pair in range(options.pairs):
            bare = bare_countdown_cpu([sys.executable, str(countdown)], base, options.window)
            app = app_countdown_cpu(env, routines, options.window)
            ratios.append(app / bare)
            print(f"pair {pair + 1}: selfcare {app:.2f} % of a core, minimal countdown "
                  f"{bare:.2f} % ({app / bare:.2f}x)", flush=True)  # fmt: skip
        print(f"median ratio over {options.pairs} pairs of {options.window:.0f} s: "
              f"{statistics.median(ratios):.2f}x (target: at most 1.3x)")  # fmt: skip


if __name__ == "__main__":
    main()
