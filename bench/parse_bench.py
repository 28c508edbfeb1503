"""Time the worst routine files we can construct: each is accepted or refused within 100 ms.

Run: python bench/parse_bench.py [--runs 5]

Every case is a file of at most 1 MiB (the size limit), timed through `load_routine` (read, scan,
tomllib, checks), the best and the median of --runs. Two kinds: files far beyond the scan's limits
(the issue's 40,000-part dotted key, 1 MiB of one construct), which the scan refuses, and files
that sit just under every limit, which tomllib parses in full before the loader accepts or refuses
them. Each figure is also given as a ratio to the plain `tomllib.loads` of a normal routine
(routines/full-session.toml, 17 KB, 47 steps) measured in the same run, so runs on a slow or busy
machine can be compared; the slowest is also given against the reference loop of
bench/reference.py.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

from reference import describe, ratio, reference_seconds

from selfcare_tui.locations import bundled_routines_dir
from selfcare_tui.routines import reader
from selfcare_tui.routines.loader import load_routine
from selfcare_tui.routines.problems import RoutineError

MiB = 1024 * 1024
TARGET_SECONDS = 0.100
HEADER = 'format = 1\ntitle = "Bench"\n'
SCAN_REFUSAL = "too large or complex to be a routine, so not read: "


def step(number: int, text: str, extra: str = "") -> str:
    return (
        f'[[steps]]\ntitle = "Step {number}"\nkind = "stretch"\nseconds = 60\n'
        f'text = "{text}"\n{extra}'
    )


def largest_valid() -> str:
    """As large a routine as the limits allow, that loads: long texts, no sides."""
    text = "Breathe out slowly and ease a little further into the stretch. " * 15
    steps = []
    for number in range(140):
        steps.append(step(number, text[:990], 'cautions = ["Stop if it hurts."]\n'))
    return HEADER + "".join(steps)


def many_steps() -> str:
    """The most steps: 250 one-line steps played on both sides (500 steps, the limit)."""
    return HEADER + "".join(
        step(number, "Reach up on your {side} side.", 'each_side = ["left", "right"]\n')
        for number in range(250)
    )


def combo() -> str:
    """Every limit of the scan used at once, with the constructs tomllib is slowest on."""
    numbers = reader.MAX_ITEMS // 3 - 10  # three items each: key, =, number; 10 characters
    # Each comment is a line, and counts as 3 characters outside strings ("" and the line break).
    comments = min(
        reader.MAX_LINES - numbers - 10, (reader.MAX_OUTSIDE_CHARS - 10 * numbers - 500) // 3
    )
    escapes = reader.MAX_BACKSLASHES - 10
    letters = reader.MAX_STRING_CHARS - 6 * escapes - 100
    parts = [
        "".join(f"a{i:04d}=1e5\n" for i in range(numbers)),
        "#\n" * comments,
        's = "' + "\\u00e9" * escapes + "x" * letters + '"\n',
    ]
    return "".join(parts)


def cases() -> Iterator[tuple[str, Callable[[], str]]]:
    limit = reader.MAX_ITEMS
    yield "issue: 40,000-part dotted key (80 KB)", lambda: "a" + ".a" * 40_000 + " = 1\n"
    yield "40,000-part table name", lambda: "[" + "a." * 40_000 + "a]\n"
    yield "1 MiB of [", lambda: "x = " + "[" * (MiB - 4)
    yield "1 MiB of inline tables {a=", lambda: "x = " + "{a=" * ((MiB - 4) // 3)
    yield "1 MiB of a=1 lines", lambda: "".join(f"a{i:06d}=1\n" for i in range(MiB // 10))
    yield "1 MiB of spaces", lambda: "a = 1" + " " * (MiB - 5)
    yield "1 MiB of line breaks", lambda: "\n" * MiB
    yield "1 MiB of comment lines", lambda: "#\n" * (MiB // 2)
    yield "1 MiB basic string", lambda: 'a = "' + "x" * (MiB - 6) + '"'
    yield "1 MiB of escapes", lambda: 'a = "' + "\\t" * ((MiB - 6) // 2) + '"'
    yield "1 MiB of quotes '\"", lambda: "'\"" * (MiB // 2)
    yield '1 MiB unterminated """', lambda: 'a = """' + '\\"x' * ((MiB - 7) // 3)
    yield "1 MiB comment, NUL at the end", lambda: "#" + "x" * (MiB - 2) + "\x00"
    yield "1 MiB number", lambda: "a = " + "1" * (MiB - 4)
    yield "5,000-digit number", lambda: "a = " + "1" * 5_000
    yield (
        "placeholder {side:>20000000}",
        lambda: HEADER + step(1, "{side:>20000000}", 'each_side = ["left", "right"]\n'),
    )
    yield (
        "at limit: 2,200 date-time lines",
        lambda: "".join(f"d{i}=1979-05-27T07:32:00Z\n" for i in range(2_200)),
    )
    yield (
        f"at limit: {limit // 3:,} a = 1e5 lines",
        lambda: "".join(f"a{i} = 1e5\n" for i in range(limit // 3 - 1)),
    )
    yield (
        f"at limit: {limit // 3:,} [t] tables",
        lambda: "".join(f"[t{i}]\n" for i in range(limit // 3 - 1)),
    )
    yield (
        "at limit: 8-part keys",
        lambda: "".join(f"a{i}.b.c.d.e.f.g.h = 1\n" for i in range(limit // 18)),
    )
    yield (
        "at limit: arrays 8 deep",
        lambda: "".join(f"a{i} = [[[[[[[[1]]]]]]]]\n" for i in range(limit // 20)),
    )
    yield f"at limit: {reader.MAX_LINES:,} comment lines", lambda: "#\n" * (reader.MAX_LINES - 1)
    yield (
        f"at limit: {reader.MAX_STRING_CHARS:,}-char string",
        lambda: 'a = "' + "x" * (reader.MAX_STRING_CHARS - 2) + '"',
    )
    yield (
        f"at limit: {reader.MAX_BACKSLASHES:,} \\u escapes",
        lambda: 'a = "' + "\\u00e9" * (reader.MAX_BACKSLASHES - 1) + '"',
    )
    yield (
        f"at limit: {reader.MAX_OUTSIDE_CHARS:,} spaces",
        lambda: "a = 1" + " " * (reader.MAX_OUTSIDE_CHARS - 10),
    )
    yield "at limit: all of the above at once", combo
    yield "largest valid routine (140 long steps)", largest_valid
    yield "500 steps played (250 with each_side)", many_steps


def timed(function: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def outcome(path: Path) -> str:
    try:
        load_routine(path)
    except RoutineError as error:
        message = error.problems[0].message.removeprefix(SCAN_REFUSAL)
        more = f" (+{len(error.problems) - 1})" if len(error.problems) > 1 else ""
        return "refused: " + (message if len(message) <= 80 else message[:77] + "...") + more
    return "loaded"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs

    loop = reference_seconds()
    print(describe(loop))
    normal = (bundled_routines_dir() / "full-session.toml").read_text(encoding="utf-8")
    reference = min(timed(lambda: tomllib.loads(normal), 50))
    scan = min(timed(lambda: reader.scan(Path("full-session.toml"), normal), 50))
    print(f"reference: tomllib.loads(full-session.toml), best of 50: {reference * 1000:.2f} ms")
    print(f"the scan on the same file: {scan * 1000:.3f} ms ({scan / reference:.0%} of the parse)")
    print()
    print("| case | size | best | median | × reference | result |")
    print("|---|---:|---:|---:|---:|---|")
    worst = ("", 0.0)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "case.toml"
        for name, build in cases():
            data = build().encode("utf-8")
            assert len(data) <= MiB, (name, len(data))
            path.write_bytes(data)
            if name.startswith("at limit") or "valid" in name:
                reader.scan(path, data.decode("utf-8"))  # these must reach tomllib
            result = outcome(path)
            times = timed(lambda: _load_quietly(path), runs)
            best, median = min(times), statistics.median(times)
            if median > worst[1]:
                worst = (name, median)
            print(
                f"| {name} | {len(data) / 1024:,.0f} KB | {best * 1000:.1f} ms | "
                f"{median * 1000:.1f} ms | {median / reference:.0f}× | {result} |"
            )
    name, median = worst
    verdict = "within" if median <= TARGET_SECONDS else "OVER"
    print()
    print(
        f"slowest: {name}: {median * 1000:.1f} ms median, {median / reference:.0f}× the "
        f"tomllib parse, {ratio(median, loop)}; {verdict} the {TARGET_SECONDS * 1000:.0f} ms "
        "target"
    )


def _load_quietly(path: Path) -> None:
    with contextlib.suppress(RoutineError):
        load_routine(path)


if __name__ == "__main__":
    main()
