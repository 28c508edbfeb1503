"""SpeechService with fake synthesisers and players: events, interruption, failures, closing."""

from __future__ import annotations

import os
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from selfcare_tui.speech import (
    NO_AUDIO_OUTPUT,
    SILENT,
    CommandPlayer,
    EngineUnavailable,
    SpeechEventKind,
    SpeechSettings,
    UtteranceKind,
)
from selfcare_tui.speech.timing import estimate_seconds

from .conftest import WAIT, FailingPlayer, FakeSynthesiser, GatePlayer, ServiceMaker

STARTED, FINISHED = SpeechEventKind.STARTED, SpeechEventKind.FINISHED
INTERRUPTED, DROPPED = SpeechEventKind.INTERRUPTED, SpeechEventKind.DROPPED
FAILED, MUTED = SpeechEventKind.FAILED, SpeechEventKind.MUTED


def test_an_utterance_is_started_then_finished(make_service: ServiceMaker) -> None:
    player = GatePlayer()
    service, log = make_service(player=player)
    player.gate.set()

    utterance = service.speak("Lie on your back.")

    assert log.wait_for(FINISHED)
    assert log.summary() == [("started", "Lie on your back."), ("finished", "Lie on your back.")]
    assert log.events[-1].utterance == utterance
    assert service.problem is None and service.available


@dataclass
class StuckSynthesiser(FakeSynthesiser):
    """Stays in its first synthesis until the test releases it."""

    release: threading.Event = field(default_factory=threading.Event)

    def synthesise(self, text: str, wav: Path) -> None:
        self.release.wait()
        super().synthesise(text, wav)


def test_speak_never_waits_for_the_engine(make_service: ServiceMaker) -> None:
    # The engine is stuck until every speak() has returned, so a speak() that waited for it would
    # never return. How fast speak() returns is measured in bench/speech_bench.py.
    synthesiser = StuckSynthesiser()
    service, log = make_service(synthesiser=synthesiser)
    caller = threading.Thread(target=lambda: [service.speak(f"step {n}") for n in range(50)])
    try:
        caller.start()
        caller.join(WAIT)
        assert not caller.is_alive() and synthesiser.said == []
    finally:
        synthesiser.release.set()
    assert log.wait_for(STARTED)


def test_interrupt_kills_a_slow_player(make_service: ServiceMaker) -> None:
    # The 5 s player is killed: the event comes long before it would end by itself. How fast
    # (the target is 100 ms) is measured in bench/speech_bench.py.
    slow_player = CommandPlayer(("sh", "-c", "exec sleep 5"))
    service, log = make_service(player=slow_player)
    service.speak("A long instruction.")
    service.speak("Queued behind it.")
    assert log.wait_for(STARTED)

    service.interrupt()

    assert log.wait_for(INTERRUPTED)
    assert log.find(DROPPED, "Queued behind it.") is not None


def test_after_an_interrupt_the_next_instruction_is_spoken(make_service: ServiceMaker) -> None:
    player = GatePlayer()
    service, log = make_service(player=player)
    service.speak("Step one.")
    assert log.wait_for(STARTED, "Step one.")
    service.interrupt()
    service.speak("Step two.")
    assert log.wait_for(STARTED, "Step two.")
    player.gate.set()
    assert log.wait_for(FINISHED, "Step two.")
    assert log.find(INTERRUPTED, "Step one.") is not None


def test_a_cue_waits_for_the_instruction_then_is_dropped_when_stale(
    make_service: ServiceMaker,
) -> None:
    player = GatePlayer()
    service, log = make_service(player=player)
    service.speak("Hold the stretch.")
    assert log.wait_for(STARTED)
    service.speak("Halfway.", UtteranceKind.CUE, stale_after=time.monotonic() + 0.05)
    service.speak("Breathe.", UtteranceKind.CUE, stale_after=time.monotonic() + 60)
    time.sleep(0.1)  # the instruction outlasts the first cue's deadline
    assert log.find(INTERRUPTED) is None
    player.gate.set()

    assert log.wait_for(FINISHED, "Breathe.")
    assert log.find(DROPPED, "Halfway.") is not None
    assert log.find(STARTED, "Halfway.") is None


def test_muted_utterances_are_reported_muted_and_not_synthesised(
    make_service: ServiceMaker,
) -> None:
    synthesiser = FakeSynthesiser()
    service, log = make_service(synthesiser=synthesiser, settings=SpeechSettings(muted=True))
    service.speak("Quietly.")
    assert log.wait_for(MUTED, "Quietly.")
    assert synthesiser.said == [] and service.muted


def test_muting_cuts_off_the_current_utterance(make_service: ServiceMaker) -> None:
    service, log = make_service()
    service.speak("Long.")
    service.speak("Next.")
    assert log.wait_for(STARTED, "Long.")
    service.set_muted(True)
    assert log.wait_for(INTERRUPTED, "Long.")
    assert log.wait_for(MUTED, "Next.")


def test_rate_and_voice_reach_the_engine_before_the_next_utterance(
    make_service: ServiceMaker,
) -> None:
    synthesiser = FakeSynthesiser()
    player = GatePlayer()
    player.gate.set()
    service, log = make_service(synthesiser=synthesiser, player=player)
    service.set_rate(200)
    service.set_voice("en-us")
    service.set_volume(0.5)
    service.speak("Faster now.")
    assert log.wait_for(FINISHED)
    assert synthesiser.configured[-1] == ("gmw/en-us", 200, 0.5)
    assert service.rate == 200


def test_no_sound_card_is_reported_once_and_speech_goes_on_silently(
    make_service: ServiceMaker,
) -> None:
    service, log = make_service(FakeSynthesiser(seconds=0.05), player=FailingPlayer())
    service.speak("One.")
    service.speak("Two.")
    assert log.wait_for(FINISHED, "Two.")
    assert service.problem == NO_AUDIO_OUTPUT
    assert [e.detail for e in log.events if e.kind is FINISHED] == [SILENT, SILENT]
    assert service.available


def test_no_player_installed_is_a_problem_but_captions_keep_their_pace(
    make_service: ServiceMaker,
) -> None:
    service, log = make_service(
        synthesiser=FakeSynthesiser(seconds=0.2), player_factory=lambda: None
    )
    begin = time.perf_counter()
    service.speak("Breathe out.")
    assert log.wait_for(FINISHED)
    assert time.perf_counter() - begin >= 0.19
    assert service.problem is not None and "player" in service.problem


def test_the_engine_is_restarted_once_after_a_driver_exception(
    make_service: ServiceMaker,
) -> None:
    made: list[FakeSynthesiser] = []

    def factory() -> FakeSynthesiser:
        made.append(FakeSynthesiser(failures=1 if not made else 0))
        return made[-1]

    player = GatePlayer()
    player.gate.set()
    service, log = make_service(player=player, synthesiser_factory=factory)
    service.speak("Still here.")
    assert log.wait_for(FINISHED, "Still here.")
    assert len(made) == 2 and service.available and service.problem is None


def test_speech_turns_off_with_a_notice_when_the_driver_keeps_failing(
    make_service: ServiceMaker,
) -> None:
    service, log = make_service(synthesiser_factory=lambda: FakeSynthesiser(failures=99))
    service.speak("First.")
    service.speak("Second.")
    assert log.wait_for(FAILED, "Second.")

    assert not service.available
    assert service.problem is not None and "driver blew up" in service.problem
    assert [e.kind for e in log.events] == [FAILED, FAILED]
    service.close()


def test_a_missing_engine_says_how_to_install_it(make_service: ServiceMaker) -> None:
    def factory() -> FakeSynthesiser:
        raise EngineUnavailable("espeak-ng is not installed: sudo apt install espeak-ng")

    service, log = make_service(synthesiser_factory=factory)
    service.prepare(["Step one.", "Halfway."])  # nothing to prepare with: the notice stays
    service.speak("Hello.")
    assert log.wait_for(FAILED)
    assert service.wait_idle(WAIT)
    assert not service.available
    assert service.problem == "espeak-ng is not installed: sudo apt install espeak-ng"
    assert service.duration("Halfway.") == estimate_seconds("Halfway.", 165)


def test_a_speech_thread_that_cannot_load_fails_each_utterance_and_closes(
    make_service: ServiceMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "selfcare_tui.speech.loop", None)  # import fails
    service, log = make_service()
    service.prepare(["Step one."])
    service.speak("Hello.")
    assert log.wait_for(FAILED, "Hello.")
    assert service.wait_idle(WAIT)
    assert not service.available
    assert service.problem is not None and "captions only" in service.problem
    service.speak("Still there?")
    assert log.wait_for(FAILED, "Still there?")
    threads = [t for t in threading.enumerate() if t.name == "selfcare-speech"]
    service.close()
    for thread in threads:
        thread.join(WAIT)
    assert not any(thread.is_alive() for thread in threads)


def test_a_failing_subscriber_does_not_stop_the_others(make_service: ServiceMaker) -> None:
    player = GatePlayer()
    player.gate.set()
    service, log = make_service(player=player)

    def broken(_: object) -> None:
        raise ValueError("subscriber bug")

    service.subscribe(broken)
    service.speak("One.")
    service.speak("Two.")
    assert log.wait_for(FINISHED, "Two.")


def test_close_ends_the_thread_mid_utterance(make_service: ServiceMaker) -> None:
    # The thread ends long before the 5 s player would; how fast close() returns is measured in
    # bench/speech_bench.py.
    service, log = make_service(player=CommandPlayer(("sh", "-c", "exec sleep 5")))
    service.speak("Long.")
    service.speak("Never said.")
    assert log.wait_for(STARTED)
    threads = [t for t in threading.enumerate() if t.name == "selfcare-speech"]
    service.close()
    for thread in threads:
        thread.join(WAIT)
    assert not any(t.name == "selfcare-speech" and t.is_alive() for t in threading.enumerate())
    assert log.find(INTERRUPTED, "Long.") and log.find(DROPPED, "Never said.")
    assert service.speak("After close.") is not None
    assert log.find(DROPPED, "After close.") is not None


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_the_idle_thread_sleeps_instead_of_polling(make_service: ServiceMaker) -> None:
    service, _ = make_service()
    assert service.wait_idle(WAIT)
    thread = next(t for t in threading.enumerate() if t.name == "selfcare-speech")
    cpu = _thread_cpu_seconds(thread)
    time.sleep(0.3)
    assert _thread_cpu_seconds(thread) - cpu < 0.01


def _thread_cpu_seconds(thread: threading.Thread) -> float:
    stat = Path(f"/proc/self/task/{thread.native_id}/stat").read_text()
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_the_words_to_come_are_prepared_while_others_are_said(
    make_service: ServiceMaker,
) -> None:
    synthesiser = FakeSynthesiser(seconds=30.0)  # the utterance below plays until interrupted
    service, log = make_service(synthesiser=synthesiser)
    assert service.duration("Step two. Bend.") == estimate_seconds("Step two. Bend.", 165)
    service.speak("A long safety check.")
    assert log.wait_for(STARTED)

    service.prepare(["Step two. Bend.", "Halfway."])

    deadline = time.monotonic() + WAIT
    while synthesiser.said != ["A long safety check.", "Step two. Bend.", "Halfway."]:
        assert time.monotonic() < deadline, synthesiser.said
        time.sleep(0.01)
    assert log.find(FINISHED) is None  # still speaking: it was prepared meanwhile
    assert service.duration("Step two. Bend.") == 30.0  # exact now: its WAV's length
    service.interrupt()
    assert log.wait_for(INTERRUPTED)
    service.speak("Halfway.")
    assert log.wait_for(STARTED, "Halfway.")
    assert synthesiser.said.count("Halfway.") == 1  # said from the prepared clip
