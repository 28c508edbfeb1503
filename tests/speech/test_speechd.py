"""SpeechDispatcherSpeaker against a real speech-dispatcher, started here with its own folders.

The module's daemon speaks to a PulseAudio null sink the tests also start (recorded with parec
to prove the sound path). Two output modules: espeak-ng (the default, real speech) and a
"recorder" (sd_generic writing each message's rate and text to a file, at once), which speaks
for clients named `*:selfcare:recorded*`. The daemon logs at level 5, where it writes
"Queueing message |text| with priority N" for every message it receives: the witness that an
utterance reached it, in order, with the priority we meant.

Needs the Debian packages in PACKAGES: skipped without them on a developer's machine (with the
command that installs them), never with CI=true.
"""

from __future__ import annotations

import array
import contextlib
import io
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from apphelpers import START, tiny_library
from recording import PAREC_OPTIONS, RATE
from scripted_input import ScriptedInput

from selfcare_tui.plain import PlainOptions, run_plain
from selfcare_tui.settings import AppSettings
from selfcare_tui.speech.model import SpeechEvent, SpeechEventKind, Utterance, UtteranceKind
from selfcare_tui.speech.output import SpeechOutput
from selfcare_tui.speech.settings import SettingsError, SpeechSettings
from selfcare_tui.speech.speechd import (
    CANCELLED_BY_DAEMON,
    CONNECTION_LOST,
    PRIORITIES,
    Reply,
    SpeechdAddressError,
    SpeechDispatcherSpeaker,
    SSIPConnection,
    client_name,
    speechd_available,
    speechd_socket_path,
    ssip_data,
    ssip_rate,
)
from selfcare_tui.testing import FakeClock, MemoryJournal, RecordingSpeaker

PACKAGES = (
    "speech-dispatcher speech-dispatcher-espeak-ng speech-dispatcher-audio-plugins "
    "pulseaudio pulseaudio-utils"
)
COMMANDS = ("speech-dispatcher", "pulseaudio", "pactl", "parec")
MODULE_DIRS = (
    Path("/usr/lib/speech-dispatcher-modules"),
    Path("/usr/libexec/speech-dispatcher-modules"),
    Path("/usr/local/lib/speech-dispatcher-modules"),
)
IN_CI = os.environ.get("CI") == "true"
SINK = "selfcare_test"
RECORDED = "recorded"
"""The component name the daemon's configuration sends to the recorder module."""
WAIT = 20.0
"""Bound on waiting for the daemon or real speech; passing tests never wait this long."""
PRIORITY_NUMBER = {"important": 1, "message": 2, "text": 3, "notification": 4, "progress": 5}
"""speech-dispatcher's numbers for the priorities, as its log writes them."""
LONG = (
    "Lie on your back with both knees bent and your feet flat on the floor, then let both "
    "knees fall slowly to the left while your shoulders stay down, and breathe out."
)

FAST = SpeechSettings(rate=450)
"""For tests that wait for real speech: LONG still takes some four seconds."""
Kind = SpeechEventKind


# -- what the test machine needs -------------------------------------------------------------------


def _module_dir() -> Path | None:
    for folder in MODULE_DIRS:
        if (folder / "sd_espeak-ng").exists() and (folder / "sd_generic").exists():
            return folder
    return None


def _missing() -> list[str]:
    missing = [command for command in COMMANDS if shutil.which(command) is None]
    if _module_dir() is None:
        missing.append("sd_espeak-ng")
    return missing


def _need_packages() -> None:
    missing = _missing()
    if missing and not IN_CI:
        pytest.skip(
            f"{', '.join(missing)} missing (sudo apt-get install {PACKAGES}); CI always runs these"
        )


def _wait_until(check: Callable[[], bool], what: str, timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what} after {timeout:g} s")
        time.sleep(0.02)


def _run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=WAIT, check=False
    )


# -- the sound server ------------------------------------------------------------------------------


@dataclass
class Pulse:
    env: dict[str, str]

    @contextmanager
    def recording(self, into: Path) -> Iterator[Callable[[], array.array[int]]]:
        """Record the null sink while the block runs; yields a function giving the samples."""
        command = ["parec", f"--device={SINK}.monitor", *PAREC_OPTIONS]
        with into.open("wb") as out:
            parec = subprocess.Popen(command, env=self.env, stdout=out)
            samples: array.array[int] = array.array("h")
            try:
                _wait_until(self._recording_stream, "parec to start recording")
                yield lambda: samples
            finally:
                parec.terminate()
                parec.wait(WAIT)
        data = into.read_bytes()
        samples.frombytes(data[: len(data) // 2 * 2])

    def _recording_stream(self) -> bool:
        listing = _run(["pactl", "list", "short", "source-outputs"], self.env)
        return listing.returncode == 0 and bool(listing.stdout.strip())


def _base_env(root: Path) -> dict[str, str]:
    """The daemons' environment: every folder they use is under `root`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PULSE_", "SPEECHD_", "XDG_")) and key != "DBUS_SESSION_BUS_ADDRESS"
    }
    for name in ("home", "config", "cache", "pulse"):
        (root / name).mkdir(mode=0o700, parents=True, exist_ok=True)
    env.update(
        HOME=str(root / "home"),
        XDG_CONFIG_HOME=str(root / "config"),
        XDG_CACHE_HOME=str(root / "cache"),
        PULSE_RUNTIME_PATH=str(root / "pulse"),
        LC_ALL="C.UTF-8",
    )
    return env


def _short_dir(factory: pytest.TempPathFactory, name: str) -> Path:
    """A fresh folder whose sockets fit in a UNIX socket address (107 bytes)."""
    folder = factory.mktemp(name)
    if len(str(folder)) > 50:
        folder = Path(tempfile.mkdtemp(prefix=f"{name}-"))
    return folder


@pytest.fixture(scope="module")
def pulse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pulse]:
    _need_packages()
    env = _base_env(_short_dir(tmp_path_factory, "pulse"))
    started = _run(
        [
            "pulseaudio",
            "--daemonize=yes",
            "--exit-idle-time=-1",
            "-n",
            f"--load=module-null-sink sink_name={SINK}",
            "--load=module-native-protocol-unix",
        ],
        env,
    )
    assert started.returncode == 0, f"pulseaudio did not start: {started.stderr}"
    server = Pulse(env)
    try:
        _wait_until(lambda: _run(["pactl", "info"], env).returncode == 0, "pulseaudio")
        yield server
    finally:
        _run(["pactl", "exit"], env)


# -- the speech-dispatcher daemon ------------------------------------------------------------------

SPEECHD_CONF = """\
LogLevel 5
LogDir "{log}"
Timeout 0
DefaultLanguage "en"
AudioOutputMethod "pulse"
AudioPulseDevice "{sink}"
AddModule "espeak-ng" "sd_espeak-ng" "espeak-ng.conf"
AddModule "recorder" "sd_generic" "recorder.conf"
DefaultModule espeak-ng
BeginClient "*:selfcare:{recorded}*"
  DefaultModule "recorder"
EndClient
"""
ESPEAK_CONF = """\
EspeakMinRate 80
EspeakNormalRate 170
EspeakMaxRate 449
"""
# One record per message: the rate the module was given, a tab, the text, then RS (036).
RECORDER_CONF = """\
GenericExecuteSynth "printf '%s\\\\t%s\\\\036' \\'$RATE\\' \\'$DATA\\' >> {file}"
GenericLanguage "en" "en" "utf-8"
GenericMaxChunkLength 100000
GenericDelimiters "\x1f"
AddVoice "en" "MALE1" "en"
"""
QUEUED = re.compile(r"Queueing message \|(.*?)\| with priority (\d)\n", re.DOTALL)


@dataclass
class Daemon:
    root: Path
    env: dict[str, str]
    pid: int | None = None

    @property
    def socket(self) -> Path:
        return Path(self.env["XDG_RUNTIME_DIR"]) / "speech-dispatcher" / "speechd.sock"

    @property
    def log(self) -> Path:
        return self.root / "log" / "speech-dispatcher.log"

    @property
    def recorded(self) -> Path:
        return self.root / "recorded.txt"

    def start(self) -> None:
        pidfile = self.root / "speechd.pid"
        pidfile.unlink(missing_ok=True)
        started = _run(
            [
                "speech-dispatcher",
                "-d",
                "-t",
                "0",
                "-C",
                str(self.root / "conf"),
                "-P",
                str(pidfile),
            ],
            self.env,
        )
        assert started.returncode == 0, f"speech-dispatcher did not start: {started.stderr}"
        _wait_until(lambda: speechd_available(self.socket), f"a speech-dispatcher at {self.socket}")
        self.pid = int(pidfile.read_text().strip())

    def stop(self, sig: signal.Signals = signal.SIGTERM) -> None:
        if self.pid is None:
            return
        pid, self.pid = self.pid, None
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
        _wait_until(lambda: not _alive(pid), f"speech-dispatcher {pid} to end")

    def mark(self) -> tuple[int, int]:
        """Where the log and the recorder's file end now: what a test adds comes after."""
        return _size(self.log), _size(self.recorded)

    def queued(self, mark: tuple[int, int], count: int) -> list[tuple[str, int]]:
        """(text, priority) of the messages the daemon queued since `mark`; waits for `count`."""
        found: list[tuple[str, int]] = []

        def enough() -> bool:
            log = _tail(self.log, mark[0])
            found[:] = [(_lf(text), int(priority)) for text, priority in QUEUED.findall(log)]
            return len(found) >= count

        _wait_until(enough, f"{count} messages in the daemon's log")
        return found

    def recorded_since(self, mark: tuple[int, int]) -> list[tuple[float, str]]:
        """(rate, text) of every message the recorder module said since `mark`."""
        records = _tail(self.recorded, mark[1]).split("\036")
        fields = (record.partition("\t") for record in records if record)
        return [(float(rate), _lf(text)) for rate, _, text in fields]


def _make_daemon(root: Path, pulse: Pulse) -> Daemon:
    module_dir = _module_dir()
    assert module_dir is not None, f"no speech-dispatcher modules: apt-get install {PACKAGES}"
    env = dict(pulse.env)
    runtime = root / "run"
    runtime.mkdir(mode=0o700, parents=True)
    env["XDG_RUNTIME_DIR"] = str(runtime)
    daemon = Daemon(root, env)
    (root / "log").mkdir()
    modules = root / "conf" / "modules"
    modules.mkdir(parents=True)
    conf = SPEECHD_CONF.format(log=root / "log", sink=SINK, recorded=RECORDED)
    (root / "conf" / "speechd.conf").write_text(conf, encoding="utf-8")
    (modules / "espeak-ng.conf").write_text(ESPEAK_CONF, encoding="utf-8")
    recorder = RECORDER_CONF.format(file=daemon.recorded)
    (modules / "recorder.conf").write_text(recorder, encoding="utf-8")
    daemon.start()
    return daemon


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (our own child, not yet reaped) is gone for our purposes
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return True


def _lf(text: str) -> str:
    """SSIP sends lines with CRLF, and the daemon keeps them in the message."""
    return text.replace("\r\n", "\n")


def _size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


def _tail(path: Path, offset: int) -> str:
    if not path.exists():
        return ""
    with path.open("rb") as file:
        file.seek(offset)
        return file.read().decode("utf-8", "replace")


@pytest.fixture(scope="module")
def daemon(tmp_path_factory: pytest.TempPathFactory, pulse: Pulse) -> Iterator[Daemon]:
    started = _make_daemon(_short_dir(tmp_path_factory, "speechd"), pulse)
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture
def spare_daemon(tmp_path_factory: pytest.TempPathFactory, pulse: Pulse) -> Iterator[Daemon]:
    """A daemon of the test's own, for tests that kill it."""
    started = _make_daemon(_short_dir(tmp_path_factory, "spare"), pulse)
    try:
        yield started
    finally:
        started.stop()


# -- speakers and what they report -----------------------------------------------------------------


class Heard:
    """A subscriber that tests can wait on, without sleeping."""

    def __init__(self) -> None:
        self.events: list[SpeechEvent] = []
        self._cond = threading.Condition()

    def __call__(self, event: SpeechEvent) -> None:
        with self._cond:
            self.events.append(event)
            self._cond.notify_all()

    def final(self, utterance: Utterance, timeout: float = WAIT) -> SpeechEvent:
        """The event that settled `utterance`, once it comes."""
        with self._cond:
            assert self._cond.wait_for(lambda: self._final(utterance) is not None, timeout), (
                f"no final event for {utterance.text!r}: {self.summary()}"
            )
            event = self._final(utterance)
            assert event is not None
            return event

    def started(self, utterance: Utterance, timeout: float = WAIT) -> None:
        with self._cond:
            assert self._cond.wait_for(lambda: self._has(Kind.STARTED, utterance), timeout)

    def _has(self, kind: Kind, utterance: Utterance) -> bool:
        return any(e.kind is kind and e.utterance is utterance for e in self.events)

    def _final(self, utterance: Utterance) -> SpeechEvent | None:
        finals = [e for e in self.events if e.utterance is utterance and e.outcome is not None]
        assert len(finals) <= 1, f"more than one final event: {finals}"
        return finals[0] if finals else None

    def summary(self) -> list[tuple[str, str]]:
        with self._cond:
            return [(str(event.kind), event.utterance.text) for event in self.events]


Maker = Callable[..., tuple[SpeechDispatcherSpeaker, Heard]]


@pytest.fixture
def make_speaker() -> Iterator[Maker]:
    """Builds speakers (keywords as for SpeechDispatcherSpeaker) and closes them afterwards."""
    made: list[SpeechDispatcherSpeaker] = []

    def make(
        daemon: Daemon | None = None, **kwargs: object
    ) -> tuple[SpeechDispatcherSpeaker, Heard]:
        if daemon is not None:
            kwargs.setdefault("address", daemon.socket)
        speaker = SpeechDispatcherSpeaker(**kwargs)  # type: ignore[arg-type]
        heard = Heard()
        speaker.subscribe(heard)
        made.append(speaker)
        assert speaker.wait_ready(WAIT)
        return speaker, heard

    yield make
    for speaker in made:
        speaker.close()


class ScreenReader:
    """Another client of the same daemon, speaking the way Orca does (priority message)."""

    def __init__(self, daemon: Daemon) -> None:
        self.events: list[tuple[int, int]] = []
        self._cond = threading.Condition()
        self.connection = SSIPConnection(daemon.socket, on_event=self._event)
        for line in (
            "SET SELF CLIENT_NAME test:orca:default",
            "SET SELF NOTIFICATION ALL on",
            "SET SELF PRIORITY message",
            "SET SELF RATE 100",
        ):
            assert self.connection.command(line).ok

    def say(self, text: str) -> int:
        reply = self.connection.speak(text)
        assert reply.msg_id is not None, reply
        return reply.msg_id

    def wait_for_end(self, msg_id: int) -> list[int]:
        """The event codes of message `msg_id`, once it ended or was cancelled."""
        with self._cond:
            done = self._cond.wait_for(lambda: {702, 703} & set(self.codes(msg_id)), WAIT)
            assert done, f"the screen reader's message never ended: {self.events}"
            return self.codes(msg_id)

    def codes(self, msg_id: int) -> list[int]:
        return [code for message, code in self.events if message == msg_id]

    def _event(self, reply: Reply) -> None:
        with self._cond:
            if reply.msg_id is not None:
                self.events.append((reply.msg_id, reply.code))
            self._cond.notify_all()

    def close(self) -> None:
        self.connection.quit()
        self.connection.close()


# -- the pure parts (no daemon) --------------------------------------------------------------------


def test_rates_map_onto_ssip_with_the_default_in_the_middle() -> None:
    assert [ssip_rate(wpm) for wpm in (80, 165, 450)] == [-100, 0, 100]
    rates = [ssip_rate(wpm) for wpm in range(80, 451)]
    assert rates == sorted(rates)
    assert ssip_rate(122) == -51 and ssip_rate(300) == 47
    with pytest.raises(SettingsError):
        ssip_rate(79)


def test_text_is_sent_in_crlf_lines_with_leading_dots_doubled() -> None:
    assert ssip_data("Hello") == b"Hello\r\n.\r\n"
    assert ssip_data(".5 kg\nthen .\n.") == b"..5 kg\r\nthen .\r\n..\r\n.\r\n"
    assert ssip_data("a\r\nb\rc") == b"a\r\nb\r\nc\r\n.\r\n"
    assert ssip_data("3 × 4") == "3 × 4\r\n.\r\n".encode()


def test_the_socket_is_found_as_speech_dispatcher_finds_it(tmp_path: Path) -> None:
    runtime = {"XDG_RUNTIME_DIR": "/run/user/1000"}
    assert speechd_socket_path(environ=runtime) == Path(
        "/run/user/1000/speech-dispatcher/speechd.sock"
    )
    address = {**runtime, "SPEECHD_ADDRESS": "unix_socket:/tmp/sd.sock"}
    assert speechd_socket_path(environ=address) == Path("/tmp/sd.sock")
    bare = {**runtime, "SPEECHD_ADDRESS": "unix_socket"}
    assert speechd_socket_path(environ=bare) == Path(
        "/run/user/1000/speech-dispatcher/speechd.sock"
    )
    cache = {"XDG_CACHE_HOME": "/home/u/.cache"}
    assert speechd_socket_path(environ=cache) == Path(
        "/home/u/.cache/speech-dispatcher/speechd.sock"
    )
    assert speechd_socket_path(tmp_path / "s.sock") == tmp_path / "s.sock"
    assert speechd_socket_path("unix_socket:/x/y.sock") == Path("/x/y.sock")
    with pytest.raises(SpeechdAddressError, match="TCP"):
        speechd_socket_path("inet_socket:localhost:6560")


def test_client_names_keep_to_what_ssip_allows() -> None:
    user, application, component = client_name("self care", "main:1").split(":")
    assert user and application == "self_care" and component == "main_1"


def test_without_a_daemon_speech_fails_quietly_and_says_why_in_one_line(
    tmp_path: Path, make_speaker: Maker
) -> None:
    missing = tmp_path / "nobody" / "speechd.sock"
    assert not speechd_available(missing)
    speaker, heard = make_speaker(address=missing)
    assert not speaker.available
    assert speaker.problem is not None and "\n" not in speaker.problem
    assert "not running" in speaker.problem and str(missing) in speaker.problem
    utterance = speaker.speak("Sit tall.")
    event = heard.final(utterance)
    assert (event.kind, event.detail) == (Kind.FAILED, speaker.problem)

    tcp, heard = make_speaker(address="inet_socket:localhost:6560")
    assert not tcp.available and "TCP" in (tcp.problem or "")
    assert heard.final(tcp.speak("Sit tall.")).kind is Kind.FAILED


def test_a_closed_speaker_drops_what_it_is_given(tmp_path: Path, make_speaker: Maker) -> None:
    speaker, heard = make_speaker(address=tmp_path / "none.sock")
    speaker.close()
    event = heard.final(speaker.speak("Too late."))
    assert (event.kind, event.detail) == (Kind.DROPPED, "speech is closed")


class FakeServer:
    """A scripted SSIP server on a UNIX socket, for what a real daemon will not do on demand.

    Setup commands get a 2xx answer; each SPEAK's text gets `answer_text(n)` (n counts from 1),
    or no answer at all when that returns None.
    """

    def __init__(self, folder: Path, answer_text: Callable[[int], bytes | None]) -> None:
        self.path = folder / "ssip.sock"
        self.answer_text = answer_text
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(str(self.path))
        self.listener.listen()
        self.spoken = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        with contextlib.suppress(OSError):
            while True:
                connection, _ = self.listener.accept()
                threading.Thread(target=self._talk, args=(connection,), daemon=True).start()

    def _talk(self, connection: socket.socket) -> None:
        with connection, contextlib.suppress(OSError), connection.makefile("rb") as lines:
            receiving = False
            for raw in lines:
                line = raw.decode().rstrip("\r\n")
                if receiving and line == ".":
                    receiving = False
                    self.spoken += 1
                    answer = self.answer_text(self.spoken)
                    if answer is not None:
                        connection.sendall(answer)
                elif receiving:
                    continue
                elif line == "SPEAK":
                    receiving = True
                    connection.sendall(b"230 OK RECEIVING DATA\r\n")
                elif line == "QUIT":
                    connection.sendall(b"231 HAPPY HACKING\r\n")
                    return
                else:
                    connection.sendall(b"200 OK\r\n")

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def short_dir() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="ssip-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_events_that_come_before_their_message_id_are_kept_for_it(
    short_dir: Path, make_speaker: Maker
) -> None:
    def begun_and_ended_before_the_reply(n: int) -> bytes:
        event = "{code}-{n}\r\n{code}-7\r\n{code} {what}\r\n"
        return (
            event.format(code=701, n=n, what="BEGIN")
            + event.format(code=702, n=n, what="END")
            + f"225-{n}\r\n225 OK MESSAGE QUEUED\r\n"
        ).encode()

    server = FakeServer(short_dir, begun_and_ended_before_the_reply)
    try:
        speaker, heard = make_speaker(address=server.path)
        first, second = speaker.speak("One."), speaker.speak("Two.")
        assert heard.final(second).kind is Kind.FINISHED
        assert heard.summary() == [
            ("started", "One."),
            ("finished", "One."),
            ("started", "Two."),
            ("finished", "Two."),
        ]
        assert heard.final(first).kind is Kind.FINISHED
    finally:
        server.close()


def test_a_daemon_that_stops_answering_never_blocks_the_caller(
    short_dir: Path, make_speaker: Maker
) -> None:
    server = FakeServer(short_dir, lambda n: None)  # swallows every message
    try:
        speaker, heard = make_speaker(address=server.path, timeout=0.3)
        assert speaker.available
        utterance = speaker.speak("Hello?")
        assert heard.events == []  # speak() returned long before the daemon could fail it
        event = heard.final(utterance)
        assert (event.kind, event.detail) == (Kind.FAILED, CONNECTION_LOST)
        assert speaker.wait_idle(WAIT)
    finally:
        server.close()


# -- against the daemon ----------------------------------------------------------------------------


def test_utterances_reach_the_daemon_in_order_and_each_begins_and_ends(
    daemon: Daemon, make_speaker: Maker
) -> None:
    said = [
        (UtteranceKind.INSTRUCTION, "Sit tall, feet flat."),
        (UtteranceKind.INSTRUCTION, ".5 seconds is not a line ending\n.\nand . neither"),
        (UtteranceKind.STATUS, 'Step 2 of 3 — it\'s "fine" & 3 × 4 = 12 $HOME `x`.'),
        (UtteranceKind.INSTRUCTION, "Breathe out."),
    ]
    speaker, heard = make_speaker(daemon, component=RECORDED)
    assert speaker.available and speaker.problem is None
    mark = daemon.mark()
    utterances = [speaker.speak(text, kind) for kind, text in said]
    assert speaker.wait_idle(WAIT)

    texts = [text for _, text in said]
    expected = [(str(kind), text) for text in texts for kind in (Kind.STARTED, Kind.FINISHED)]
    assert heard.summary() == expected
    assert [heard.final(u).kind for u in utterances] == [Kind.FINISHED] * len(said)
    assert daemon.queued(mark, len(said)) == [
        (text, PRIORITY_NUMBER[PRIORITIES[kind]]) for kind, text in said
    ]
    assert [text for _, text in daemon.recorded_since(mark)] == texts


def test_the_voice_reaches_the_sound_server(
    daemon: Daemon, pulse: Pulse, make_speaker: Maker, tmp_path: Path
) -> None:
    speaker, heard = make_speaker(daemon, settings=FAST)  # espeak-ng, into the null sink
    with pulse.recording(tmp_path / "sink.raw") as samples:
        utterance = speaker.speak("Breathe out slowly, and let your shoulders drop.")
        assert heard.final(utterance).kind is Kind.FINISHED
    loud = sum(1 for sample in samples() if abs(sample) > 1000)
    assert loud > RATE * 0.2, f"only {loud} loud samples: the sink heard no speech"
    assert heard.summary() == [("started", utterance.text), ("finished", utterance.text)]


def test_interrupt_cuts_off_ours_and_never_the_screen_readers(
    daemon: Daemon, make_speaker: Maker
) -> None:
    speaker, heard = make_speaker(daemon, settings=FAST)  # espeak-ng: real speech takes time
    reader = ScreenReader(daemon)
    try:
        long = speaker.speak(LONG)
        queued = speaker.speak("Now the other side.")
        heard.started(long)
        theirs = reader.say("Menu bar. File.")  # same priority as ours: it waits its turn
        speaker.interrupt()
        assert heard.final(long).kind is Kind.INTERRUPTED
        assert (heard.final(queued).kind, heard.final(queued).detail) == (
            Kind.DROPPED,
            "interrupted",
        )
        assert reader.wait_for_end(theirs) == [701, 702]  # begun and ended, never cancelled
        after = speaker.speak("Done.")
        assert heard.final(after).kind is Kind.FINISHED
    finally:
        reader.close()


def test_mute_stops_sending_and_cuts_off_what_is_being_said(
    daemon: Daemon, make_speaker: Maker
) -> None:
    speaker, heard = make_speaker(daemon, settings=FAST)
    mark = daemon.mark()
    long = speaker.speak(LONG)
    heard.started(long)
    speaker.set_muted(True)
    assert speaker.muted
    assert heard.final(long).kind is Kind.INTERRUPTED
    quiet = [speaker.speak(text) for text in ("Hold.", "Release.")]
    assert [heard.final(u).kind for u in quiet] == [Kind.MUTED, Kind.MUTED]

    speaker.set_muted(False)
    back = speaker.speak("Voice on.", UtteranceKind.STATUS)
    assert heard.final(back).kind is Kind.FINISHED
    assert [text for text, _ in daemon.queued(mark, 2)] == [LONG, "Voice on."]


def test_mute_from_the_start_sends_nothing(daemon: Daemon, make_speaker: Maker) -> None:
    speaker, heard = make_speaker(daemon, settings=SpeechSettings(muted=True), component=RECORDED)
    mark = daemon.mark()
    assert speaker.muted and speaker.available
    assert heard.final(speaker.speak("Hold.")).kind is Kind.MUTED
    speaker.set_muted(False)
    assert heard.final(speaker.speak("Release.")).kind is Kind.FINISHED
    assert [text for text, _ in daemon.queued(mark, 1)] == ["Release."]
    assert [text for _, text in daemon.recorded_since(mark)] == ["Release."]


def test_the_rate_reaches_the_synthesiser(daemon: Daemon, make_speaker: Maker) -> None:
    speaker, heard = make_speaker(daemon, settings=SpeechSettings(rate=300), component=RECORDED)
    mark = daemon.mark()
    first = speaker.speak("At three hundred.")
    assert heard.final(first).kind is Kind.FINISHED
    speaker.set_rate(80)
    assert speaker.rate == 80
    second = speaker.speak("At eighty.")
    assert heard.final(second).kind is Kind.FINISHED
    assert daemon.recorded_since(mark) == [(47.0, "At three hundred."), (-100.0, "At eighty.")]


def test_a_cue_is_left_out_when_something_more_important_is_said(
    daemon: Daemon, make_speaker: Maker
) -> None:
    speaker, heard = make_speaker(daemon)
    long = speaker.speak(LONG)
    heard.started(long)
    beat = speaker.speak("3", UtteranceKind.CUE)  # notification: never over a message
    assert (heard.final(beat).kind, heard.final(beat).detail) == (
        Kind.DROPPED,
        CANCELLED_BY_DAEMON,
    )
    speaker.interrupt()
    assert heard.final(long).kind is Kind.INTERRUPTED


def test_stale_utterances_are_dropped_before_they_are_sent(
    daemon: Daemon, make_speaker: Maker
) -> None:
    clock = FakeClock()
    speaker, heard = make_speaker(daemon, clock=clock.now, component=RECORDED)
    mark = daemon.mark()
    clock.advance(10)
    late = speaker.speak("3", UtteranceKind.CUE, stale_after=clock.now() - 1)
    fresh = speaker.speak("Fresh.", stale_after=clock.now() + 5)
    assert (heard.final(late).kind, heard.final(late).detail) == (Kind.DROPPED, "stale")
    assert heard.final(fresh).kind is Kind.FINISHED
    assert [text for text, _ in daemon.queued(mark, 1)] == ["Fresh."]


def test_the_default_socket_is_found_and_probed(
    daemon: Daemon, make_speaker: Maker, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SPEECHD_ADDRESS", raising=False)
    monkeypatch.setenv("XDG_RUNTIME_DIR", daemon.env["XDG_RUNTIME_DIR"])
    assert speechd_available()
    speaker, heard = make_speaker(component=RECORDED)
    assert heard.final(speaker.speak("Found.")).kind is Kind.FINISHED

    monkeypatch.setenv("XDG_RUNTIME_DIR", "/nonexistent")
    monkeypatch.setenv("SPEECHD_ADDRESS", f"unix_socket:{daemon.socket}")
    assert speechd_available()
    monkeypatch.setenv("SPEECHD_ADDRESS", "unix_socket:/nonexistent/speechd.sock")
    assert not speechd_available()


def test_a_lost_daemon_fails_what_it_held_then_one_reconnect_then_voice_off(
    spare_daemon: Daemon, make_speaker: Maker
) -> None:
    speaker, heard = make_speaker(spare_daemon, settings=FAST)
    held = speaker.speak(LONG)
    heard.started(held)
    spare_daemon.stop(signal.SIGKILL)
    event = heard.final(held)
    assert (event.kind, event.detail) == (Kind.FAILED, CONNECTION_LOST)
    assert speaker.available  # it may come back (systemd socket activation, a restart)

    spare_daemon.start()
    again = speaker.speak("Back again.")
    assert heard.final(again).kind is Kind.FINISHED
    assert speaker.available and speaker.problem is None

    spare_daemon.stop(signal.SIGKILL)
    gone = speaker.speak("Anyone?")
    event = heard.final(gone)
    assert event.kind is Kind.FAILED
    assert not speaker.available
    assert speaker.problem is not None and "\n" not in speaker.problem
    assert "speech-dispatcher" in speaker.problem
    assert heard.final(speaker.speak("Still there?")).kind is Kind.FAILED


# -- the "done when": a whole plain-mode session -------------------------------------------


ANSWERS = ["n", "6", "3", "b", "1", "", "n", "felt easier"]
"""Not a red flag, pain 6 before, then the reflection: 3, better, step 1 easier, none harder,
nothing sharp, a note."""


@dataclass
class Session:
    spoken: list[tuple[UtteranceKind, str]] = field(default_factory=list)
    saved: int = 0


def play_session(speaker: RecordingSpeaker | SpeechDispatcherSpeaker, tmp_path: Path) -> Session:
    routine = tiny_library(tmp_path).find("tiny-sides").routine  # type: ignore[union-attr]
    assert routine is not None
    clock, journal = FakeClock(), MemoryJournal()
    wait_idle = getattr(speaker, "wait_idle", None)

    def listen() -> None:
        if wait_idle is not None:
            assert wait_idle(WAIT)

    code = run_plain(
        routine,
        PlainOptions(),
        input=ScriptedInput(ANSWERS, clock, listen=listen),
        out=io.StringIO(),
        err=io.StringIO(),
        journal=journal,
        speaker=speaker,
        settings=AppSettings(),
        clock_factory=lambda: clock,
        now=lambda: START + timedelta(seconds=clock.now()),
    )
    assert code == 0
    spoken = speaker.spoken if isinstance(speaker, RecordingSpeaker) else []
    return Session(list(spoken), len(journal.entries))


def test_every_utterance_of_a_plain_session_reaches_the_daemon_in_order(
    daemon: Daemon, make_speaker: Maker, tmp_path: Path
) -> None:
    recording = RecordingSpeaker()
    expected = play_session(recording, tmp_path / "recording")
    assert expected.saved == 1
    kinds = {kind for kind, _ in expected.spoken}
    assert {UtteranceKind.INSTRUCTION, UtteranceKind.CUE} <= kinds

    speaker, heard = make_speaker(daemon, component=RECORDED)
    mark = daemon.mark()
    played = play_session(speaker, tmp_path / "speechd")
    assert played.saved == 1
    assert speaker.wait_idle(WAIT)
    assert speaker.problem is None

    # The daemon received every utterance, in order, each with the priority of its kind.
    queued = daemon.queued(mark, len(expected.spoken))
    assert queued == [(text, PRIORITY_NUMBER[PRIORITIES[kind]]) for kind, text in expected.spoken]

    # Each got exactly one final event. Every instruction and status line was said to its end,
    # in order; a cue was said too unless a message came while it waited (then the daemon left
    # it out, as notification priority means).
    utterances: dict[int, Utterance] = {}
    spoken = [event for event in heard.events if event.utterance.kind is not UtteranceKind.SOUND]
    for event in spoken:  # earcons are our own player's, never the daemon's
        utterances.setdefault(event.utterance.id, event.utterance)
    assert [(u.kind, u.text) for _, u in sorted(utterances.items())] == expected.spoken
    said: list[Utterance] = []
    for _, utterance in sorted(utterances.items()):
        final = heard.final(utterance, timeout=0)
        if final.kind is Kind.FINISHED:
            said.append(utterance)
        else:
            assert utterance.kind is UtteranceKind.CUE, (utterance, final)
            assert (final.kind, final.detail) == (Kind.DROPPED, CANCELLED_BY_DAEMON)
    assert [u for u in said if u.kind is not UtteranceKind.CUE] == [
        u for u in utterances.values() if u.kind is not UtteranceKind.CUE
    ]
    started = [e.utterance for e in spoken if e.kind is Kind.STARTED]
    finished = [e.utterance for e in spoken if e.kind is Kind.FINISHED]
    assert started == finished == said

    # And what the daemon's output module said is what we were told was said.
    assert [text for _, text in daemon.recorded_since(mark)] == [u.text for u in said]


def test_plain_mode_picks_a_running_speech_dispatcher_and_says_so(
    daemon: Daemon, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The face's default: a screen reader's speech-dispatcher is found and used, and the
    first line says so; --speech own and --speech off choose otherwise."""
    monkeypatch.setenv("XDG_RUNTIME_DIR", daemon.env["XDG_RUNTIME_DIR"])
    monkeypatch.delenv("SPEECHD_ADDRESS", raising=False)
    routine = tiny_library(tmp_path).find("tiny-sides").routine  # type: ignore[union-attr]
    assert routine is not None
    for choice, first_line in [
        (None, "Speech goes through your speech-dispatcher"),
        (SpeechOutput.OFF, "Speech is off: printing only."),
    ]:
        out = io.StringIO()
        code = run_plain(
            routine,
            PlainOptions(speech=choice),
            input=ScriptedInput(["y"], FakeClock()),
            out=out,
            err=io.StringIO(),
            journal=MemoryJournal(),
            settings=AppSettings(),
        )
        assert code == 0
        assert out.getvalue().splitlines()[0].startswith(first_line)
