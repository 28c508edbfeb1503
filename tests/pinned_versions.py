"""The SVG snapshots are drawn by exact releases of textual and rich: the ones constraints.txt pins.

Any other release may draw a cell differently, so with other versions installed the snapshot
tests are skipped, naming the pins. With CI=true they always run (CI installs the pins).
"""

from __future__ import annotations

import os
from importlib.metadata import version
from pathlib import Path

import pytest

CONSTRAINTS = Path(__file__).resolve().parents[1] / "constraints.txt"
DRAWN_BY = ("textual", "rich")


def pinned_versions(path: Path = CONSTRAINTS) -> dict[str, str]:
    """The `name==version` lines of constraints.txt, for the packages that draw the snapshots."""
    pins: dict[str, str] = {}
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            name, pinned, release = line.split("#")[0].strip().partition("==")
            if pinned and name.strip().lower() in DRAWN_BY:
                pins[name.strip().lower()] = release.strip()
    return pins


PINNED = pinned_versions()
INSTALLED = {name: version(name) for name in DRAWN_BY}


def _reason() -> str:
    if not PINNED:
        return f"{CONSTRAINTS} is missing: the releases that drew the snapshots are unknown"
    wanted = ", ".join(f"{name} {PINNED.get(name, '?')}" for name in DRAWN_BY)
    found = ", ".join(f"{name} {INSTALLED[name]}" for name in DRAWN_BY)
    return (
        f"the snapshots were drawn with {wanted} (constraints.txt) and this environment has "
        f"{found}: pip install -e '.[test]' -c constraints.txt; CI always runs these"
    )


requires_pinned_versions = pytest.mark.skipif(
    any(PINNED.get(name) != INSTALLED[name] for name in DRAWN_BY)
    and os.environ.get("CI") != "true",
    reason=_reason(),
)
"""For every test that compares an SVG snapshot."""
