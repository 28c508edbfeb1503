"""Helpers for the permission tests: a umask for one block, modes, and another user's files."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

OTHER_UID = 65534  # "nobody"


@contextlib.contextmanager
def umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    """The permission bits of `path` itself (not of a link's target)."""
    return stat.S_IMODE(os.lstat(path).st_mode)


def give_away(path: Path) -> None:
    """Make `path` (itself, not a link's target) belong to another user, or skip the test."""
    if not hasattr(os, "lchown"):
        pytest.skip("no lchown on this platform")
    try:
        os.lchown(path, OTHER_UID, OTHER_UID)
    except PermissionError:
        pytest.skip("only root can give a file to another user")


def private_tree_problems(root: Path) -> list[str]:
    """Every path under `root` (itself excluded) that is not a 0700 folder or a 0600 file."""
    problems = []
    for path in sorted(root.rglob("*")):
        info = os.lstat(path)
        if stat.S_ISDIR(info.st_mode):
            expected = 0o700
        elif stat.S_ISREG(info.st_mode):
            expected = 0o600
        else:
            problems.append(f"{path.relative_to(root)}: neither a file nor a folder")
            continue
        if stat.S_IMODE(info.st_mode) != expected:
            problems.append(f"{path.relative_to(root)}: {stat.S_IMODE(info.st_mode):o}")
    return problems
