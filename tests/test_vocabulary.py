"""The formatters every face shares."""

from __future__ import annotations

import pytest

from selfcare_tui.vocabulary import minutes_left_text


@pytest.mark.parametrize(
    ("remaining", "total_minutes", "words"),
    [
        (600, 10, "10 of 10 min left"),
        (599, 10, "10 of 10 min left"),  # rounded up: "0 min left" only at the end
        (540, 10, "9 of 10 min left"),
        (1, 10, "1 of 10 min left"),
        (0, 10, "0 of 10 min left"),
        (-3, 10, "0 of 10 min left"),
        (620, 10, "10 of 10 min left"),  # 10:20 is listed and said as "about 10 minutes"
        (40, 1, "1 of 1 min left"),
        (7380, 123, "123 of 123 min left"),
    ],
)
def test_a_routine_s_time_left_is_in_whole_minutes(
    remaining: int, total_minutes: int, words: str
) -> None:
    assert minutes_left_text(remaining, total_minutes) == words


def test_the_length_is_the_one_the_routine_is_listed_with() -> None:
    from selfcare_tui.routines.model import minutes_of

    assert minutes_left_text(620, minutes_of(620)) == "10 of 10 min left"
