"""Markers for tests that need a system package (a Debian package, not a Python one).

On a developer's machine without the package such a test is skipped, with the command that
installs it. With CI=true it always runs: `.ci/run` installs every one of these packages, so a
package missing in CI fails the test instead of letting it pass or skip quietly.
"""

from __future__ import annotations

import os
import shutil

import pytest

IN_CI = os.environ.get("CI") == "true"


def requires_command(*commands: str, package: str) -> pytest.MarkDecorator:
    """Skip unless one of `commands` is on PATH; never skip in CI."""
    missing = not any(shutil.which(command) for command in commands)
    return pytest.mark.skipif(
        missing and not IN_CI,
        reason=(
            f"{' or '.join(commands)} is not installed (sudo apt-get install {package}); "
            "CI always runs these"
        ),
    )


requires_audio_player = requires_command("pw-play", "paplay", "aplay", package="alsa-utils")
"""Tests of the real player: without one the app shows "No audio player found" instead of
running the player (which, with no sound card, fails quietly)."""

requires_tmux = requires_command("tmux", package="tmux")
"""The end-to-end tests, which drive the real app in a real terminal."""

requires_flite = requires_command("flite", package="flite")
"""Voice-command tests: commands said by flite's voices (and espeak-ng's) for the recogniser."""
