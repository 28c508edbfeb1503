"""The long real-time tests each start a worker's share, and no test is lost or repeated."""

from __future__ import annotations

from scheduling import first_in_each_share


def shares(items: list[int], workers: int) -> list[list[int]]:
    """The runs pytest-xdist's work stealing first hands out (xdist/scheduler/worksteal.py)."""
    runs, left = [], list(items)
    for worker in range(workers):
        count = len(left) // (workers - worker)
        runs.append(left[:count])
        left = left[count:]
    return runs


def test_each_long_wait_starts_a_share_of_its_own() -> None:
    items = list(range(100))
    waits = {40, 41}.__contains__
    ordered = first_in_each_share(items, 6, waits)
    assert sorted(ordered) == items
    firsts = [run[0] for run in shares(ordered, 6)]
    assert firsts[:2] == [40, 41]
    assert [item for item in ordered if not waits(item)] == [i for i in items if not waits(i)]


def test_a_selection_smaller_than_the_workers_keeps_every_test() -> None:
    ordered = first_in_each_share([1, 2, 3], 6, {1, 3}.__contains__)
    assert sorted(ordered) == [1, 2, 3]


def test_one_worker_or_no_long_wait_changes_nothing() -> None:
    assert first_in_each_share([3, 1, 2], 1, {1}.__contains__) == [3, 1, 2]
    assert first_in_each_share([3, 1, 2], 4, {9}.__contains__) == [3, 1, 2]
