"""`selfcare list`, `show`, `validate` and `new`, run as a user would through main()."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import write

from selfcare_tui.cli import main

ROUTINE = """
format = 1
title = "{title}"
[[steps]]
title = "Side bend, {{side}} side"
kind = "stretch"
each_side = ["left", "right"]
seconds = 30
text = "Stretch your {{side}} side."
"""


def routine(title: str) -> str:
    return ROUTINE.format(title=title)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_shows_bundled_user_and_extra_routines_with_sources(
    capsys: pytest.CaptureFixture[str], user_routines: Path, tmp_path: Path
) -> None:
    write(user_routines / "mine.toml", routine("Mine"))
    write(user_routines / "short-relief.toml", routine("My short relief"))
    extra = tmp_path / "extra"
    write(extra / "broken.toml", "format = 1\n")
    code, out, _ = run(capsys, "list", "--json", "--routines", str(extra))
    assert code == 0
    entries = {entry["id"]: entry for entry in json.loads(out)}
    assert {"full-session", "short-relief", "desk-break", "mine", "broken"} <= entries.keys()
    assert entries["full-session"]["source"] == "bundled"
    assert entries["mine"] == {
        "id": "mine",
        "title": "Mine",
        "minutes": 1,
        "total_seconds": 60,
        "source": "user",
        "path": str(user_routines / "mine.toml"),
        "status": "ok",
        "error": None,
        "overrides": None,
    }
    assert entries["short-relief"]["title"] == "My short relief"
    assert entries["short-relief"]["overrides"].endswith("short-relief.toml")
    assert entries["broken"]["status"] == "broken"
    assert entries["broken"]["source"] == str(extra / "broken.toml")
    assert "title: missing; expected a string" in entries["broken"]["error"]


def test_list_as_text_says_what_is_broken_and_overridden(
    capsys: pytest.CaptureFixture[str], user_routines: Path
) -> None:
    write(user_routines / "desk-break.toml", routine("Desk"))
    write(user_routines / "oops.toml", "format = \n")
    code, out, _ = run(capsys, "list")
    assert code == 0
    lines = {line.split()[0]: line for line in out.splitlines()}
    assert "broken: line 1: not valid TOML" in lines["oops"]
    assert "user" in lines["desk-break"] and "overrides" in lines["desk-break"]
    assert lines["full-session"].split()[-1] == "ok"


def test_a_missing_routines_folder_is_a_clear_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _out, err = run(capsys, "--routines", str(tmp_path / "nope"), "list")
    assert code == 2
    assert err == f"selfcare: --routines {tmp_path / 'nope'}: no such folder\n"


def test_links_leading_out_of_a_folder_are_not_read(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    outside = write(tmp_path / "secret" / "outside.toml", routine("Outside"))
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "sneaky.toml").symlink_to(outside)
    (folder / "loop.toml").symlink_to(folder / "loop.toml")
    _code, out, _ = run(capsys, "list", "--json", "--routines", str(folder))
    entries = {entry["id"]: entry for entry in json.loads(out)}
    assert "links to a file outside its folder" in entries["sneaky"]["error"]
    assert entries["sneaky"]["title"] is None
    assert "symbolic link loop" in entries["loop"]["error"]


def test_show_json_is_the_plan_as_played(
    capsys: pytest.CaptureFixture[str], user_routines: Path
) -> None:
    write(user_routines / "mine.toml", routine("Mine"))
    code, out, _ = run(capsys, "show", "mine", "--json")
    assert code == 0
    plan = json.loads(out)
    assert {key: plan[key] for key in ("id", "title", "total_seconds")} == {
        "id": "mine",
        "title": "Mine",
        "total_seconds": 60,
    }
    first, second = plan["steps"]
    assert {key: first[key] for key in ("index", "title", "kind", "side", "seconds")} == {
        "index": 0,
        "title": "Side bend, left side",
        "kind": "stretch",
        "side": "left",
        "seconds": 30,
    }
    assert (first["muscles"], first["text"], first["speech"]) == (
        [],
        "Stretch your left side.",
        "Stretch your left side.",
    )
    assert second["side"] == "right"


def test_show_text_and_unknown_ids(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "short-relief")
    assert code == 0 and "LEFT" in out and "RIGHT" in out
    code, _, err = run(capsys, "show", "short-releif")
    assert code == 1
    assert "no routine with the id 'short-releif'; did you mean 'short-relief'?" in err


def test_show_a_broken_routine_lists_its_problems(
    capsys: pytest.CaptureFixture[str], user_routines: Path
) -> None:
    path = write(user_routines / "bad.toml", 'format = 1\ntitle = "x"\nsteps = [{}]\n')
    code, _, err = run(capsys, "show", "bad")
    assert code == 1
    assert f"{path}: steps[0].title: missing; expected a string" in err


def test_validate_reports_every_problem_in_every_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    good = write(tmp_path / "good.toml", routine("Good"))
    bad = write(tmp_path / "sub" / "bad.toml", 'format = 1\ntitle = 3\nsteps = [{kind="x"}]\n')
    syntax = write(tmp_path / "syntax.toml", "title = [\n")
    code, out, err = run(capsys, "validate", str(tmp_path), str(good))
    assert code == 1
    lines = out.splitlines()
    assert f"{bad}: title: expected a string, got the number 3" in lines
    assert sum(line.startswith(f"{bad}: steps[0].") for line in lines) == 4
    assert any(line.startswith(f"{syntax}:2:1: not valid TOML") for line in lines)
    assert not any(line.startswith(str(good)) for line in lines)
    assert "4 file(s) checked, 2 with problems" in err


def test_validate_exit_codes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    good = write(tmp_path / "good.toml", routine("Good"))
    assert run(capsys, "validate", str(good))[0] == 0
    code, out, _ = run(capsys, "validate", str(tmp_path / "missing.toml"))
    assert (code, out) == (1, f"{tmp_path / 'missing.toml'}: no such file or folder\n")
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run(capsys, "validate", str(empty))[1] == f"{empty}: no .toml files in this folder\n"
    with pytest.raises(SystemExit) as usage:
        main(["validate"])
    assert usage.value.code == 2


def test_bundled_routines_are_valid(capsys: pytest.CaptureFixture[str]) -> None:
    from selfcare_tui.locations import bundled_routines_dir

    assert run(capsys, "validate", str(bundled_routines_dir()))[0] == 0


def test_new_writes_a_valid_starter_and_never_overwrites(
    capsys: pytest.CaptureFixture[str], user_routines: Path
) -> None:
    code, out, _ = run(capsys, "new", "my-morning")
    target = user_routines / "my-morning.toml"
    assert code == 0 and str(target) in out
    assert run(capsys, "validate", str(target))[0] == 0
    target.write_text("# my edits\n", encoding="utf-8")
    code, _, err = run(capsys, "new", "my-morning")
    assert code == 1 and "already exists" in err
    assert target.read_text(encoding="utf-8") == "# my edits\n"
    assert run(capsys, "new", "My Morning")[0] == 2


def test_help_version_and_module_entry_point() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "selfcare_tui", "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0 and result.stdout.startswith("selfcare ")
    result = subprocess.run(
        [sys.executable, "-m", "selfcare_tui", "--help"], capture_output=True, text=True
    )
    for command in ("list", "show", "validate", "new"):
        assert command in result.stdout


def test_cli_never_imports_textual_or_pyttsx3_for_list() -> None:
    code = (
        "import sys; from selfcare_tui.cli import main; main(['list']); "
        "assert 'textual' not in sys.modules and 'pyttsx3' not in sys.modules"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_new_refuses_an_overlong_id_and_notes_overrides(
    capsys: pytest.CaptureFixture[str], user_routines: Path
) -> None:
    code, _, err = run(capsys, "new", "a" * 65)
    assert code == 2 and "up to 64" in err
    assert not user_routines.exists() or not list(user_routines.iterdir())
    code, out, _ = run(capsys, "new", "desk-break")
    assert code == 0 and "replaces the bundled routine 'desk-break'" in out


def test_validate_does_not_follow_links_out_of_a_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    outside = write(tmp_path / "elsewhere" / "secret.toml", "not = [valid")
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "link.toml").symlink_to(outside)
    code, out, _ = run(capsys, "validate", str(folder))
    assert code == 1
    assert out == f"{folder / 'link.toml'}: links to a file outside the folder, so it is not read\n"
