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


@pytest.mark.skipif(not DOCUMENTS, reason=f"toml-test corpus not found at {CORPUS}")
def test_each_document_is_refused_with_a_readable_error(capsys: pytest.CaptureFixture[str]) -> None:
    # One test for the corpus, naming every document that fails: 777 test items cost more to
    # schedule and report than the loads themselves.
    failures = {}
    for document in DOCUMENTS:
        try:
            code = main(["validate", str(document)])
            problem = _refusal_problem(document, code, *capsys.readouterr())
        except Exception as error:  # a crash is named with its document, and the rest go on
            capsys.readouterr()
            problem = f"raised {error!r}"
        if problem:
            failures[str(document.relative_to(CORPUS))] = problem
    assert failures == {}


def _refusal_problem(document: Path, code: int, out: str, err: str) -> str | None:
    """What is wrong with `validate`'s refusal of `document`, or None if nothing is."""
    if code != 1:
        return f"exit code {code}"
    if not out:
        return "no problem reported"
    for line in out.splitlines():
        if not line.startswith(f"{document}:") or not line.isprintable():
            return f"line not naming the file, or not printable: {line!r}"
    if "Traceback" in out + err:
        return "a traceback"
    return None


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
