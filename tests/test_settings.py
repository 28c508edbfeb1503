"""App settings: defaults, notices for broken keys, atomic saves, backups of broken files."""

from __future__ import annotations

import stat
from pathlib import Path

from helpers import write

from selfcare_tui import locations
from selfcare_tui.settings import (
    HIGH_CONTRAST_THEME,
    AppSettings,
    load_settings,
    save_settings,
)


def test_missing_file_gives_the_defaults_quietly() -> None:
    assert load_settings() == (AppSettings(), [])


def test_round_trip_in_the_config_dir(private_user_dirs) -> None:
    settings = AppSettings(
        theme=HIGH_CONTRAST_THEME, announce_countdown=False, keymap={"pause": "p"}
    )
    settings = settings.with_speech(voice="en-gb", rate=200, volume=0.5, muted=True)
    path = save_settings(settings)
    assert path == locations.settings_path()
    assert path.is_relative_to(private_user_dirs["config"])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_settings() == (settings, [])
    assert not list(path.parent.glob("*.bak-*"))  # a clean file is not backed up


def test_broken_keys_get_defaults_and_notices_valid_ones_stay(tmp_path: Path) -> None:
    path = write(
        tmp_path / "settings.toml",
        'theme = 3\ncolour = "red"\nannounce_countdown = "yes"\n'
        '[speech]\nrate = 999\nvolume = 0.4\nmuted = "no"\npitch = 2\n'
        '[keymap]\npause = "space"\nquit = 7\n',
    )
    settings, notices = load_settings(path)
    assert settings.speech.volume == 0.4 and settings.keymap == {"pause": "space"}
    assert settings.speech.rate == AppSettings().speech.rate
    assert settings.theme == "textual-dark" and settings.announce_countdown is True
    keys = [notice.split(": ")[1] for notice in notices]
    assert keys == [
        "theme", "colour", "announce_countdown", "speech.rate", "speech.muted", "speech.pitch",
        "keymap.quit",
    ]  # fmt: skip
    assert all(notice.startswith(f"{path}: ") for notice in notices)
    assert "rate must be between 80 and 450" in notices[3]


def test_notices_show_the_home_folder_as_a_tilde(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    path = write(tmp_path / ".config" / "selfcare" / "settings.toml", "[speech]\nrate = 1\n")
    _, notices = load_settings(path)
    assert notices[0].startswith("~/.config/selfcare/settings.toml: speech.rate: ")


def test_a_file_that_is_not_toml_gives_defaults_and_is_backed_up_before_a_save(
    tmp_path: Path,
) -> None:
    path = write(tmp_path / "settings.toml", "theme = 'textual-light\n[speech\n")
    original = path.read_bytes()
    settings, notices = load_settings(path)
    assert settings == AppSettings()
    assert len(notices) == 1 and "not valid TOML" in notices[0] and str(path) in notices[0]
    assert path.read_bytes() == original  # reading never changes it
    save_settings(settings.with_speech(rate=150), path)
    [backup] = tmp_path.glob("settings.toml.bak-*")
    assert backup.read_bytes() == original
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert load_settings(path) == (AppSettings().with_speech(rate=150), [])
    save_settings(AppSettings(), path)
    assert len(list(tmp_path.glob("settings.toml.bak-*"))) == 1


def test_a_file_with_a_bad_key_is_backed_up_too(tmp_path: Path) -> None:
    path = write(tmp_path / "settings.toml", "[speech]\nrate = 'fast'\n# my comment\n")
    save_settings(AppSettings(), path)
    [backup] = tmp_path.glob("settings.toml.bak-*")
    assert "# my comment" in backup.read_text()
    save_settings(AppSettings(), path)  # two backups in one second never collide
    assert len(list(tmp_path.glob("settings.toml.bak-*"))) == 1


def test_no_temporary_files_are_left(tmp_path: Path) -> None:
    save_settings(AppSettings(), tmp_path / "cfg" / "settings.toml")
    assert [p.name for p in (tmp_path / "cfg").iterdir()] == ["settings.toml"]
