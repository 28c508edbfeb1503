"""Every document of the toml-test suite gets a clear, file-named refusal from `validate`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers import SHARED_DIR

from selfcare_tui.cli import main

CORPUS = SHARED_DIR / "testdata" / "toml-test"
DOCUMENTS = sorted(CORPUS.rglob("*.toml")) if CORPUS.is_dir() else []


@pytest.mark.skipif(not DOCUMENTS, reason=f"toml-test corpus not found at {CORPUS}")
def test_the_corpus_is_all_there() -> None:
    assert len(DOCUMENTS) == 777


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: str(path.relative_to(CORPUS)))
def test_each_document_is_refused_with_a_readable_error(
    document: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(document)]) == 1
    out, err = capsys.readouterr()
    assert out, "no problem reported"
    for line in out.splitlines():
        assert line.startswith(f"{document}:"), line
        assert line.isprintable(), line
    assert "Traceback" not in out + err


@pytest.mark.skipif(not DOCUMENTS, reason=f"toml-test corpus not found at {CORPUS}")
def test_the_whole_corpus_through_the_real_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "selfcare_tui", "validate", str(CORPUS)],
        capture_output=True,
        text=True,
        errors="replace",
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "777 file(s) checked, 777 with problems" in result.stderr
