"""Small helpers for tests: paths of the repository, writing files, running a player."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Protocol

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = REPO_ROOT.parent / "shared"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


ESPEAK_MISSING = shutil.which("espeak-ng") is None
requires_espeak = pytest.mark.skipif(
    ESPEAK_MISSING and os.environ.get("CI") != "true",
    reason="espeak-ng is not installed (sudo apt-get install espeak-ng); CI always runs these",
)
"""Real speech tests: skipped on a machine without espeak-ng, but never in CI."""


class _Ticked(Protocol):
    def tick(self) -> None: ...


class _Clock(Protocol):
    def advance(self, seconds: float) -> None: ...


def run_for(player: _Ticked, clock: _Clock, seconds: float, step: float = 0.25) -> None:
    """Move a fake clock on `seconds` in steps of `step`, the player ticking after each."""
    for _ in range(round(seconds / step)):
        clock.advance(step)
        player.tick()
