"""The words around a session: never a diagnosis, and a professional whenever pain rises."""

from __future__ import annotations

from selfcare_tui import content
from selfcare_tui.journal.model import Overall, Reflection


def test_pain_changes_are_worth_noting_never_a_result() -> None:
    assert content.pain_change(6, 4) == (
        "Your pain went from 6 to 4, 2 lower. That is worth noting in your log."
    )
    assert content.pain_change(5, 5) == "Your pain is the same as before: 5 out of 10."
    rise = content.pain_change(3, 8)
    assert "worth noting" in rise and "physician" in rise
    assert content.pain_change(None, 4) == ""


def test_the_physician_comes_first_when_things_are_worse() -> None:
    assert not Reflection(pain_before=5, pain_after=5).needs_physician_first
    assert not Reflection(pain_before=None, pain_after=8).needs_physician_first
    assert Reflection(pain_before=4, pain_after=5).needs_physician_first  # any rise
    assert Reflection(pain_before=None, pain_after=9).needs_physician_first  # severe after
    assert not Reflection(sharp_pain=None).needs_physician_first  # skipped is not "yes"
    assert Reflection(overall=Overall.WORSE).needs_physician_first
    assert Reflection(sharp_pain=True).needs_physician_first
    first, second = content.closing_prompts(True)
    assert "physician" in first and "massage therapist" in second


def test_the_safety_question_is_asked_only_once_every_sign_is_said() -> None:
    from selfcare_tui.routines.library import discover
    from selfcare_tui.session.script import safety_check

    for entry in discover().entries:
        assert entry.routine is not None
        parts = safety_check(entry.routine).parts
        signs = [index for index, part in enumerate(parts) if "if you have" in part]
        asked = [index for index, part in enumerate(parts) if content.SAFETY_QUESTION in part]
        assert signs and asked == [len(parts) - 1] and max(signs) < asked[0], entry.id
        assert content.SAFETY_LEAD_IN in parts[0]
