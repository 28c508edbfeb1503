"""Every routine command, fed the hostile files: clean errors, and no byte of C0 or C1 but line
feed and tab (nor a bidirectional control) in what it prints.

Two folders: hostile contents under plain file names, and valid routines under hostile file names.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile.conftest import Result, Selfcare
from hostile.crafted import VALID, hostile_contents, hostile_names, unclean

from selfcare_tui.routines.library import discover

COMMANDS = [
    "list", "list --json", "show", "show --json", "sources", "sources --json", "run --dry-run",
    "validate",
]  # fmt: skip


def outputs(selfcare: Selfcare, folder: Path, command: str) -> list[Result]:
    """`command` run as it applies to `folder`: once for the folder, or once per routine in it."""
    if command.startswith("list"):
        return [selfcare(*command.split(), "--routines", str(folder))]
    if command == "validate":
        return [selfcare("validate", str(folder)), *(
            selfcare("validate", str(path)) for path in sorted(folder.iterdir())
        )]  # fmt: skip
    ids = [entry.id for entry in discover([folder]).entries if entry.path.parent == folder]
    verb, *options = command.split()
    return [selfcare(verb, routine_id, *options, "--routines", str(folder)) for routine_id in ids]


def assert_clean(results: list[Result]) -> None:
    assert results
    for result in results:
        assert result.code in (0, 1, 2)
        assert "Traceback" not in result.err
        assert unclean(result.out) == [], result.out
        assert unclean(result.err) == [], result.err


@pytest.mark.parametrize("command", COMMANDS)
def test_hostile_contents_never_reach_the_terminal(
    tmp_path: Path, selfcare: Selfcare, command: str
) -> None:
    folder = tmp_path / "shared"
    hostile_contents(folder)
    assert_clean(outputs(selfcare, folder, command))


@pytest.mark.parametrize("command", COMMANDS)
def test_hostile_file_names_never_reach_the_terminal(
    tmp_path: Path, selfcare: Selfcare, command: str
) -> None:
    folder = tmp_path / "shared"
    hostile_names(folder)
    assert_clean(outputs(selfcare, folder, command))


def test_an_unknown_id_is_quoted_cleanly(selfcare: Selfcare) -> None:
    assert_clean([selfcare("show", "evil\x1b]52;c;aGk=\x07"), selfcare("run", "\x9b2J")])


def test_a_missing_folder_is_quoted_cleanly(tmp_path: Path, selfcare: Selfcare) -> None:
    missing = str(tmp_path / "gone\x1b[2J")
    assert_clean([selfcare("list", "--routines", missing)])


def test_a_folder_with_a_hostile_name_is_shown_cleanly(tmp_path: Path, selfcare: Selfcare) -> None:
    folder = tmp_path / "shared\x1b]0;title\x07"
    (folder / "fine.toml").parent.mkdir()
    (folder / "fine.toml").write_text(VALID, encoding="utf-8")
    assert_clean([selfcare("list", "--routines", str(folder))])


def test_validate_names_a_hostile_folder_cleanly(tmp_path: Path, selfcare: Selfcare) -> None:
    folder = tmp_path / "shared\x1b]0;title\x07"
    (folder / "broken.toml").parent.mkdir()
    (folder / "broken.toml").write_text("format = 2", encoding="utf-8")
    result = selfcare("validate", str(folder))
    assert_clean([result])
    assert "shared\\x1b]0;title\\x07/broken.toml: format" in result.out
