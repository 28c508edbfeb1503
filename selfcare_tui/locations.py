"""Where selfcare keeps things: bundled routines, the user's config and private data."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import platformdirs

APP_NAME = "selfcare"
_PACKAGE_DIR = Path(__file__).resolve().parent


def bundled_routines_dir() -> Path:
    """The routines shipped with the app: inside the wheel, or `routines/` in a source checkout."""
    installed = _PACKAGE_DIR / "bundled_routines"
    return installed if installed.is_dir() else _PACKAGE_DIR.parent / "routines"


def config_dir() -> Path:
    """`~/.config/selfcare` on Linux (honouring XDG_CONFIG_HOME)."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    """`~/.local/share/selfcare` on Linux (honouring XDG_DATA_HOME)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def user_routines_dir() -> Path:
    return config_dir() / "routines"


def settings_path() -> Path:
    return config_dir() / "settings.toml"


def journal_dir() -> Path:
    return data_dir() / "journal"


def cache_dir() -> Path:
    """`~/.cache/selfcare` on Linux (honouring XDG_CACHE_HOME): nothing there is precious."""
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def state_dir() -> Path:
    """`~/.local/state/selfcare` on Linux (honouring XDG_STATE_HOME): kept, but not data.

    Create it with `private_files.make_private_folder` like every folder of the app's.
    """
    return Path(platformdirs.user_state_dir(APP_NAME, appauthor=False))


def routine_cache_path() -> Path:
    return cache_dir() / "routines.sqlite3"


def runtime_dir() -> Path:
    """Short-lived private files: `$XDG_RUNTIME_DIR/selfcare`, else `<cache dir>/run`.

    $XDG_RUNTIME_DIR is used only when it is what the XDG spec promises (an absolute path to a
    folder of ours that nobody else can enter, usually a tmpfs emptied at logout); never
    $TMPDIR, which other users share.
    """
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if runtime and os.path.isabs(runtime) and _private_folder_of_ours(runtime):
        return Path(runtime) / APP_NAME
    return cache_dir() / "run"


def speech_temp_dir() -> Path:
    """Where the speech WAVs live while they are played (they hold health sentences)."""
    return runtime_dir() / "speech"


def _private_folder_of_ours(path: str) -> bool:
    try:
        info = os.stat(path)
    except OSError:
        return False
    getuid = getattr(os, "getuid", None)
    ours = getuid is None or info.st_uid == getuid()
    return stat.S_ISDIR(info.st_mode) and ours and not stat.S_IMODE(info.st_mode) & 0o077
