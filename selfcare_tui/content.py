"""The words around a routine: the safety check and the reflection prompts.

Each text's sources are in SOURCES and CITATIONS below, shipped with the app and listed by
`selfcare sources`. The app never diagnoses: a change in pain is "worth noting", and every path
ends with a massage therapist or a physician.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DIGIT_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_PHONE_NUMBER = re.compile(r"\b\d{3}\b")


def spoken_numbers(text: str) -> str:
    """Emergency numbers said digit by digit: "999" as "nine nine nine", never "nine hundred"."""
    return _PHONE_NUMBER.sub(lambda m: " ".join(_DIGIT_WORDS[int(d)] for d in m.group()), text)


SAFETY_NOTICE = (
    "Most back pain is not serious, and gentle stretching is safe for most people. "
    "Stretch only to mild tension, never pain, and stop if anything feels sharp or gets worse. "
    "This app does not diagnose or replace a massage therapist or physician."
)


@dataclass(frozen=True)
class RedFlagGroup:
    heading: str
    action: str
    flags: tuple[str, ...]
    massage_only: bool = False
    """Asked only before routines with massage steps."""

    def text(self) -> str:
        return f"{self.heading}: {'; '.join(self.flags)}."

    def spoken(self) -> str:
        return spoken_numbers(self.text())


RED_FLAGS = (
    RedFlagGroup(
        "Call emergency services now (999, 911 or 112) if you have",
        "If you have any of the emergency signs, call emergency services now: 999 in the UK, "
        "911 in North America, 112 in Europe.",
        (
            "weakness, numbness or tingling in both legs",
            "numbness around the genitals or buttocks",
            "new trouble passing urine, or loss of bladder or bowel control",
            "chest pain",
            "back pain after a serious fall or accident",
        ),
    ),
    RedFlagGroup(
        "See a doctor today if you have",
        "If you have any of the signs to see a doctor today, see a doctor today, or call your "
        "local health advice line.",
        (
            "a fever",
            "unexplained weight loss",
            "a lump, swelling or change in the shape of your back",
            "pain that does not ease with rest, or is worse at night",
            "pain spreading below the knee",
            "a history of cancer",
        ),
    ),
    RedFlagGroup(
        "Ask a doctor before self-massage if you have",
        "If one of the self-massage cautions applies, ask a doctor before you do this routine.",
        (
            "a bleeding disorder, or take blood thinners",
            "a blood clot",
            "a fracture or severe osteoporosis",
            "a pregnancy",
            "healing wounds",
        ),
        massage_only=True,
    ),
)

SAFETY_QUESTION = "Does any of these apply to you? Press y if one does, or n if none does."
SAFETY_LEAD_IN = "First, the warning signs; then the question whether any applies to you."
"""Said before the signs, where the question would invite an answer before they are heard."""
STOPPED_TITLE = "Please do not start this routine now."
NOTHING_STARTED = "Nothing started."
SEVERE_PAIN = (
    "Pain of 9 or 10 is severe. Severe pain, or pain that keeps getting worse, is a reason to "
    "talk with a physician; if it is so bad that sleeping is a problem, contact your doctor or "
    "health advice line promptly."
)
SEVERE_PAIN_QUESTION = "Stop here, or go on gently? Press s to stop, or g to go on gently."

ANSWER_STARTS_ROUTINE = "The routine starts once you answer the questions before it."
PAIN_SCALE = "0 is no pain, 10 is the worst pain imaginable."
PAIN_BEFORE_PROMPT = f"How is your pain right now, from 0 to 10? {PAIN_SCALE} Or skip."
OVERALL_PROMPT = "Overall, do you feel better, about the same, or worse than before?"
EASIER_PROMPT = "Which steps felt easier today?"
HARDER_PROMPT = "Which steps felt harder?"
SHARP_PAIN_STEPS_PROMPT = "Which step caused sharp pain?"
SHARP_PAIN_PROMPT = "Did any step cause sharp pain?"
NOTE_PROMPT = "Anything else to note for yourself or your therapist?"
SHARP_PAIN_ADVICE = (
    "Stop doing the step that caused sharp pain, and ask a massage therapist or physician about it."
)


def sharp_pain_advice(steps: list[str]) -> str:
    """The advice, naming the steps when the user said which: "Stop doing step 3, ..."."""
    if not steps:
        return SHARP_PAIN_ADVICE
    named = " and ".join(steps)
    return f"Stop doing {named}, and ask a massage therapist or physician about it."


THERAPIST_PROMPT = (
    "Share this log with your massage therapist. Tell them your goal, any health problems and "
    "any past surgeries, and ask them to focus on the quadratus lumborum and gluteus medius."
)
PHYSICIAN_PROMPT = (
    "If your pain is not improving after a few weeks, or is getting worse, talk with a "
    "physician, ideally a spine specialist; they may suggest tests."
)


def pain_after_prompt(before: int | None) -> str:
    if before is None:
        return f"How is your pain now, from 0 to 10? {PAIN_SCALE} Or skip."
    return f"Your pain was {before} before. How is it now, from 0 to 10? Or skip."


def pain_change(before: int | None, after: int | None) -> str:
    """The change in words: worth noting at most, never a result or a diagnosis."""
    if before is None or after is None:
        return ""
    difference = after - before
    if difference == 0:
        return f"Your pain is the same as before: {after} out of 10."
    direction = "lower" if difference < 0 else "higher"
    sentence = f"Your pain went from {before} to {after}, {abs(difference)} {direction}."
    if difference <= -2 or (before and -difference / before >= 0.3):
        sentence += " That is worth noting in your log."
    if difference > 0:
        sentence += (
            " That is worth noting too: stop any step that hurts, and if your pain keeps "
            "rising, talk with a physician."
        )
    return sentence


def side_pain_prompt(side: str, before: int | None) -> str:
    """One side's score, when each side is scored apart: side is "left" or "right"."""
    if before is None:
        return f"Your {side} side: how is the pain, from 0 to 10?"
    return f"Your {side} side was {before} before. How is it now, from 0 to 10?"


def side_pain_change(side: str, before: int | None, after: int | None) -> str:
    """One side's change, as worded as `pain_change` and never more."""
    change = pain_change(before, after)
    if not change:
        return ""
    return change.replace("Your pain", f"Your {side} side", 1)


def stopped_for_safety(groups: tuple[RedFlagGroup, ...]) -> str:
    return " ".join([STOPPED_TITLE, *(group.action for group in groups)])


def closing_prompts(worse_or_sharp: bool) -> tuple[str, ...]:
    """The physician comes first when the user felt worse or had sharp pain."""
    if worse_or_sharp:
        return (PHYSICIAN_PROMPT, THERAPIST_PROMPT)
    return (THERAPIST_PROMPT, PHYSICIAN_PROMPT)


# -- sources -----------------------------------------------------------------------------------

SOURCES: dict[str, str] = {
    "4": 'Mayo Clinic, "Stretching and flexibility"',
    "5": 'NHS inform, "Exercises for back pain"',
    "6": 'NHS, "Lower back pain exercises"',
    "20": "NHS back-pain red flags (Sheffield Aches & Pains)",
    "21": 'AHCPR, "Red flags for potentially serious conditions" (NCBI NBK52120)',
    "22": 'Northern HSC Trust, "Low back pain"',
    "23": 'Mayo Clinic Health System, "When to make an appointment"',
    "24": 'Mayo Clinic, "Is massage for you?"',
    "25": "Farrar et al. 2001, Pain",
    "26": "Childs et al. 2005, Spine",
    "28": "IMMPACT recommendations",
    "29": "NINDS CDE, Patient Global Impression of Change",
    "34": (
        'Bridgwater Bay Health (an NHS GP practice), "Back pain": when to get help and when to '
        "contact a GP or NHS 111"
    ),
    "article": '"Getting Just the Right Massage Technique for Lower Back Pain" (21 May 2019)',
}
"""The app's own sources, numbered as in the project's content notes."""


@dataclass(frozen=True)
class Citation:
    """Which of the app's own words a list of SOURCES backs."""

    words: str
    sources: tuple[str, ...]


CITATIONS = (
    Citation(
        "Safety notice: mild tension, never pain; stop if it feels sharp or worse", ("4", "5", "6")
    ),
    Citation("Red flags: call emergency services now", ("20", "21", "22")),
    Citation("Red flags: see a doctor today", ("20", "21", "23")),
    Citation("Red flags: ask a doctor before self-massage", ("24",)),
    Citation("Severe pain (9 or 10), or pain that keeps getting worse", ("34",)),
    Citation("Pain from 0 to 10, and a change worth noting (2 points or 30 %)", ("25", "26", "28")),
    Citation("Overall change: better, about the same or worse", ("29",)),
    Citation("Sharp pain: stop that step and ask a professional", ("4", "5", "6")),
    Citation("Share this log with your massage therapist", ("article",)),
    Citation("Talk with a physician if your pain is not improving", ("article", "5", "6", "34")),
)
"""The safety and reflection texts, each with the SOURCES that back it."""
