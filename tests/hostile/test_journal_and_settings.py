"""Hostile journal entries and settings files: a clean warning naming the file, never a crash,
a hang or a control byte on the terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO_ROOT
from hostile.crafted import unclean
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfcare_tui.journal.codec import entry_to_document
from selfcare_tui.journal.store import Journal

GOOD = """journal_format = 1
routine_id = "r"
routine_title = "R"
routine_format_version = 1
ending = "completed"
started_at = 2026-06-01T08:00:00Z
ended_at = 2026-06-01T08:10:00Z
"""
HOSTILE_ENTRIES = {
    "year-one": GOOD.replace("2026-06-01T08:00:00Z", "0001-01-01T00:00:00+05:00"),
    "year-9999": GOOD.replace("2026-06-01T08:10:00Z", "9999-12-31T23:59:59-05:00"),
    "ends-before": GOOD.replace("08:10:00Z", "07:00:00Z"),
    "inf-seconds": GOOD + '[[steps]]\nindex = 0\ntitle = "a"\nside = "left"\n'
    'outcome = "done"\nseconds_planned = 10\nseconds_spent = inf\n',
    "nan-seconds": GOOD + '[[steps]]\nindex = 0\ntitle = "a"\nside = "left"\n'
    'outcome = "done"\nseconds_planned = 10\nseconds_spent = nan\n',
    "deep": GOOD + "x = " + "[" * 10_000 + "]" * 10_000 + "\n",
    "escapes": GOOD.replace('"R"', '"\\u001b]52;c;aGk=\\u0007\\u009b2J\\u202e"'),
    "markup": GOOD.replace('"R"', '"[@click=app.quit]x[/]"'),
}


def selfcare(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "selfcare_tui", *args],
        capture_output=True, text=True, env=env, cwd=REPO_ROOT, timeout=60,
    )  # fmt: skip


@pytest.fixture
def env(private_user_dirs: dict[str, Path]) -> dict[str, str]:
    return dict(os.environ)


@pytest.fixture
def journal_dir(private_user_dirs: dict[str, Path]) -> Path:
    folder = private_user_dirs["data"] / "selfcare" / "journal"
    folder.mkdir(parents=True, mode=0o700)
    return folder


def test_hostile_entries_are_named_and_the_rest_still_listed(
    env: dict[str, str], journal_dir: Path
) -> None:
    (journal_dir / "2026-06-01T08-00-00Z-0000.toml").write_text(GOOD, encoding="utf-8")
    for number, (name, text) in enumerate(HOSTILE_ENTRIES.items(), start=1):
        (journal_dir / f"2026-06-0{number % 9 + 1}T08-00-00Z-{name}.toml").write_text(text)
    os.mkfifo(journal_dir / "2026-06-09T08-00-00Z-fifo.toml")
    (journal_dir / "2026-06-09T08-00-00Z-zero.toml").symlink_to("/dev/zero")
    for args in (
        ["history"],
        ["history", "--json"],
        ["export"],
        ["history", "--since", "0001-01-01"],
    ):
        done = selfcare(args, env)
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
        assert unclean(done.stdout) == [] and unclean(done.stderr) == []
    listed = selfcare(["history", "--json"], env)
    assert listed.stdout.count('"routine_id"') == 3  # the good one, the escapes and the markup
    for name in ("year-one", "year-9999", "ends-before", "inf-seconds", "nan-seconds", "deep"):
        assert name in listed.stderr


@pytest.mark.parametrize("special", ["fifo", "/dev/zero"])
def test_a_settings_file_that_is_not_a_file_is_a_notice(
    env: dict[str, str], private_user_dirs: dict[str, Path], special: str
) -> None:
    settings = private_user_dirs["config"] / "selfcare" / "settings.toml"
    settings.parent.mkdir(parents=True)
    if special == "fifo":
        os.mkfifo(settings)
    else:
        settings.symlink_to(special)
    done = selfcare(["run", "desk-break", "--plain", "--mute"], env | {"PYTHONIOENCODING": "utf-8"})
    assert done.returncode == 1  # no input: nothing starts
    assert "settings.toml: cannot read (not a regular file)" in done.stderr


@settings(
    max_examples=60, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)  # fmt: skip
@given(
    values=st.dictionaries(
        st.sampled_from(["routine_title", "note", "ending", "started_at", "seconds_spent"]),
        st.one_of(st.text(max_size=30), st.integers(), st.floats(allow_nan=True), st.booleans()),
    )
)
def test_fuzzed_entries_never_break_history_or_export(
    tmp_path: Path, values: dict[str, object]
) -> None:
    import tomllib

    import tomli_w

    from selfcare_tui.journal.codec import entry_from_document
    from selfcare_tui.journal.history import export_markdown
    from selfcare_tui.journal.index import JournalIndex
    from selfcare_tui.journal.store import _read_entry

    good = GOOD + HOSTILE_ENTRIES["inf-seconds"][len(GOOD) :].replace("inf", "5.0")
    document = entry_to_document(entry_from_document(tomllib.loads(good)))
    for key, value in values.items():
        target = document["steps"][0] if key == "seconds_spent" else document
        target[key] = value
    folder = tmp_path / f"j{abs(hash(repr(values)))}"
    folder.mkdir()
    (folder / "2026-06-01T08-00-00Z-fuzz.toml").write_text(tomli_w.dumps(document))
    history = Journal(folder).load_all()
    assert len(history.entries) + len(history.problems) == 1
    with JournalIndex(folder, _read_entry) as index:
        assert (
            unclean(
                b"\n".join(line for lines in index.listings() for line in lines).decode("ascii")
            )
            == []
        )
    assert unclean(export_markdown(history.entries)) == []
