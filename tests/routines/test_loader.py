"""The routine loader: expansion, placeholders, and one clear problem per mistake."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import write

from selfcare_tui.routines import loader
from selfcare_tui.routines.loader import load_routine
from selfcare_tui.routines.model import Kind, Side
from selfcare_tui.routines.problems import RoutineError

MINIMAL = """
format = 1
title = "Tiny"
[[steps]]
title = "Breathe"
kind = "breathing"
seconds = 30
text = "Breathe slowly."
"""


def problems_of(path: Path) -> list[str]:
    with pytest.raises(RoutineError) as caught:
        load_routine(path)
    return [str(problem) for problem in caught.value.problems]


def test_minimal_routine_takes_its_id_from_the_file_name(tmp_path: Path) -> None:
    routine = load_routine(write(tmp_path / "tiny-one.toml", MINIMAL))
    assert routine.id == "tiny-one"
    assert routine.title == "Tiny"
    assert routine.total_seconds == 30
    (step,) = routine.steps
    assert (step.kind, step.side, step.speech) == (Kind.BREATHING, Side.NONE, "Breathe slowly.")


def test_each_side_plays_a_step_per_side_with_names_filled_in(tmp_path: Path) -> None:
    path = write(
        tmp_path / "sides.toml",
        MINIMAL
        + """
[[steps]]
title = "Side bend, {side} side"
kind = "stretch"
each_side = ["right", "left"]
reps = 3
hold = 30
text = "Reach your {side} arm up, {other_side} hand down."
speech = "{Side} side."
[[steps.cues]]
left = 10
text = "Ease off a little on your {side} side."
""",
    )
    routine = load_routine(path)
    right, left = routine.steps[1:]
    assert (right.side, left.side) == (Side.RIGHT, Side.LEFT)
    assert right.title == "Side bend, right side"
    assert left.text == "Reach your left arm up, right hand down."
    assert right.speech == "Right side."
    assert (right.seconds, right.repetitions, right.hold_seconds) == (90, 3, 30)
    assert right.cues[0].at_second == 80
    assert left.cues[0].text == "Ease off a little on your left side."
    assert [step.index for step in routine.steps] == [0, 1, 2]


def test_a_group_plays_all_its_steps_on_one_side_then_the_other(tmp_path: Path) -> None:
    path = write(
        tmp_path / "group.toml",
        MINIMAL
        + """
[[steps]]
each_side = ["left", "right"]
[[steps.steps]]
title = "Ball on the {side} quadratus lumborum"
kind = "massage"
seconds = 30
text = "Lean into the ball."
[[steps.steps]]
title = "Side bend"
kind = "stretch"
seconds = 30
text = "Stretch your {side} side."
[[steps.steps.cues]]
halfway = true
text = "Breathe out."
""",
    )
    sides = [(step.side.value, step.title) for step in load_routine(path).steps[1:]]
    assert sides == [
        ("left", "Ball on the left quadratus lumborum"),
        ("left", "Side bend"),
        ("right", "Ball on the right quadratus lumborum"),
        ("right", "Side bend"),
    ]


@pytest.mark.parametrize(
    ("addition", "expected"),
    [
        ('sumary = "x"', "sumary: unknown key; did you mean 'summary'?"),
        ("", None),
    ],
)
def test_unknown_top_level_key_suggests_the_right_one(
    tmp_path: Path, addition: str, expected: str | None
) -> None:
    path = write(tmp_path / "r.toml", addition + MINIMAL)
    if expected is None:
        load_routine(path)
    else:
        assert problems_of(path) == [f"{path}: {expected}"]


@pytest.mark.parametrize(
    ("step_lines", "expected"),
    [
        ("seconds = 0", "steps[1].seconds: expected a whole number from 1 to 3600, got 0"),
        ("seconds = -5", "steps[1].seconds: expected a whole number from 1 to 3600, got -5"),
        ("seconds = 3601", "steps[1].seconds: expected a whole number from 1 to 3600, got 3601"),
        ('seconds = "30"', "steps[1].seconds: expected a whole number from 1 to 3600, got the"),
        ("seconds = true", "steps[1].seconds: expected a whole number from 1 to 3600, got the bo"),
        ("seconds = 1.5", "steps[1].seconds: expected a whole number from 1 to 3600, got the nu"),
        ("reps = 100\nhold = 60", "steps[1].reps: expected a whole number from 1 to 50, got 100"),
        ("reps = 3", "steps[1].hold: missing; expected a whole number"),
        ("reps = 40\nhold = 100", "steps[1].reps: reps × hold is 4000 s; at most 3600 s"),
        ("seconds = 5\nreps = 1\nhold = 5", "steps[1]: give either seconds, or reps and hold"),
        ("", "steps[1].seconds: missing; expected seconds = N, or reps = N and hold = S"),
        ("seconds = 30\nduration = 30", "steps[1].duration: unknown key; did you mean 'seconds'"),
        ("seconds = 30\nside = 'lefft'", "steps[1].side: expected one of left, right, both, none"),
        ("seconds = 30\neach_side = ['left']", 'steps[1].each_side: expected ["left", "right"]'),
        ("seconds = 30\ncues = [{ at = 40, text = 'x' }]", "steps[1].cues[0].at: expected a who"),
        ("seconds = 30\ncues = [{ text = 'x' }]", "steps[1].cues[0]: expected exactly one of"),
        ("seconds = 30\ncautions = 'x'", "steps[1].cautions: expected an array of strings"),
        ("seconds = 30\nmuscles = ['Gluteus Medius']", "steps[1].muscles[0]: expected a name"),
    ],
)
def test_step_mistakes_name_the_key_and_what_was_expected(
    tmp_path: Path, step_lines: str, expected: str
) -> None:
    path = write(
        tmp_path / "r.toml",
        MINIMAL + f'[[steps]]\ntitle = "T"\nkind = "stretch"\ntext = "x"\n{step_lines}\n',
    )
    problems = problems_of(path)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{path}: {expected}")


def test_every_problem_in_a_file_is_reported(tmp_path: Path) -> None:
    path = write(
        tmp_path / "r.toml",
        """
format = 2
title = 7
colour = "red"
[[steps]]
title = "A"
kind = "strech"
seconds = 0
text = "x"
[[steps]]
title = "B"
kind = "rest"
seconds = 10
""",
    )
    keys = [problem.split(": ")[1] for problem in problems_of(path)]
    assert keys == [
        "colour",
        "format",
        "title",
        "steps[0].kind",
        "steps[0].seconds",
        "steps[1].text",
    ]
    assert "did you mean 'stretch'" in "\n".join(problems_of(path))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{sdie} side", "unknown placeholder {sdie}; did you mean 'side'?"),
        ("{side", "the '{' at character 1 is not closed; write {{ and }} for literal braces"),
        ("a } b", "the '}' at character 3 closes no '{'; write {{ and }} for literal braces"),
        ("{}", "empty placeholder {}; write {{ and }} for literal braces"),
        ("{0}", "unknown placeholder {0}; the placeholders are {side}, {other_side}, {Side}, "),
        ("{side:d}", "placeholder {side:d} has a format, conversion or index; write {side}: "),
        ("{side:>20000000}", "placeholder {side:>20000000} has a format, conversion or index"),
        ("{side:.0}", "placeholder {side:.0} has a format, conversion or index"),
        ("{side!r}", "placeholder {side!r} has a format, conversion or index"),
        ("{side.upper}", "placeholder {side.upper} has a format, conversion or index"),
        ("{other_side[0]}", "placeholder {other_side[0]} has a format, conversion or index"),
        ("{side}{{{side:d}", "placeholder {side:d} has a format, conversion or index"),
        ("{ side }", "unknown placeholder { side }; did you mean 'side'?"),
        ("{" + "x" * 60 + "}", "unknown placeholder {" + "x" * 37 + "...}; the placeholders"),
        (
            "the {side} side",
            "{side} placeholders need a step with side left or right, or each_side",
        ),
    ],
)
def test_placeholder_mistakes(tmp_path: Path, text: str, expected: str) -> None:
    side = "left" if "side" in expected and "need" not in expected else "none"
    path = write(
        tmp_path / "r.toml",
        f'format = 1\ntitle = "T"\n[[steps]]\ntitle = "A"\nkind = "rest"\nseconds = 9\n'
        f'side = "{side}"\ntext = "{text}"\n',
    )
    (problem,) = problems_of(path)
    assert problem.startswith(f"{path}: steps[0].text: {expected}")


@pytest.mark.parametrize(
    ("text", "left", "right"),
    [
        ("Count {{1}}.", "Count {1}.", "Count {1}."),
        ("{{side}} is {side}", "{side} is left", "{side} is right"),
        ("{{{side}}}", "{left}", "{right}"),
        ("}}{{", "}{", "}{"),
        (
            "{Side}, not {other_side}: {Other_side}",
            "Left, not right: Right",
            "Right, not left: Left",
        ),
        ("no braces", "no braces", "no braces"),
    ],
)
def test_placeholders_and_literal_braces_are_filled(
    tmp_path: Path, text: str, left: str, right: str
) -> None:
    path = write(
        tmp_path / "r.toml",
        MINIMAL + f'[[steps]]\ntitle = "T"\nkind = "rest"\nseconds = 9\n'
        f'each_side = ["left", "right"]\ntext = "{text}"\ncautions = ["{text}"]\n'
        f'cues = [{{ at = 3, text = "{text}" }}]\n',
    )
    steps = load_routine(path).steps[1:]
    assert [step.text for step in steps] == [left, right]
    assert [step.cautions[0] for step in steps] == [left, right]
    assert [step.cues[0].text for step in steps] == [left, right]


def test_a_placeholder_error_quotes_the_text_escaped(tmp_path: Path) -> None:
    path = write(
        tmp_path / "r.toml",
        MINIMAL.replace("Breathe slowly.", r"{\u001b]52;c;aGk=\u0007}"),
    )
    assert problems_of(path) == [
        f"{path}: steps[0].text: contains the control character U+001B at character 2; remove it "
        "(text may hold tabs and line breaks, but no other control characters)",
        f"{path}: steps[0].text: unknown placeholder {{\\x1b]52;c;aGk=\\x07}}; the placeholders "
        "are {side}, {other_side}, {Side}, {Other_side}",
    ]


def test_literal_braces_are_kept_in_a_step_without_a_side(tmp_path: Path) -> None:
    path = write(tmp_path / "r.toml", MINIMAL.replace("Breathe slowly.", "Count {{1}}."))
    assert load_routine(path).steps[0].text == "Count {1}."


@pytest.mark.parametrize("field", ["title", "speech", "cautions[0]", "cues[0].text"])
def test_a_bad_placeholder_in_any_text_of_a_step_names_its_key(tmp_path: Path, field: str) -> None:
    lines = {
        "title": 'title = "{side:d}"',
        "speech": 'speech = "{side:d}"',
        "cautions[0]": 'cautions = ["{side:d}"]',
        "cues[0].text": 'cues = [{ at = 3, text = "{side:d}" }]',
    }
    step = {"title": 'title = "T"', "text": 'text = "x"'} | {field: lines[field]}
    path = write(
        tmp_path / "r.toml",
        MINIMAL
        + '[[steps]]\nkind = "rest"\nseconds = 9\nside = "left"\n'
        + "\n".join(step.values())
        + "\n",
    )
    assert problems_of(path) == [
        f"{path}: steps[1].{field}: placeholder {{side:d}} has a format, conversion or index; "
        "write {side}: placeholders are filled with the side's name as it is"
    ]


def test_texts_are_checked_against_their_limits_once_placeholders_are_filled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Today every side word is shorter than its placeholder; a longer one must still be checked.
    monkeypatch.setitem(loader.SIDE_WORDS, "side", lambda side: side.value * 30)
    text = "{side} " * 10
    path = write(
        tmp_path / "r.toml",
        MINIMAL + f'[[steps]]\ntitle = "T"\nkind = "rest"\nseconds = 9\n'
        f'each_side = ["left", "right"]\ntext = "{text}"\n',
    )
    assert problems_of(path) == [
        f"{path}: steps[1].text: is 1,209 characters long on the left side, once its "
        "placeholders are filled in; at most 1000",
        f"{path}: steps[1].text: is 1,509 characters long on the right side, once its "
        "placeholders are filled in; at most 1000",
    ]


def test_the_routine_as_played_has_a_size_limit(tmp_path: Path) -> None:
    text = "Stretch gently. " * 60
    steps = "".join(
        f'[[steps]]\ntitle = "S{n}"\nkind = "stretch"\nseconds = 30\ntext = "{text}"\n'
        'each_side = ["left", "right"]\n'
        for n in range(110)
    )
    path = write(tmp_path / "r.toml", 'format = 1\ntitle = "Big"\n' + steps)
    assert problems_of(path) == [
        f"{path}: steps: the steps hold 211,640 characters of text once sides are expanded; "
        "at most 200,000"
    ]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("Bad_Name.toml", MINIMAL, "the file name gives the routine id 'Bad_Name'"),
        ("empty.toml", "", "format: missing; expected format = 1"),
        ("nosteps.toml", 'format = 1\ntitle = "x"\nsteps = []', "steps: a routine needs at leas"),
        ("long.toml", MINIMAL.replace('"Tiny"', '"' + "x" * 101 + '"'), "title: is 101 char"),
        ("blank.toml", MINIMAL.replace('"Tiny"', '"  "'), "title: is empty; expected some"),
        ("newer.toml", MINIMAL.replace("format = 1", "format = 7"), "format: format 7 is not kn"),
    ],
)
def test_routine_level_mistakes(tmp_path: Path, name: str, content: str, expected: str) -> None:
    path = write(tmp_path / name, content)
    assert any(expected in problem for problem in problems_of(path)), problems_of(path)


def test_toml_syntax_errors_give_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path / "r.toml", 'format = 1\ntitle = "x\n')
    (problem,) = problems_of(path)
    assert problem.startswith(f"{path}:2:")
    assert "not valid TOML" in problem


def test_invalid_utf8_gives_its_position(tmp_path: Path) -> None:
    path = tmp_path / "r.toml"
    path.write_bytes(b'format = 1\ntitle = "caf\xe9"\n')
    assert problems_of(path) == [
        f"{path}:2:13: not valid UTF-8 (byte 0xe9); save the file as UTF-8 text"
    ]


def test_binary_garbage_is_refused_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "r.toml"
    path.write_bytes(bytes(range(256)) * 10)
    (problem,) = problems_of(path)
    assert "not valid" in problem


def test_deeply_nested_arrays_are_refused_cleanly(tmp_path: Path) -> None:
    depth = 100_000
    path = write(tmp_path / "r.toml", "x = " + "[" * depth + "]" * depth)
    (problem,) = problems_of(path)
    assert "too large or complex to be a routine, so not read" in problem


def test_a_50_mb_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    with path.open("wb") as file:
        file.truncate(50 * 1024 * 1024)
    assert problems_of(path) == [f"{path}: file is 50.0 MiB; a routine may be at most 1 MiB"]


def test_a_symlink_loop_is_reported(tmp_path: Path) -> None:
    (tmp_path / "a.toml").symlink_to(tmp_path / "b.toml")
    (tmp_path / "b.toml").symlink_to(tmp_path / "a.toml")
    assert problems_of(tmp_path / "a.toml") == [
        f"{tmp_path / 'a.toml'}: cannot read: symbolic link loop"
    ]


def test_a_folder_named_like_a_routine_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "odd.toml").mkdir()
    assert problems_of(tmp_path / "odd.toml") == [f"{tmp_path / 'odd.toml'}: not a regular file"]


def test_an_unreadable_file_says_permission_denied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "r.toml", MINIMAL)

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    # Tests run as root in CI, where chmod cannot make a file unreadable.
    monkeypatch.setattr(Path, "open", refuse)
    assert problems_of(path) == [f"{path}: cannot read: permission denied"]


def test_a_bad_duration_does_not_also_blame_its_cues(tmp_path: Path) -> None:
    path = write(
        tmp_path / "r.toml",
        MINIMAL + '[[steps]]\ntitle = "T {sid}"\nkind = "rest"\nseconds = 0\ntext = "x"\n'
        "cues = [{ at = 5, text = 'y' }]\n",
    )
    keys = [problem.split(": ")[1] for problem in problems_of(path)]
    assert keys == ["steps[1].seconds", "steps[1].title"]


def test_cues_on_a_group_point_to_the_right_place(tmp_path: Path) -> None:
    path = write(
        tmp_path / "r.toml",
        MINIMAL
        + """
[[steps]]
each_side = ["left", "right"]
[[steps.steps]]
title = "A"
kind = "rest"
seconds = 10
text = "x"
[[steps.cues]]
at = 5
text = "y"
""",
    )
    (problem,) = problems_of(path)
    assert "steps[1].cues: a group has no cues of its own; write [[steps.steps.cues]]" in problem


def test_a_routine_may_choose_how_its_holds_end(tmp_path: Path) -> None:
    from selfcare_tui.vocabulary import CountdownStyle

    quiet = load_routine(write(tmp_path / "quiet.toml", 'countdown = "sounds"\n' + MINIMAL))
    assert quiet.countdown is CountdownStyle.SOUNDS
    assert load_routine(write(tmp_path / "plain.toml", MINIMAL)).countdown is None
    wrong = write(tmp_path / "wrong.toml", 'countdown = "\\u001b[2J"\n' + MINIMAL)
    [problem] = problems_of(wrong)
    assert problem.startswith(f"{wrong}: countdown: expected one of speech, sounds, both, off")
    assert "\x1b" not in problem
