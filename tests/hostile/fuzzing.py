"""Generated routine files for the fuzz test (tests/hostile/test_fuzz.py) and its longer run
(bench/fuzz_routines.py): routines that are nearly right, with random texts, placeholders,
control characters and markup, sometimes cut or spliced; TOML-like noise; and raw bytes.

And the properties every one of them must keep: the loader returns a clean routine or raises a
clean RoutineError, and each command exits 0, 1 or 2 with no control byte in what it prints.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import tomli_w
from hostile.crafted import unclean
from hypothesis import strategies as st

from selfcare_tui.routines.loader import load_routine
from selfcare_tui.routines.model import Routine
from selfcare_tui.routines.problems import RoutineError

PIECES = [
    "Breathe out.", "Reach your ", " arm up", "left", "right",
    "{side}", "{other_side}", "{Side}", "{Other_side}", "{{", "}}", "{", "}",
    "{side:d}", "{side:>99}", "{side:.0}", "{side!r}", "{0}", "{}", "{sid}", "{side.x}",
    "[@click=app.quit]", "[/]", "[bold red]", "[link=https://example.invalid]",
    "\x1b", "\x1b]52;c;aGk=\x07", "\x1b[2J", "\x1b]0;title\x1b\\", "\x9b", "\x85", "\x9d",
    "\u202e", "\u2066", "\u200f", "\x00", "\x07", "\x08", "\r", "\n", "\t", "\x7f",
    " ", "  ", "é", "\u00a0", "\u2028", "\ufeff", "😀", "\\", '"', "'", "#", "=",
]  # fmt: skip
KINDS = ["stretch", "massage", "breathing", "rest", "transition"]
SIDES = ["left", "right", "both", "none"]
STEP_KEYS = ["title", "kind", "side", "each_side", "seconds", "reps", "hold", "text", "speech"]

plain_texts = st.lists(st.sampled_from([*PIECES[:5], "{{", "}}"]), min_size=1, max_size=6)
plain_texts = plain_texts.map("".join)
clean_texts = st.lists(st.sampled_from(PIECES[:10]), min_size=1, max_size=6).map("".join)
wild_texts = st.lists(
    st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), min_size=0, max_size=8
).map("".join)
numbers = st.one_of(
    st.integers(1, 120), st.integers(-3, 4000), st.sampled_from([0, 3600, 3601, 2**63 - 1])
)
junk_values = st.one_of(
    wild_texts, numbers, st.booleans(), st.floats(allow_nan=True), st.lists(wild_texts, max_size=3)
)
BOTH_WAYS = st.sampled_from([["left", "right"], ["right", "left"]])


class Kit(NamedTuple):
    """The strategies for one routine: all well-formed (placeholders aside), or anything goes."""

    texts: st.SearchStrategy[str]
    sided_texts: st.SearchStrategy[str]
    """For the texts of a step with a side, where placeholders are allowed."""
    seconds: st.SearchStrategy[int]
    kinds: st.SearchStrategy[Any]
    sides: st.SearchStrategy[Any]
    each_side: st.SearchStrategy[Any]
    junk: int
    """About one chance in `junk` of an unknown key, a missing key or a value of the wrong type."""

    def mischief(self, draw: st.DrawFn) -> bool:
        # Hypothesis favours small numbers, so the rare case is the largest.
        return draw(st.integers(0, self.junk)) == self.junk


TIDY = Kit(plain_texts, clean_texts, st.integers(2, 90), st.sampled_from(KINDS),
           st.sampled_from(["left", "right"]), BOTH_WAYS, 40)  # fmt: skip
WILD = Kit(
    st.one_of(clean_texts, clean_texts, wild_texts),
    st.one_of(clean_texts, clean_texts, wild_texts),
    numbers,
    st.one_of(st.sampled_from(KINDS), st.sampled_from(KINDS), wild_texts),
    st.one_of(st.sampled_from(SIDES), wild_texts),
    st.one_of(BOTH_WAYS, junk_values),
    5,
)


@st.composite
def cues(draw: st.DrawFn, kit: Kit, seconds: int, sided: bool) -> dict[str, Any]:
    cue: dict[str, Any] = {"text": draw(kit.sided_texts if sided else kit.texts)}
    moment = draw(st.sampled_from(["at", "left", "halfway"]))
    if kit is TIDY:
        if moment == "halfway" or seconds < 2:
            cue["halfway"] = True
        else:
            cue[moment] = draw(st.integers(1, seconds - 1))
        return cue
    moment = draw(st.sampled_from(["at", "left", "halfway", "none", "two"]))
    if moment in ("at", "two"):
        cue["at"] = draw(numbers)
    if moment in ("left", "two"):
        cue["left"] = draw(numbers)
    if moment == "halfway":
        cue["halfway"] = draw(st.one_of(st.just(True), junk_values))
    return cue


@st.composite
def steps(draw: st.DrawFn, kit: Kit, in_group: bool = False) -> dict[str, Any]:
    sides = "group" if in_group else draw(st.sampled_from(["side", "each_side", "none"]))
    texts = kit.texts if sides == "none" else kit.sided_texts
    step: dict[str, Any] = {"title": draw(texts), "text": draw(texts)}
    step["kind"] = draw(kit.kinds)
    seconds = draw(kit.seconds)
    if draw(st.booleans()):
        step["seconds"] = seconds
    else:
        step["reps"] = draw(st.integers(1, 5) if kit is TIDY else numbers)
        step["hold"] = seconds
        seconds *= step["reps"]
    if sides == "side":
        step["side"] = draw(kit.sides)
    elif sides == "each_side":
        step["each_side"] = draw(kit.each_side)
    if draw(st.booleans()):
        step["speech"] = draw(texts)
    if draw(st.booleans()):
        step["cautions"] = draw(st.lists(texts, max_size=2))
    if draw(st.booleans()):
        step["cues"] = draw(st.lists(cues(kit, seconds, sides != "none"), max_size=2))
    if kit.mischief(draw):
        step[draw(st.one_of(st.sampled_from(STEP_KEYS), texts))] = draw(junk_values)
    if kit.mischief(draw):
        del step[draw(st.sampled_from(sorted(step)))]
    return step


@st.composite
def groups(draw: st.DrawFn, kit: Kit) -> dict[str, Any]:
    each_side = draw(kit.each_side)
    members = st.lists(steps(kit, True), min_size=int(kit is TIDY), max_size=3)
    return {"each_side": each_side, "steps": draw(members)}


@st.composite
def routines(draw: st.DrawFn) -> dict[str, Any]:
    kit = draw(st.sampled_from([TIDY, WILD]))
    parts = st.one_of(steps(kit), steps(kit), groups(kit))
    document: dict[str, Any] = {
        "format": 1 if kit is TIDY else draw(st.one_of(st.just(1), st.just(1), numbers)),
        "title": draw(kit.texts),
        "steps": draw(st.lists(parts, min_size=1, max_size=4)),
    }
    if draw(st.booleans()):
        document["summary"] = draw(kit.texts)
    if draw(st.booleans()):
        muscles = st.sampled_from(["gluteus_medius", "hamstrings", "lower_back"])
        document["muscles"] = draw(st.lists(muscles if kit is TIDY else wild_texts, max_size=3))
    if kit.mischief(draw):
        document[draw(kit.texts)] = draw(junk_values)
    return document


@st.composite
def spliced(draw: st.DrawFn, text: str) -> str:
    """`text` cut short, or with a piece put in somewhere: valid TOML, mostly, no longer."""
    position = draw(st.integers(0, len(text)))
    edit = draw(st.sampled_from(["cut", "insert", "insert", "double"]))
    if edit == "cut":
        return text[:position]
    if edit == "double":
        return text[:position] + text
    return text[:position] + draw(st.one_of(st.sampled_from(PIECES), st.text())) + text[position:]


def as_toml(document: dict[str, Any]) -> str:
    return tomli_w.dumps(document)


toml_texts = routines().map(as_toml)
documents = st.one_of(
    toml_texts.map(str.encode),
    toml_texts.map(str.encode),
    toml_texts.flatmap(spliced).map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.text(alphabet=st.sampled_from(list("[]{}.=,\"'#\n \\abc1-_:")), max_size=300).map(
        str.encode
    ),
    st.binary(max_size=500),
)
"""The bytes of a routine file."""


def routine_texts(routine: Routine) -> list[str]:
    texts = [routine.id, routine.title, routine.summary, *routine.muscles]
    for step in routine.steps:
        texts += [step.title, step.text, step.speech, *step.cautions, *step.muscles]
        texts += [cue.text for cue in step.cues]
    return texts


def check_loader(path: Path, data: bytes) -> Routine | None:
    """Load the file holding `data`: a clean routine, or a clean RoutineError; nothing else."""
    path.write_bytes(data)
    try:
        routine = load_routine(path)
    except RoutineError as error:
        assert error.problems
        assert unclean(str(error)) == [], str(error)
        assert unclean(error.summary) == []
        for problem in error.problems:
            assert "\n" not in problem.message and "\n" not in (problem.key or "")
        return None
    for text in routine_texts(routine):
        assert unclean(text) == [], text
    assert 1 <= len(routine.steps) <= 500
    return routine


class Result(NamedTuple):
    code: int
    out: str
    err: str


COMMANDS = (
    ("list",),
    ("list", "--json"),
    ("show", "fuzz"),
    ("show", "fuzz", "--json"),
    ("run", "fuzz", "--dry-run"),
)


def check_commands(run: Callable[..., Result], parent: Path, data: bytes) -> list[Result]:
    """Every command on a folder holding `fuzz.toml`: exit 0, 1 or 2, and clean output.

    A new folder each time: the routine cache knows a file by its size and times, and two
    examples of one size written within a clock tick would look like one file.
    """
    folder = Path(tempfile.mkdtemp(dir=parent))
    (folder / "fuzz.toml").write_bytes(data)
    results = [run(*command, "--routines", str(folder)) for command in COMMANDS]
    results.append(run("validate", str(folder)))
    for result in results:
        assert result.code in (0, 1, 2), result
        assert unclean(result.out) == [], result.out
        assert unclean(result.err) == [], result.err
        assert "Traceback" not in result.err
    return results
