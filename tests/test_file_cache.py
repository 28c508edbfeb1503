"""The file cache: named rows keyed by a file's signature; anything damaged is only a miss."""

from __future__ import annotations

import ast
import json
import os
import stat
import sys
from pathlib import Path
from typing import Any

import pytest

from selfcare_tui import file_cache
from selfcare_tui.file_cache import BadRow, FileCache, Signature, signature

STAMP = "test-rows-1"


def decode(row: dict[str, Any]) -> tuple[str, int]:
    return file_cache.text(row, "name"), file_cache.whole(row, "count")


def source(folder: Path, name: str = "source.txt", text: str = "hello") -> tuple[str, Signature]:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    known = signature(path)
    assert known is not None
    return os.fspath(path), known


def saved(cache_file: Path, rows: dict[str, tuple[Signature, dict[str, Any]]], **kw: Any) -> None:
    cache = FileCache(cache_file, STAMP, **kw)
    for key, (known, row) in rows.items():
        cache.put(key, known, row)
    cache.save()


def test_a_row_comes_back_while_its_file_is_unchanged(tmp_path: Path) -> None:
    key, known = source(tmp_path)
    cache_file = tmp_path / "cache.json"
    saved(cache_file, {key: (known, {"name": "one", "count": 1})})
    assert FileCache(cache_file, STAMP).fetch(key, known, decode) == ("one", 1)
    document = json.loads(cache_file.read_text(encoding="utf-8"))
    assert document["format"] == STAMP
    record = document["files"][key]
    assert (record["size"], record["mtime_ns"], record["ctime_ns"]) == tuple(known)
    assert json.loads(record["row"]) == {"name": "one", "count": 1}  # named, not positional


def test_the_cache_file_is_private_whatever_the_umask(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    key, known = source(folder)
    old = os.umask(0)
    try:
        saved(folder / "cache.json", {key: (known, {"name": "one", "count": 1})})
    finally:
        os.umask(old)
    assert stat.S_IMODE((folder / "cache.json").stat().st_mode) == 0o600
    assert sorted(path.name for path in folder.iterdir()) == ["cache.json", "source.txt"]


@pytest.mark.parametrize("field", ["size", "mtime_ns", "ctime_ns"])
def test_any_change_to_the_signature_is_a_miss(tmp_path: Path, field: str) -> None:
    key, known = source(tmp_path)
    saved(tmp_path / "cache.json", {key: (known, {"name": "one", "count": 1})})
    changed = known._replace(**{field: getattr(known, field) + 1})
    assert FileCache(tmp_path / "cache.json", STAMP).fetch(key, changed, decode) is None


def test_a_file_restored_with_its_old_size_and_mtime_is_a_miss(tmp_path: Path) -> None:
    key, known = source(tmp_path, text="first")
    saved(tmp_path / "cache.json", {key: (known, {"name": "one", "count": 1})})
    before = os.stat(key)
    Path(key).write_text("other", encoding="utf-8")  # same size
    os.utime(key, ns=(before.st_atime_ns, before.st_mtime_ns))  # as `cp -p` would
    now = signature(key)
    assert now is not None and (now.size, now.mtime_ns) == (known.size, known.mtime_ns)
    assert FileCache(tmp_path / "cache.json", STAMP).fetch(key, now, decode) is None


def test_signature_of_a_missing_file_is_none(tmp_path: Path) -> None:
    assert signature(tmp_path / "nowhere") is None
    cache = FileCache(tmp_path / "cache.json", STAMP)
    cache.put("nowhere", None, {"name": "x", "count": 1})  # nothing to key it by: not kept
    cache.save()
    assert not (tmp_path / "cache.json").exists()


BROKEN_FILES = {
    "empty": b"",
    "not JSON": b"not json",
    "truncated": b'{"layout": 1, "format": "test-rows-1", "files": {"a": {"size": 1',
    "a list": b"[]",
    "not UTF-8": b"\xff\xfe\x00{",
    "deeply nested": b"[" * 100_000 + b"]" * 100_000,
    "another layout": json.dumps({"layout": 99, "format": STAMP, "files": {}}).encode(),
    "another format": json.dumps({"layout": 1, "format": "test-rows-0", "files": {}}).encode(),
    "files not a table": json.dumps({"layout": 1, "format": STAMP, "files": []}).encode(),
    "shared not a table": json.dumps(
        {"layout": 1, "format": STAMP, "files": {}, "shared": [1]}
    ).encode(),
    "older positional rows": json.dumps(
        {"version": 2, "plans": [], "rows": [["a", 1, 2, 3, "x", 0]]}
    ).encode(),
}


@pytest.mark.parametrize("content", BROKEN_FILES.values(), ids=BROKEN_FILES.keys())
def test_a_broken_cache_file_is_a_miss_and_is_replaced(tmp_path: Path, content: bytes) -> None:
    key, known = source(tmp_path)
    cache_file = tmp_path / "cache.json"
    cache_file.write_bytes(content)
    cache = FileCache(cache_file, STAMP)
    assert cache.fetch(key, known, decode) is None
    assert cache.changed
    cache.save()
    assert json.loads(cache_file.read_bytes())["format"] == STAMP


def good_record(known: Signature, row: Any) -> dict[str, Any]:
    text = row if isinstance(row, str) else json.dumps(row)
    return {"size": known.size, "mtime_ns": known.mtime_ns, "ctime_ns": known.ctime_ns, "row": text}


GOOD_ROW = {"name": "one", "count": 1}
BROKEN_RECORDS: dict[str, Any] = {
    "not a table": lambda known: [known.size, known.mtime_ns, known.ctime_ns, "{}"],
    "size as text": lambda known: {**good_record(known, GOOD_ROW), "size": str(known.size)},
    "no ctime": lambda known: {
        k: v for k, v in good_record(known, GOOD_ROW).items() if k != "ctime_ns"
    },
    "no row": lambda known: {k: v for k, v in good_record(known, GOOD_ROW).items() if k != "row"},
    "row not text": lambda known: {**good_record(known, GOOD_ROW), "row": GOOD_ROW},
    "row not JSON": lambda known: good_record(known, '{"name": "one", "cou'),
    "row with trailing text": lambda known: good_record(known, json.dumps(GOOD_ROW) + " {}"),
    "row a list": lambda known: good_record(known, ["one", 1]),
    "row nested too deep": lambda known: good_record(known, "[" * 100_000 + "]" * 100_000),
    "missing field": lambda known: good_record(known, {"name": "one"}),
    "wrong type": lambda known: good_record(known, {"name": "one", "count": "1"}),
    "bool for a number": lambda known: good_record(known, {"name": "one", "count": True}),
    "null for text": lambda known: good_record(known, {"name": None, "count": 1}),
}


@pytest.mark.parametrize("make", BROKEN_RECORDS.values(), ids=BROKEN_RECORDS.keys())
def test_a_damaged_row_is_a_miss_and_is_dropped(tmp_path: Path, make: Any) -> None:
    key, known = source(tmp_path)
    other_key, other_known = source(tmp_path, "other.txt", "other")
    cache_file = tmp_path / "cache.json"
    files = {key: make(known), other_key: good_record(other_known, {"name": "two", "count": 2})}
    document = {"layout": 1, "format": STAMP, "files": files}
    cache_file.write_text(json.dumps(document), encoding="utf-8")
    cache = FileCache(cache_file, STAMP)
    assert cache.fetch(key, known, decode) is None
    assert cache.fetch(other_key, other_known, decode) == ("two", 2)  # the others still serve
    cache.save()
    assert set(json.loads(cache_file.read_text(encoding="utf-8"))["files"]) == {other_key}


def test_a_decoder_error_drops_the_row(tmp_path: Path) -> None:
    key, known = source(tmp_path)
    saved(tmp_path / "cache.json", {key: (known, {"name": "one", "count": 1})})

    def refuse(row: dict[str, Any]) -> None:
        raise BadRow("count")

    cache = FileCache(tmp_path / "cache.json", STAMP)
    assert cache.fetch(key, known, refuse) is None
    assert cache.changed


def test_rows_not_asked_about_are_forgotten_unless_kept(tmp_path: Path) -> None:
    cache_file = tmp_path / "cache.json"
    a, b, c = (source(tmp_path, f"{name}.txt", name) for name in "abc")
    saved(cache_file, {key: (known, {"name": key, "count": 1}) for key, known in (a, b, c)})
    cache = FileCache(cache_file, STAMP)
    assert cache.fetch(a[0], a[1], decode) == (a[0], 1)
    cache.keep(b[0])  # kept as it is, without being decoded
    cache.keep("never cached")
    cache.save()
    assert set(json.loads(cache_file.read_text(encoding="utf-8"))["files"]) == {a[0], b[0]}


def test_nothing_is_written_when_nothing_changed(tmp_path: Path) -> None:
    key, known = source(tmp_path)
    cache_file = tmp_path / "cache.json"
    saved(cache_file, {key: (known, {"name": "one", "count": 1})})
    before = cache_file.stat().st_mtime_ns, cache_file.stat().st_ino
    cache = FileCache(cache_file, STAMP)
    cache.fetch(key, known, decode)
    assert not cache.changed
    cache.save()
    assert (cache_file.stat().st_mtime_ns, cache_file.stat().st_ino) == before


def test_equal_shared_values_are_stored_once_and_read_as_one_object(tmp_path: Path) -> None:
    cache_file = tmp_path / "cache.json"
    files = [source(tmp_path, f"{n}.txt", str(n)) for n in range(4)]
    steps = [{"title": "Breathe", "seconds": 30}]
    rows = {key: (known, {"n": n, "steps": [dict(s) for s in steps]}) for n, (key, known) in
            enumerate(files)}  # fmt: skip
    rows[files[3][0]] = (files[3][1], {"n": 3, "steps": []})
    saved(cache_file, rows, shared=["steps"])
    document = json.loads(cache_file.read_text(encoding="utf-8"))
    assert document["shared"] == {"steps": [steps, []]}
    assert "steps" not in json.loads(document["files"][files[0][0]]["row"])

    cache = FileCache(cache_file, STAMP, shared=["steps"])
    seen = [cache.fetch(key, known, lambda row: row) for key, known in files]
    assert all(row is not None for row in seen)
    assert [row["n"] for row in seen if row] == [0, 1, 2, 3]
    assert seen[0] and seen[1] and seen[0]["steps"] is seen[1]["steps"] == steps
    assert seen[3] and seen[3]["steps"] == []

    # A value no row holds any more is not written again.
    cache.put(files[3][0], files[3][1], {"n": 3, "steps": [{"title": "Rest", "seconds": 5}]})
    cache.save()
    pool = json.loads(cache_file.read_text(encoding="utf-8"))["shared"]["steps"]
    assert pool == [steps, [{"title": "Rest", "seconds": 5}]]


@pytest.mark.parametrize("number", [2, -1, "0", True, None, 0.0])
def test_a_bad_shared_number_is_a_miss(tmp_path: Path, number: Any) -> None:
    key, known = source(tmp_path)
    record = {**good_record(known, {"n": 1}), "shared": {"steps": number}}
    document = {"layout": 1, "format": STAMP, "files": {key: record}, "shared": {"steps": [[]]}}
    (tmp_path / "cache.json").write_text(json.dumps(document), encoding="utf-8")
    cache = FileCache(tmp_path / "cache.json", STAMP, shared=["steps"])
    assert cache.fetch(key, known, lambda row: row) is None
    cache.keep(key)
    cache.save()
    assert json.loads((tmp_path / "cache.json").read_text(encoding="utf-8"))["files"] == {}


def test_a_cache_that_cannot_be_written_is_only_skipped(tmp_path: Path) -> None:
    key, known = source(tmp_path)
    blocker = tmp_path / "a file"
    blocker.write_text("", encoding="utf-8")
    cache = FileCache(blocker / "cache.json", STAMP)  # its folder is a file
    cache.put(key, known, {"name": "one", "count": 1})
    cache.save()
    assert not (blocker / "cache.json").exists()


def test_a_write_error_never_reaches_the_caller(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(path: Path, data: bytes) -> None:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(file_cache, "replace_private", fail)
    key, known = source(tmp_path)
    cache = FileCache(tmp_path / "cache.json", STAMP)
    cache.put(key, known, {"name": "one", "count": 1})
    cache.save()
    assert cache.changed  # still unsaved, and no exception


def test_keys_that_are_not_valid_utf8_round_trip(tmp_path: Path) -> None:
    key = os.fsdecode(b"caf\xe9.toml")  # a surrogate escape, as os.listdir gives it
    known = Signature(1, 2, 3)
    saved(tmp_path / "cache.json", {key: (known, {"name": "é ✓", "count": 1})})
    assert FileCache(tmp_path / "cache.json", STAMP).fetch(key, known, decode) == ("é ✓", 1)


def test_no_file_means_no_cache(tmp_path: Path) -> None:
    cache = FileCache(None, STAMP)
    cache.put("key", Signature(1, 2, 3), {"name": "one", "count": 1})
    cache.save()
    assert cache.fetch("key", Signature(1, 2, 3), decode) is None


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


def test_it_sits_at_the_bottom_importing_only_private_files() -> None:
    tree = ast.parse(Path(file_cache.__file__).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}  # fmt: skip
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    ours = {name for name in imported if name.split(".")[0] == "selfcare_tui"}
    assert ours == {"selfcare_tui.private_files"}
    others = {name.split(".")[0] for name in imported - ours}
    assert others <= set(sys.stdlib_module_names) | {"__future__"}


def test_a_row_that_is_not_json_is_not_cached_and_never_raises(tmp_path: Path) -> None:
    key, known = source(tmp_path)
    cache = FileCache(tmp_path / "cache.json", STAMP, shared=["steps"])
    cache.put(key, known, {"name": object(), "count": 1})
    assert not cache.changed
    cache.put(key, known, {"name": "one", "count": 1, "steps": [{1, 2}]})  # a set: not JSON
    cache.save()
    assert not (tmp_path / "cache.json").exists()


def test_records_read_keep_their_numbers_while_every_shared_value_is_used(tmp_path: Path) -> None:
    cache_file = tmp_path / "cache.json"
    a, b, c = (source(tmp_path, f"{name}.txt", name) for name in "abc")
    saved(cache_file, {a[0]: (a[1], {"steps": ["x"]}), b[0]: (b[1], {"steps": ["y"]})},
          shared=["steps"])  # fmt: skip
    before = json.loads(cache_file.read_text(encoding="utf-8"))

    cache = FileCache(cache_file, STAMP, shared=["steps"])
    assert cache.fetch(a[0], a[1], lambda row: row) == {"steps": ["x"]}
    cache.keep(b[0])
    cache.put(c[0], c[1], {"steps": ["y"]})  # equal to a value already there
    cache.save()
    after = json.loads(cache_file.read_text(encoding="utf-8"))
    assert after["shared"] == before["shared"]
    for key in (a[0], b[0]):
        assert after["files"][key] == before["files"][key]  # as they were
    assert after["files"][c[0]]["shared"] == before["files"][b[0]]["shared"]

    # Once a value is no longer used, the pools are numbered afresh.
    cache = FileCache(cache_file, STAMP, shared=["steps"])
    cache.keep(b[0])
    cache.put(c[0], c[1], {"steps": ["z"]})
    cache.save()
    after = json.loads(cache_file.read_text(encoding="utf-8"))
    assert after["shared"] == {"steps": [["y"], ["z"]]}
    reread = FileCache(cache_file, STAMP, shared=["steps"])
    assert reread.fetch(b[0], b[1], lambda row: row) == {"steps": ["y"]}
    assert reread.fetch(c[0], c[1], lambda row: row) == {"steps": ["z"]}
