"""The test suite's wall time (issue 13: 60 s on 2 cores), against the suite of an earlier
commit run alternately, so that a slower machine slows both.

    python bench/suite_bench.py [--runs 2] [--against f9db88b]

From the repository's top, with the project's .venv. Each run is `python -m pytest -q -p
no:cacheprovider` as the README's test command runs it (ten workers, from pyproject.toml); the
earlier commit is checked out in a temporary worktree and run with the same Python, as it was
then. One warm-up of each first (bytecode, pytest's rewritten tests). Prints each run's wall and
CPU time, the medians, their ratio, and the reference loop before and after.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from reference import describe, reference_seconds

REPO = Path(__file__).resolve().parents[1]


def suite(tree: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one run of the suite in `tree`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=tree, env=os.environ | {"PYTHONPATH": str(tree)},  # the tree's package, not .venv's
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"the suite failed in {tree}:\n{done.stdout[-2000:]}")
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--against", default="f9db88b", help="the earlier commit")
    options = parser.parse_args()
    print(describe(reference_seconds()))
    with tempfile.TemporaryDirectory() as folder:
        old = Path(folder) / "old"
        subprocess.run(
            ["git", "worktree", "add", "-q", "--detach", str(old), options.against],
            cwd=REPO, check=True,
        )  # fmt: skip
        try:
            trees = {"now": REPO, options.against: old}
            for tree in trees.values():
                suite(tree)  # the warm-up
            times: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
            for _ in range(options.runs):
                for name, tree in trees.items():
                    times[name].append(suite(tree))
                    wall, cpu = times[name][-1]
                    print(f"{name:>10}: {wall:5.1f} s wall, {cpu:5.1f} s CPU")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=REPO)
    medians = {name: statistics.median(wall for wall, _ in runs) for name, runs in times.items()}
    now, then = medians["now"], medians[options.against]
    print(f"median: now {now:.1f} s, {options.against} {then:.1f} s: {now / then:.2f}x")
    print(describe(reference_seconds()))


if __name__ == "__main__":
    main()
