"""Sessions the journal could not take (a read-only folder, a full disk, a journal path that is
a file), kept in a private folder of their own until the next start moves them in.

Nothing a user answered is ever lost to a failed write.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from selfcare_tui import locations
from selfcare_tui.private_files import create_private, make_private_folder, read_regular_file

# TOML and the codec load where used: the app's start only looks for waiting files (`unsaved`).
if TYPE_CHECKING:
    from selfcare_tui.journal.guard import JournalLike
    from selfcare_tui.journal.model import SessionEntry


def unsaved_folder() -> Path:
    return locations.state_dir() / "unsaved"


def keep_unsaved(entry: SessionEntry, folder: Path | None = None) -> Path:
    """Write `entry` (0600, in a 0700 folder) where the next start will find it."""
    import tomli_w

    from selfcare_tui.journal.codec import entry_to_document

    folder = make_private_folder(folder or unsaved_folder())
    data = tomli_w.dumps(entry_to_document(entry)).encode("utf-8")
    path = folder / f"{entry.started_at:%Y-%m-%dT%H-%M-%S}-{os.urandom(3).hex()}.toml"
    create_private(path, data)
    return path


def unsaved(folder: Path | None = None) -> list[Path]:
    """The sessions waiting to be moved into the journal, oldest first."""
    folder = folder or unsaved_folder()
    try:
        return sorted(path for path in folder.iterdir() if path.suffix == ".toml")
    except OSError:
        return []


def move_unsaved(journal: JournalLike, folder: Path | None = None) -> tuple[int, list[str]]:
    """Move every waiting session into `journal`; returns how many, and what could not be."""
    import tomli

    from selfcare_tui.journal.codec import EntryError, entry_from_document
    from selfcare_tui.journal.store import MAX_ENTRY_BYTES

    moved, problems = 0, []
    for path in unsaved(folder):
        try:
            document = tomli.loads(read_regular_file(path, MAX_ENTRY_BYTES).decode("utf-8"))
            journal.save(entry_from_document(document))
        except (OSError, UnicodeDecodeError, tomli.TOMLDecodeError, EntryError) as error:
            problems.append(f"{path.name}: {error}")
            continue
        path.unlink()
        moved += 1
    return moved, problems


def offer_words(count: int) -> str:
    """The question a face asks at start when sessions are waiting."""
    sessions, are = ("1 session", "is") if count == 1 else (f"{count} sessions", "are")
    return (
        f"{sessions} could not be saved in your journal last time and {are} kept safe. "
        "Move them into your journal now? Press y for yes, n for not now."
    )


def moved_words(moved: int, problems: list[str]) -> str:
    words = f"Moved {moved} session{'s' * (moved != 1)} into your journal."
    if problems:
        words += f" {len(problems)} could not be moved yet: {'; '.join(problems)}"
    return words
