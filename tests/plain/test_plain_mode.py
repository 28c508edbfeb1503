"""Plain mode end to end through pipes: the whole session by lines, nothing but text."""

from __future__ import annotations

from pathlib import Path

import pytest

from selfcare_tui import content
from selfcare_tui.journal.model import Ending, Overall
from selfcare_tui.journal.store import Journal
from selfcare_tui.routines.library import discover

FAST = ["--plain", "--mute", "--speed", "200"]


def only_entry(journal_dir: Path):
    history = Journal(journal_dir).load_all()
    assert not history.problems
    assert len(history.entries) == 1
    return history.entries[0]


def test_answered_session_saved_physician_first_when_worse(run_in_steps, journal_dir, tiny_dir):
    result = run_in_steps(
        ["run", "tiny", "--routines", str(tiny_dir), *FAST],
        first="n\n5\n",
        after_line="Routine complete.",
        then="7\nw\n1\n2\ny\n2\nfelt tight\n",
    )
    assert result.code == 0, result.err
    out = result.out
    assert "\x1b" not in out and "\x1b" not in result.err
    assert content.PAIN_BEFORE_PROMPT in out
    assert content.pain_after_prompt(5) in out
    assert content.pain_change(5, 7) in out
    assert content.sharp_pain_advice(["step 2, Bend (left side)"]) in out
    assert out.index(content.PHYSICIAN_PROMPT) < out.index(content.THERAPIST_PROMPT)
    assert "Saved in your private journal: " + str(journal_dir) in out
    entry = only_entry(journal_dir)
    assert entry.ending is Ending.COMPLETED
    reflection = entry.reflection
    assert (reflection.pain_before, reflection.pain_after) == (5, 7)
    assert reflection.overall is Overall.WORSE
    assert (reflection.easier_steps, reflection.harder_steps) == ([0], [1])
    assert reflection.sharp_pain and reflection.sharp_pain_steps == [1]
    assert reflection.note == "felt tight"


@pytest.mark.long
def test_end_of_input_mid_run_plays_on_and_prompts_take_defaults(run, journal_dir):
    # The pain answer, then `n` (next step) while playing, then end of input.
    result = run(["run", "short-relief", *FAST], "n\n5\nn\n")
    assert result.code == 0, result.err
    out = result.out
    assert "\x1b" not in out
    lines = out.splitlines()
    assert "Routine complete." in lines
    after = lines[lines.index("Routine complete.") :]
    assert after.count("No answer: skipped.") == 6  # pain, overall, easier, harder, sharp, note
    assert out.index(content.THERAPIST_PROMPT) < out.index(content.PHYSICIAN_PROMPT)
    entry = only_entry(journal_dir)
    assert entry.ending is Ending.COMPLETED
    assert entry.reflection.pain_before == 5 and entry.reflection.pain_after is None
    assert entry.steps[0].outcome == "skipped"
    assert all(step.outcome == "done" for step in entry.steps[1:])


def test_quit_command_ends_the_routine_and_saves_it_as_quit(run, journal_dir, tiny_dir):
    result = run(["run", "tiny", "--routines", str(tiny_dir), *FAST], "n\n\nq\n")
    assert result.code == 0, result.err
    assert "You stopped the routine." in result.out
    assert "Routine complete." not in result.out
    assert only_entry(journal_dir).ending is Ending.QUIT


def test_an_empty_line_never_answers_the_safety_check(run, journal_dir):
    result = run(["run", "short-relief", *FAST], "\n\n")
    assert result.code == 1
    assert result.out.count("Please type y if one of these applies") == 2
    assert "Nothing started." in result.out and "Starting" not in result.out


def test_massage_cautions_are_asked_only_before_routines_with_massage(run):
    with_massage = run(["run", "short-relief", *FAST], "y\n")
    without = run(["run", "desk-break", *FAST], "y\n")
    assert "Ask a doctor before self-massage" in with_massage.out
    assert "Ask a doctor before self-massage" not in without.out
    assert "nine nine nine" not in with_massage.out  # digits are spelled out only when spoken


def test_severe_pain_before_offers_to_stop_and_names_a_physician(run, journal_dir):
    result = run(["run", "short-relief", *FAST], "n\n10\ns\n")
    assert result.code == 0
    assert content.SEVERE_PAIN in result.out and content.PHYSICIAN_PROMPT in result.out
    assert "Starting" not in result.out
    assert not journal_dir.exists() or not list(journal_dir.iterdir())


def test_yes_at_the_safety_check_says_where_to_get_help_and_saves_nothing(run, journal_dir):
    result = run(["run", "short-relief", *FAST], "y\n")
    assert result.code == 0
    assert "Please do not start this routine now" in result.out
    assert all(group.action in result.out for group in content.RED_FLAGS)
    assert "Starting" not in result.out
    assert not journal_dir.exists() or not list(journal_dir.iterdir())


def test_no_answer_to_the_safety_check_starts_nothing(run, journal_dir):  # end of input
    result = run(["run", "short-relief", *FAST], "")
    assert result.code == 1
    assert "Starting" not in result.out
    assert not journal_dir.exists()


def test_a_wrong_answer_is_explained_and_asked_again(run, journal_dir, tiny_dir):
    result = run(["run", "tiny", "--routines", str(tiny_dir), *FAST], "maybe\nn\n11\n4\n")
    assert "Please type y if one of these applies, or n if none does" in result.out
    assert (
        "Please type a number from 0 to 10 (t is 10), e to score each side apart, or skip."
        in result.out
    )
    assert only_entry(journal_dir).reflection.pain_before == 4


def test_unknown_and_broken_ids_exit_1(run, tmp_path):
    unknown = run(["run", "short-releif", "--plain"], "")
    assert unknown.code == 1
    assert "no routine with the id 'short-releif'" in unknown.err
    assert "short-relief" in unknown.err  # did you mean
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "broken.toml").write_text("format = 1\n", encoding="utf-8")
    broken = run(["run", "broken", "--dry-run", "--routines", str(tmp_path / "bad")], "")
    assert broken.code == 1 and "broken" in broken.err


def test_bad_speed_is_a_usage_error(run):
    for speed in ("0", "-2", "fast", "nan"):
        assert run(["run", "short-relief", "--speed", speed], "").code == 2


def test_top_level_plain_chooses_a_routine_by_number(run, journal_dir, tiny_dir):
    ids = [routine.id for routine in discover([tiny_dir]).routines]
    number = ids.index("quick") + 1
    # Muted, and its step skipped: the choosing is the point; played, the routine took 10 s.
    result = run(["--plain", "--mute", "--routines", str(tiny_dir)], f"{number}\nn\n\nn\n")
    assert result.code == 0, result.err
    assert f"{number}. Quick, about 1 minute." in result.out
    assert "Starting Quick." in result.out
    assert only_entry(journal_dir).routine_id == "quick"


def test_broken_settings_are_named_and_the_run_goes_on(run, private_user_dirs):
    settings = private_user_dirs["config"] / "selfcare" / "settings.toml"
    settings.parent.mkdir(parents=True)
    settings.write_text('[speech]\nrate = "fast"\n', encoding="utf-8")
    result = run(["run", "desk-break", "--plain", "--mute"], "y\n")
    assert result.code == 0
    assert "settings.toml: speech.rate:" in result.err


@pytest.mark.long(2)
def test_ctrl_c_mid_step_keeps_the_time_spent_in_it(env, journal_dir, tiny_dir):
    import signal
    import subprocess
    import sys
    import time

    process = subprocess.Popen(
        [sys.executable, "-m", "selfcare_tui", "run", "tiny", "--routines", str(tiny_dir),
         "--plain", "--mute", "--speed", "50"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        # As from a shell: Ctrl+C is not ignored, even if this test run was started with it ignored.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    assert process.stdin and process.stdout
    process.stdin.write("n\n4\nn\n")  # no red flag, pain 4, the first step skipped
    process.stdin.flush()
    for line in process.stdout:
        if line.startswith("Step 2 of 2"):
            break
    time.sleep(1)  # about 50 s of the 240 s step at --speed 50
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=20) == 130
    (entry,) = Journal(journal_dir).load_all().entries
    assert entry.ending is Ending.INTERRUPTED
    assert entry.steps[1].outcome == "partial" and entry.steps[1].seconds_spent > 20


def test_a_transcript_that_cannot_be_written_is_a_usage_error_in_every_face(run, tmp_path):
    missing = tmp_path / "no-such-folder" / "t.tsv"
    for face in ([], ["--plain"], ["--dry-run"]):
        result = run(["run", "short-relief", *face, "--transcript", str(missing)], "")
        if face == ["--dry-run"]:
            assert result.code == 0  # nothing is spoken, so nothing is written
            continue
        assert result.code == 2, face
        assert f"cannot write a transcript to {missing}" in result.err
        assert "Traceback" not in result.err


def test_plain_mute_and_speech_off_are_accepted_everywhere(run, tiny_dir):
    for args in (["--plain", "--mute"], ["--plain", "--speech", "off"]):
        result = run([*args, "--routines", str(tiny_dir)], "")
        assert result.code == 1, result.err  # nothing chosen: no input
        assert result.out.startswith("Speech is off: printing only."), result.out
    off = run(["run", "quick", "--routines", str(tiny_dir), "--plain", "--speech", "off"], "y\n")
    assert off.code == 0 and off.out.startswith("Speech is off")
    assert run(["run", "quick", "--plain", "--speech", "loud"], "").code == 2
