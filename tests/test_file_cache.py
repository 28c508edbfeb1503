"""What the indexes share: a file's signature, and rows of named fields read with their types."""

from __future__ import annotations

import ast
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from selfcare_tui import file_cache
from selfcare_tui.file_cache import BadRow, parse_row, signature


def test_a_file_restored_with_its_old_size_and_mtime_has_another_signature(tmp_path: Path) -> None:
    path = tmp_path / "source.txt"
    path.write_text("first", encoding="utf-8")
    known = signature(path)
    before = os.stat(path)
    path.write_text("other", encoding="utf-8")  # same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # as `cp -p` would
    now = signature(path)
    assert now is not None and known is not None
    assert (now.size, now.mtime_ns) == (known.size, known.mtime_ns)
    assert now != known


def test_signature_of_a_missing_file_is_none(tmp_path: Path) -> None:
    assert signature(tmp_path / "nowhere") is None


@pytest.mark.parametrize("text", ["[1]", '{"a": 1} x', "", "nan", '"a"'])
def test_a_row_is_one_json_object(text: str) -> None:
    with pytest.raises(ValueError):
        parse_row(text)


def test_rows_round_trip_even_with_text_that_is_not_utf8() -> None:
    row = {"path": os.fsdecode(b"caf\xe9.toml"), "count": 1}
    assert parse_row(file_cache.dumps(row)) == row
    assert file_cache.dumps(row).isascii()


@pytest.mark.parametrize(
    ("reader", "value"),
    [
        (file_cache.text, 1),
        (file_cache.optional_text, 1),
        (file_cache.whole, 1.0),
        (file_cache.whole, True),
        (file_cache.optional_whole, "1"),
        (file_cache.number, "1.5"),
        (file_cache.number, False),
        (file_cache.flag, 0),
        (file_cache.texts, ["a", 1]),
        (file_cache.texts, "ab"),
        (file_cache.wholes, [1, None]),
        (file_cache.objects, [{}, []]),
        (file_cache.obj, []),
    ],
)
def test_field_readers_refuse_other_types(reader: Any, value: Any) -> None:
    with pytest.raises(BadRow):
        reader({"field": value}, "field")
    with pytest.raises(KeyError):
        reader({}, "field")


def test_field_readers_accept_their_types() -> None:
    row = {"t": "a", "n": None, "w": 2, "f": 1.5, "b": False, "ts": ["a"], "ws": [1], "o": {}}
    assert file_cache.text(row, "t") == "a"
    assert file_cache.optional_text(row, "n") is None
    assert file_cache.optional_whole(row, "w") == 2
    assert file_cache.number(row, "w") == 2.0 and isinstance(file_cache.number(row, "w"), float)
    assert file_cache.number(row, "f") == 1.5
    assert file_cache.flag(row, "b") is False
    assert file_cache.texts(row, "ts") == ["a"] and file_cache.wholes(row, "ws") == [1]
    assert file_cache.obj(row, "o") == {} and file_cache.objects({"x": [{}]}, "x") == [{}]


def test_it_sits_at_the_bottom_importing_nothing_of_ours() -> None:
    tree = ast.parse(Path(file_cache.__file__).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}  # fmt: skip
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    ours = {name for name in imported if name.split(".")[0] == "selfcare_tui"}
    assert ours == set()
    others = {name.split(".")[0] for name in imported - ours}
    assert others <= set(sys.stdlib_module_names) | {"__future__"}
