"""Sources: the [sources] table, step citations, `selfcare sources`, `show` and the export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import write

from selfcare_tui import content, locations
from selfcare_tui.cli import main
from selfcare_tui.journal.history import export_markdown
from selfcare_tui.routines.cache import RoutineCache
from selfcare_tui.routines.loader import check_routine, load_routine
from selfcare_tui.routines.model import Source
from selfcare_tui.routines.problems import RoutineError

BUNDLED = ("desk-break", "full-session", "short-relief")

CITED = """
format = 1
title = "Cited"
[sources]
4 = 'Mayo Clinic, "Stretching and flexibility"'
article = {{ title = "An article", url = "https://example.org/a" }}
[[steps]]
title = "Bend"
kind = "stretch"
seconds = 30
text = "Bend."
sources = {sources}
"""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_every_bundled_step_names_a_source_that_selfcare_sources_lists(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "sources", "--json")
    assert code == 0
    listed = {r["id"]: {s["key"] for s in r["sources"]} for r in json.loads(out)["routines"]}
    assert set(listed) == set(BUNDLED)
    for routine_id in BUNDLED:
        path = locations.bundled_routines_dir() / f"{routine_id}.toml"
        routine, warnings = check_routine(path, Source.BUNDLED)
        assert warnings == ()
        for step in routine.steps:
            assert step.sources, f"{routine_id} step {step.number} cites no source"
            assert set(step.sources) <= listed[routine_id]


def test_no_bundled_routine_names_a_file_outside_the_package() -> None:
    for path in locations.bundled_routines_dir().glob("*.toml"):
        text = path.read_text(encoding="utf-8")
        assert "/work/" not in text and "CONTENT.md" not in text and "shared" not in text


def test_the_app_texts_cite_only_sources_it_lists(capsys: pytest.CaptureFixture[str]) -> None:
    for citation in content.CITATIONS:
        assert citation.sources and set(citation.sources) <= content.SOURCES.keys()
    for key in ("20", "21", "22", "23", "24", "34", "25", "26", "28", "29"):
        assert key in content.SOURCES
    _, out, _ = run(capsys, "sources")
    assert out.startswith("The app's safety and reflection texts")
    assert "[34] Bridgwater Bay Health" in out and "Desk break" in out


def test_one_routine_lists_the_steps_citing_each_source(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    write(tmp_path / "cited.toml", CITED.format(sources='[4, "article", 9]'))
    code, out, _ = run(capsys, "sources", "cited", "--routines", str(tmp_path))
    assert code == 0
    assert "[4] Mayo Clinic" in out and "https://example.org/a" in out
    assert "[9] not in the sources table" in out and "cited by steps 1" in out
    code, out, _ = run(capsys, "sources", "cited", "--json", "--routines", str(tmp_path))
    report = json.loads(out)["routines"][0]
    assert [s["key"] for s in report["sources"]] == ["4", "article"]
    assert report["sources"][0]["steps"] == [{"number": 1, "title": "Bend", "side": "none"}]
    assert report["unknown"] == [{"key": "9", "steps": report["sources"][0]["steps"]}]


def test_show_names_each_steps_sources(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write(tmp_path / "cited.toml", CITED.format(sources='[4, "article"]'))
    _, out, _ = run(capsys, "show", "cited", "--routines", str(tmp_path))
    assert "Sources: [4] [article]" in out and "[article] An article" in out
    _, out, _ = run(capsys, "show", "cited", "--json", "--routines", str(tmp_path))
    shown = json.loads(out)
    assert shown["steps"][0]["sources"] == [
        {"key": "4", "title": 'Mayo Clinic, "Stretching and flexibility"'},
        {"key": "article", "title": "An article"},
    ]
    assert shown["sources"][1] == {
        "key": "article",
        "title": "An article",
        "url": "https://example.org/a",
    }


def test_a_citation_without_a_source_is_a_warning(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(tmp_path / "cited.toml", CITED.format(sources="[4, 7]"))
    code, out, err = run(capsys, "validate", str(path))
    assert code == 0
    assert out.splitlines() == [
        f"{path}: steps[0].sources[1]: warning: cites source 7, which the [sources] table does "
        "not have"
    ]
    assert "0 with problems" in err
    assert load_routine(path).steps[0].sources == ("4", "7")


@pytest.mark.parametrize(
    ("table", "step", "expected"),
    [
        ('0 = "Zero"', "[]", "sources.0: not a source key"),
        ('"Bad Key" = "x"', "[]", 'sources."Bad Key": not a source key'),
        ('4 = "Mayo\\u001b[31m"', "[]", "sources.4: contains the control character U+001B"),
        ('4 = "Mayo\\u202e"', "[]", "sources.4: contains the bidirectional control U+202E"),
        ('4 = { title = "x", url = "javascript:alert(1)" }', "[]", "sources.4.url: expected"),
        ('4 = { title = "x", link = "y" }', "[]", "sources.4.link: unknown key"),
        ("4 = 4", "[]", "sources.4: expected the source's title"),
        ('4 = "x"', "[4, 4]", "steps[0].sources[1]: cites source 4 twice"),
        ('4 = "x"', '["Bad"]', "steps[0].sources[0]: expected a number from 1 to 9999"),
        ('4 = "x"', "4", "steps[0].sources: expected an array"),
        ('4 = "' + "x" * 301 + '"', "[]", "sources.4: is 301 characters long; at most 300"),
    ],
)
def test_bad_sources_are_errors(tmp_path: Path, table: str, step: str, expected: str) -> None:
    text = CITED.format(sources=step)
    text = text.replace("4 = 'Mayo Clinic, \"Stretching and flexibility\"'", table)
    path = write(tmp_path / "bad.toml", text)
    with pytest.raises(RoutineError) as caught:
        load_routine(path)
    assert any(expected in str(problem) for problem in caught.value.problems), caught.value
    assert "\x1b" not in str(caught.value) and "\u202e" not in str(caught.value)


def test_too_many_sources_is_an_error(tmp_path: Path) -> None:
    table = "\n".join(f'{n} = "Source {n}"' for n in range(1, 102))
    text = CITED.replace("4 = 'Mayo Clinic, \"Stretching and flexibility\"'", table)
    path = write(tmp_path / "many.toml", text.format(sources="[4]"))
    with pytest.raises(RoutineError, match="102 sources; at most 100"):
        load_routine(path)


def test_sources_survive_the_cache(tmp_path: Path) -> None:
    path = write(tmp_path / "cited.toml", CITED.format(sources='[4, "article"]'))
    first = RoutineCache(tmp_path / "cache.sqlite3")
    loaded = first.load(path, Source.FOLDER)
    first.save()
    again = RoutineCache(tmp_path / "cache.sqlite3").load(path, Source.FOLDER)
    assert again == loaded and again.references == loaded.references
    assert again.steps[0].sources == ("4", "article")


def test_the_export_ends_with_the_apps_sources() -> None:
    text = export_markdown([])
    section = text[text.index("## Sources") :]
    assert "Red flags: call emergency services now: \\[20\\] \\[21\\] \\[22\\]" in section
    assert "\\[34\\] Bridgwater Bay Health" in section
    assert "/work/" not in text and "CONTENT.md" not in text
