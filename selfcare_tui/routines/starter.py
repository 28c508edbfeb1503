"""The starter routine that `selfcare new` writes: short, valid, and showing every feature."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tomli_w

from selfcare_tui.private_files import create_private, make_private_folder
from selfcare_tui.routines.model import FORMAT_VERSION


def starter_document(routine_id: str) -> dict[str, Any]:
    title = routine_id.replace("-", " ").capitalize()
    return {
        "format": FORMAT_VERSION,
        "title": title,
        "summary": "My own routine. Stretch to mild tension, never pain.",
        "muscles": ["quadratus_lumborum", "gluteus_medius"],
        "steps": [
            {
                "title": "Settle and breathe",
                "kind": "breathing",
                "seconds": 30,
                "text": "Stand tall, feet hip-width apart. Breathe slowly and freely.",
            },
            {
                "title": "Standing side bend, {side} side",
                "kind": "stretch",
                "muscles": ["quadratus_lumborum"],
                "each_side": ["left", "right"],
                "reps": 2,
                "hold": 20,
                "text": (
                    "Slide your {other_side} hand down your thigh and reach your {side} arm "
                    "overhead until you feel mild tension along your {side} side."
                ),
                "speech": "Bend away from your {side} side. Mild tension, never pain.",
                "cues": [{"halfway": True, "text": "Keep breathing. Do not hold your breath."}],
                "cautions": ["If it hurts, you have gone too far: ease off."],
            },
            {
                "title": "Rest",
                "kind": "rest",
                "seconds": 20,
                "text": "Stand easy and notice how your back feels.",
            },
        ],
    }


def write_starter(target: Path, routine_id: str) -> None:
    """Write the starter to `target`, never replacing an existing file."""
    make_private_folder(target.parent)
    create_private(target, tomli_w.dumps(starter_document(routine_id)).encode())
