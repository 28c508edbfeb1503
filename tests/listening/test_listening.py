"""Voice commands without a sound server: the real recogniser on commands said by flite's and
espeak-ng's voices, the listener's half-duplex gate driven by speech events, and what a session
does with each command."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from system_packages import requires_flite
from voices import ScriptedMicrophone, requires_recogniser, say, silence

from selfcare_tui.listening.listener import (
    Listener,
    ListenerState,
    indicator_text,
    listening_words,
)
from selfcare_tui.listening.phrases import VoiceCommand, command_in, phrase
from selfcare_tui.listening.recognizer import Heard, Recognizer
from selfcare_tui.speech.model import SpeechEvent, SpeechEventKind, Utterance, UtteranceKind

pytestmark = [requires_flite, requires_recogniser]


def heard_in(audio: bytes, recognizer: Recognizer) -> list[Heard]:
    heard = []
    for start in range(0, len(audio), 640):  # 20 ms at a time, as the microphone gives it
        heard += recognizer.feed(audio[start : start + 640])
    return heard


@pytest.fixture(scope="module")
def recognizer() -> Recognizer:
    return Recognizer()


def test_a_command_is_the_wake_word_and_a_command() -> None:
    assert command_in("coach next") is VoiceCommand.NEXT
    assert command_in("coach done") is None  # the e key ends a hold; no voice command does
    assert command_in("next step") is None and command_in("coach") is None
    assert phrase(VoiceCommand.GO_BACK) == "coach go back"


@pytest.mark.parametrize("voice", ["flite slt", "flite rms", "espeak-ng"])
@pytest.mark.parametrize(
    "command", [VoiceCommand.RESUME, VoiceCommand.GO_BACK, VoiceCommand.STATUS]
)
def test_commands_said_by_different_voices_are_recognised(
    recognizer: Recognizer, voice: str, command: VoiceCommand
) -> None:
    recognizer.reset()
    audio = silence(0.5) + say(voice, phrase(command)) + silence(1.0)
    heard = heard_in(audio, recognizer)
    assert [item.command for item in heard if item.acted_on] == [command], heard


@pytest.mark.parametrize(
    "sentence",
    ["Next step.", "Stop if you feel any sharp pain.", "Pause, and breathe out slowly.",
     "Repeat on the other side."],
)  # fmt: skip
def test_the_app_s_own_sentences_with_command_words_give_no_command(
    recognizer: Recognizer, sentence: str
) -> None:
    recognizer.reset()
    audio = silence(0.5) + say("espeak-ng", sentence) + silence(1.0)
    assert [item for item in heard_in(audio, recognizer) if item.acted_on] == []


# -- the listener's gate -------------------------------------------------------------------------


@pytest.fixture
def listening(recognizer: Recognizer) -> Iterator[tuple[Listener, ScriptedMicrophone]]:
    recognizer.reset()
    microphone = ScriptedMicrophone()
    changed = threading.Event()
    listener = Listener(microphone, recognizer, on_change=changed.set)  # type: ignore[arg-type]
    listener.start()
    yield listener, microphone
    listener.close()


def event(kind: SpeechEventKind, number: int = 1) -> SpeechEvent:
    return SpeechEvent(kind, Utterance(number, "Next step.", UtteranceKind.INSTRUCTION, 0.0))


def wait_drained(microphone: ScriptedMicrophone, listener: Listener) -> None:
    for _ in range(500):
        if microphone.drained():
            break
        threading.Event().wait(0.01)
    microphone.add(silence(0.05))  # one more read: the last chunk has been handled
    for _ in range(500):
        if microphone.drained():
            return
        threading.Event().wait(0.01)


def test_a_command_heard_while_the_app_speaks_is_dropped(listening) -> None:
    listener, microphone = listening
    listener.speech_event(event(SpeechEventKind.STARTED))
    microphone.add(say("flite slt", "coach next") + silence(1.0))
    wait_drained(microphone, listener)
    assert listener.take() == [] and not listener.state.listening


def test_after_the_app_is_quiet_a_command_is_taken(listening) -> None:
    listener, microphone = listening
    listener.speech_event(event(SpeechEventKind.STARTED))
    listener.speech_event(event(SpeechEventKind.FINISHED))
    listener.clock = lambda: 1e9  # the tail has passed
    microphone.add(silence(0.3) + say("flite slt", "coach next") + silence(1.0))
    wait_drained(microphone, listener)
    assert [command for command, _ in listener.take()] == [VoiceCommand.NEXT]
    assert listener.state.heard == "coach next"


def test_the_indicator_says_the_microphone_level_and_what_was_heard() -> None:
    state = ListenerState("rec.monitor", -30.0, True, "coach next")
    assert (
        indicator_text(state)
        == "Mic rec.monitor ▅ -30 dB · listening for coach · heard: coach next"
    )
    quiet = ListenerState("rec.monitor", -90.0, False, "")
    assert indicator_text(quiet) == "Mic rec.monitor ▁ -90 dB · paused while the app speaks"


def test_the_start_says_how_to_give_a_command_and_warns_a_screen_reader_user(
    listening,
) -> None:
    listener, _ = listening
    words = listening_words(listener, screen_reader=False)
    assert words.startswith("Voice commands are on: say coach, then one of next, go back, pause")
    assert "Listening on test.monitor." in words and "screen reader" not in words
    shared = listening_words(listener, screen_reader=True)
    assert shared.endswith("so voice commands may mishear it.")
