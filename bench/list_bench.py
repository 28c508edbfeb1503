"""Time `selfcare list` on the bundled routines and on a generated folder of 1,000 routines.

Run: python bench/list_bench.py   (target: the 1,000 under 1 s on a 2-core machine)
Each figure is also printed as a ratio to the reference loop (bench/reference.py) and to the
bundled-only listing, both measured in the same run.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from reference import describe, ratio, reference_seconds

from selfcare_tui.locations import bundled_routines_dir

RUNS = 5


def generate(folder: Path, count: int, template_id: str) -> None:
    template = (bundled_routines_dir() / f"{template_id}.toml").read_text(encoding="utf-8")
    for number in range(count):
        (folder / f"routine-{number:04d}.toml").write_text(template, encoding="utf-8")


def time_list(*extra: str) -> float:
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "selfcare_tui", *extra, "list", "--json"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def main() -> None:
    reference = reference_seconds()
    print(describe(reference))
    with tempfile.TemporaryDirectory() as home:
        bundled = time_list()
        print(
            f"selfcare list, bundled only: {bundled * 1000:6.0f} ms (median of {RUNS}; "
            f"{ratio(bundled, reference)})"
        )
        for template_id in ("desk-break", "full-session"):
            folder = Path(home) / template_id
            folder.mkdir()
            generate(folder, 1000, template_id)
            seconds = time_list("--routines", str(folder))
            print(
                f"  + 1,000 copies of {template_id}: {seconds * 1000:6.0f} ms "
                f"({ratio(seconds, reference)}, {seconds / bundled:.1f}x bundled only) "
                "(target < 1000)"
            )


if __name__ == "__main__":
    main()
