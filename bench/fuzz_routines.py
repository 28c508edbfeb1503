"""The fuzz test's properties (tests/hostile/fuzzing.py), run for longer and with fresh randomness.

Run: python bench/fuzz_routines.py [--loader 3000] [--commands 600] [--seed N]

The test suite runs a fixed, small, deterministic budget (tests/hostile/test_fuzz.py); this runs
as many examples as asked, each new, and prints how many it ran per second and how many times
the in-test budget that is. A falsifying example is printed (shrunk) and the exit status is 1.
Commands run in-process as in the test, their output written through a strict UTF-8 stream as a
terminal's would be; config, data and cache folders are temporary.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from hostile.fuzzing import Result, check_commands, check_loader, documents  # noqa: E402
from hostile.test_fuzz import COMMAND_EXAMPLES, LOADER_EXAMPLES  # noqa: E402
from hypothesis import HealthCheck, given, seed, settings  # noqa: E402
from reference import describe, reference_seconds  # noqa: E402

from selfcare_tui.cli import main as selfcare  # noqa: E402


def run_command(*args: str) -> Result:
    """`selfcare ARGS...` in this process, its output through strict UTF-8 streams."""
    out, err = io.BytesIO(), io.BytesIO()
    out_text = io.TextIOWrapper(out, encoding="utf-8", errors="strict", write_through=True)
    err_text = io.TextIOWrapper(err, encoding="utf-8", errors="strict", write_through=True)
    with contextlib.redirect_stdout(out_text), contextlib.redirect_stderr(err_text):
        try:
            code = selfcare(list(args))
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else 2
    return Result(code, out.getvalue().decode("utf-8"), err.getvalue().decode("utf-8"))


def fuzz(name: str, examples: int, budget: int, property_: Callable[[bytes], object]) -> bool:
    count = 0

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=documents)
    def run(data: bytes) -> None:
        nonlocal count
        count += 1
        property_(data)

    if ARGS.seed is not None:
        run = seed(ARGS.seed)(run)
    start = time.perf_counter()
    try:
        run()
        passed = True
    except Exception as error:  # the falsifying example has been printed by Hypothesis
        print(f"{name}: FAILED: {type(error).__name__}: {error}")
        passed = False
    seconds = time.perf_counter() - start
    print(
        f"{name}: {count:,} examples in {seconds:.1f} s, {count / seconds:.1f} examples/s; "
        f"{count / budget:.0f}× the in-test budget of {budget} "
        f"({seconds / count * budget:.1f} s at this rate)"
    )
    return passed


def main() -> int:
    print(describe(reference_seconds()))
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
            os.environ[name] = str(work / name.lower())
        os.environ.pop("SELFCARE_TRANSCRIPT", None)
        ok = fuzz(
            "loader",
            ARGS.loader,
            LOADER_EXAMPLES,
            lambda data: check_loader(work / "fuzz.toml", data),
        )
        ok &= fuzz(
            "commands (list, list --json, show, show --json, run --dry-run, validate)",
            ARGS.commands,
            COMMAND_EXAMPLES,
            lambda data: check_commands(run_command, work, data),
        )
    return 0 if ok else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loader", type=int, default=3000, help="examples for the loader")
    parser.add_argument("--commands", type=int, default=600, help="examples for the commands")
    parser.add_argument("--seed", type=int, help="a fixed seed, to repeat a run")
    ARGS = parser.parse_args()
    sys.exit(main())
