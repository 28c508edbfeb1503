"""The user's choices (voice, rate, volume, theme, ...) in `<config dir>/selfcare/settings.toml`.

    theme = "textual-dark"        # any Textual theme; THEMES lists the ones offered
    announce_countdown = true     # count the last seconds of each hold (false: never)
    countdown = "both"            # speech ("3, 2, 1") | sounds (ticks) | both; absent: routine
    speech_output = "auto"        # own | speechd (your screen reader's) | off | auto
    listen = false                # voice commands during a routine ("coach next")
    microphone = ""               # a sound server source name; "": the default microphone

    [speech]                      # validated by SpeechSettings
    voice = "en-gb"               # absent: the engine's default voice
    rate = 165
    volume = 1.0
    muted = false

    [keymap]                      # binding id = keys, as in Textual ("space", "ctrl+p")
    pause = "space"

Reading never fails: a key with a bad value, an unknown key, or a file that is not TOML at all
gives the default for what is broken (valid keys are kept) and a notice naming the file and the
key. Saving is atomic, and a file that did not read cleanly is first copied to
`settings.toml.bak-<timestamp>`: a hand-edited file is never silently lost.

Saving is private whatever the umask: the folder is made 0700 (`make_private_folder`, which also
refuses a link to another user's folder), files are 0600, a backup never writes through a link
(a dangling one at its name included), and `.tmp` files left by killed saves are removed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from selfcare_tui import locations
from selfcare_tui.private_files import (
    clean_stale_temps,
    create_private,
    make_private_folder,
    read_regular_file,
    replace_private,
)
from selfcare_tui.speech.output import SpeechOutput
from selfcare_tui.speech.settings import SettingsError, SpeechSettings
from selfcare_tui.vocabulary import CountdownStyle

DEFAULT_THEME = "textual-dark"
HIGH_CONTRAST_THEME = "selfcare-high-contrast"
THEMES = (DEFAULT_THEME, "textual-light", HIGH_CONTRAST_THEME)
"""The themes the app offers; any other Textual theme name is accepted too."""
# Patterns, compiled (and cached by re) when a settings file is read: not at every launch.
_THEME_NAME = r"^[a-z0-9][a-z0-9_-]{0,63}$"
_KEY_NAME = r"^[a-z0-9_.-]{1,64}$"
BACKUP_LIMIT = 16 * 1024 * 1024
"""A settings file larger than this is not copied to a backup (it is not a hand-edited file)."""
_BACKUP_ATTEMPTS = 100


@dataclass(frozen=True)
class AppSettings:
    speech: SpeechSettings = field(default_factory=SpeechSettings)
    """Voice, rate, volume and mute."""
    theme: str = DEFAULT_THEME
    """A Textual theme name: "textual-dark", "textual-light", "selfcare-high-contrast", ..."""
    announce_countdown: bool = True
    """Count the last seconds of each hold; False turns the countdown off everywhere."""
    countdown: CountdownStyle | None = None
    """speech ("3, 2, 1"), sounds (ticks) or both; None: the routine's choice, else both."""
    speech_output: SpeechOutput = SpeechOutput.AUTO
    """own (selfcare's voice), speechd (the user's speech-dispatcher), off, or auto."""
    keymap: dict[str, str] = field(default_factory=dict)
    """Binding id to keys, e.g. {"player.pause": "k"}; ids the app does not know are ignored."""
    listen: bool = False
    """Voice commands during a routine (needs the voice extra and a microphone)."""
    microphone: str = ""
    """The sound server's source to listen on; "" for its default."""

    def countdown_for(self, routine_style: CountdownStyle | None) -> CountdownStyle:
        """The countdown a routine is played with: off if the user turned it off, else the
        user's style, else the routine's, else both."""
        if not self.announce_countdown:
            return CountdownStyle.OFF
        return self.countdown or routine_style or CountdownStyle.BOTH

    def with_speech(self, **changes: Any) -> AppSettings:
        """A copy with speech settings changed (validated by SpeechSettings)."""
        return replace(self, speech=replace(self.speech, **changes))


SETTINGS_LIMIT = 64 * 1024
"""A settings file is a few hundred bytes; anything much larger is not one."""


def load_settings(path: Path | None = None) -> tuple[AppSettings, list[str]]:
    """The settings in `path` (default: settings_path()), and notices about what was ignored."""
    path = path or locations.settings_path()
    shown = display_path(path)
    try:
        raw = read_regular_file(path, SETTINGS_LIMIT)  # a FIFO or /dev/zero: an error, not a hang
    except FileNotFoundError:
        return AppSettings(), []
    except OSError as error:
        return AppSettings(), [f"{shown}: cannot read ({error.strerror}); using the defaults"]
    import tomli  # here: with no settings file yet, the launch does without it

    try:
        document = tomli.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomli.TOMLDecodeError) as error:
        return AppSettings(), [
            f"{shown}: not valid TOML ({error}); using the defaults. The file is kept, and "
            "backed up before it is ever rewritten"
        ]
    notices: list[str] = []

    def notice(key: str, message: str) -> None:
        notices.append(f"{shown}: {key}: {message}")

    return _from_document(document, notice), notices


def save_settings(settings: AppSettings, path: Path | None = None) -> Path:
    """Write `settings` atomically (0600); back up first a file that did not read cleanly."""
    path = path or locations.settings_path()
    make_private_folder(path.parent)
    clean_stale_temps(path.parent)
    if path.exists():
        _, notices = load_settings(path)
        if notices:
            backup_file(path)
    import tomli_w  # only when settings are saved: not on the way to the first frame

    data = tomli_w.dumps(to_document(settings)).encode("utf-8")
    replace_private(path, data)
    return path


def backup_file(path: Path, now: datetime | None = None) -> Path:
    """Copy `path` to `<name>.bak-<timestamp>` (never over an existing backup) and return it.

    The backup is created 0600 under a name nothing holds yet: an existing file or link there
    (even a dangling one) is never written through; the next free `-<n>` name is used instead.
    Only a regular file (or a link to one) of at most BACKUP_LIMIT bytes is copied.
    """
    stamp = (now or datetime.now()).strftime("%Y%m%dT%H%M%S")
    data = read_regular_file(path, BACKUP_LIMIT)
    for n in range(1, _BACKUP_ATTEMPTS + 1):
        suffix = "" if n == 1 else f"-{n}"
        backup = path.with_name(f"{path.name}.bak-{stamp}{suffix}")
        try:
            create_private(backup, data)
        except FileExistsError:
            continue
        return backup
    raise FileExistsError(f"no free name for a backup of {path}")


def to_document(settings: AppSettings) -> dict[str, Any]:
    speech: dict[str, Any] = {}
    if settings.speech.voice is not None:
        speech["voice"] = settings.speech.voice
    speech |= {
        "rate": settings.speech.rate,
        "volume": settings.speech.volume,
        "muted": settings.speech.muted,
    }
    return {
        "theme": settings.theme,
        "announce_countdown": settings.announce_countdown,
        **({"countdown": settings.countdown.value} if settings.countdown else {}),
        "speech_output": settings.speech_output.value,
        "listen": settings.listen,
        **({"microphone": settings.microphone} if settings.microphone else {}),
        "speech": speech,
        "keymap": dict(settings.keymap),
    }


def display_path(path: Path) -> str:
    """`path` with the home folder shown as `~`."""
    try:
        return "~/" + path.relative_to(Path.home()).as_posix()
    except ValueError:
        return str(path)


Notice = Callable[[str, str], None]
_SOURCE_NAME = r"[A-Za-z0-9_.:@-]{0,200}"
"""What a sound server names a source (alsa_input.pci-0000_00_1f.3.analog-stereo, rec.monitor)."""


# -- inside ----------------------------------------------------------------------------------------


def _from_document(document: dict[str, Any], notice: Notice) -> AppSettings:
    values: dict[str, Any] = {}
    known = {f.name for f in fields(AppSettings)}
    for key, value in document.items():
        if key not in known:
            notice(key, f"unknown setting; known: {', '.join(sorted(known))}")
        elif key == "speech":
            values["speech"] = _speech(value, notice)
        elif key == "theme":
            if isinstance(value, str) and re.match(_THEME_NAME, value):
                values["theme"] = value
            else:
                notice(key, f"expected a theme name such as {', '.join(THEMES)}, not {value!r}")
        elif key == "announce_countdown":
            if isinstance(value, bool):
                values["announce_countdown"] = value
            else:
                notice(key, f"expected true or false, not {value!r}")
        elif key == "countdown":
            styles = [style.value for style in CountdownStyle if style is not CountdownStyle.OFF]
            if value in styles:
                values["countdown"] = CountdownStyle(value)
            else:
                notice(key, f"expected one of {', '.join(styles)}, not {value!r}")
        elif key == "keymap":
            values["keymap"] = _keymap(value, notice)
        elif key == "listen":
            if isinstance(value, bool):
                values["listen"] = value
            else:
                notice(key, f"expected true or false, not {value!r}")
        elif key == "microphone":
            if isinstance(value, str) and re.fullmatch(_SOURCE_NAME, value):
                values["microphone"] = value
            else:
                notice(
                    key, f"expected a source name from 'pactl list short sources', not {value!r}"
                )
        elif key == "speech_output":
            outputs = [output.value for output in SpeechOutput]
            if value in outputs:
                values["speech_output"] = SpeechOutput(value)
            else:
                notice(key, f"expected one of {', '.join(outputs)}, not {value!r}")
    return AppSettings(**values)


def _speech(table: object, notice: Notice) -> SpeechSettings:
    if not isinstance(table, dict):
        notice("speech", f"expected a table of speech settings, not {table!r}")
        return SpeechSettings()
    speech = SpeechSettings()
    for key, value in table.items():
        try:
            speech = SpeechSettings.from_mapping({**_speech_values(speech), key: value})
        except SettingsError as error:
            notice(f"speech.{key}", f"{error}; using the default")
        except TypeError as error:  # pragma: no cover - from_mapping names unknown keys first
            notice(f"speech.{key}", str(error))
    return speech


def _speech_values(speech: SpeechSettings) -> dict[str, Any]:
    return {f.name: getattr(speech, f.name) for f in fields(SpeechSettings)}


def _keymap(table: object, notice: Notice) -> dict[str, str]:
    if not isinstance(table, dict):
        notice("keymap", f"expected a table of binding ids and keys, not {table!r}")
        return {}
    keymap = {}
    for key, value in table.items():
        if not re.match(_KEY_NAME, key):
            notice(f"keymap.{key}", "not a binding id")
        elif not isinstance(value, str) or not value.strip():
            notice(f"keymap.{key}", f'expected keys such as "space" or "ctrl+p", not {value!r}')
        else:
            keymap[key] = value.strip()
    return keymap
