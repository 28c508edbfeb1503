"""The reference every bench script measures in its own run, so that figures from a slow or busy
machine can be compared with figures from a fast one: a fixed pure-Python workload (a loop of
1,000,000 additions, median of 5): 30 to 80 ms on the 2-core dev container.

A figure's ratio to it says how many such loops the measured thing costs; it moves much less
than the figure itself when the machine is slower or busier.
"""

from __future__ import annotations

import statistics
import time

LOOP_STEPS = 1_000_000


def reference_seconds(runs: int = 5) -> float:
    """Wall time of the reference loop, median of `runs`."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        total = 0
        for i in range(LOOP_STEPS):
            total += i
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def ratio(seconds: float, reference: float) -> str:
    """`seconds` as a multiple of the reference, for printing after a figure."""
    return f"{seconds / reference:.2f}x the reference"


def describe(reference: float) -> str:
    return f"reference (1e6-step Python loop, median of 5, this run): {reference * 1000:.0f} ms"
