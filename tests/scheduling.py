"""How the tests are handed to pytest-xdist's workers (tests/conftest.py)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import TypeVar

Item = TypeVar("Item")


def first_in_each_share(
    items: Sequence[Item], workers: int, head: Callable[[Item], int | None]
) -> list[Item]:
    """`items` reordered so the ones given a `head` rank start the workers' shares, dealt in
    turn to each share, lowest rank first; the others follow in their order. A share that starts
    with a rank 0 test (a long wait) is given no more ranked tests while another has room.

    pytest-xdist's work stealing hands each worker a run of the tests in order, as many as are
    left divided by the workers still to serve, and steals only from the end of a worker's run:
    two long waits in one run would wait one after the other, a long test near the end of a run
    would end the suite alone, and one right after a long wait would be run after it, as the
    suite ends."""
    ranked = sorted((rank, n) for n, item in enumerate(items) if (rank := head(item)) is not None)
    if workers < 2 or not ranked:
        return list(items)
    sizes = _share_sizes(len(items), workers)
    shares: list[list[Item]] = [[] for _ in sizes]
    waits: set[int] = set()
    turn = 0
    for rank, n in ranked:
        with_room = [share for share in range(workers) if len(shares[share]) < sizes[share]]
        free = [share for share in with_room if share not in waits] if rank else with_room
        share = min(free or with_room, key=lambda share: (share - turn) % workers)
        shares[share].append(items[n])
        if rank == 0:
            waits.add(share)
        turn = share + 1
    heads = {n for _, n in ranked}
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
