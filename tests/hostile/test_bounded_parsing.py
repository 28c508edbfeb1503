"""Files built to make the TOML parser slow are refused by the scan before it runs.

Each limit of the scan: a file just over it is refused with a problem saying which limit, and a
file at it still reaches the parser. No timings here: bench/parse_bench.py measures them.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import REPO_ROOT, SHARED_DIR, write

from selfcare_tui.routines import loader, reader
from selfcare_tui.routines.loader import load_routine
from selfcare_tui.routines.problems import RoutineError
from selfcare_tui.routines.reader import read_toml

REFUSED = "too large or complex to be a routine, so not read: "
CORPUS = SHARED_DIR / "testdata" / "toml-test"


def problem_of(path: Path) -> str:
    with pytest.raises(RoutineError) as caught:
        read_toml(path)
    (problem,) = caught.value.problems
    return str(problem)


# Each limit: a document of `n` units, and the problem a document of one unit more gets.
LIMITS: dict[str, tuple[int, Callable[[int], str], str]] = {
    "lines": (reader.MAX_LINES, lambda n: "#\n" * n, "it has {:,} lines"),
    "quote marks": (reader.MAX_QUOTE_MARKS, lambda n: "#" * n, "it has {:,} quotation marks"),
    "string": (
        reader.MAX_STRING_CHARS,
        lambda n: "a = '" + "x" * (n - 1) + "'",  # the count takes one quote of each string
        "its strings hold {:,} characters",
    ),
    "backslashes": (
        reader.MAX_BACKSLASHES,
        lambda n: 'a = "' + "\\t" * n + '"',
        "its strings hold {:,} backslashes",
    ),
    "outside": (
        reader.MAX_OUTSIDE_CHARS,
        lambda n: "a = 1" + " " * (n - 5),
        "it has {:,} characters outside strings and comments",
    ),
    "items": (
        reader.MAX_ITEMS,
        lambda n: "a = [" + "1," * ((n - 4) // 2) + "1" * (n % 2) + "]",
        "it has {:,} keys, values, tables and punctuation marks",
    ),
    "key parts": (
        reader.MAX_KEY_PARTS,
        lambda n: ".".join(["a"] * n) + " = 1",
        "a dotted key or table name has more than {2} parts",
    ),
    "table name parts": (
        reader.MAX_KEY_PARTS,
        lambda n: "[" + " . ".join(['"a"'] * n) + "]",
        "a dotted key or table name has more than {2} parts",
    ),
    "arrays": (
        reader.MAX_NESTING,
        lambda n: "a = " + "[" * n + "]" * n,
        "arrays or inline tables are nested more than {2} deep",
    ),
    "inline tables": (
        reader.MAX_NESTING,
        lambda n: "a = " + "{b = " * n + "1" + "}" * n,
        "arrays or inline tables are nested more than {2} deep",
    ),
    "unclosed": (
        reader.MAX_NESTING,
        lambda n: "a = " + "[" * n,
        "arrays or inline tables are nested more than {2} deep",
    ),
}


@pytest.mark.parametrize("limit", LIMITS)
def test_one_over_a_limit_is_refused_and_at_the_limit_is_parsed(tmp_path: Path, limit: str) -> None:
    count, document, message = LIMITS[limit]
    at_limit = write(tmp_path / "at.toml", document(count))
    try:
        read_toml(at_limit)
    except RoutineError as error:
        assert REFUSED not in str(error)  # the parser's own verdict, not the scan's
    over = write(tmp_path / "over.toml", document(count + 1))
    expected = message.format(count + 1, count, count)
    assert problem_of(over).startswith(f"{over}: {REFUSED}{expected}")


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ("a" + ".a" * 40_000 + " = 1\n", "it has 80,006 characters outside strings and comments"),
        ("[" + "a." * 40_000 + "a]\n", "it has 80,004 characters outside strings and comments"),
        ("a" + ".a" * 8_000 + " = 1\n", "it has 16,003 keys, values, tables and punctuation marks"),
        ("x = " + "[" * 100_000, "it has 100,004 characters outside strings and comments"),
        ("x = " + "{a=" * 4_000, "it has 12,002 keys, values, tables and punctuation marks"),
        ('"a".' * 10_000 + '"a" = 1', "it has 20,002 quotation marks and # signs"),
        ("'\"" * 500_000, "it has 1,000,000 quotation marks and # signs"),
    ],
    ids=[
        "40,000-part key",
        "40,000-part table name",
        "8,000-part key",
        "100,000 [",
        "4,000 inline tables",
        "10,000-part quoted key",
        "quotes",
    ],
)
def test_the_slow_constructs_of_the_issue_are_refused(
    tmp_path: Path, document: str, expected: str
) -> None:
    path = write(tmp_path / "slow.toml", document)
    assert problem_of(path).startswith(f"{path}: {REFUSED}{expected}; at most ")


def test_a_control_character_is_found_before_parsing_with_its_position(tmp_path: Path) -> None:
    path = write(tmp_path / "nul.toml", "# " + "x" * 500_000 + "\na = 1\nb = '\x00'\n")
    assert problem_of(path) == (
        f"{path}:3:6: not valid TOML: a control character (U+0000); only tabs and line breaks "
        "may appear as they are"
    )


def test_a_number_of_too_many_digits_is_a_clean_problem(tmp_path: Path) -> None:
    path = write(tmp_path / "digits.toml", "a = " + "9" * 5_000 + "\n")
    assert problem_of(path) == f"{path}: not valid TOML: a number has too many digits"


def test_windows_line_breaks_read_as_before(tmp_path: Path) -> None:
    example = (REPO_ROOT / "tests" / "data" / "example-routine.toml").read_text(encoding="utf-8")
    unix = load_routine(write(tmp_path / "unix" / "example.toml", example))
    path = tmp_path / "windows" / "example.toml"
    path.parent.mkdir()
    path.write_bytes(example.replace("\n", "\r\n").encode("utf-8"))
    windows = load_routine(path)
    assert windows.steps == unix.steps


def test_a_file_full_of_mistakes_lists_the_first_fifty(tmp_path: Path) -> None:
    path = write(
        tmp_path / "mistakes.toml",
        'format = 1\ntitle = "T"\n' + "".join(f"wrong{i} = 1\n" for i in range(3_000)),
    )
    with pytest.raises(RoutineError) as caught:
        load_routine(path)
    problems = [str(problem) for problem in caught.value.problems]
    assert len(problems) == loader.MAX_PROBLEMS + 1
    assert problems[-1] == f"{path}: and 2,951 more problems; fix these first"


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"toml-test corpus not found at {CORPUS}")
def test_the_toml_test_corpus_is_accepted_and_refused_as_tomllib_does(tmp_path: Path) -> None:
    documents = sorted(CORPUS.rglob("*.toml"))
    assert len(documents) == 777
    differences = []
    for document in documents:
        data = document.read_bytes()
        try:
            tomllib.loads(data.decode("utf-8"))
            accepted = True
        except (UnicodeDecodeError, tomllib.TOMLDecodeError):
            accepted = False
        try:
            read_toml(document)
            ours = True
        except RoutineError:
            ours = False
        if ours != accepted:
            differences.append(document.relative_to(CORPUS))
    assert differences == []


def test_the_documented_limits_are_the_ones_applied() -> None:
    doc = (REPO_ROOT / "docs" / "routine-format.md").read_text(encoding="utf-8")
    section = doc[doc.index("## Limits") : doc.index("## Errors")]
    numbers = {int(value.replace(",", "")) for value in re.findall(r"\| ([\d,]+)[ |]", section)}
    for value in (
        reader.MAX_LINES,
        reader.MAX_QUOTE_MARKS,
        reader.MAX_STRING_CHARS,
        reader.MAX_BACKSLASHES,
        reader.MAX_OUTSIDE_CHARS,
        reader.MAX_ITEMS,
        reader.MAX_KEY_PARTS,
        reader.MAX_NESTING,
        loader.MAX_ROUTINE_CHARS,
    ):
        assert value in numbers, value
    assert f"first {loader.MAX_PROBLEMS} problems" in section
