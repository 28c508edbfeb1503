"""Braces that str.format would have taken for something else: each is one clean problem.

`{side:d}` used to be a traceback in every command, and `{side:>20000000}` a 120 MB cache.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import write
from hostile.conftest import Selfcare
from hostile.crafted import BAD_PLACEHOLDERS, PLACEHOLDER_FIELDS, VALID, routine, unclean

from selfcare_tui.routines.library import discover
from selfcare_tui.routines.loader import load_routine
from selfcare_tui.routines.problems import RoutineError


@pytest.mark.parametrize("field", PLACEHOLDER_FIELDS)
@pytest.mark.parametrize("placeholder", BAD_PLACEHOLDERS)
def test_a_bad_placeholder_is_one_problem_naming_the_file_step_and_key(
    tmp_path: Path, placeholder: str, field: str
) -> None:
    text = f"Lean to the {BAD_PLACEHOLDERS[placeholder]} now"
    path = write(tmp_path / "braces.toml", routine(field, text, fields=PLACEHOLDER_FIELDS))
    with pytest.raises(RoutineError) as caught:
        load_routine(path)
    (problem,) = caught.value.problems
    assert str(problem).startswith(f"{path}: {field}: ")
    assert "placeholder" in problem.message or "literal braces" in problem.message
    assert unclean(str(problem)) == []


def test_a_huge_width_is_refused_before_anything_is_filled(tmp_path: Path) -> None:
    path = write(
        tmp_path / "wide.toml",
        routine("steps[0].text", "{side:>999999999999}", fields=PLACEHOLDER_FIELDS),
    )
    with pytest.raises(RoutineError) as caught:
        load_routine(path)
    assert len(str(caught.value)) < 500


@pytest.mark.parametrize("placeholder", BAD_PLACEHOLDERS)
def test_a_broken_placeholder_never_hides_the_other_routines(
    tmp_path: Path, selfcare: Selfcare, placeholder: str, private_user_dirs: dict[str, Path]
) -> None:
    folder = tmp_path / "shared"
    write(folder / "fine.toml", VALID)
    text = BAD_PLACEHOLDERS[placeholder]
    write(folder / "broken.toml", routine("steps[0].text", text, fields=PLACEHOLDER_FIELDS))

    entries = {entry.id: entry.ok for entry in discover([folder]).entries}
    assert (entries["fine"], entries["broken"]) == (True, False)

    listing = selfcare("list", "--routines", str(folder))
    assert listing.code == 0
    assert "broken: steps[0].text: " in listing.out
    assert selfcare("show", "fine", "--routines", str(folder)).code == 0
    assert selfcare("run", "fine", "--dry-run", "--routines", str(folder)).code == 0
    shown = selfcare("show", "broken", "--routines", str(folder))
    assert (shown.code, shown.out) == (1, "")
    assert "steps[0].text" in shown.err
    checked = selfcare("validate", str(folder))
    assert checked.code == 1
    assert "2 file(s) checked, 1 with problems" in checked.err
    cache = sum(file.stat().st_size for file in private_user_dirs["cache"].rglob("*"))
    assert cache < 100_000
