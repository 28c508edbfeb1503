"""What a list of routines shows of one (its card), and where it came from.

Apart from the full model (`model.py`) so that listing routines, and the app's launch, never
create the classes of steps and routines: a frozen dataclass costs 1 to 2 ms to create.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

MUSCLE_NAMES = {
    "quadratus_lumborum": "quadratus lumborum",
    "gluteus_medius": "gluteus medius",
    "gluteus_maximus": "gluteus maximus",
    "hip_flexors": "hip flexors",
    "hamstrings": "hamstrings",
    "lower_back": "lower back",
    "piriformis": "piriformis",
    "obliques": "obliques",
    "diaphragm": "diaphragm",
}


class Source(StrEnum):
    BUNDLED = "bundled"
    USER = "user"
    FOLDER = "folder"


def minutes_of(seconds: int) -> int:
    """A routine's length as listed: whole minutes, at least 1."""
    return max(1, round(seconds / 60))


@dataclass(frozen=True)
class RoutineCard:
    """What a list of routines shows of one: enough to choose it, without its steps."""

    id: str
    title: str
    total_seconds: int
    muscles: tuple[str, ...]

    @property
    def minutes(self) -> int:
        return minutes_of(self.total_seconds)


def routine_id_for(path: Path) -> str:
    return path.name.removesuffix(".toml")


def muscle_name(muscle: str) -> str:
    return MUSCLE_NAMES.get(muscle, muscle.replace("_", " "))
