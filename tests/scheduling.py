"""How the tests are handed to pytest-xdist's workers (tests/conftest.py)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import TypeVar

Item = TypeVar("Item")


def first_in_each_share(
    items: Sequence[Item], workers: int, seconds: Callable[[Item], float | None]
) -> list[Item]:
    """`items` reordered so that the long ones (those `seconds` gives a time) start the workers'
    shares, longest first, each to the share given the fewest seconds so far; the others follow
    in their order.

    pytest-xdist's work stealing hands each worker a run of the tests in order, as many as are
    left divided by the workers still to serve, and steals only from the end of a worker's run:
    two long waits in one run would wait one after the other, and a long test near the end of a
    run would end the suite alone. A long test follows a wait only once every other share has
    as many seconds. Dealt in turn rather than by their times, one share was handed 55 s of long
    tests and another 20 s, and the suite ended on a long test stolen late."""
    timed = sorted(
        ((-time, n) for n, item in enumerate(items) if (time := seconds(item)) is not None)
    )
    if workers < 2 or not timed:
        return list(items)
    sizes = _share_sizes(len(items), workers)
    shares: list[list[Item]] = [[] for _ in sizes]
    loads = [0.0] * workers
    for minus_time, n in timed:
        with_room = [share for share in range(workers) if len(shares[share]) < sizes[share]]
        share = min(with_room, key=lambda share: (loads[share], share))
        shares[share].append(items[n])
        loads[share] -= minus_time
    heads = {n for _, n in timed}
    rest = iter([item for n, item in enumerate(items) if n not in heads])
    for share, size in zip(shares, sizes, strict=True):
        share += itertools.islice(rest, size - len(share))
    return [item for share in shares for item in share]


def _share_sizes(count: int, workers: int) -> list[int]:
    """How many tests each worker is first handed (xdist/scheduler/worksteal.py)."""
    sizes, left = [], count
    for worker in range(workers):
        sizes.append(left // (workers - worker))
        left -= sizes[-1]
    return sizes
