"""The routine model: what a routine is once loaded, with sides expanded and placeholders filled.

Its card (what a list shows) and source are in `card.py`, and offered here too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from selfcare_tui.routines.card import (
    MUSCLE_NAMES,
    RoutineCard,
    Source,
    minutes_of,
    muscle_name,
    routine_id_for,
)
from selfcare_tui.vocabulary import CountdownStyle, Side

__all__ = [
    "FORMAT_VERSION", "MUSCLE_NAMES", "Cue", "Kind", "Reference", "Routine", "RoutineCard", "Side",
    "Source", "Step", "minutes_of", "muscle_name", "routine_id_for",
]  # fmt: skip

FORMAT_VERSION = 1


class Kind(StrEnum):
    STRETCH = "stretch"
    MASSAGE = "massage"
    BREATHING = "breathing"
    REST = "rest"
    TRANSITION = "transition"


@dataclass(frozen=True)
class Cue:
    """Words spoken at a moment inside a step, `at_second` seconds after it starts."""

    at_second: int
    text: str


@dataclass(frozen=True)
class Step:
    index: int
    title: str
    kind: Kind
    side: Side
    seconds: int
    muscles: tuple[str, ...]
    text: str
    speech: str
    cues: tuple[Cue, ...] = ()
    cautions: tuple[str, ...] = ()
    repetitions: int = 1
    hold_seconds: int = 0
    sources: tuple[str, ...] = ()
    """The keys of the routine's references that back this step, as the file cites them."""

    @property
    def number(self) -> int:
        return self.index + 1


@dataclass(frozen=True)
class Reference:
    """One entry of a routine's [sources] table: what backs its exercises, doses and cautions.

    `url` is text to show, never opened.
    """

    key: str
    title: str
    url: str = ""


@dataclass(frozen=True)
class Routine:
    id: str
    title: str
    summary: str
    format_version: int
    muscles: tuple[str, ...]
    steps: tuple[Step, ...]
    path: Path | None = None
    source: Source = Source.FOLDER
    overrides: Path | None = field(default=None, compare=False)
    references: tuple[Reference, ...] = ()
    countdown: CountdownStyle | None = None
    """How the holds end ("sounds" for a quiet stretch), unless the user chose; None: theirs."""

    def reference(self, key: str) -> Reference | None:
        return next((ref for ref in self.references if ref.key == key), None)

    @property
    def total_seconds(self) -> int:
        return sum(step.seconds for step in self.steps)

    @property
    def minutes(self) -> int:
        return minutes_of(self.total_seconds)

    @property
    def card(self) -> RoutineCard:
        return RoutineCard(self.id, self.title, self.total_seconds, self.muscles)

    @property
    def sides(self) -> frozenset[Side]:
        return frozenset(step.side for step in self.steps)
