"""Questions in the plain mode: printed and spoken, answered with one line each.

Every question can be skipped with an empty line, and at end of input every question takes its
default (skipped) without waiting. A wrong answer is explained and the question asked again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from selfcare_tui.journal.model import Overall
from selfcare_tui.plain.console import Console
from selfcare_tui.plain.keys import Input

SKIPPED = "No answer: skipped."
SKIP_HINT = "Press Enter to skip."

_OVERALL = {
    "b": Overall.BETTER, "better": Overall.BETTER, "1": Overall.BETTER,
    "s": Overall.SAME, "same": Overall.SAME, "about the same": Overall.SAME, "2": Overall.SAME,
    "w": Overall.WORSE, "worse": Overall.WORSE, "3": Overall.WORSE,
}  # fmt: skip
_YES = {"y", "yes"}
_NO = {"n", "no"}


@dataclass
class Asker:
    console: Console
    input: Input

    def _answer(self, question: str, hint: str = "") -> str | None:
        """Ask, and return the stripped answer; None at end of input."""
        self.console.say(f"{question} {hint}".strip())
        line = self.input.read_line()
        if line is None:
            self.console.line(SKIPPED)
            return None
        self.console.hush()  # answered: the rest of the question need not be heard
        return line.strip()

    def confirm_safety(self, question: str) -> bool | None:
        """`y` or an empty line: True; `n`: False; end of input: None (no answer)."""
        hint = ""
        while True:
            answer = self._answer(question, hint)
            if answer is None:
                return None
            if answer.lower() in _YES or answer == "":
                return True
            if answer.lower() in _NO:
                return False
            hint = "Please type y if none of these apply, or n if one does."

    def rating(self, question: str) -> int | None:
        """A pain rating from 0 to 10, or None when skipped."""
        hint = ""
        while True:
            answer = self._answer(question, hint)
            if answer is None or answer.lower() in ("", "skip"):
                return None
            if answer.isdigit() and 0 <= int(answer) <= 10:
                return int(answer)
            hint = "Please type a whole number from 0 to 10, or press Enter to skip."

    def overall(self, question: str) -> Overall | None:
        hint = "Type b for better, s for about the same, or w for worse. " + SKIP_HINT
        while True:
            answer = self._answer(question, hint)
            if answer is None or answer.lower() in ("", "skip"):
                return None
            choice = _OVERALL.get(answer.lower())
            if choice is not None:
                return choice
            hint = "Please type b, s or w. " + SKIP_HINT

    def step_numbers(self, question: str, step_count: int) -> list[int]:
        """Step numbers (1-based) separated by spaces or commas; [] when skipped."""
        hint = f"Type step numbers from 1 to {step_count}, separated by spaces. " + SKIP_HINT
        while True:
            answer = self._answer(question, hint)
            if answer is None or answer.lower() in ("", "skip", "none"):
                return []
            numbers = parse_step_numbers(answer, step_count)
            if numbers is not None:
                return numbers
            hint = f"Please type numbers from 1 to {step_count}, like 3 5. " + SKIP_HINT

    def yes_no(self, question: str) -> bool | None:
        hint = "Type y or n. " + SKIP_HINT
        while True:
            answer = self._answer(question, hint)
            if answer is None or answer.lower() in ("", "skip"):
                return None
            if answer.lower() in _YES:
                return True
            if answer.lower() in _NO:
                return False
            hint = "Please type y or n. " + SKIP_HINT

    def text(self, question: str) -> str:
        answer = self._answer(question, SKIP_HINT)
        return answer or ""

    def choose(self, question: str, count: int) -> int | None:
        """A number from 1 to `count`; None when skipped or at end of input."""
        hint = ""
        while True:
            answer = self._answer(question, hint)
            if answer is None or answer.lower() in ("", "q", "quit"):
                return None
            if answer.isdigit() and 1 <= int(answer) <= count:
                return int(answer)
            hint = f"Please type a number from 1 to {count}, or press Enter to leave."


def parse_step_numbers(answer: str, step_count: int) -> list[int] | None:
    """`"3, 5 7"` → [3, 5, 7]; None when anything is not a step number."""
    parts = [part for part in re.split(r"[\s,;]+", answer) if part]
    if not parts or not all(part.isdigit() and 1 <= int(part) <= step_count for part in parts):
        return None
    return sorted({int(part) for part in parts})
