"""Turning a TOML document into a Routine: strict checks, side expansion, placeholders.

Every problem in a document is collected (up to MAX_PROBLEMS), so `selfcare validate` can report
them all at once. A routine file is untrusted input: no text it gives may hold a control character
or a bidirectional override, placeholders are a closed set filled without `str.format`, and the
limits apply to the routine as played, sides expanded and placeholders filled.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from selfcare_tui.routines.model import (
    FORMAT_VERSION,
    Cue,
    Kind,
    Reference,
    Routine,
    Side,
    Source,
    Step,
    routine_id_for,
)
from selfcare_tui.routines.problems import (
    Problem,
    RoutineError,
    did_you_mean,
    key_name,
    shown,
)
from selfcare_tui.routines.reader import read_toml
from selfcare_tui.vocabulary import CountdownStyle

ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_ID_LENGTH = 64
MAX_STEP_SECONDS = 3600
MAX_STEPS = 500
MAX_REPETITIONS = 50
LIMITS = {"title": 100, "summary": 500, "text": 1000, "speech": 1000, "cue": 300, "caution": 300}
MAX_ROUTINE_CHARS = 200_000
"""All the text of the routine as played (titles, texts, speech, cues, cautions, every step)."""
MAX_PROBLEMS = 50
# [sources]: a number (1-9999) or a lowercase name for each source, a title, an optional URL.
SOURCE_KEY = re.compile(r"[1-9][0-9]{0,3}|[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
MAX_SOURCE_KEY = 32
MAX_SOURCES = 100
MAX_CITATIONS = 20
"""Sources one step may cite."""
SOURCE_LIMITS = {"title": 300, "url": 500}
_URL = re.compile(r"https?://[^\s]+")
_SOURCE_KEY_EXPECTED = "expected a number from 1 to 9999 or a lowercase name such as 'article'"

# The placeholders, and the word each puts in for the step's side (left or right only).
SIDE_WORDS: dict[str, Callable[[Side], str]] = {
    "side": lambda side: side.value,
    "other_side": lambda side: side.other.value,
    "Side": lambda side: side.value.capitalize(),
    "Other_side": lambda side: side.other.value.capitalize(),
}
PLACEHOLDERS = tuple(SIDE_WORDS)
# {{ and }} (literal braces), a {placeholder}, or a brace on its own.
_BRACES = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
# Control characters (C0 but tab and line feed, DEL, C1) and bidirectional embeddings, overrides
# and isolates: nothing a routine says needs them, and they can act on a terminal or disguise text.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

ROUTINE_KEYS = ("format", "title", "summary", "muscles", "sources", "countdown", "steps")
STEP_KEYS = (
    "title", "kind", "muscles", "side", "each_side", "seconds", "reps", "hold",
    "text", "speech", "cues", "cautions", "sources",
)  # fmt: skip
GROUP_KEYS = ("each_side", "steps")
REFERENCE_KEYS = ("title", "url")
CUE_KEYS = ("text", "halfway", "at", "left")
# Names authors reach for that difflib cannot connect to ours.
SYNONYMS = {
    "duration": "seconds", "time": "seconds", "secs": "seconds", "repetitions": "reps",
    "hold_seconds": "hold", "instruction": "text", "instructions": "text",
    "description": "text", "say": "speech", "name": "title", "type": "kind",
    "sides": "each_side", "muscle": "muscles", "caution": "cautions", "cue": "cues",
    "version": "format", "when": "at", "source": "sources", "references": "sources",
    "citations": "sources",
}  # fmt: skip


def load_routine(path: Path, source: Source = Source.FOLDER) -> Routine:
    """Load and check one routine file, raising RoutineError with every problem found."""
    return check_routine(path, source)[0]


def check_routine(
    path: Path, source: Source = Source.FOLDER
) -> tuple[Routine, tuple[Problem, ...]]:
    """Load one routine file, with its warnings: things that do not stop it from playing.

    A citation of a source the [sources] table does not have is a warning, not an error: the
    routine plays as written, and `selfcare validate` names the step.
    """
    document = read_toml(path)
    checker = _Checker(path)
    routine = checker.routine(document, source)
    if checker.problems or routine is None:
        if checker.dropped:
            more = f"and {checker.dropped:,} more problems; fix these first"
            checker.problems.append(Problem(path, more))
        raise RoutineError(checker.problems)
    return routine, tuple(checker.warnings)


@dataclass
class _StepDraft:
    """A step as written, before it is played once per side."""

    key: str
    template: Step | None
    sides: tuple[Side, ...]


@dataclass
class _Checker:
    path: Path
    problems: list[Problem] = field(default_factory=list)
    dropped: int = 0
    warnings: list[Problem] = field(default_factory=list)
    source_keys: frozenset[str] = frozenset()

    def warn(self, key: str, message: str) -> None:
        if len(self.warnings) < MAX_PROBLEMS:
            self.warnings.append(Problem(self.path, f"warning: {message}", key=key))

    def fail(self, key: str | None, message: str) -> None:
        if not self.full:
            self.problems.append(Problem(self.path, message, key=key))
        else:
            self.dropped += 1

    @property
    def full(self) -> bool:
        """Enough problems listed: what is found from now on is only counted."""
        return len(self.problems) >= MAX_PROBLEMS

    def hint(self, word: str, choices: tuple[str, ...] | list[str]) -> str:
        """A "did you mean", while problems are still listed (difflib is not free)."""
        return "" if self.full else did_you_mean(word, choices)

    def routine(self, document: dict[str, Any], source: Source) -> Routine | None:
        routine_id = routine_id_for(self.path)
        if not ID_PATTERN.fullmatch(routine_id) or len(routine_id) > MAX_ID_LENGTH:
            self.fail(
                None,
                f"the file name gives the routine id '{shown(routine_id, 80)}'; expected a "
                "lowercase slug such as 'short-relief.toml' (letters a-z, digits and single "
                "hyphens)",
            )
        self.unknown_keys(document, ROUTINE_KEYS, "")
        self.format_version(document.get("format"))
        title = self.text(document, "title", "", LIMITS["title"], required=True)
        summary = self.text(document, "summary", "", LIMITS["summary"]) or ""
        muscles = self.muscles(document, "")
        references = self.references(document.get("sources", {}))
        self.source_keys = frozenset(reference.key for reference in references)
        countdown = self.countdown(document.get("countdown"))
        steps = self.steps(document.get("steps"))
        if self.problems or title is None:
            return None
        return Routine(
            routine_id, title, summary, FORMAT_VERSION, muscles, steps, self.path, source,
            references=references, countdown=countdown,
        )  # fmt: skip

    def countdown(self, value: Any) -> CountdownStyle | None:
        """`countdown = "sounds"`: how this routine's holds end, unless the user chose."""
        if value is None:
            return None
        styles = [style.value for style in CountdownStyle]
        if isinstance(value, str) and value in styles:
            return CountdownStyle(value)
        self.fail("countdown", f"expected one of {', '.join(styles)}, got {_describe(value)}")
        return None

    def references(self, value: Any) -> tuple[Reference, ...]:
        if not isinstance(value, dict):
            self.fail("sources", f"expected a table ([sources]), got {_describe(value)}")
            return ()
        if len(value) > MAX_SOURCES:
            self.fail("sources", f"{len(value):,} sources; at most {MAX_SOURCES}")
            return ()
        references = []
        for name, entry in value.items():
            where = f"sources.{key_name(name)}"
            if not SOURCE_KEY.fullmatch(name) or len(name) > MAX_SOURCE_KEY:
                self.fail(where, f"not a source key; {_SOURCE_KEY_EXPECTED}")
                continue
            reference = self.reference(where, name, entry)
            if reference is not None:
                references.append(reference)
        return tuple(references)

    def reference(self, where: str, name: str, value: Any) -> Reference | None:
        if isinstance(value, str):
            title = self.string(where, value, SOURCE_LIMITS["title"])
            return Reference(name, title) if title else None
        if not isinstance(value, dict):
            self.fail(
                where,
                "expected the source's title as a string, or a table with title and url, got "
                + _describe(value),
            )
            return None
        self.unknown_keys(value, REFERENCE_KEYS, where)
        title = self.text(value, "title", where, SOURCE_LIMITS["title"], required=True)
        url = self.text(value, "url", where, SOURCE_LIMITS["url"]) or ""
        if url and not _URL.fullmatch(url):
            self.fail(
                f"{where}.url",
                f"expected an address starting with https:// or http://, without spaces, got "
                f"'{shown(url)}'",
            )
            return None
        return Reference(name, title, url) if title else None

    def format_version(self, value: Any) -> None:
        if value is None:
            self.fail("format", f"missing; expected format = {FORMAT_VERSION}")
        elif type(value) is not int:
            self.fail("format", f"expected the integer {FORMAT_VERSION}, got {_describe(value)}")
        elif value != FORMAT_VERSION:
            self.fail(
                "format",
                f"format {value} is not known to this version of selfcare; expected "
                f"{FORMAT_VERSION} (a newer selfcare may read it)",
            )

    def steps(self, value: Any) -> tuple[Step, ...]:
        if value is None:
            self.fail("steps", "missing; a routine needs at least one [[steps]] table")
            return ()
        if not _is_table_list(value):
            self.fail("steps", f"expected an array of tables ([[steps]]), got {_describe(value)}")
            return ()
        if not value:
            self.fail("steps", "a routine needs at least one step")
            return ()
        played = list(_expand(list(self.drafts(value))))
        if len(played) > MAX_STEPS:
            self.fail("steps", f"{len(played)} steps once sides are expanded; at most {MAX_STEPS}")
        if self.problems:
            return ()
        steps = []
        for index, (draft, side) in enumerate(played):
            assert draft.template is not None  # no problems, so every draft has its template
            step = _for_side(draft.template, index, side)
            if _has_placeholders(draft.template):  # else the lengths were checked as written
                self.played_lengths(draft.key, step)
            steps.append(step)
        total = sum(_text_length(step) for step in steps)
        if total > MAX_ROUTINE_CHARS:
            self.fail(
                "steps",
                f"the steps hold {total:,} characters of text once sides are expanded; "
                f"at most {MAX_ROUTINE_CHARS:,}",
            )
        return tuple(steps)

    def played_lengths(self, key: str, step: Step) -> None:
        """The length limits once placeholders are filled in, as well as before."""
        texts = {"title": (step.title, LIMITS["title"]), "text": (step.text, LIMITS["text"])}
        if step.speech != step.text:
            texts["speech"] = (step.speech, LIMITS["speech"])
        texts |= {f"cues[{i}].text": (cue.text, LIMITS["cue"]) for i, cue in enumerate(step.cues)}
        texts |= {
            f"cautions[{i}]": (text, LIMITS["caution"]) for i, text in enumerate(step.cautions)
        }
        for name, (text, limit) in texts.items():
            if len(text) > limit:
                self.fail(
                    f"{key}.{name}",
                    f"is {len(text):,} characters long on the {step.side.value} side, once its "
                    f"placeholders are filled in; at most {limit}",
                )

    def drafts(self, tables: list[dict[str, Any]]) -> Iterator[list[_StepDraft]]:
        for position, table in enumerate(tables):
            key = f"steps[{position}]"
            if "steps" in table:
                yield self.group(key, table)
            else:
                sides = self.sides(key, table, allow_side=True)
                yield [self.draft(key, table, sides)]

    def group(self, key: str, table: dict[str, Any]) -> list[_StepDraft]:
        if "cues" in table:
            self.fail(
                f"{key}.cues",
                "a group has no cues of its own; write [[steps.steps.cues]] after a step of the "
                "group to give that step a cue",
            )
        known = (*GROUP_KEYS, "cues")
        self.unknown_keys(table, known, key, hint=" (a group holds only each_side and steps)")
        sides = self.sides(key, table, allow_side=False)
        children = table["steps"]
        if not _is_table_list(children) or not children:
            self.fail(f"{key}.steps", "expected a non-empty array of tables ([[steps.steps]])")
            return []
        drafts = []
        for position, child in enumerate(children):
            child_key = f"{key}.steps[{position}]"
            for nested_key in ("steps", "side", "each_side"):
                if nested_key in child:
                    self.fail(
                        f"{child_key}.{nested_key}",
                        "not allowed inside a group: the "
                        "group's each_side sets the side, and groups cannot be nested",
                    )
            drafts.append(self.draft(child_key, child, sides))
        return drafts

    def sides(self, key: str, table: dict[str, Any], allow_side: bool) -> tuple[Side, ...]:
        if "each_side" in table:
            if allow_side and "side" in table:
                self.fail(f"{key}.side", "give either side or each_side, not both")
            return self.each_side(f"{key}.each_side", table["each_side"])
        if not allow_side:
            self.fail(f"{key}.each_side", 'missing; expected each_side = ["left", "right"]')
            return (Side.LEFT, Side.RIGHT)
        value = table.get("side", Side.NONE.value)
        choices = [side.value for side in Side]
        if value not in choices:
            self.fail(
                f"{key}.side",
                f"expected one of {', '.join(choices)}, got {_describe(value)}"
                + (self.hint(value, choices) if isinstance(value, str) else ""),
            )
            return (Side.NONE,)
        return (Side(value),)

    def each_side(self, key: str, value: Any) -> tuple[Side, ...]:
        if value not in (["left", "right"], ["right", "left"]):
            self.fail(
                key, f'expected ["left", "right"] or ["right", "left"], got {_describe(value)}'
            )
            return (Side.LEFT, Side.RIGHT)
        return tuple(Side(side) for side in value)

    def draft(self, key: str, table: dict[str, Any], sides: tuple[Side, ...]) -> _StepDraft:
        """Check a step as written once, whatever number of sides it is played for."""
        self.unknown_keys(table, STEP_KEYS, key)
        problems_before = len(self.problems)
        title = self.text(table, "title", key, LIMITS["title"], required=True)
        kind = self.kind(table, key)
        seconds, repetitions, hold = self.duration(table, key)
        text = self.text(table, "text", key, LIMITS["text"], required=True)
        speech = self.text(table, "speech", key, LIMITS["speech"]) or text
        muscles = self.muscles(table, key)
        cautions = self.cautions(table, key)
        cues = self.cues(table, key, seconds or 0)
        sources = self.citations(table, key)
        if len(self.problems) > problems_before:
            self.raw_placeholders(key, table, sides[0])
            return _StepDraft(key, None, sides)
        assert title and kind and seconds and text and speech
        template = Step(
            0, title, kind, sides[0], seconds, muscles, text, speech,
            tuple(cues), cautions, repetitions, hold, sources,
        )  # fmt: skip
        self.placeholders(key, template)
        return _StepDraft(key, template, sides)

    def raw_placeholders(self, key: str, table: dict[str, Any], side: Side) -> None:
        """Placeholder mistakes in a step that has other problems too, so all come at once."""
        if self.full:
            return
        for name in ("title", "text", "speech"):
            value = table.get(name)
            error = _placeholder_error(value, side) if isinstance(value, str) else None
            if error:
                self.fail(f"{key}.{name}", error)

    def placeholders(self, key: str, template: Step) -> None:
        if self.full:
            return
        texts = {"title": template.title, "text": template.text}
        if template.speech != template.text:
            texts["speech"] = template.speech
        texts |= {f"cues[{i}].text": cue.text for i, cue in enumerate(template.cues)}
        texts |= {f"cautions[{i}]": caution for i, caution in enumerate(template.cautions)}
        for name, text in texts.items():
            error = _placeholder_error(text, template.side)
            if error:
                self.fail(f"{key}.{name}", error)

    def citations(self, table: dict[str, Any], key: str) -> tuple[str, ...]:
        """The step's `sources = [4, 7]`: keys of the [sources] table; an unknown one warns."""
        value = table.get("sources", [])
        where = f"{key}.sources"
        if not isinstance(value, list):
            self.fail(
                where,
                f'expected an array of source keys such as [4, 7] or ["article"], got '
                f"{_describe(value)}",
            )
            return ()
        if len(value) > MAX_CITATIONS:
            self.fail(where, f"cites {len(value):,} sources; at most {MAX_CITATIONS}")
            return ()
        keys: list[str] = []
        for position, item in enumerate(value):
            item_where = f"{where}[{position}]"
            if type(item) is int and 1 <= item <= 9999:
                name = str(item)
            elif (
                isinstance(item, str) and SOURCE_KEY.fullmatch(item) and len(item) <= MAX_SOURCE_KEY
            ):
                name = item
            else:
                self.fail(item_where, f"{_SOURCE_KEY_EXPECTED}, got {_describe(item)}")
                continue
            if name in keys:
                self.fail(item_where, f"cites source {name} twice")
                continue
            keys.append(name)
            if name not in self.source_keys:
                self.warn(
                    item_where, f"cites source {name}, which the [sources] table does not have"
                )
        return tuple(keys)

    def kind(self, table: dict[str, Any], key: str) -> Kind | None:
        value = table.get("kind")
        choices = [kind.value for kind in Kind]
        if value is None:
            self.fail(f"{key}.kind", f"missing; expected one of {', '.join(choices)}")
            return None
        if value not in choices:
            hint = self.hint(value, choices) if isinstance(value, str) else ""
            self.fail(
                f"{key}.kind", f"expected one of {', '.join(choices)}, got {_describe(value)}{hint}"
            )
            return None
        return Kind(value)

    def duration(self, table: dict[str, Any], key: str) -> tuple[int | None, int, int]:
        has_seconds, has_reps = "seconds" in table, "reps" in table or "hold" in table
        if has_seconds and has_reps:
            self.fail(key, "give either seconds, or reps and hold, not both")
            return None, 1, 0
        if has_reps:
            reps = self.count(table, "reps", key, 1, MAX_REPETITIONS)
            hold = self.count(table, "hold", key, 1, MAX_STEP_SECONDS)
            if reps is None or hold is None:
                return None, 1, 0
            if reps * hold > MAX_STEP_SECONDS:
                self.fail(f"{key}.reps", f"reps × hold is {reps * hold} s; at most 3600 s (1 hour)")
                return None, 1, 0
            return reps * hold, reps, hold
        if not has_seconds:
            self.fail(f"{key}.seconds", "missing; expected seconds = N, or reps = N and hold = S")
            return None, 1, 0
        seconds = self.count(table, "seconds", key, 1, MAX_STEP_SECONDS)
        return seconds, 1, seconds or 0

    def count(self, table: dict[str, Any], name: str, key: str, low: int, high: int) -> int | None:
        value = table.get(name)
        where = f"{key}.{name}"
        if value is None:
            self.fail(where, f"missing; expected a whole number from {low} to {high}")
        elif type(value) is not int:
            self.fail(
                where, f"expected a whole number from {low} to {high}, got {_describe(value)}"
            )
        elif not low <= value <= high:
            self.fail(where, f"expected a whole number from {low} to {high}, got {value}")
        else:
            return value
        return None

    def text(
        self, table: dict[str, Any], name: str, key: str, limit: int, required: bool = False
    ) -> str | None:
        where = f"{key}.{name}" if key else name
        value = table.get(name)
        if value is None:
            if required:
                self.fail(where, "missing; expected a string")
            return None
        return self.string(where, value, limit)

    def string(self, where: str, value: Any, limit: int) -> str | None:
        if not isinstance(value, str):
            self.fail(where, f"expected a string, got {_describe(value)}")
            return None
        if not value.strip():
            self.fail(where, "is empty; expected some text")
            return None
        if len(value) > limit:
            self.fail(where, f"is {len(value):,} characters long; at most {limit}")
            return None
        unsafe = _UNSAFE.search(value)
        if unsafe is not None:
            self.fail(where, _unsafe_message(unsafe.group(), unsafe.start()))
            return None
        return value.strip()

    def strings(self, table: dict[str, Any], name: str, key: str, limit: int) -> tuple[str, ...]:
        where = f"{key}.{name}" if key else name
        value = table.get(name, [])
        if not isinstance(value, list):
            self.fail(where, f"expected an array of strings, got {_describe(value)}")
            return ()
        items = [self.string(f"{where}[{i}]", item, limit) for i, item in enumerate(value)]
        return tuple(item for item in items if item is not None)

    def muscles(self, table: dict[str, Any], key: str) -> tuple[str, ...]:
        muscles = self.strings(table, "muscles", key, 60)
        where = f"{key}.muscles" if key else "muscles"
        for position, muscle in enumerate(muscles):
            if not re.fullmatch(r"[a-z][a-z_]*", muscle):
                self.fail(
                    f"{where}[{position}]",
                    f"expected a name in lowercase with underscores such as 'gluteus_medius', "
                    f"got '{shown(muscle)}'",
                )
        return muscles

    def cautions(self, table: dict[str, Any], key: str) -> tuple[str, ...]:
        return self.strings(table, "cautions", key, LIMITS["caution"])

    def cues(self, table: dict[str, Any], key: str, seconds: int) -> list[Cue]:
        value = table.get("cues", [])
        where = f"{key}.cues"
        if not _is_table_list(value):
            self.fail(
                where, f"expected an array of tables ([[steps.cues]]), got {_describe(value)}"
            )
            return []
        cues = (self.cue(f"{where}[{i}]", cue, seconds) for i, cue in enumerate(value))
        return sorted((cue for cue in cues if cue is not None), key=lambda cue: cue.at_second)

    def cue(self, where: str, table: dict[str, Any], seconds: int) -> Cue | None:
        self.unknown_keys(table, CUE_KEYS, where)
        text = self.text(table, "text", where, LIMITS["cue"], required=True)
        moments = [name for name in ("halfway", "at", "left") if name in table]
        if len(moments) != 1:
            self.fail(where, "expected exactly one of halfway = true, at = SECOND, left = SECONDS")
            return None
        moment = moments[0]
        if moment == "halfway":
            if table["halfway"] is not True:
                self.fail(f"{where}.halfway", f"expected true, got {_describe(table['halfway'])}")
                return None
            at_second = seconds // 2
        elif seconds <= 1:
            return None  # the step's duration is wrong, or too short for a timed cue: said there
        else:
            value = self.count(table, moment, where, 1, seconds - 1)
            if value is None:
                return None
            at_second = value if moment == "at" else seconds - value
        return Cue(at_second, text) if text else None

    def unknown_keys(
        self, table: dict[str, Any], known: tuple[str, ...], key: str, hint: str = ""
    ) -> None:
        for name in table:
            if name in known:
                continue
            if self.full:
                self.dropped += 1
            else:
                where = f"{key}.{key_name(name)}" if key else key_name(name)
                synonym = SYNONYMS.get(name)
                suggestion = f"; did you mean '{synonym}'?" if synonym in known else ""
                suggestion = suggestion or self.hint(name, known) or hint
                self.fail(where, f"unknown key{suggestion}")


def _expand(drafts: list[list[_StepDraft]]) -> Iterator[tuple[_StepDraft, Side]]:
    """Play each group once per side: all its steps on the first side, then on the other."""
    for group in drafts:
        if group:
            for side in group[0].sides:
                for draft in group:
                    yield draft, side


def _for_side(template: Step, index: int, side: Side) -> Step:
    def fill(text: str) -> str:
        return _fill(text, side)

    # The constructor rather than dataclasses.replace: a third of the time, for every step of
    # every routine loaded.
    t = template
    return Step(
        index, fill(t.title), t.kind, side, t.seconds, t.muscles, fill(t.text), fill(t.speech),
        tuple(Cue(cue.at_second, fill(cue.text)) for cue in t.cues),
        tuple(fill(caution) for caution in t.cautions), t.repetitions, t.hold_seconds, t.sources,
    )  # fmt: skip


def _has_placeholders(step: Step) -> bool:
    texts = (step.title, step.text, step.speech, *(cue.text for cue in step.cues), *step.cautions)
    return any("{" in text for text in texts)


def _text_length(step: Step) -> int:
    speech = len(step.speech) if step.speech != step.text else 0
    cues = sum(len(cue.text) for cue in step.cues)
    cautions = sum(len(caution) for caution in step.cautions)
    return len(step.title) + len(step.text) + speech + cues + cautions


def _placeholder_error(text: str, side: Side) -> str | None:
    """What is wrong with the braces in `text`, for a step on `side`; None when nothing is."""
    if "{" not in text and "}" not in text:
        return None
    used = False
    for match in _BRACES.finditer(text):
        name = match.group(1)
        if match.group() in ("{{", "}}"):
            continue
        if name is None:
            return _lone_brace(match.group(), match.start())
        if name not in SIDE_WORDS:
            return _unknown_placeholder(name)
        used = True
    if used and not side.one_sided:
        return "{side} placeholders need a step with side left or right, or each_side"
    return None


def _fill(text: str, side: Side) -> str:
    """`text` with its placeholders filled and {{ }} made single; it has passed the check above."""
    if "{" not in text and "}" not in text:
        return text

    def word(match: re.Match[str]) -> str:
        name = match.group(1)
        return match.group()[0] if name is None else SIDE_WORDS[name](side)

    return _BRACES.sub(word, text)


_LITERAL_BRACES = "write {{ and }} for literal braces"


def _lone_brace(brace: str, position: int) -> str:
    if brace == "{":
        return f"the '{{' at character {position + 1} is not closed; {_LITERAL_BRACES}"
    return f"the '}}' at character {position + 1} closes no '{{'; {_LITERAL_BRACES}"


def _unknown_placeholder(name: str) -> str:
    if not name:
        return f"empty placeholder {{}}; {_LITERAL_BRACES}"
    base = re.split(r"[:!.\[]", name, maxsplit=1)[0]
    if base in SIDE_WORDS:
        return (
            f"placeholder {{{shown(name)}}} has a format, conversion or index; write "
            f"{{{base}}}: placeholders are filled with the side's name as it is"
        )
    known = ", ".join(f"{{{placeholder}}}" for placeholder in PLACEHOLDERS)
    hint = did_you_mean(name, PLACEHOLDERS) or f"; the placeholders are {known}"
    return f"unknown placeholder {{{shown(name)}}}{hint}"


def _unsafe_message(char: str, position: int) -> str:
    code = ord(char)
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        return (
            f"contains the bidirectional control U+{code:04X} at character {position + 1}, "
            "which can make text show in another order than it is written; remove it"
        )
    return (
        f"contains the control character U+{code:04X} at character {position + 1}; remove it "
        "(text may hold tabs and line breaks, but no other control characters)"
    )


def _is_table_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, dict) for item in value)


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the string {shown!r}"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return f"a {type(value).__name__}"
