"""Private, atomic writes: mode 0600 whatever the umask, no temporary files left, no overwrite,
no write through a link nobody expected, folders 0700 and never a link's target chmod'ed."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest
from private_helpers import give_away, mode, private_tree_problems, umask

from selfcare_tui.private_files import (
    STALE_TEMP_SECONDS,
    UnsafePath,
    check_private_folder,
    clean_stale_temps,
    create_private,
    make_private_folder,
    make_private_temp_folder,
    open_private_append,
    read_regular_file,
    replace_private,
    reserve_private,
    write_temp,
)


def test_replace_private_is_readable_only_by_the_user(tmp_path: Path) -> None:
    target = tmp_path / "settings.toml"
    target.write_text("old", encoding="utf-8")
    with umask(0):
        replace_private(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [path.name for path in tmp_path.iterdir()] == ["settings.toml"]


def test_create_private_never_replaces(tmp_path: Path) -> None:
    target = tmp_path / "summary.md"
    create_private(target, b"first")
    with pytest.raises(FileExistsError):
        create_private(target, b"second")
    assert target.read_bytes() == b"first"
    assert [path.name for path in tmp_path.iterdir()] == ["summary.md"]


def test_create_private_never_writes_through_a_dangling_link(tmp_path: Path) -> None:
    victim = tmp_path / "elsewhere" / "planted"
    victim.parent.mkdir()
    (tmp_path / "backup").symlink_to(victim)
    with pytest.raises(FileExistsError):
        create_private(tmp_path / "backup", b"chosen content")
    assert not victim.exists()


def test_replace_private_replaces_a_link_instead_of_writing_through_it(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_bytes(b"precious")
    (tmp_path / "cache.json").symlink_to(victim)
    replace_private(tmp_path / "cache.json", b"{}")
    assert victim.read_bytes() == b"precious"
    assert not (tmp_path / "cache.json").is_symlink()


@pytest.mark.parametrize("mask", [0o000, 0o022, 0o777])
def test_make_private_folder_makes_every_missing_folder_0700(tmp_path: Path, mask: int) -> None:
    with umask(mask):
        made = make_private_folder(tmp_path / "a" / "b" / "c")
        write_temp(made, "x", b"data")
    assert made == tmp_path / "a" / "b" / "c"
    assert private_tree_problems(tmp_path) == []


def test_make_private_folder_tightens_our_own_folder_and_never_loosens(tmp_path: Path) -> None:
    loose, tight = tmp_path / "loose", tmp_path / "tight"
    loose.mkdir()
    tight.mkdir()
    os.chmod(loose, 0o755)
    os.chmod(tight, 0o500)
    make_private_folder(loose)
    make_private_folder(tight)
    assert (mode(loose), mode(tight)) == (0o700, 0o500)


def test_a_link_to_our_own_folder_is_used_and_its_target_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "synced"
    target.mkdir()
    os.chmod(target, 0o755)
    link = tmp_path / "journal"
    link.symlink_to(target)
    assert make_private_folder(link) == link
    assert mode(target) == 0o755


def test_a_link_to_a_shared_folder_of_another_user_is_refused_and_left_alone(
    tmp_path: Path,
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o1777)
    give_away(shared)
    link = tmp_path / "journal"
    link.symlink_to(shared)
    with pytest.raises(UnsafePath, match="owned by another user") as caught:
        make_private_folder(link)
    assert caught.value.filename == str(link) and isinstance(caught.value, OSError)
    with pytest.raises(UnsafePath):
        check_private_folder(link)
    assert mode(shared) == 0o1777 and list(shared.iterdir()) == []


def test_a_folder_of_another_user_is_refused(tmp_path: Path) -> None:
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    os.chmod(theirs, 0o755)
    give_away(theirs)
    with pytest.raises(UnsafePath):
        make_private_folder(theirs)
    assert mode(theirs) == 0o755


def test_a_dangling_link_is_refused_and_its_target_never_created(tmp_path: Path) -> None:
    link = tmp_path / "journal"
    link.symlink_to(tmp_path / "planted")
    with pytest.raises(UnsafePath, match="link to nothing"):
        make_private_folder(link / "inside")
    assert not (tmp_path / "planted").exists()


def test_a_file_where_a_folder_belongs_is_not_a_folder(tmp_path: Path) -> None:
    (tmp_path / "journal").write_text("oops")
    with pytest.raises(NotADirectoryError):
        make_private_folder(tmp_path / "journal")
    check_private_folder(tmp_path / "missing")  # nothing to check: passes


def test_make_private_temp_folder(tmp_path: Path) -> None:
    with umask(0):
        first = make_private_temp_folder(tmp_path / "speech", "run-")
        second = make_private_temp_folder(tmp_path / "speech", "run-")
    assert first != second and first.name.startswith("run-")
    assert private_tree_problems(tmp_path) == []


def test_open_private_append_creates_0600_and_tightens_our_file(tmp_path: Path) -> None:
    new, old = tmp_path / "new.tsv", tmp_path / "old.tsv"
    old.write_text("line\n")
    os.chmod(old, 0o644)
    with umask(0):
        for path in (new, old):
            with open_private_append(path) as file:
                file.write(b"more\n")
    assert (mode(new), mode(old)) == (0o600, 0o600)
    assert old.read_text() == "line\nmore\n"


def test_open_private_append_follows_our_own_link_but_not_another_users(tmp_path: Path) -> None:
    target = tmp_path / "target.tsv"
    target.write_text("")
    os.chmod(target, 0o640)
    ours = tmp_path / "ours.tsv"
    ours.symlink_to(target)
    with open_private_append(ours) as file:
        file.write(b"a\n")
    assert target.read_text() == "a\n" and mode(target) == 0o640  # never chmod'ed through it

    planted = tmp_path / "planted.tsv"
    planted.symlink_to(target)
    give_away(planted)
    with pytest.raises(UnsafePath, match="link made by another user"):
        open_private_append(planted)
    assert target.read_text() == "a\n"


def test_clean_stale_temps_removes_only_our_old_temporary_files(tmp_path: Path) -> None:
    old = write_temp(tmp_path, "settings.toml", b"x")
    fresh = write_temp(tmp_path, "settings.toml", b"y")
    lookalikes = [tmp_path / ".notes.tmp", tmp_path / "draft-0123abcd.tmp", tmp_path / "keep.toml"]
    for path in lookalikes:
        path.write_text("mine")
    link = tmp_path / ".link-0123abcd.tmp"
    link.symlink_to(tmp_path / "keep.toml")
    now = time.time()
    for path in [old, *lookalikes]:
        os.utime(path, (now - STALE_TEMP_SECONDS - 1,) * 2)

    assert clean_stale_temps(tmp_path, now=now) == [old]

    assert fresh.exists() and all(path.exists() for path in lookalikes) and link.is_symlink()
    assert clean_stale_temps(tmp_path / "missing") == []
    assert clean_stale_temps(tmp_path, now=now + STALE_TEMP_SECONDS + 1, names=[]) == []


def test_read_regular_file_refuses_a_fifo_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "settings.toml"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="not a regular file"):
        read_regular_file(fifo, 1024)
    big = tmp_path / "big"
    big.write_bytes(b"x" * 11)
    with pytest.raises(OSError, match="larger than 10 bytes"):
        read_regular_file(big, 10)
    assert read_regular_file(big, 11) == b"x" * 11


def test_reserve_private_makes_an_empty_0600_file_that_keeps_its_mode(tmp_path: Path) -> None:
    wav = tmp_path / "part.wav"
    with umask(0):
        reserve_private(wav)
        wav.write_bytes(b"RIFF")  # a library writing it by name: truncated, mode kept
    assert mode(wav) == 0o600 and wav.read_bytes() == b"RIFF"
    (tmp_path / "planted.wav").symlink_to(tmp_path / "victim")
    with pytest.raises(FileExistsError):
        reserve_private(tmp_path / "planted.wav")
    assert not (tmp_path / "victim").exists()
