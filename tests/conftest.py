"""Fixtures shared by every test: the user's own folders are never touched."""

from __future__ import annotations

import compileall
import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest
from scheduling import first_in_each_share


def pytest_configure(config: pytest.Config) -> None:
    """Compile the package once, before the workers start, and let every process keep what it
    compiles, whatever PYTHONDONTWRITEBYTECODE says: where it is set, each of the workers
    and each `selfcare` a test starts compiled the package and the tests again, a sixth of the
    suite's CPU (24 s). The bytecode goes to the `__pycache__` folders git ignores."""
    if hasattr(config, "workerinput"):
        return
    root = Path(__file__).resolve().parents[1]
    if not os.access(root / "tests", os.W_OK):
        return  # a read-only checkout: every process compiles for itself, as before
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # the workers and the commands inherit it
    sys.dont_write_bytecode = False
    for folder in ("selfcare_tui", "tests"):
        compileall.compile_dir(root / folder, quiet=2)
    if getattr(config.option, "numprocesses", None):
        _rewrite_the_tests_once(root / "tests")


def _rewrite_the_tests_once(tests: Path) -> None:
    """Have pytest rewrite the test modules' assertions once, in one process, where they have
    not been yet (a fresh clone, as CI runs it): else every worker rewrites every module as it
    collects them, 1.8 s of each worker's start, all at the start of the run; the one process
    takes 2 to 4 s. Whether they have been is read off the bytecode pytest keeps for them,
    named by its version; if that naming changes, this is done again each run."""
    tag = f"{sys.implementation.cache_tag}-pytest-{pytest.__version__}"
    modules = tests.rglob("test_*.py")
    cached = [module.parent / "__pycache__" / f"{module.stem}.{tag}.pyc" for module in modules]
    if all(path.exists() for path in cached):
        return
    subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-n", "0", str(tests)],
        capture_output=True, check=False,
    )  # fmt: skip


@pytest.hookimpl(trylast=True)  # after any deselection, which would shift the shares
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The `real_time` tests (a recording at a sound server, most of a minute of waiting) and
    the `long` ones start the workers' shares, longest first, each to the share with the fewest
    seconds so far: a recording starts a share of its own, and the suite ends on short tests
    that the workers share out, not on one long test started late."""
    workers = getattr(config, "workerinput", {}).get("workercount", 1)
    items[:] = first_in_each_share(items, workers, _seconds)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Collect garbage less often while the tests run: a quarter of the suite's CPU went to
    full collections.

    Each app a Pilot test runs leaves cycles that live long enough to reach the oldest
    generation, so the collector kept walking the whole heap (about 0.2 s a time, 22 times in
    test_flow.py alone). What the collection imported is frozen out of those walks, and the
    youngest generation is collected after 10,000 allocations rather than 700: the same
    garbage is freed, in fewer and cheaper walks. Measured on 2 cores: the suite's CPU from
    148 s to 116 s; with no collector at all, more memory made it slower."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Collect until a pass finds nothing (a finaliser may leave new garbage), at most five times
    as pytest does, while pytest still reports what is found (an exception in a `__del__`);
    then freeze everything, so pytest's own five collections as it exits walk nothing. Those
    always ran five times over each worker's whole heap: 1 to 2.6 s in every worker, all at the
    end of the run; this stops after the first pass that finds nothing, usually the second."""
    for _ in range(5):
        if not gc.collect():
            break
    gc.freeze()


REAL_TIME_SECONDS = 45.0
LONG_SECONDS = 4.0
"""What a `long` test takes, on two busy cores, when its marker does not say."""


def _seconds(item: pytest.Item) -> float | None:
    if item.get_closest_marker("real_time") is not None:
        return REAL_TIME_SECONDS
    long = item.get_closest_marker("long")
    if long is None:
        return None
    return float(long.kwargs.get("seconds", long.args[0] if long.args else LONG_SECONDS))


@pytest.fixture(autouse=True)
def private_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Point config and data folders into tmp_path, and keep the test run quiet and fixed."""
    dirs = {
        "config": tmp_path / "xdg-config",
        "data": tmp_path / "xdg-data",
        "cache": tmp_path / "xdg-cache",
    }
    monkeypatch.setenv("XDG_CONFIG_HOME", str(dirs["config"]))
    monkeypatch.setenv("XDG_DATA_HOME", str(dirs["data"]))
    monkeypatch.setenv("XDG_CACHE_HOME", str(dirs["cache"]))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    # Not created: speech files then go to the cache folder, as on a machine without one.
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "xdg-runtime"))
    monkeypatch.delenv("SELFCARE_TRANSCRIPT", raising=False)
    return dirs


@pytest.fixture
def user_routines(private_user_dirs: dict[str, Path]) -> Path:
    return private_user_dirs["config"] / "selfcare" / "routines"
