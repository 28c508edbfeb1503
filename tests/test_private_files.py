"""Private, atomic writes: mode 0600 whatever the umask, no temporary files left, no overwrite."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from selfcare_tui.private_files import create_private, replace_private


def test_replace_private_is_readable_only_by_the_user(tmp_path: Path) -> None:
    target = tmp_path / "settings.toml"
    target.write_text("old", encoding="utf-8")
    old_umask = os.umask(0)
    try:
        replace_private(target, b"new")
    finally:
        os.umask(old_umask)
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
