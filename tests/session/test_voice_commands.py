"""What a session does with each voice command: the same as the key, confirmed by a sound and
words, and a word when it changes nothing."""

from __future__ import annotations

from pathlib import Path

from apphelpers import tiny_library
from helpers import run_for

from selfcare_tui.listening.phrases import VoiceCommand
from selfcare_tui.session.player import PlayerState
from selfcare_tui.session.script import STOPPED_BY_VOICE, Play, Session, SessionParts
from selfcare_tui.speech.model import Sound
from selfcare_tui.testing import FakeClock, MemoryJournal, RecordingSpeaker


def playing(tmp_path: Path) -> tuple[Session, FakeClock, RecordingSpeaker]:
    found = tiny_library(tmp_path).find("tiny-sides")
    assert found is not None and found.routine is not None
    clock, speaker = FakeClock(), RecordingSpeaker()
    session = Session(found.routine, SessionParts(speaker, lambda: clock, MemoryJournal()))
    session.begin()
    session.answer(False)  # no red flag
    prompt = session.answer("5")  # pain before
    assert isinstance(prompt, Play)
    prompt.player.start()
    run_for(prompt.player, clock, 3)
    return session, clock, speaker


def test_each_command_is_confirmed_by_a_sound_and_the_action_s_words(tmp_path: Path) -> None:
    session, _, speaker = playing(tmp_path)
    player = session.player
    assert player is not None
    session.voice_command(VoiceCommand.PAUSE)
    assert player.state is PlayerState.PAUSED
    assert speaker.sounds[-1] is Sound.HEARD and speaker.texts[-1] == "Paused."
    session.voice_command(VoiceCommand.PAUSE)
    assert speaker.texts[-1] == "Already paused."
    session.voice_command(VoiceCommand.RESUME)
    assert player.state is PlayerState.PLAYING and speaker.texts[-1].startswith("Resumed.")
    session.voice_command(VoiceCommand.RESUME)
    assert speaker.texts[-1] == "Not paused."
    session.voice_command(VoiceCommand.LONGER)
    assert speaker.texts[-1].startswith("10 seconds more.")
    session.voice_command(VoiceCommand.NEXT)
    assert player.step.title == "Side bend, right side"
    session.voice_command(VoiceCommand.GO_BACK)
    assert player.step.title == "Side bend, left side"
    session.voice_command(VoiceCommand.STATUS)
    assert "left in the routine" in speaker.texts[-1]
    session.voice_command(VoiceCommand.STOP)
    assert player.state is PlayerState.PAUSED and speaker.texts[-1] == STOPPED_BY_VOICE
    assert speaker.sounds.count(Sound.HEARD) == 9


def test_after_the_routine_a_command_does_nothing(tmp_path: Path) -> None:
    session, clock, speaker = playing(tmp_path)
    assert session.player is not None
    run_for(session.player, clock, 60)
    heard_before = speaker.sounds.count(Sound.HEARD)
    session.voice_command(VoiceCommand.NEXT)
    assert speaker.sounds.count(Sound.HEARD) == heard_before
