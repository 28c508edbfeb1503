"""SpeechDispatcherSpeaker: every utterance goes to the user's speech-dispatcher, over SSIP.

Blind users run a screen reader (Orca, Fenrir, speakup) that speaks through speech-dispatcher.
When the app speaks with a voice of its own, the two talk over each other; sent to the same
speech-dispatcher, the app's words join the screen reader's queue and its priority rules decide
who speaks when. This is a small SSIP client written here (the `speechd` package is not on PyPI):

- one UNIX-socket connection, named `user:selfcare:main`, with event notifications on;
- a worker thread sends the commands (`speak()`, `interrupt()` and the rest only queue work for it
  under a lock, so no caller ever waits on the socket) and waits for each reply, as SSIP wants;
- a reader thread reads replies and the 7xx events; BEGIN, END and CANCELED become our
  `started`, `finished` and `interrupted` (or `dropped`, for a message cancelled before it began).

Priorities (`PRIORITIES`): instructions and status lines are `message` (spoken in the order
they came, after the screen reader's `important` ones, never cutting anyone off and never cut
off by another `message`); cues are `notification`, which speech-dispatcher drops when anything
more important is queued or speaking: a countdown beat is worth hearing only when nothing else
is. Status is not `important`: that would cancel whatever the screen reader is saying and block
it until ours is over, and plain mode's prompts (which are status lines) are long.

`interrupt()` sends CANCEL SELF: it cuts off our own speech only, never the screen reader's.
The socket is `$SPEECHD_ADDRESS` (`unix_socket:/path`) when set, else speech-dispatcher's default,
`$XDG_RUNTIME_DIR/speech-dispatcher/speechd.sock`. With no daemon there, `available` is False,
`problem` says so and every utterance fails; if the daemon goes away, what it held fails, the
next utterance reconnects once, and a second loss turns the voice off for good.

"Speech off" (print only) needs no speaker of its own: it is the muted state of any speaker
(`SpeechSettings(muted=True)`), whose utterances are reported `muted`, which the transcript
records, plain mode does not warn about, and the voice key can turn back on.
"""

from __future__ import annotations

import contextlib
import getpass
import itertools
import logging
import os
import queue
import re
import socket
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from selfcare_tui.speech.engine import SilentPlayer, close_player, find_player
from selfcare_tui.speech.model import (
    EventCallback,
    Sound,
    SpeechEvent,
    SpeechEventKind,
    Utterance,
    UtteranceKind,
)
from selfcare_tui.speech.settings import (
    DEFAULT_RATE,
    MAX_RATE,
    MIN_RATE,
    SpeechSettings,
    check_rate,
)
from selfcare_tui.speech.sounds import SoundChannel, play_sound_event
from selfcare_tui.speech.timing import estimate_seconds
from selfcare_tui.speech.workspace import Workspace

logger = logging.getLogger(__name__)

SOCKET_NAME = Path("speech-dispatcher") / "speechd.sock"
"""Where speech-dispatcher puts its socket, under $XDG_RUNTIME_DIR (else the cache folder)."""
REPLY_TIMEOUT = 2.0
"""How long the daemon may take to answer one command before the connection counts as lost."""
PROBE_TIMEOUT = 0.5
"""`speechd_available()`'s limit for connecting and getting an answer."""
CLOSE_TIMEOUT = 0.5
APPLICATION = "selfcare"

PRIORITIES: dict[UtteranceKind, str] = {
    UtteranceKind.INSTRUCTION: "message",
    UtteranceKind.STATUS: "message",
    UtteranceKind.CUE: "notification",
}
"""The SSIP priority each kind of utterance is sent with (see the module docstring)."""

CANCELLED_BY_DAEMON = "cancelled by speech-dispatcher"
"""Why a message was dropped before it began: something more important was said instead."""
CONNECTION_LOST = "the connection to speech-dispatcher was lost"
DAEMON_STOPPED = "speech-dispatcher stopped answering: voice off, captions only."

# SSIP reply and event codes (the first digit is the class; 7xx codes are fixed by the spec).
_RECEIVING_DATA = 230
_MESSAGE_QUEUED = 225
_BYE = 231
_BEGIN, _END, _CANCELED = 701, 702, 703
_CLIENT_PART = re.compile(r"[^A-Za-z0-9_-]")


class SpeechdAddressError(ValueError):
    """$SPEECHD_ADDRESS names something this client cannot use; the message is one line."""


class ConnectionLost(Exception):
    """The daemon closed the connection, or did not answer within REPLY_TIMEOUT."""


# -- addresses, rates and text ----------------------------------------------------------------


def speechd_socket_path(
    address: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Path:
    """The socket to use: `address` (a path or `unix_socket:/path`), else $SPEECHD_ADDRESS, else
    `$XDG_RUNTIME_DIR/speech-dispatcher/speechd.sock` (the cache folder without a runtime dir).

    Raises SpeechdAddressError for `inet_socket:…` (TCP) and other methods.
    """
    env = os.environ if environ is None else environ
    if address is None:
        address = env.get("SPEECHD_ADDRESS") or None
    if isinstance(address, os.PathLike):
        return Path(address)
    if address is not None:
        method, _, rest = address.partition(":")
        if method == "unix_socket":
            if rest:
                return Path(rest).expanduser()
        elif method == "inet_socket":
            raise SpeechdAddressError(f"speech-dispatcher over TCP ({address}) is not supported")
        elif "/" in address:
            return Path(address).expanduser()
        else:
            raise SpeechdAddressError(f"unknown speech-dispatcher address {address!r}")
    runtime = env.get("XDG_RUNTIME_DIR", "")
    if runtime and os.path.isabs(runtime):
        return Path(runtime) / SOCKET_NAME
    cache = env.get("XDG_CACHE_HOME", "")
    base = Path(cache) if cache and os.path.isabs(cache) else Path.home() / ".cache"
    return base / SOCKET_NAME


def speechd_available(
    address: str | os.PathLike[str] | None = None, timeout: float = PROBE_TIMEOUT
) -> bool:
    """True when speech-dispatcher's socket exists and answers (a QUIT, within `timeout`)."""
    try:
        path = speechd_socket_path(address)
    except SpeechdAddressError:
        return False
    if not path.is_socket():
        return False
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            probe.settimeout(timeout)
            probe.connect(str(path))
            probe.sendall(b"QUIT\r\n")
            answer = b""
            while b"\n" not in answer:
                chunk = probe.recv(256)
                if not chunk:
                    break
                answer += chunk
    except OSError:
        return False
    return answer.startswith(str(_BYE).encode())


def ssip_rate(wpm: int) -> int:
    """Words per minute onto SSIP's -100..100: MIN_RATE is -100, DEFAULT_RATE 0, MAX_RATE 100.

    Two straight lines meeting at the default, as speech-dispatcher's espeak-ng module maps
    -100..100 back onto 80, 170 and 449 words per minute.
    """
    check_rate(wpm)
    if wpm <= DEFAULT_RATE:
        return round((wpm - DEFAULT_RATE) * 100 / (DEFAULT_RATE - MIN_RATE))
    return round((wpm - DEFAULT_RATE) * 100 / (MAX_RATE - DEFAULT_RATE))


def ssip_data(text: str) -> bytes:
    """The body of a SPEAK: CRLF lines, a dot doubled at the start of a line, then `.` alone."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    escaped = ["." + line if line.startswith(".") else line for line in lines]
    return ("\r\n".join(escaped) + "\r\n.\r\n").encode("utf-8")


def client_name(application: str = APPLICATION, component: str = "main") -> str:
    """`user:application:component`, each part cut down to what SSIP allows."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a bare container)
        user = "unknown"
    parts = (user, application, component)
    return ":".join(_CLIENT_PART.sub("_", part) or "unknown" for part in parts)


# -- the connection ---------------------------------------------------------------------------


class Reply(NamedTuple):
    """One complete SSIP reply or event: `ccc-line`s, then `ddd text`."""

    code: int
    lines: tuple[str, ...]
    text: str

    @property
    def ok(self) -> bool:
        return 200 <= self.code < 300

    @property
    def msg_id(self) -> int | None:
        """The message id of a SPEAK reply or an event, else None."""
        if self.lines and self.lines[0].isdigit():
            return int(self.lines[0])
        return None


class SSIPConnection:
    """One SSIP connection: commands sent from one thread at a time, everything read by a thread
    of its own, which hands events to `on_event` and replies to `on_reply` before `command()`
    returns them. `on_lost` is called once if the daemon goes away (not after `close()`)."""

    def __init__(
        self,
        path: Path,
        *,
        on_event: Callable[[Reply], None],
        on_reply: Callable[[Reply], None] = lambda reply: None,
        on_lost: Callable[[SSIPConnection], None] = lambda connection: None,
        timeout: float = REPLY_TIMEOUT,
    ) -> None:
        self._timeout = timeout
        self._on_event = on_event
        self._on_reply = on_reply
        self._on_lost = on_lost
        self._replies: queue.SimpleQueue[Reply | None] = queue.SimpleQueue()
        self._closed = False
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            self._sock.settimeout(timeout)
            self._sock.connect(str(path))
            self._sock.settimeout(None)  # the reader blocks; a stuck send is undone by close()
        except OSError:
            self._sock.close()
            raise
        self._reader = threading.Thread(target=self._read, name="selfcare-speechd-read")
        self._reader.daemon = True
        self._reader.start()

    def command(self, line: str) -> Reply:
        self._send((line + "\r\n").encode("utf-8"))
        return self._reply()

    def speak(self, text: str) -> Reply:
        """SPEAK, then the text; the reply carries the message id (225) or says what failed."""
        reply = self.command("SPEAK")
        if reply.code != _RECEIVING_DATA:
            return reply
        self._send(ssip_data(text))
        return self._reply()

    def quit(self) -> None:
        """Say goodbye without waiting for the answer."""
        with contextlib.suppress(OSError):
            self._sock.sendall(b"QUIT\r\n")

    def close(self) -> None:
        self._closed = True
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)
        self._sock.close()

    def _send(self, data: bytes) -> None:
        try:
            self._sock.sendall(data)
        except OSError as error:
            raise ConnectionLost(str(error)) from error

    def _reply(self) -> Reply:
        try:
            reply = self._replies.get(timeout=self._timeout)
        except queue.Empty:
            self.close()
            raise ConnectionLost(f"no answer within {self._timeout:g} s") from None
        if reply is None:
            raise ConnectionLost("the daemon closed the connection")
        return reply

    def _read(self) -> None:
        buffer = b""
        lines: list[str] = []
        try:
            while True:
                chunk = self._sock.recv(65536)
                if not chunk:
                    break
                buffer += chunk
                while b"\n" in buffer:
                    raw, buffer = buffer.split(b"\n", 1)
                    reply = self._line(raw.rstrip(b"\r").decode("utf-8", "replace"), lines)
                    if reply is not None:
                        lines = []
                        self._dispatch(reply)
        except OSError:
            pass
        finally:
            self._replies.put(None)
            if not self._closed:
                self._closed = True
                self._on_lost(self)

    @staticmethod
    def _line(line: str, lines: list[str]) -> Reply | None:
        if len(line) < 3 or not line[:3].isdigit():
            logger.warning("speech-dispatcher sent a line that is not SSIP: %r", line)
            return None
        if line[3:4] == "-":
            lines.append(line[4:])
            return None
        return Reply(int(line[:3]), tuple(lines), line[4:])

    def _dispatch(self, reply: Reply) -> None:
        try:
            if 700 <= reply.code < 800:
                self._on_event(reply)
                return
            self._on_reply(reply)
        except Exception:  # the reader must outlive a broken handler
            logger.exception("handling a speech-dispatcher reply failed")
        self._replies.put(reply)


# -- the speaker ------------------------------------------------------------------------------


@dataclass
class _Sent:
    utterance: Utterance
    began: bool = False


@dataclass(frozen=True)
class _Speak:
    utterance: Utterance


@dataclass(frozen=True)
class _SetRate:
    wpm: int


@dataclass(frozen=True)
class _Cancel:
    """CANCEL SELF; what had begun is `interrupted`, the rest gets `unstarted` with `detail`."""

    unstarted: SpeechEventKind
    detail: str = ""


_Op = _Speak | _SetRate | _Cancel


@dataclass
class _State:
    """Everything the threads share; touched only under the speaker's condition."""

    ops: list[_Op] = field(default_factory=list)
    pending: list[SpeechEvent] = field(default_factory=list)
    """Events decided by callers (muted, dropped…), emitted by the worker thread."""
    in_flight: Utterance | None = None
    """Taken by the worker and not yet acknowledged with a message id."""
    bound: bool = False
    """Whether `in_flight` got its message id (and so sits in `sent`)."""
    sent: dict[int, _Sent] = field(default_factory=dict)
    """Messages the daemon holds, by message id, in the order they were sent."""
    early: dict[int, list[int]] = field(default_factory=dict)
    """Events that came before the reply that names their message (speech-dispatcher does that)."""
    last_id: int = 0
    busy: bool = False
    cancelling: _Cancel | None = None
    """The CANCEL SELF being sent: the daemon's CANCELED events meanwhile are ours to name."""
    unsettled: int = 0
    """Utterances whose final event has not been emitted yet."""


class SpeechDispatcherSpeaker:
    """A Speaker that hands every utterance to speech-dispatcher (see the module docstring).

    `settings` gives the rate and the muted state; the voice, language and volume are left to
    the user's speech-dispatcher configuration (a screen reader user has chosen them there).
    A rate left at DEFAULT_RATE is not sent, so the user's DefaultRate stays in force until the
    rate is changed. `address` is a socket path or `unix_socket:/path` (default: see
    `speechd_socket_path`); `application` and `component` make the client name
    `user:application:component` that speech-dispatcher's `BeginClient` sections can match;
    `clock` is the clock `stale_after` deadlines are on; `timeout` bounds connecting and each
    reply. The connection is made on the worker thread: `wait_ready()` waits for it.
    """

    def __init__(
        self,
        settings: SpeechSettings | None = None,
        *,
        address: str | os.PathLike[str] | None = None,
        application: str = APPLICATION,
        component: str = "main",
        clock: Callable[[], float] = time.monotonic,
        timeout: float = REPLY_TIMEOUT,
        start: bool = True,
    ) -> None:
        settings = settings or SpeechSettings()
        self._address = address
        self._client_name = client_name(application, component)
        self._clock = clock
        self._timeout = timeout
        self._ids = itertools.count(1)
        self._cond = threading.Condition()
        self._emit_lock = threading.RLock()
        """Held while deciding and emitting events, so subscribers never run concurrently and
        see each utterance's events in order; only the speaker's own threads take it."""
        self._state = _State()
        self._subscribers: list[EventCallback] = []
        self._muted = settings.muted
        self._rate = settings.rate
        self._send_rate = settings.rate != DEFAULT_RATE
        self._available = True
        self._problem: str | None = None
        self._connection: SSIPConnection | None = None
        self._reconnected = False
        self._priority: str | None = None
        self._closing = False
        self._workspace: Workspace | None = None
        self._sounds: SoundChannel | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="selfcare-speechd", daemon=True)
        if start:
            self._thread.start()

    # -- the Speaker protocol ------------------------------------------------------------

    @property
    def available(self) -> bool:
        return self._available

    @property
    def problem(self) -> str | None:
        return self._problem

    @property
    def muted(self) -> bool:
        return self._muted

    @property
    def rate(self) -> int:
        return self._rate

    def start(self) -> None:
        """Start the worker thread, when created with `start=False`."""
        self._thread.start()

    def speak(
        self,
        text: str,
        kind: UtteranceKind = UtteranceKind.INSTRUCTION,
        *,
        stale_after: float | None = None,
    ) -> Utterance:
        kind = UtteranceKind(kind)
        utterance = Utterance(next(self._ids), text, kind, self._clock(), stale_after)
        with self._cond:
            closed = self._closing
            state = self._state
            state.unsettled += 1
            if closed:
                pass
            elif not text.strip():
                state.pending.append(_event(SpeechEventKind.DROPPED, utterance, "nothing to say"))
            elif self._muted:
                state.pending.append(_event(SpeechEventKind.MUTED, utterance))
            elif not self._available:
                detail = self._problem or "no speech"
                state.pending.append(_event(SpeechEventKind.FAILED, utterance, detail))
            else:
                state.ops.append(_Speak(utterance))
            self._cond.notify_all()
        if closed:  # no worker any more: the caller's thread reports it
            self._emit([_event(SpeechEventKind.DROPPED, utterance, "speech is closed")])
        return utterance

    def interrupt(self) -> None:
        self._cancel(SpeechEventKind.DROPPED, "interrupted")

    def set_muted(self, muted: bool) -> None:
        with self._cond:
            self._muted = muted
        if muted:
            self._cancel(SpeechEventKind.MUTED)

    def prepare(self, texts: Iterable[str]) -> None:
        """Nothing to do: speech-dispatcher synthesises out of our sight."""

    def duration(self, text: str) -> float:
        """An estimate: the user's own voice and settings decide the real length."""
        return estimate_seconds(text, self._rate)

    def play_sound(self, sound: Sound) -> None:
        """Earcons are played by our own player, mixed with the screen reader's speech."""
        utterance = Utterance(next(self._ids), sound.value, UtteranceKind.SOUND, self._clock())
        with self._cond:
            self._state.unsettled += 1
        self._emit([play_sound_event(self._sounds, sound, utterance, muted=self._muted)])

    def set_rate(self, wpm: int) -> None:
        check_rate(wpm)
        with self._cond:
            self._rate, self._send_rate = wpm, True
            self._state.ops.append(_SetRate(wpm))
            self._cond.notify_all()

    def subscribe(self, callback: EventCallback) -> None:
        with self._cond:
            self._subscribers.append(callback)

    def close(self) -> None:
        """Cut off our speech, drop what is queued, say goodbye (within CLOSE_TIMEOUT)."""
        with self._cond:
            if self._closing:
                return
            self._closing = True
            self._drop_queued(SpeechEventKind.DROPPED, "speech closed")
            self._cond.notify_all()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(CLOSE_TIMEOUT)
        if self._thread.is_alive():
            connection = self._connection
            if connection is not None:
                connection.close()  # the worker is stuck on the daemon: cut it off
        elif self._thread.ident is None:  # never started: nobody else will report these
            with self._cond:
                events, self._state.pending = self._state.pending, []
            self._emit(events)

    # -- helpers for the faces and the tests ----------------------------------------------

    def wait_ready(self, timeout: float = 2.0) -> bool:
        """Wait until the first connection is made or has failed (then `problem` says why)."""
        return self._ready.wait(timeout)

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """Wait until nothing is queued here or unfinished at the daemon."""
        with self._cond:
            return self._cond.wait_for(self._is_idle, timeout)

    def _is_idle(self) -> bool:
        state = self._state
        return not (state.unsettled or state.ops or state.busy)

    # -- caller side ----------------------------------------------------------------------

    def _cancel(self, unstarted: SpeechEventKind, detail: str = "") -> None:
        """Queued work gets `unstarted`; the daemon is told to cancel what it holds of ours."""
        with self._cond:
            if self._closing:
                return
            self._drop_queued(unstarted, detail)
            state = self._state
            if state.in_flight is not None or state.sent:
                state.ops.insert(0, _Cancel(unstarted, detail))
            self._cond.notify_all()

    def _drop_queued(self, kind: SpeechEventKind, detail: str) -> None:
        state = self._state
        kept: list[_Op] = []
        for op in state.ops:
            if isinstance(op, _Speak):
                state.pending.append(_event(kind, op.utterance, detail))
            elif not isinstance(op, _Cancel):
                kept.append(op)
        state.ops = kept

    # -- the worker thread ----------------------------------------------------------------

    def _run(self) -> None:
        try:
            self._start_sounds()
            self._connect(first=True)
            self._ready.set()
            while True:
                events, op, closing = self._next_op()
                self._emit(events)
                if closing:
                    break
                if op is None:
                    continue
                try:
                    self._do(op)
                finally:
                    with self._cond:
                        self._state.busy = False
                        self._cond.notify_all()
            self._goodbye()
        except Exception:  # the app must never go down with its voice
            logger.exception("speech-dispatcher thread failed")
            self._turn_off("Speech stopped after an unexpected error: captions only.")
            self._fail_everything(self._problem or "")
        finally:
            self._ready.set()
            if self._connection is not None:
                self._connection.close()
            if self._sounds is not None:
                self._sounds.stop()
                close_player(self._sounds.player)
            if self._workspace is not None:
                self._workspace.close()

    def _start_sounds(self) -> None:
        try:
            self._workspace = Workspace.create(None)
            player = find_player() or SilentPlayer()
            self._sounds = SoundChannel.create(self._workspace.path / "sounds", player)
        except OSError:
            logger.warning("earcons unavailable", exc_info=True)

    def _next_op(self) -> tuple[list[SpeechEvent], _Op | None, bool]:
        """The events to emit first, then the next thing to do (if any), and whether to stop."""
        with self._cond:
            state = self._state
            while not (state.ops or state.pending or self._closing):
                self._cond.wait()
            events, state.pending = state.pending, []
            if self._closing or not state.ops:
                return events, None, self._closing
            op = state.ops.pop(0)
            state.busy = True
            if isinstance(op, _Speak):
                state.in_flight, state.bound = op.utterance, False
            return events, op, False

    def _do(self, op: _Op) -> None:
        if isinstance(op, _Speak):
            self._say(op.utterance)
        elif isinstance(op, _SetRate):
            self._command(f"SET SELF RATE {ssip_rate(op.wpm)}")
        else:
            self._cancel_at_daemon(op)

    def _say(self, utterance: Utterance) -> None:
        try:
            outcome = self._send(utterance)
        except ConnectionLost as error:
            self._lost(error)
            outcome = _event(SpeechEventKind.FAILED, utterance, CONNECTION_LOST)
        with self._emit_lock:
            with self._cond:
                state = self._state
                bound = state.bound
                state.in_flight, state.bound = None, False
            if outcome is not None and not bound:
                self._emit([outcome])

    def _send(self, utterance: Utterance) -> SpeechEvent | None:
        """Send one SPEAK; returns the event that settles it when it never reached the daemon."""
        with self._cond:
            if self._muted:
                return _event(SpeechEventKind.MUTED, utterance)
        if utterance.is_stale(self._clock()):
            return _event(SpeechEventKind.DROPPED, utterance, "stale")
        connection = self._connection_now()
        if connection is None:
            return _event(SpeechEventKind.FAILED, utterance, self._problem or "no speech")
        priority = PRIORITIES[utterance.kind]
        if priority != self._priority:
            reply = connection.command(f"SET SELF PRIORITY {priority}")
            if reply.ok:
                self._priority = priority
        reply = connection.speak(utterance.text)
        if reply.code != _MESSAGE_QUEUED:
            detail = f"speech-dispatcher refused it: {reply.code} {reply.text}"
            return _event(SpeechEventKind.FAILED, utterance, detail)
        return None

    def _command(self, line: str) -> None:
        connection = self._connection_now()
        if connection is None:
            return
        try:
            reply = connection.command(line)
        except ConnectionLost as error:
            self._lost(error)
            return
        if not reply.ok:
            logger.warning("speech-dispatcher refused %r: %s %s", line, reply.code, reply.text)

    def _cancel_at_daemon(self, op: _Cancel) -> None:
        connection = self._connection
        if connection is not None:
            with self._cond:
                self._state.cancelling = op
            try:
                reply = connection.command("CANCEL SELF")
            except ConnectionLost as error:
                self._lost(error)
            else:
                if not reply.ok:
                    logger.warning("speech-dispatcher refused CANCEL: %s", reply.text)
            finally:
                with self._cond:
                    self._state.cancelling = None
        self._settle_sent(op.unstarted, op.detail)

    def _goodbye(self) -> None:
        """On close: cancel what the daemon holds of ours, then QUIT."""
        connection = self._connection
        if connection is not None:
            with self._cond:
                holding = bool(self._state.sent)
            if holding:
                with contextlib.suppress(ConnectionLost):
                    connection.command("CANCEL SELF")
            connection.quit()
        self._settle_sent(SpeechEventKind.DROPPED, "speech closed")

    def _settle_sent(
        self,
        unstarted: SpeechEventKind,
        detail: str = "",
        started: SpeechEventKind = SpeechEventKind.INTERRUPTED,
    ) -> None:
        """Everything sent gets its final event now: `started` for what had begun, `unstarted`
        for the rest; the daemon's later events about them are ignored."""
        with self._emit_lock:
            with self._cond:
                sent, self._state.sent = self._state.sent, {}
                self._cond.notify_all()
            self._emit(
                _event(started if item.began else unstarted, item.utterance, detail)
                for item in sent.values()
            )

    # -- connecting -----------------------------------------------------------------------

    def _connection_now(self) -> SSIPConnection | None:
        """The connection, made again once after a loss; None when the voice is off."""
        if self._connection is None and self._available:
            if self._reconnected:
                self._turn_off(DAEMON_STOPPED)
            else:
                self._reconnected = True
                self._connect(first=False)
        return self._connection

    def _connect(self, *, first: bool) -> None:
        try:
            path = speechd_socket_path(self._address)
        except SpeechdAddressError as error:
            self._turn_off(f"{error}: captions only.")
            return
        try:
            connection = SSIPConnection(
                path,
                on_event=self._on_event,
                on_reply=self._on_reply,
                on_lost=self._on_lost,
                timeout=self._timeout,
            )
        except OSError as error:
            reason = "no socket" if isinstance(error, FileNotFoundError) else error.strerror
            where = "is not running" if first else "stopped"
            self._turn_off(f"speech-dispatcher {where} ({reason} at {path}): captions only.")
            return
        try:
            self._handshake(connection)
        except (ConnectionLost, _Refused) as error:
            connection.close()
            self._turn_off(f"speech-dispatcher did not accept us ({error}): captions only.")
            return
        self._priority = None
        self._connection = connection

    def _handshake(self, connection: SSIPConnection) -> None:
        commands = [f"SET SELF CLIENT_NAME {self._client_name}", "SET SELF NOTIFICATION ALL on"]
        if self._send_rate:
            commands.append(f"SET SELF RATE {ssip_rate(self._rate)}")
        for line in commands:
            reply = connection.command(line)
            if not reply.ok:
                raise _Refused(f"{line.split()[2]}: {reply.code} {reply.text}")

    def _lost(self, error: Exception) -> None:
        logger.warning("lost speech-dispatcher: %s", error)
        connection = self._connection
        if connection is not None:
            connection.close()
            self._on_lost(connection)

    def _turn_off(self, problem: str) -> None:
        self._available, self._problem = False, problem

    def _fail_everything(self, detail: str) -> None:
        with self._cond:
            self._drop_queued(SpeechEventKind.FAILED, detail)
            events, self._state.pending = self._state.pending, []
        self._emit(events)
        self._settle_sent(SpeechEventKind.FAILED, detail, SpeechEventKind.FAILED)

    # -- the reader thread ----------------------------------------------------------------

    def _on_reply(self, reply: Reply) -> None:
        """A SPEAK's reply names its message: bind it to the utterance being sent."""
        msg_id = reply.msg_id
        if reply.code != _MESSAGE_QUEUED or msg_id is None:
            return
        with self._emit_lock:
            with self._cond:
                state = self._state
                utterance = state.in_flight
                if utterance is None or state.bound:
                    return
                state.bound = True
                state.sent[msg_id] = _Sent(utterance)
                state.last_id = max(state.last_id, msg_id)
                early = state.early.pop(msg_id, [])
                state.early = {key: codes for key, codes in state.early.items() if key > msg_id}
                events = [e for code in early for e in self._daemon_event(code, msg_id)]
            self._emit(events)

    def _on_event(self, reply: Reply) -> None:
        msg_id = reply.msg_id
        if msg_id is None:
            return
        with self._emit_lock:
            with self._cond:
                events = self._daemon_event(reply.code, msg_id)
            self._emit(events)

    def _daemon_event(self, code: int, msg_id: int) -> list[SpeechEvent]:
        """Under the lock: what a BEGIN, END or CANCELED means for our utterance."""
        state = self._state
        sent = state.sent.get(msg_id)
        if sent is None:
            if msg_id > state.last_id and len(state.early) < 64:
                state.early.setdefault(msg_id, []).append(code)
            return []  # else already settled (interrupted, closed): its late events are moot
        if code == _BEGIN and not sent.began:
            sent.began = True
            return [_event(SpeechEventKind.STARTED, sent.utterance)]
        if code not in (_END, _CANCELED):
            return []
        del state.sent[msg_id]
        self._cond.notify_all()
        if code == _END:
            return [_event(SpeechEventKind.FINISHED, sent.utterance)]
        ours = state.cancelling
        detail = CANCELLED_BY_DAEMON if ours is None else ours.detail
        if sent.began:
            return [_event(SpeechEventKind.INTERRUPTED, sent.utterance, detail)]
        unstarted = SpeechEventKind.DROPPED if ours is None else ours.unstarted
        return [_event(unstarted, sent.utterance, detail)]

    def _on_lost(self, connection: SSIPConnection) -> None:
        """The daemon went away: what it held fails; the next utterance reconnects (once)."""
        with self._cond:
            if self._connection is not connection:
                return
            self._connection = None
            self._priority = None
        if self._reconnected:
            self._turn_off(DAEMON_STOPPED)
        self._settle_sent(SpeechEventKind.FAILED, CONNECTION_LOST, SpeechEventKind.FAILED)

    # -- events ---------------------------------------------------------------------------

    def _emit(self, events: Iterable[SpeechEvent]) -> None:
        with self._emit_lock:
            for event in events:
                for callback in list(self._subscribers):
                    try:
                        callback(event)
                    except Exception:  # a broken subscriber must not silence the others
                        logger.exception("speech event subscriber failed")
                if event.outcome is not None:
                    with self._cond:
                        self._state.unsettled -= 1
                        self._cond.notify_all()


class _Refused(Exception):
    """The daemon answered a setup command with an error."""


def _event(kind: SpeechEventKind, utterance: Utterance, detail: str = "") -> SpeechEvent:
    return SpeechEvent(kind, utterance, detail)
