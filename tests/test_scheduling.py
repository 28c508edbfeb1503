"""The long tests start the workers' shares, longest first, each to the share with the fewest
seconds so far, and no test is lost or repeated."""

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


def times(seconds: dict[int, float]) -> Callable[[int], float | None]:
    return seconds.get


def test_each_long_wait_starts_a_share_of_its_own() -> None:
    items = list(range(100))
    seconds = times({40: 45, 41: 45})
    ordered = first_in_each_share(items, 6, seconds)
    assert sorted(ordered) == items
    firsts = [run[0] for run in shares(ordered, 6)]
    assert firsts[:2] == [40, 41]
    assert [item for item in ordered if seconds(item) is None] == [
        i for i in items if seconds(i) is None
    ]


def test_long_tests_go_to_the_shares_with_the_fewest_seconds() -> None:
    items = list(range(100))
    long = {10: 12, 20: 10, 30: 4, 50: 4, 60: 4, 70: 4, 80: 4, 90: 4}
    ordered = first_in_each_share(items, 6, times({95: 45, 96: 45} | long))
    assert sorted(ordered) == items
    runs = shares(ordered, 6)
    assert [run[0] for run in runs] == [95, 96, 10, 20, 30, 50]
    assert [run[:3] for run in runs[4:]] == [[30, 60, 80], [50, 70, 90]]
    loads = [sum(long.get(item, 0) for item in run) for run in runs[2:]]
    assert loads == [12, 10, 12, 12]  # the 4-second ones even out the 12 and the 10
    assert not set(long) & set(runs[0] + runs[1])  # behind a wait, they would end the suite


def test_long_tests_follow_a_wait_only_when_every_share_has_one() -> None:
    runs = shares(first_in_each_share(list(range(10)), 2, times({0: 45, 1: 45, 2: 4, 3: 4})), 2)
    assert [run[:2] for run in runs] == [[0, 2], [1, 3]]


def test_a_selection_smaller_than_the_workers_keeps_every_test() -> None:
    ordered = first_in_each_share([1, 2, 3], 6, times({1: 45, 3: 4}))
    assert sorted(ordered) == [1, 2, 3]


def test_one_worker_or_no_long_test_changes_nothing() -> None:
    assert first_in_each_share([3, 1, 2], 1, times({1: 45})) == [3, 1, 2]
    assert first_in_each_share([3, 1, 2], 4, times({9: 45})) == [3, 1, 2]


def test_more_long_tests_than_a_share_holds_still_follow_the_shares() -> None:
    items = list(range(11))
    seconds = times({0: 45, 1: 45} | dict.fromkeys(range(2, 7), 4.0))
    ordered = first_in_each_share(items, 6, seconds)
    assert sorted(ordered) == items
    runs = shares(ordered, 6)
    assert [run[0] for run in runs[:2]] == [0, 1]  # each recording starts a share
    for size in range(1, 40):  # and nothing is lost or repeated, however many are long
        for heads in range(size + 1):
            everything = list(range(size))
            long = {0: 45.0} | dict.fromkeys(range(1, heads), 4.0)
            ordered = first_in_each_share(everything, 6, times(long))
            assert sorted(ordered) == everything
