"""The formatters every face shares."""

from __future__ import annotations

import pytest

from selfcare_tui.vocabulary import minutes_left_text


@pytest.mark.parametrize(
    ("remaining", "total", "words"),
    [
        (600, 600, "10 of 10 min left"),
        (599, 600, "10 of 10 min left"),  # rounded up: "0 min left" only at the end
        (540, 600, "9 of 10 min left"),
        (1, 600, "1 of 10 min left"),
        (0, 600, "0 of 10 min left"),
        (-3, 600, "0 of 10 min left"),
        (40, 40, "1 of 1 min left"),
        (7380, 7380, "123 of 123 min left"),
    ],
)
def test_a_routine_s_time_left_is_in_whole_minutes(remaining: int, total: int, words: str) -> None:
    assert minutes_left_text(remaining, total) == words
