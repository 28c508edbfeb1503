"""Hostile routine files, made on the fly: escape sequences, markup and bad placeholders in
every place a routine file can hold text, and file names that carry the same.

Nothing here is kept in git as files: each test writes what it needs into its tmp_path.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

# What a file may try to send to a terminal. Written into TOML strings as \u escapes.
ESCAPES = {
    "esc": "\x1b",
    "osc52-clipboard": "\x1b]52;c;aGVsbG8gZnJvbSB0aGUgcm91dGluZQ==\x07",
    "osc-title": "\x1b]0;pwned\x1b\\",
    "osc8-link": "\x1b]8;;https://example.invalid\x1b\\click\x1b]8;;\x1b\\",
    "csi-clear": "\x1b[2J\x1b[H",
    "bell": "\x07",
    "backspace": "x\x08\x08",
    "carriage-return": "safe\roverwritten",
    "nul": "\x00",
    "del": "\x7f",
    "c1-nel": "\x85",
    "c1-csi": "\x9b2J",
    "c1-osc": "\x9d52;c;aGk=\x9c",
    "bidi-override": "\u202eevil\u202c",
    "bidi-isolate": "\u2066x\u2069",
}
# Rich markup: harmless as text, dangerous if a screen renders it as markup.
MARKUP = {
    "click-quit": "[@click=app.quit]Quit[/]",
    "close-tag": "[/]",
    "style": "[bold red]loud",
    "link": "[link=https://example.invalid]here[/link]",
}
# Braces that str.format would have read as something else.
BAD_PLACEHOLDERS = {
    "format-d": "{side:d}",
    "huge-width": "{side:>20000000}",
    "precision": "{side:.0}",
    "conversion": "{side!r}",
    "attribute": "{side.upper}",
    "index": "{other_side[0]}",
    "positional": "{0}",
    "empty": "{}",
    "unknown": "{leg}",
    "unclosed": "{side",
    "stray-close": "side}",
    "nested": "{{side}",
}

# Each text field of a routine: its key as reported, and how to put a TOML string there.
TEXT_FIELDS = {
    "title": 'title = {}\n[[steps]]\ntitle = "T"\nkind = "rest"\nseconds = 10\ntext = "x"\n',
    "summary": 'title = "R"\nsummary = {}\n' + '[[steps]]\ntitle = "T"\nkind = "rest"\n'
    'seconds = 10\ntext = "x"\n',
    "steps[0].title": 'title = "R"\n[[steps]]\ntitle = {}\nkind = "rest"\nseconds = 10\n'
    'text = "x"\n',
    "steps[0].text": 'title = "R"\n[[steps]]\ntitle = "T"\nkind = "rest"\nseconds = 10\n'
    "text = {}\n",
    "steps[0].speech": 'title = "R"\n[[steps]]\ntitle = "T"\nkind = "rest"\nseconds = 10\n'
    'text = "x"\nspeech = {}\n',
    "steps[0].cues[0].text": 'title = "R"\n[[steps]]\ntitle = "T"\nkind = "rest"\n'
    'seconds = 10\ntext = "x"\n[[steps.cues]]\nat = 5\ntext = {}\n',
    "steps[0].cautions[0]": 'title = "R"\n[[steps]]\ntitle = "T"\nkind = "rest"\n'
    'seconds = 10\ntext = "x"\ncautions = [{}]\n',
    "steps[0].steps[1].text": 'title = "R"\n[[steps]]\neach_side = ["left", "right"]\n'
    '[[steps.steps]]\ntitle = "A"\nkind = "rest"\nseconds = 10\ntext = "x"\n'
    '[[steps.steps]]\ntitle = "B"\nkind = "rest"\nseconds = 10\ntext = {}\n',
}
# Fields whose texts take placeholders, in a step with a side so that they are filled.
PLACEHOLDER_FIELDS = {
    key: template.replace("kind = ", 'side = "left"\nkind = ', 1)
    for key, template in TEXT_FIELDS.items()
    if key.startswith("steps[0].") and "steps[1]" not in key
} | {"steps[0].steps[1].text": TEXT_FIELDS["steps[0].steps[1].text"]}

VALID = 'format = 1\ntitle = "Fine"\n[[steps]]\ntitle = "T"\nkind = "rest"\nseconds = 10\n'
VALID += 'text = "x"\n'


def toml_string(text: str) -> str:
    """`text` as a TOML basic string, with every character that is not printable escaped."""
    return json.dumps(text, ensure_ascii=False).translate(_ESCAPE_UNPRINTABLE)


_ESCAPE_UNPRINTABLE = {
    code: f"\\u{code:04x}" for code in [*range(0x20), *range(0x7F, 0xA0), 0x202A, 0x202B,
                                        0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069]
}  # fmt: skip


def routine(field: str, text: str, *, fields: dict[str, str] = TEXT_FIELDS) -> str:
    """A routine that is valid except, perhaps, for `text` in `field`."""
    return "format = 1\n" + fields[field].replace("{}", toml_string(text))


# File names: each would be a valid routine inside; only the name is hostile.
FILE_NAMES = {
    "esc": "esc\x1b[2J.toml",
    "osc52": "clip\x1b]52;c;aGk=\x07.toml",
    "bidi": "\u202eevil.toml",
    "c1": "c1\x85\x9b2J.toml",
    "newline": "two\nlines.toml",
    "markup": "[@click=app.quit]quit[bold].toml",
}
UNDECODABLE_NAME = b"latin1-caf\xe9.toml"


def write_named(folder: Path, name: str | bytes, content: str = VALID) -> Path:
    """Write `content` under a file name that may hold anything a file system allows."""
    folder.mkdir(parents=True, exist_ok=True)
    raw = name if isinstance(name, bytes) else os.fsencode(name)
    target = os.path.join(os.fsencode(folder), raw)
    with open(target, "wb") as file:
        file.write(content.encode("utf-8"))
    return Path(os.fsdecode(target))


def everywhere(text: str) -> str:
    """A valid routine with `text` in every text field (and a side, so placeholders are filled)."""
    quoted = toml_string(text)
    return (
        f"format = 1\ntitle = {quoted}\nsummary = {quoted}\n"
        f'[[steps]]\ntitle = {quoted}\nkind = "stretch"\nseconds = 30\nside = "left"\n'
        f"text = {quoted}\nspeech = {quoted}\ncautions = [{quoted}]\n"
        f"[[steps.cues]]\nat = 5\ntext = {quoted}\n"
        '[[steps]]\neach_side = ["right", "left"]\n'
        f'[[steps.steps]]\ntitle = {quoted}\nkind = "massage"\nseconds = 20\ntext = {quoted}\n'
        f"cautions = [{quoted}]\n[[steps.steps.cues]]\nhalfway = true\ntext = {quoted}\n"
    )


def hostile_contents(folder: Path) -> dict[str, Path]:
    """One file per escape sequence, markup and bad placeholder, under plain file names."""
    files = {}
    for number, (name, text) in enumerate(ESCAPES.items()):
        field = list(TEXT_FIELDS)[number % len(TEXT_FIELDS)]
        files[f"escape-{name}"] = write_named(folder, f"escape-{name}.toml", routine(field, text))
    for name, text in MARKUP.items():
        files[f"markup-{name}"] = write_named(folder, f"markup-{name}.toml", everywhere(text))
    for name, text in BAD_PLACEHOLDERS.items():
        content = routine("steps[0].text", text, fields=PLACEHOLDER_FIELDS)
        files[f"placeholder-{name}"] = write_named(folder, f"placeholder-{name}.toml", content)
    files["raw-esc"] = write_named(folder, "raw-esc.toml", VALID.replace("Fine", "F\x1b[2Jine"))
    files["raw-c1"] = write_named(folder, "raw-c1.toml", VALID.replace("Fine", "F\x9b2Jine"))
    files["raw-bidi"] = write_named(folder, "raw-bidi.toml", VALID.replace("Fine", "\u202eFine"))
    files["escape-in-key"] = write_named(folder, "escape-in-key.toml", VALID + '"\\u001b[2J" = 1\n')
    files["escape-in-kind"] = write_named(
        folder, "escape-in-kind.toml", VALID.replace('"rest"', '"\\u001b]52;c;aGk=\\u0007"')
    )
    files["escape-in-muscle"] = write_named(
        folder, "escape-in-muscle.toml", VALID + 'muscles = ["\\u009b2J"]\n'
    )
    files["escape-in-table"] = write_named(
        folder, "escape-in-table.toml", VALID + '["\\u001b]0;title\\u0007"]\nx = 1\n'
    )
    files["markup-fine"] = write_named(folder, "markup-fine.toml", VALID)
    return files


def hostile_names(folder: Path) -> dict[str, Path]:
    """One valid routine under each hostile file name (and one name that is not UTF-8)."""
    files = {name: write_named(folder, file_name) for name, file_name in FILE_NAMES.items()}
    files["undecodable"] = write_named(folder, UNDECODABLE_NAME)
    return files


BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_UNCLEAN = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}\ud800-\udfff]")
"""C0 but newline and tab, DEL, C1, bidirectional controls, surrogates. A pattern, not a loop
over characters: screenshots are hundreds of kilobytes, checked after every key."""


def unclean(text: str) -> list[str]:
    """The characters of `text` that could act on a terminal: C0 but newline and tab, DEL, C1,
    bidirectional controls, and surrogates (undecodable bytes that would be written raw)."""
    return sorted({repr(char) for char in _UNCLEAN.findall(text)})
