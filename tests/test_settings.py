"""App settings: defaults, notices for broken keys, atomic saves, backups of broken files."""

from __future__ import annotations

import os
import stat
import time
from datetime import datetime
from pathlib import Path

import pytest
from helpers import write
from private_helpers import give_away, mode, private_tree_problems, umask

from selfcare_tui import locations
from selfcare_tui.private_files import STALE_TEMP_SECONDS, UnsafePath, write_temp
from selfcare_tui.settings import (
    HIGH_CONTRAST_THEME,
    AppSettings,
    backup_file,
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


def test_under_umask_000_every_folder_and_file_saving_creates_is_private(
    private_user_dirs,
) -> None:
    root = private_user_dirs["config"].parent
    with umask(0o000):
        path = save_settings(AppSettings())
        path.write_text("theme = 3\n", encoding="utf-8")  # broken: backed up on the next save
        save_settings(AppSettings())
    assert len(list(path.parent.glob("settings.toml.bak-*"))) == 1
    assert private_tree_problems(private_user_dirs["config"]) == []
    assert mode(private_user_dirs["config"]) == 0o700  # XDG_CONFIG_HOME was missing too
    assert mode(root) == 0o700  # tmp_path: existing parents are left alone


def test_an_existing_config_folder_open_to_others_is_tightened(tmp_path: Path) -> None:
    folder = tmp_path / "selfcare"
    folder.mkdir()
    os.chmod(folder, 0o777)
    save_settings(AppSettings(), folder / "settings.toml")
    assert mode(folder) == 0o700


def test_a_dangling_link_at_the_backup_name_is_never_followed(tmp_path: Path) -> None:
    path = write(tmp_path / "settings.toml", "theme = 3\n")
    victim = tmp_path / "elsewhere" / ".bashrc"
    victim.parent.mkdir()
    now = datetime(2026, 1, 2, 3, 4, 5)
    (tmp_path / "settings.toml.bak-20260102T030405").symlink_to(victim)

    backup = backup_file(path, now)

    assert not victim.exists()
    assert backup.name == "settings.toml.bak-20260102T030405-2"
    assert backup.read_text() == "theme = 3\n" and mode(backup) == 0o600


def test_a_dangling_link_at_the_backup_name_is_not_followed_by_a_save(tmp_path: Path) -> None:
    path = write(tmp_path / "settings.toml", "theme = 3\n")
    victim = tmp_path / "victim"
    for seconds in (0, 1, 2):  # planted for the second the save happens in, whichever it is
        stamp = datetime.fromtimestamp(time.time() + seconds).strftime("%Y%m%dT%H%M%S")
        link = tmp_path / f"settings.toml.bak-{stamp}"
        if not link.is_symlink():
            link.symlink_to(victim)
    save_settings(AppSettings(), path)
    assert not victim.exists()
    [backup] = [p for p in tmp_path.glob("settings.toml.bak-*") if not p.is_symlink()]
    assert backup.read_text() == "theme = 3\n"


def test_a_config_folder_that_links_to_another_users_folder_is_refused(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o1777)
    give_away(shared)
    (tmp_path / "selfcare").symlink_to(shared)
    with pytest.raises(UnsafePath):
        save_settings(AppSettings(), tmp_path / "selfcare" / "settings.toml")
    assert list(shared.iterdir()) == [] and mode(shared) == 0o1777


def test_a_save_removes_temporary_files_left_by_killed_saves(tmp_path: Path) -> None:
    stale = write_temp(tmp_path, "settings.toml", b"half")
    fresh = write_temp(tmp_path, "settings.toml", b"in progress")
    old = time.time() - STALE_TEMP_SECONDS - 60
    os.utime(stale, (old, old))
    save_settings(AppSettings(), tmp_path / "settings.toml")
    assert not stale.exists() and fresh.exists()


def test_the_countdown_style_is_kept_and_a_wrong_one_named(tmp_path: Path) -> None:
    from selfcare_tui.vocabulary import CountdownStyle

    chosen = write(tmp_path / "chosen.toml", 'countdown = "sounds"\n')
    settings, notices = load_settings(chosen)
    assert settings.countdown is CountdownStyle.SOUNDS and notices == []
    assert settings.countdown_for(CountdownStyle.SPEECH) is CountdownStyle.SOUNDS  # the user's
    assert AppSettings().countdown_for(CountdownStyle.SPEECH) is CountdownStyle.SPEECH
    assert AppSettings().countdown_for(None) is CountdownStyle.BOTH
    off = AppSettings(announce_countdown=False, countdown=CountdownStyle.SOUNDS)
    assert off.countdown_for(CountdownStyle.BOTH) is CountdownStyle.OFF

    wrong = write(tmp_path / "wrong.toml", 'countdown = "loud"\n')
    settings, notices = load_settings(wrong)
    assert settings.countdown is None
    assert notices == [f"{wrong}: countdown: expected one of speech, sounds, both, not 'loud'"]


def test_voice_command_settings_are_kept_and_a_crafted_microphone_refused(tmp_path: Path) -> None:
    chosen = write(tmp_path / "chosen.toml", 'listen = true\nmicrophone = "rec.monitor"\n')
    settings, notices = load_settings(chosen)
    assert (settings.listen, settings.microphone, notices) == (True, "rec.monitor", [])
    save_settings(settings, tmp_path / "saved.toml")
    assert load_settings(tmp_path / "saved.toml")[0] == settings

    crafted = write(tmp_path / "crafted.toml", 'listen = "yes"\nmicrophone = "x\\u001b[2J"\n')
    settings, notices = load_settings(crafted)
    assert (settings.listen, settings.microphone) == (False, "")
    assert [notice.split(": ")[1] for notice in notices] == ["listen", "microphone"]
    assert all("\x1b" not in notice for notice in notices)
