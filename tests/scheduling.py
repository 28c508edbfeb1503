"""How the tests are handed to pytest-xdist's workers (tests/conftest.py)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import TypeVar

Item = TypeVar("Item")


def first_in_each_share(
    items: Sequence[Item], workers: int, waits: Callable[[Item], bool]
) -> list[Item]:
    """`items` reordered so the ones that `waits` each come first in a worker's share.

    pytest-xdist's work stealing hands each worker a run of the tests in order, as many as are
    left divided by the workers still to serve, and steals only from the end of a worker's run:
    two long waits in one run would wait one after the other."""
    waiting = [item for item in items if waits(item)]
    if workers < 2 or not waiting:
        return list(items)
    rest = iter([item for item in items if not waits(item)])
    ordered: list[Item] = []
    left = len(items)
    for worker in range(workers):
        share = left // (workers - worker)
        first = waiting[worker::workers]
        ordered += first + list(itertools.islice(rest, max(0, share - len(first))))
        left -= share
    return ordered + list(rest)  # none left, unless a share held only waiting items
