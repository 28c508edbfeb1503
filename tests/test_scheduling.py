"""The long real-time tests each start a worker's share, the long ones start the other shares in
turn, and no test is lost or repeated."""

from __future__ import annotations

from collections.abc import Callable

from scheduling import first_in_each_share


def shares(items: list[int], workers: int) -> list[list[int]]:
    """The runs pytest-xdist's work stealing first hands out (xdist/scheduler/worksteal.py)."""
    runs, left = [], list(items)
    for worker in range(workers):
        count = len(left) // (workers - worker)
        runs.append(left[:count])
        left = left[count:]
    return runs


def ranks(waits: set[int], long: set[int] | None = None) -> Callable[[int], int | None]:
    """The `real_time` rank (0) for `waits`, the `long` one (1) for `long`."""
    return lambda item: 0 if item in waits else 1 if item in (long or set()) else None


def test_each_long_wait_starts_a_share_of_its_own() -> None:
    items = list(range(100))
    head = ranks({40, 41})
    ordered = first_in_each_share(items, 6, head)
    assert sorted(ordered) == items
    firsts = [run[0] for run in shares(ordered, 6)]
    assert firsts[:2] == [40, 41]
    assert [item for item in ordered if head(item) is None] == [i for i in items if head(i) is None]


def test_long_tests_are_dealt_to_the_shares_without_a_wait() -> None:
    items = list(range(100))
    long = {10, 20, 30, 50, 60, 70, 80, 90}
    ordered = first_in_each_share(items, 6, ranks({95, 96}, long))
    assert sorted(ordered) == items
    runs = shares(ordered, 6)
    assert [run[0] for run in runs] == [95, 96, 10, 20, 30, 50]
    assert [run[1] for run in runs[2:]] == [60, 70, 80, 90]
    assert not long & set(runs[0] + runs[1])  # behind a wait, they would end the suite


def test_long_tests_follow_a_wait_only_when_every_share_has_one() -> None:
    runs = shares(first_in_each_share(list(range(10)), 2, ranks({0, 1}, {2, 3})), 2)
    assert [run[:2] for run in runs] == [[0, 2], [1, 3]]


def test_a_selection_smaller_than_the_workers_keeps_every_test() -> None:
    ordered = first_in_each_share([1, 2, 3], 6, ranks({1}, {3}))
    assert sorted(ordered) == [1, 2, 3]


def test_one_worker_or_no_long_test_changes_nothing() -> None:
    assert first_in_each_share([3, 1, 2], 1, ranks({1})) == [3, 1, 2]
    assert first_in_each_share([3, 1, 2], 4, ranks({9})) == [3, 1, 2]


def test_more_heads_than_a_share_holds_still_follow_the_shares() -> None:
    items = list(range(11))
    head = ranks({0, 1}, {2, 3, 4, 5, 6})
    ordered = first_in_each_share(items, 6, head)
    assert sorted(ordered) == items
    runs = shares(ordered, 6)
    assert [run[0] for run in runs[:2]] == [0, 1]  # each recording starts a share
    for size in range(1, 40):  # and nothing is lost or repeated, however many are heads
        for heads in range(size + 1):
            everything = list(range(size))
            ordered = first_in_each_share(everything, 6, ranks({0}, set(range(1, heads))))
            assert sorted(ordered) == everything
