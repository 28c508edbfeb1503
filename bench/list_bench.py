"""`selfcare list --json` on generated folders of routines (issue 13): warm, cold and memory.

Run: python bench/list_bench.py [--runs 5]   (compile first: python -m compileall -q selfcare_tui)

Every command is a subprocess with its own XDG folders; alternating runs, medians:
1. warm: 1,000 copies of full-session (47 steps each) with the index built, against the
   bundled-only listing of the same run (target: at most 150 ms);
2. cold: the same with no index (a fresh cache folder each run), against a subprocess that only
   parses the same 1,000 files with tomllib (target: at most 1.2x that parse);
3. memory: peak RSS of `list` over 5,000 copies, cold and warm (target: at most 100 MB).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from reference import describe, reference_seconds

from selfcare_tui.locations import bundled_routines_dir

PARSE_ONLY = (
    "import sys, tomllib, pathlib\n"
    "for path in sorted(pathlib.Path(sys.argv[1]).glob('*.toml')):\n"
    "    tomllib.loads(path.read_text(encoding='utf-8'))\n"
)


def generate(folder: Path, count: int, template_id: str = "full-session") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    template = (bundled_routines_dir() / f"{template_id}.toml").read_text(encoding="utf-8")
    for number in range(count):
        (folder / f"routine-{number:04d}.toml").write_text(template, encoding="utf-8")
    return folder


def run(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one subprocess."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    assert os.waitstatus_to_exitcode(status) == 0, command
    return seconds, usage.ru_maxrss / 1024


def environment(home: Path) -> dict[str, str]:
    return os.environ | {
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
    }


def listing(folder: Path | None) -> list[str]:
    extra = ["--routines", str(folder)] if folder else []
    return [sys.executable, "-m", "selfcare_tui", *extra, "list", "--json"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    print(describe(reference_seconds()))
    with tempfile.TemporaryDirectory() as temp:
        home = Path(temp)
        env = environment(home)
        thousand = generate(home / "thousand", 1000)
        run(listing(thousand), env)  # builds the index
        bundled, warm = [], []
        for _ in range(runs):
            bundled.append(run(listing(None), env)[0])
            warm.append(run(listing(thousand), env)[0])
        b, w = statistics.median(bundled), statistics.median(warm)
        print(f"list --json, 1,000 full-session, warm: {w * 1000:.0f} ms; bundled only "
              f"{b * 1000:.0f} ms ({w / b:.2f}x; target: at most 150 ms)")  # fmt: skip

        parse, cold = [], []
        for number in range(runs):
            parse.append(run([sys.executable, "-c", PARSE_ONLY, str(thousand)], env)[0])
            cold_env = environment(home / f"cold-{number}")
            cold.append(run(listing(thousand), cold_env)[0])
        p, c = statistics.median(parse), statistics.median(cold)
        print(f"list --json, 1,000 full-session, cold: {c * 1000:.0f} ms; tomllib parse of the "
              f"same files {p * 1000:.0f} ms ({c / p:.2f}x; target: at most 1.2x)")  # fmt: skip

        five = generate(home / "five", 5000)
        shutil.rmtree(home / "cache", ignore_errors=True)
        cold_seconds, cold_mb = run(listing(five), env)
        warm_seconds, warm_mb = run(listing(five), env)
        print(f"list --json, 5,000 full-session: cold {cold_seconds:.1f} s, peak RSS "
              f"{cold_mb:.0f} MB; warm {warm_seconds * 1000:.0f} ms, peak RSS {warm_mb:.0f} MB "
              "(target: at most 100 MB)")  # fmt: skip


if __name__ == "__main__":
    main()
