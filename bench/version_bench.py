"""`selfcare --version` against `python -c pass` (issue 13): what the command line costs before
any command runs.

    python bench/version_bench.py [--runs 20]

(compile first: python -m compileall -q selfcare_tui)

Alternating runs of the installed `selfcare` script (beside this Python), `python -m
selfcare_tui --version` and `python -c pass`; medians.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from reference import describe, reference_seconds


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    print(describe(reference_seconds()))
    script = str(Path(sys.executable).with_name("selfcare"))
    commands = {
        "selfcare --version": [script, "--version"],
        "python -m selfcare_tui --version": [sys.executable, "-m", "selfcare_tui", "--version"],
        "python -c pass": [sys.executable, "-c", "pass"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(timed(command))
    base = statistics.median(times["python -c pass"])
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:<34} {median * 1000:6.1f} ms  ({median / base:.2f}x python -c pass)")
    print("target: selfcare --version at most 30 ms")


if __name__ == "__main__":
    main()
