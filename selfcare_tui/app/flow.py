"""One session from the safety check to the closing prompts, as a sequence of screens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from selfcare_tui import content
from selfcare_tui.app.screens.message import MessageScreen
from selfcare_tui.app.screens.player import PlayerScreen
from selfcare_tui.app.screens.question import (
    Choice,
    ChoiceScreen,
    NoteScreen,
    StepsScreen,
    pain_choices,
)
from selfcare_tui.journal.model import Ending, Overall, Reflection, SessionEntry
from selfcare_tui.routines.model import Routine, Side, Step
from selfcare_tui.session.player import RoutinePlayer

if TYPE_CHECKING:
    from selfcare_tui.app.app import SelfCareApp

OVERALL_CHOICES = [
    Choice(Overall.BETTER.value, "Better", "b"),
    Choice(Overall.SAME.value, "About the same", "s"),
    Choice(Overall.WORSE.value, "Worse", "w"),
]
YES_NO = [Choice("yes", "Yes", "y"), Choice("no", "No", "n")]


def safety_markdown() -> str:
    lines = [
        "# Before you start",
        "",
        f"**{content.SAFETY_QUESTION}**",
        "",
        content.SAFETY_NOTICE,
        "",
    ]
    for group in content.RED_FLAGS:
        lines += [f"## {group.heading}:", *(f"- {flag}" for flag in group.flags), ""]
    lines.append(f"**{content.SAFETY_QUESTION}**")
    return "\n".join(lines)


def safety_spoken() -> str:
    groups = " ".join(group.spoken() for group in content.RED_FLAGS)
    return f"{content.SAFETY_NOTICE} {groups} {content.SAFETY_QUESTION}"


async def run_session(app: SelfCareApp, routine: Routine) -> SessionEntry | None:
    safe = await app.ask(
        MessageScreen(
            safety_markdown(), safety_spoken(), yes="None apply (y)", no="One applies (n)"
        )
    )
    if not safe:
        actions = "\n\n".join(f"- {group.action}" for group in content.RED_FLAGS)
        stopped = f"# Please do not start this routine now\n\n{actions}"
        await app.ask(MessageScreen(stopped, content.STOPPED_FOR_SAFETY, yes="Back", no=None))
        return None
    pain_before = _pain(await app.ask(
        ChoiceScreen(content.PAIN_BEFORE_PROMPT, pain_choices())
    ))  # fmt: skip
    started = app.parts.now()
    countdown = app.parts.settings.announce_countdown
    player = RoutinePlayer(routine, app.parts.clock_factory(), app.announce, countdown=countdown)
    reflection = Reflection(pain_before=pain_before)

    def entry() -> SessionEntry:
        """What to keep if the app closes before the reflection is done."""
        ending = None if player.is_over else Ending.INTERRUPTED
        player.quit()
        return SessionEntry.from_player(player, started, app.parts.now(), reflection, ending)

    app.unsaved_entry = entry
    await app.ask(PlayerScreen(player, app.parts.speed), hush=False)  # let it say the end
    ended = app.parts.now()
    await ask_reflection(app, routine, reflection)
    finished = SessionEntry.from_player(player, started, ended, reflection)
    saved = app.save_entry(finished)
    app.unsaved_entry = None
    await app.ask(closing_screen(reflection, saved))
    return finished


async def ask_reflection(app: SelfCareApp, routine: Routine, reflection: Reflection) -> None:
    prompt = content.pain_after_prompt(reflection.pain_before)
    answer = await app.ask(ChoiceScreen(prompt, pain_choices()))
    reflection.pain_after = _pain(answer)
    overall = await app.ask(ChoiceScreen(content.OVERALL_PROMPT, OVERALL_CHOICES))
    reflection.overall = Overall(overall) if overall else None
    steps = [(step.index, step_choice(step)) for step in routine.steps]
    easier = "Which steps felt easier today?"
    reflection.easier_steps = await app.ask(StepsScreen(easier, steps))
    harder = "Which steps felt harder?"
    reflection.harder_steps = await app.ask(StepsScreen(harder, steps))
    sharp = await app.ask(ChoiceScreen(content.SHARP_PAIN_PROMPT, YES_NO))
    reflection.sharp_pain = sharp == "yes"
    if reflection.sharp_pain:
        which = "Which step caused sharp pain?"
        reflection.sharp_pain_steps = await app.ask(StepsScreen(which, steps))
    reflection.note = await app.ask(NoteScreen(content.NOTE_PROMPT)) or ""


def closing_screen(reflection: Reflection, saved: str) -> MessageScreen:
    change = content.pain_change(reflection.pain_before, reflection.pain_after)
    prompts = list(content.closing_prompts(reflection.needs_physician_first))
    if reflection.sharp_pain:
        prompts.insert(0, content.SHARP_PAIN_ADVICE)
    markdown = "\n\n".join(["# Session complete", change, *prompts, saved])
    spoken = " ".join(part for part in [change, *prompts] if part)
    return MessageScreen(markdown, spoken, yes="Done", no=None)


def step_choice(step: Step) -> str:
    """A step as the reflection lists it: with its side, since sides repeat the same title."""
    side = f" ({step.side.value} side)" if step.side in (Side.LEFT, Side.RIGHT) else ""
    title = step.title if step.side.value in step.title else f"{step.title}{side}"
    return f"{step.number}. {title}"


def _pain(answer: str | None) -> int | None:
    return int(answer) if answer is not None else None
