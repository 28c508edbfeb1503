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
    turn to each share, lowest rank first; the others follow in their order.

    pytest-xdist's work stealing hands each worker a run of the tests in order, as many as are
    left divided by the workers still to serve, and steals only from the end of a worker's run:
    two long waits in one run would wait one after the other, and a long test near the end of a
    run would end the suite alone."""
    ranked = sorted((rank, n) for n, item in enumerate(items) if (rank := head(item)) is not None)
    heads = [items[n] for _, n in ranked]
    if workers < 2 or not heads:
        return list(items)
    dealt: list[list[Item]] = [heads[worker::workers] for worker in range(workers)]
    rest = iter([item for item in items if head(item) is None])
    ordered: list[Item] = []
    left = len(items)
    for worker, first in enumerate(dealt):
        share = left // (workers - worker)
        ordered += first + list(itertools.islice(rest, max(0, share - len(first))))
        left -= share
    return ordered + list(rest)  # none left, unless a share held only dealt items
