"""Where selfcare keeps things: bundled routines, the user's config and private data."""

from __future__ import annotations

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


def routine_cache_path() -> Path:
    return cache_dir() / "routines-v1.json"
