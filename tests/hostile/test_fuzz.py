"""Fuzzing the loader and the routine commands with generated files (see fuzzing.py).

A fixed, deterministic budget here, so it runs in a few seconds; bench/fuzz_routines.py runs the
same properties for longer, with fresh randomness.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile.conftest import Selfcare
from hostile.fuzzing import check_commands, check_loader, documents, toml_texts
from hypothesis import HealthCheck, given, settings

pytestmark = pytest.mark.long(7)  # each takes seconds: started early (tests/conftest.py)

LOADER_EXAMPLES = 150
COMMAND_EXAMPLES = 20  # each runs six commands, one of them a dry run with the real voice
FIXED = {
    "deadline": None,
    "derandomize": True,
    "database": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}


@settings(max_examples=LOADER_EXAMPLES, **FIXED)  # type: ignore[arg-type]
@given(data=documents)
def test_the_loader_gives_a_clean_routine_or_a_clean_error(tmp_path: Path, data: bytes) -> None:
    check_loader(tmp_path / "fuzz.toml", data)


@settings(max_examples=COMMAND_EXAMPLES, **FIXED)  # type: ignore[arg-type]
@given(data=documents)
def test_every_command_exits_cleanly_and_prints_no_control_bytes(
    tmp_path: Path, selfcare: Selfcare, data: bytes
) -> None:
    check_commands(selfcare, tmp_path, data)


@settings(max_examples=COMMAND_EXAMPLES, **FIXED)  # type: ignore[arg-type]
@given(text=toml_texts)
def test_routines_that_load_play_in_the_dry_run(
    tmp_path: Path, selfcare: Selfcare, text: str
) -> None:
    routine = check_loader(tmp_path / "fuzz.toml", text.encode())
    results = check_commands(selfcare, tmp_path, text.encode())
    dry_run = results[4]
    assert dry_run.code == (0 if routine is not None else 1)
    if routine is not None:
        assert "Routine complete." in dry_run.out
