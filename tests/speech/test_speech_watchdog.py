"""The watchdog: an engine or a player that makes no progress is stopped, restarted once, and
then reported; a player is killed with everything it started. Real processes, short limits."""

from __future__ import annotations

import os
import stat
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from selfcare_tui.speech import SILENT, CommandPlayer, SpeechEventKind
from selfcare_tui.speech.service import ENGINE_HUNG, PLAYER_HUNG
from selfcare_tui.speech.watchdog import Hung, Worker

from .conftest import FakeSynthesiser, GatePlayer, ServiceMaker

STARTED, FINISHED, FAILED = (
    SpeechEventKind.STARTED,
    SpeechEventKind.FINISHED,
    SpeechEventKind.FAILED,
)
INTERRUPTED = SpeechEventKind.INTERRUPTED
LIMIT = 0.3  # the watchdog's limit in these tests: nothing here legitimately takes that long
DETECT = 15.0  # bound for waiting on the watchdog; passing tests wait about LIMIT × 2


# -- the worker ------------------------------------------------------------------------------


def test_a_worker_returns_results_and_raises_errors_on_the_callers_side() -> None:
    worker = Worker("test-worker")
    try:
        assert worker.run(lambda: threading.current_thread().name, 5.0) == "test-worker-1"
        with pytest.raises(ZeroDivisionError):
            worker.run(lambda: 1 / 0, 5.0)
        assert worker.threads_started == 1 and not worker.busy
    finally:
        worker.close()


def test_a_hung_call_is_left_to_its_thread_and_the_next_call_gets_a_fresh_one() -> None:
    worker = Worker("test-worker")
    release = threading.Event()
    try:
        with pytest.raises(Hung):
            worker.run(release.wait, LIMIT)
        assert worker.busy
        assert worker.run(lambda: threading.current_thread().name, 5.0) == "test-worker-2"
    finally:
        release.set()
        worker.close()
    hung = [t for t in threading.enumerate() if t.name == "test-worker-1"]
    for thread in hung:
        thread.join(5.0)
    assert not any(thread.is_alive() for thread in hung)  # it ended once its call returned


# -- the player ------------------------------------------------------------------------------


def player_script(tmp_path: Path, body: str) -> tuple[CommandPlayer, Path]:
    """A player: a shell script given the WAV; it appends the pids it starts to `pids`."""
    pids = tmp_path / "pids"
    script = tmp_path / "player.sh"
    script.write_text(f"#!/bin/sh\nPIDS='{pids}'\n" + textwrap.dedent(body))
    script.chmod(0o755)
    return CommandPlayer((str(script),)), pids


def started_pids(pids: Path) -> list[int]:
    return [int(line) for line in pids.read_text().split()] if pids.exists() else []


def alive(pid: int) -> bool:
    """A process that runs (a zombie waiting for its parent to notice does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    except OSError:  # pragma: no cover - no /proc
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return state not in ("Z", "X")


def all_gone(pids: list[int], timeout: float = DETECT) -> bool:
    deadline = time.monotonic() + timeout
    while any(alive(pid) for pid in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


HANGS = """
echo $$ >> "$PIDS"
exec sleep 600
"""
FORKS_AND_HANGS = """
sleep 600 &
echo $! >> "$PIDS"
echo $$ >> "$PIDS"
wait
"""


def short() -> FakeSynthesiser:
    """WAVs that end before the watchdog's limit: whatever outlasts them is the player's doing."""
    return FakeSynthesiser(seconds=0.05)


def wait_until(test: Callable[[], bool], timeout: float = DETECT) -> bool:
    deadline = time.monotonic() + timeout
    while not test():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


@pytest.mark.skipif(sys.platform == "win32", reason="shell scripts and process groups")
@pytest.mark.parametrize("body", [HANGS, FORKS_AND_HANGS], ids=["hangs", "forks-and-hangs"])
def test_a_hung_player_is_killed_with_its_children_and_a_second_one_turns_the_voice_off(
    make_service: ServiceMaker, tmp_path: Path, body: str
) -> None:
    player, pids = player_script(tmp_path, body)
    service, log = make_service(short(), player=player, player_grace=LIMIT)

    service.speak("Lie on your back.")
    # Heard once its WAV has played: a player that lingers holds nothing up...
    assert log.wait_for(FINISHED, "Lie on your back.", timeout=DETECT)
    first = started_pids(pids)
    assert all_gone(first)  # ...and is killed, with its children, once past its grace
    assert service.problem is None

    service.speak("Breathe out.")
    assert log.wait_for(FINISHED, "Breathe out.", timeout=DETECT)
    assert wait_until(lambda: service.problem == PLAYER_HUNG)  # twice: the voice goes off
    assert all_gone(started_pids(pids))

    started = started_pids(pids)
    service.speak("Roll over.")  # the voice is off: captions keep their pace
    assert log.wait_for(FINISHED, "Roll over.", timeout=DETECT)
    assert log.find(FINISHED, "Roll over.").detail == SILENT  # type: ignore[union-attr]
    assert started_pids(pids) == started


@pytest.mark.skipif(sys.platform == "win32", reason="shell scripts and process groups")
def test_a_player_that_hangs_once_is_killed_and_the_voice_stays_on(
    make_service: ServiceMaker, tmp_path: Path
) -> None:
    marker = tmp_path / "hung-once"
    player, pids = player_script(
        tmp_path,
        f"""
        echo $$ >> "$PIDS"
        if [ ! -e '{marker}' ]; then touch '{marker}'; exec sleep 600; fi
        exit 0
        """,
    )
    service, log = make_service(short(), player=player, player_grace=LIMIT)
    service.speak("Roll onto your side.")
    assert log.wait_for(FINISHED, timeout=DETECT)
    assert all_gone(started_pids(pids))
    service.speak("And back.")
    assert log.wait_for(FINISHED, "And back.", timeout=DETECT)
    assert log.find(FINISHED, "And back.").detail == ""  # type: ignore[union-attr]
    assert service.problem is None and len(started_pids(pids)) == 2


@pytest.mark.skipif(sys.platform == "win32", reason="process groups")
def test_a_player_that_ends_but_leaves_a_child_playing_leaves_nothing(
    make_service: ServiceMaker, tmp_path: Path
) -> None:
    player, pids = player_script(tmp_path, 'sleep 600 &\necho $! >> "$PIDS"\nexit 0\n')
    service, log = make_service(short(), player=player, player_grace=LIMIT)
    service.speak("Hold.")
    assert log.wait_for(FINISHED, timeout=DETECT)
    assert service.problem is None and all_gone(started_pids(pids))


def test_interrupting_a_player_kills_its_children_too(
    make_service: ServiceMaker, tmp_path: Path
) -> None:
    player, pids = player_script(tmp_path, FORKS_AND_HANGS)
    service, log = make_service(player=player)  # the default grace: the watchdog stays out
    service.speak("A long instruction.")
    assert log.wait_for(STARTED)
    deadline = time.monotonic() + DETECT
    while len(started_pids(pids)) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    service.interrupt()
    assert log.wait_for(INTERRUPTED)
    assert all_gone(started_pids(pids))


# -- the engine ------------------------------------------------------------------------------


@dataclass
class HangingSynthesiser(FakeSynthesiser):
    """Synthesis never ends until `cancel()` (like runAndWait waiting for a lost callback)."""

    honours_cancel: bool = True
    cancelled: threading.Event = field(default_factory=threading.Event)
    entered: threading.Event = field(default_factory=threading.Event)

    def synthesise(self, text: str, wav: Path) -> None:
        self.entered.set()
        if self.honours_cancel:
            self.cancelled.wait()
        else:
            threading.Event().wait(DETECT)
        raise RuntimeError("cancelled")

    def cancel(self) -> None:
        self.cancelled.set()


def test_a_hung_engine_is_cancelled_restarted_once_then_speech_turns_off(
    make_service: ServiceMaker,
) -> None:
    made: list[HangingSynthesiser] = []

    def factory() -> HangingSynthesiser:
        made.append(HangingSynthesiser())
        return made[-1]

    service, log = make_service(synthesiser_factory=factory, engine_timeout=LIMIT)
    service.speak("Step one.")
    assert log.wait_for(FAILED, "Step one.", timeout=DETECT)
    assert log.events[-1].detail == ENGINE_HUNG == service.problem
    assert not service.available
    assert len(made) == 2 and all(s.entered.is_set() and s.cancelled.is_set() for s in made)

    service.speak("Step two.")  # not synthesised again: failed at once with the same notice
    assert log.wait_for(FAILED, "Step two.")
    assert len(made) == 2


def test_an_engine_that_hangs_once_is_restarted_and_speaks(make_service: ServiceMaker) -> None:
    made: list[FakeSynthesiser] = []

    def factory() -> FakeSynthesiser:
        made.append(HangingSynthesiser() if not made else FakeSynthesiser())
        return made[-1]

    player = GatePlayer()
    player.gate.set()
    service, log = make_service(synthesiser_factory=factory, player=player, engine_timeout=LIMIT)
    service.speak("Still here.")
    assert log.wait_for(FINISHED, "Still here.", timeout=DETECT)
    assert made[1].said == ["Still here."] and service.available and service.problem is None
    assert made[1].configured  # the fresh engine got the voice, rate and volume


def test_an_engine_stuck_for_good_is_abandoned_and_close_still_returns(
    make_service: ServiceMaker,
) -> None:
    stuck = HangingSynthesiser(honours_cancel=False)
    service, log = make_service(synthesiser_factory=lambda: stuck, engine_timeout=LIMIT)
    service.speak("Never heard.")
    assert log.wait_for(FAILED, timeout=DETECT)
    assert service.problem == ENGINE_HUNG
    service.close()
    assert not any(t.name == "selfcare-speech" for t in threading.enumerate())


def test_an_engine_that_never_starts_is_reported(make_service: ServiceMaker) -> None:
    release = threading.Event()

    def factory() -> FakeSynthesiser:
        release.wait(DETECT)
        return FakeSynthesiser()

    try:
        service, log = make_service(synthesiser_factory=factory, engine_timeout=LIMIT)
        service.speak("Hello.")
        assert log.wait_for(FAILED, timeout=DETECT)
        assert not service.available and "did not start" in (service.problem or "")
    finally:
        release.set()


def test_an_unexpected_error_still_gives_every_utterance_its_final_event(
    make_service: ServiceMaker,
) -> None:
    def broken_player_factory() -> None:
        raise RuntimeError("player lookup blew up")

    service, log = make_service(player_factory=broken_player_factory)
    service.speak("Hello.")
    assert log.wait_for(FAILED, "Hello.")
    assert not service.available and "unexpected error" in (service.problem or "")


# -- long texts and odd ones ------------------------------------------------------------------

WORDS_300 = " ".join(
    f"Sentence {n} tells you to breathe slowly and let the muscle soften a little more."
    for n in range(20)
)  # 20 × 15 = 300 words


def test_a_300_word_text_is_synthesised_and_played_in_parts_as_one_utterance(
    make_service: ServiceMaker,
) -> None:
    assert len(WORDS_300.split()) == 300
    synthesiser = FakeSynthesiser()
    player = GatePlayer()
    player.gate.set()
    service, log = make_service(synthesiser=synthesiser, player=player)

    service.speak(WORDS_300)

    assert log.wait_for(FINISHED, timeout=DETECT)
    assert [kind for kind, _ in log.summary()] == ["started", "finished"]
    assert len(synthesiser.said) >= 10 and len(player.started) == len(synthesiser.said)
    assert all(len(part.split()) <= 30 for part in synthesiser.said)
    assert all(part.endswith(".") for part in synthesiser.said)  # cut between sentences
    assert " ".join(synthesiser.said) == WORDS_300


def test_an_interrupt_between_parts_stops_the_rest(make_service: ServiceMaker) -> None:
    synthesiser = FakeSynthesiser()
    player = GatePlayer()
    service, log = make_service(synthesiser=synthesiser, player=player)
    service.speak(WORDS_300)
    assert log.wait_for(STARTED)
    service.interrupt()
    assert log.wait_for(INTERRUPTED)
    assert len(synthesiser.said) == 1 and len(player.started) == 1


@dataclass
class StrictUtf8Synthesiser(FakeSynthesiser):
    """Encodes the text as espeak-ng's driver does: a lone surrogate would raise."""

    def synthesise(self, text: str, wav: Path) -> None:
        text.encode("utf-8")
        super().synthesise(text, wav)


def test_a_file_name_that_is_not_utf8_never_turns_speech_off(make_service: ServiceMaker) -> None:
    synthesiser = StrictUtf8Synthesiser()
    player = GatePlayer()
    player.gate.set()
    service, log = make_service(synthesiser=synthesiser, player=player)
    service.speak("Cannot read caf\udce9.toml: not a routine.")
    service.speak("Next.")
    assert log.wait_for(FINISHED, "Next.")
    assert log.find(FAILED) is None and service.available and service.problem is None
    assert synthesiser.said == ["Cannot read caf.toml: not a routine.", "Next."]


# -- the private folder of WAVs ---------------------------------------------------------------


def test_wavs_live_in_a_private_folder_removed_on_close(
    make_service: ServiceMaker, tmp_path: Path
) -> None:
    seen: list[tuple[Path, int, int]] = []

    @dataclass
    class Peeking(GatePlayer):
        def start(self, wav: Path):  # type: ignore[no-untyped-def]
            modes = (stat.S_IMODE(wav.parent.stat().st_mode), stat.S_IMODE(wav.stat().st_mode))
            seen.append((wav, *modes))
            return super().start(wav)

    player = Peeking()
    player.gate.set()
    root = tmp_path / "speech"
    old = os.umask(0)
    try:
        service, log = make_service(player=player, temp_root=root)
        service.speak("Pain is 6 out of 10.")
        assert log.wait_for(FINISHED)
    finally:
        os.umask(old)
    [(wav, folder_mode, wav_mode)] = seen  # the fake writes with wave.open, as pyttsx3 does
    assert wav.parent.parent == root and (folder_mode, wav_mode) == (0o700, 0o600)
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    assert wav.exists()  # kept ready to say again at once, in the private folder...
    service.close()
    assert list(root.iterdir()) == []  # ...which goes on close


def test_the_default_folder_is_in_the_cache_not_tmpdir(
    make_service: ServiceMaker, private_user_dirs: dict[str, Path]
) -> None:
    seen: list[Path] = []

    @dataclass
    class Peeking(GatePlayer):
        def start(self, wav: Path):  # type: ignore[no-untyped-def]
            seen.append(wav)
            return super().start(wav)

    player = Peeking()
    player.gate.set()
    service, log = make_service(player=player)
    service.speak("Hello.")
    assert log.wait_for(FINISHED)
    assert seen[0].is_relative_to(private_user_dirs["cache"] / "selfcare")


def test_wavs_a_crash_left_behind_are_removed_at_the_next_start(
    make_service: ServiceMaker, tmp_path: Path
) -> None:
    root = tmp_path / "speech"
    crashed = root / "run-0123456789ab"
    crashed.mkdir(parents=True)
    (crashed / ".lock").write_text("")
    (crashed / "utterance-3-0.wav").write_bytes(b"RIFF")
    unrelated = root / "notes"
    unrelated.mkdir()

    first, _ = make_service(temp_root=root)  # running: its folder is locked
    [running] = [p for p in root.iterdir() if p.name.startswith("run-")]
    second, _ = make_service(temp_root=root)

    assert not crashed.exists() and running.exists() and unrelated.exists()
    first.close()
    second.close()
    assert sorted(p.name for p in root.iterdir()) == ["notes"]
