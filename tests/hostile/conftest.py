"""Running the command line in-process on hostile files, output captured."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import pytest

from selfcare_tui.cli import main


class Result(NamedTuple):
    code: int
    out: str
    err: str


Selfcare = Callable[..., Result]


@pytest.fixture
def selfcare(capsys: pytest.CaptureFixture[str]) -> Selfcare:
    """`selfcare(*args)`: run the command line as `selfcare ARGS...` would, in this process."""

    def run(*args: str) -> Result:
        capsys.readouterr()
        try:
            code = main(list(args))
        except SystemExit as exit:  # argparse's usage errors
            code = exit.code if isinstance(exit.code, int) else 2
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return run
