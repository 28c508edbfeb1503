"""Escape sequences, bidirectional overrides and Rich markup in every text a routine file holds.

The loader refuses control characters and bidirectional controls in any text, with a problem
that names the key and quotes nothing raw; markup is text like any other, kept as written (it is
the screens' job never to render it as markup).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import write
from hostile.crafted import (
    ESCAPES,
    MARKUP,
    TEXT_FIELDS,
    VALID,
    everywhere,
    routine,
    toml_string,
    unclean,
)

from selfcare_tui.routines.loader import load_routine
from selfcare_tui.routines.problems import RoutineError


def refusal(path: Path) -> RoutineError:
    with pytest.raises(RoutineError) as caught:
        load_routine(path)
    return caught.value


@pytest.mark.parametrize("field", TEXT_FIELDS)
@pytest.mark.parametrize("escape", ESCAPES)
def test_an_escape_in_any_text_is_one_clean_problem_at_its_key(
    tmp_path: Path, escape: str, field: str
) -> None:
    path = write(tmp_path / "hostile.toml", routine(field, ESCAPES[escape]))
    error = refusal(path)
    assert [problem.key for problem in error.problems] == [field]
    message = error.problems[0].message
    assert "control" in message or message == "is empty; expected some text"
    assert unclean(str(error)) == []
    assert unclean(error.summary) == []


@pytest.mark.parametrize("escape", ["esc", "c1-csi", "bidi-override"])
def test_the_problem_says_which_character_and_where(tmp_path: Path, escape: str) -> None:
    path = write(tmp_path / "hostile.toml", routine("steps[0].text", "ok " + ESCAPES[escape]))
    (problem,) = refusal(path).problems
    code = ord(ESCAPES[escape][0])
    assert f"U+{code:04X} at character 4" in problem.message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\x1b[2J", ":2:11: not valid TOML: a control character (U+001B)"),
        ("\x07", ":2:11: not valid TOML: a control character (U+0007)"),
        ("\r", ":2:11: not valid TOML: a carriage return (U+000D)"),
        ("\x9b2J", ": title: contains the control character U+009B at character 2"),
        ("\x85", ": title: contains the control character U+0085 at character 2"),
        ("\u202e", ": title: contains the bidirectional control U+202E at character 2"),
    ],
)
def test_characters_written_raw_are_refused_too(tmp_path: Path, raw: str, expected: str) -> None:
    # TOML itself refuses C0 controls written raw; C1 and bidirectional controls it allows.
    path = write(tmp_path / "hostile.toml", VALID.replace("Fine", "F" + raw + "ine"))
    (problem,) = refusal(path).problems
    assert str(problem).startswith(f"{path}{expected}")
    assert unclean(str(problem)) == []


@pytest.mark.parametrize(
    ("content", "key"),
    [
        (VALID + '"\\u001b]0;title\\u0007" = 1\n', '"\\u001b]0;title\\u0007"'),
        (VALID + '["\\u001b[2J"]\nx = 1\n', '"\\u001b[2J"'),
        (VALID.replace('"rest"', '"\\u009b2J"'), "steps[0].kind"),
        (VALID.replace("seconds = 10", 'side = "\\u202eleft"\nseconds = 10'), "steps[0].side"),
        (VALID + 'muscles = ["\\u001b[2J"]\n', "steps[0].muscles[0]"),
        (VALID + 'muscles = ["gluteus\\u0085"]\n', "steps[0].muscles[0]"),
        (VALID.replace("format = 1", 'format = "\\u001b[2J"'), "format"),
    ],
)
def test_escapes_in_keys_and_other_values_are_quoted_escaped(
    tmp_path: Path, content: str, key: str
) -> None:
    error = refusal(write(tmp_path / "hostile.toml", content))
    assert any((problem.key or "").endswith(key) for problem in error.problems)
    assert unclean(str(error)) == []


@pytest.mark.parametrize("markup", MARKUP)
def test_markup_in_every_text_is_kept_as_written(tmp_path: Path, markup: str) -> None:
    text = MARKUP[markup]
    routine_ = load_routine(write(tmp_path / "markup.toml", everywhere(text)))
    assert (routine_.title, routine_.summary) == (text, text)
    for step in routine_.steps:
        assert step.title == step.text == text
        assert [cue.text for cue in step.cues] == [text]
        assert step.cautions == (text,)


@pytest.mark.parametrize("markup", MARKUP)
def test_markup_in_a_problem_is_text(tmp_path: Path, markup: str) -> None:
    content = VALID.replace('"rest"', toml_string(MARKUP[markup]))
    (problem,) = refusal(write(tmp_path / "markup.toml", content)).problems
    assert problem.key == "steps[0].kind"
    assert repr(MARKUP[markup])[:30] in problem.message
