"""The session's questions in plain mode: printed, answered with one line each.

The session speaks each question; this prints it and reads the answer. Every question can be
skipped with an empty line, and at end of input every question takes its default (skipped)
without waiting. A wrong answer is explained (printed and spoken) and the question asked again.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from selfcare_tui.plain.console import Console
from selfcare_tui.plain.keys import Input
from selfcare_tui.session.script import Choose, PickSteps, SafetyCheck, WriteNote

SKIPPED = "No answer: skipped."
STEPS_SAID = "The steps: "
SKIP_HINT = "Press Enter to skip."
_SKIP = ("", "skip")
_YES = {"y", "yes"}
_NO = {"n", "no"}


@dataclass
class Asker:
    console: Console
    input: Input

    def ask(self, question: str) -> None:
        """Print a question; keys typed before it was asked are not its answer."""
        self.input.discard_typeahead()
        self.console.line(question)

    def _read(self, hint: str, shortcuts: Collection[str] = ()) -> str | None:
        """Print `hint`, and return the stripped answer; None at end of input. With
        `shortcuts`, a terminal answers with single keys."""
        if hint:
            self.console.line(hint)
        line = self.input.read_answer(shortcuts) if shortcuts else self.input.read_line()
        if line is None:
            self.console.line(SKIPPED)
            return None
        return line.strip()

    def _again(self, hint: str, shortcuts: Collection[str] = ()) -> str | None:
        """After an answer that fits nothing: say how to answer, then read again."""
        self.console.say(hint)
        return self._read("", shortcuts)

    def safety(self, check: SafetyCheck) -> bool | None:
        """`y`: one applies (True); `n`: none applies (False); `q` or the end of input: None.
        An empty line never answers it."""
        self.ask(check.question)
        keys = ("y", "n", "q")
        answer = self._read("", keys)
        while answer is not None and answer.lower() not in ("q", "quit"):
            if answer.lower() in _YES:
                return True
            if answer.lower() in _NO:
                return False
            answer = self._again(
                "Please type y if one of these applies, or n if none does; q leaves.", keys
            )
        return None

    def choose(self, question: Choose) -> str | None:
        """An option's value, by its key, an alias or its label; None when skipped."""
        self.ask(question.question)
        # Single keys: each option's key, and one-letter aliases such as t for 10 (not words).
        keys = [
            key for o in question.options for key in o.shortcuts if key == o.key or len(key) == 1
        ]
        answer = self._read(f"{question.hint} {SKIP_HINT}", keys)
        while answer is not None and answer.lower() not in _SKIP:
            typed = answer.casefold()
            for option in question.options:
                if typed in option.shortcuts or typed == option.label.casefold():
                    return option.value
            answer = self._again(
                f"Please {question.hint[0].lower()}{question.hint[1:]} {SKIP_HINT}", keys
            )
        return None

    def steps(self, question: PickSteps) -> list[int]:
        """Step indexes, typed as step numbers separated by spaces or commas; [] when skipped."""
        self.ask(question.question)
        for _, label in question.steps:
            self.console.line(label)
        # Read before a number is asked: a listener cannot look back at the lines.
        labels = "; ".join(label for _, label in question.steps)
        self.console.speak(f"{STEPS_SAID}{labels}. Type their numbers, then Enter.")
        numbers = {index + 1: index for index, _ in question.steps}
        answer = self._read(f"Type step numbers separated by spaces. {SKIP_HINT}")
        while answer is not None and answer.lower() not in (*_SKIP, "none"):
            picked = parse_step_numbers(answer, numbers)
            if picked is not None:
                return picked
            listed = " ".join(str(number) for number in numbers)
            answer = self._again(f"Please type step numbers from this list: {listed}. {SKIP_HINT}")
        return []

    def yes_no(self, question: str) -> bool:
        """y: True; n, an empty line or the end of input: False. Printed and spoken."""
        self.input.discard_typeahead()
        self.console.say(question)
        answer = self._read("", ("y", "n"))
        return answer is not None and answer.lower() in _YES

    def note(self, question: WriteNote) -> str:
        self.ask(question.question)
        return self._read(SKIP_HINT) or ""

    def number(self, question: str, count: int) -> int | None:
        """A number from 1 to `count`; None when skipped or at end of input."""
        self.console.say(question)
        answer = self._read("")
        while answer is not None and answer.lower() not in ("", "q", "quit"):
            if answer.isdigit() and 1 <= int(answer) <= count:
                return int(answer)
            answer = self._again(
                f"Please type a number from 1 to {count}, or press Enter to leave."
            )
        return None


def parse_step_numbers(answer: str, numbers: dict[int, int]) -> list[int] | None:
    """`"3, 5 7"` → the indexes of steps 3, 5 and 7; None when any is not on offer."""
    parts = [part for part in re.split(r"[\s,;]+", answer) if part]
    if not parts or not all(part.isdigit() and int(part) in numbers for part in parts):
        return None
    return sorted({numbers[int(part)] for part in parts})
