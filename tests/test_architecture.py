"""The core is plain Python and starts no speech engine on import (lint-imports checks the
layers; this checks what importing actually loads)."""

from __future__ import annotations

import subprocess
import sys

CORE = [
    "selfcare_tui.cli",
    "selfcare_tui.content",
    "selfcare_tui.locations",
    "selfcare_tui.settings",
    "selfcare_tui.routines.commands",
    "selfcare_tui.routines.library",
    "selfcare_tui.routines.cache",
    "selfcare_tui.session.player",
    "selfcare_tui.session.script",
    "selfcare_tui.session.commands",
    "selfcare_tui.session.voice",
    "selfcare_tui.vocabulary",
    "selfcare_tui.text",
    "selfcare_tui.command_line",
    "selfcare_tui.file_cache",
    "selfcare_tui.journal.fallback",
    "selfcare_tui.testing",
    "selfcare_tui.session.timeline",
    "selfcare_tui.session.speaking",
    "selfcare_tui.speech",
    "selfcare_tui.journal.store",
    "selfcare_tui.journal.history",
    "selfcare_tui.journal.guard",
    "selfcare_tui.plain",
    "selfcare_tui.run_command",
]


def test_the_core_imports_neither_textual_nor_pyttsx3() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {CORE!r}: importlib.import_module(name)\n"
        "leaks = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'pyttsx3'))\n"
        "assert not leaks, leaks\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
