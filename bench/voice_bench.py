"""Hands-free (issue 15): how well each wake word's commands are recognised, and how often the
app's own speech would give a command if listening were not paused while it speaks.

1. Commands: each command after the wake word, said by four flite voices and espeak-ng, in
   silence and over white noise at 20 and 10 dB SNR. Recognised = acted on, and the right one.
2. False actions: everything the bundled routines, the safety check and the questions say,
   said by espeak-ng (the app's voice) and flite's voices (as a screen reader's might be), one
   after another with short pauses, over a noise bed at 20 dB SNR, through the recogniser with
   no gate: every command acted on is a false action, counted per 10 minutes and per hour.
3. Speed: decoding time over audio time (the real-time factor), and the reference loop.
4. The tail (`--tail`): the app's real voice (SpeechService, the mixed pacat stream) says the
   sentences with command words into a PulseAudio null sink this script starts, while a
   Listener hears its monitor through the half-duplex gate: how long after each utterance's
   end its sound still reaches the microphone (what TAIL_SECONDS must cover), and how many
   commands get through the gate (none should).

Run: python bench/voice_bench.py [--wake coach --wake "hey coach" ...] [--voices 4] [--tail]
Needs the voice extra (pocketsphinx), flite and espeak-ng; --tail also pulseaudio.
"""

from __future__ import annotations

import argparse
import array
import random
import statistics
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from null_sink import null_sink
from reference import describe, ratio, reference_seconds

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from voices import RATE, VOICES, say, silence

from selfcare_tui import content
from selfcare_tui.listening.listener import TAIL_SECONDS, Listener
from selfcare_tui.listening.microphone import Microphone, level_db
from selfcare_tui.listening.phrases import VoiceCommand
from selfcare_tui.listening.recognizer import MIN_CONFIDENCE, Heard, Recognizer
from selfcare_tui.routines.library import discover
from selfcare_tui.session.player import spoken_texts
from selfcare_tui.session.script import safety_check
from selfcare_tui.speech import SpeechService
from selfcare_tui.speech.model import Sound, SpeechEvent, SpeechEventKind, UtteranceKind
from selfcare_tui.vocabulary import CountdownStyle

SNRS = (None, 20.0, 10.0)
THRESHOLDS = (0.0, 0.01, 0.03, 0.1)
"""Posterior probabilities below which a command is not acted on (MIN_CONFIDENCE is one)."""
APP_VOICES = ("espeak-ng", "flite slt", "flite rms", "flite awb")
"""The app's own voice first, then voices a screen reader might speak with."""


def with_noise(raw: bytes, snr_db: float | None, seed: int = 1) -> bytes:
    """`raw` over white noise `snr_db` below its loudness (None: as it is)."""
    if snr_db is None:
        return raw
    samples = array.array("h")
    samples.frombytes(raw)
    loudness = (sum(s * s for s in samples) / max(1, len(samples))) ** 0.5
    level = loudness / 10 ** (snr_db / 20)
    noise = random.Random(seed)
    mixed = (max(-32767, min(32767, int(s + noise.gauss(0, level)))) for s in samples)
    return array.array("h", mixed).tobytes()


Found = list[tuple[str, float]]
"""The commands heard in some audio, acted on or not, with their confidence."""


def commands_heard(recognizer: Recognizer, audio: bytes) -> Found:
    found = []
    for start in range(0, len(audio), 640):
        for item in recognizer.feed(audio[start : start + 640]):
            if item.command is not None:
                found.append((item.words, item.confidence))
    return found


def acted(found: Found, threshold: float) -> list[str]:
    return [words for words, confidence in found if confidence >= threshold]


def recognition(wake: str) -> dict[float | None, list[tuple[str, Found]]]:
    """For each noise level, (said, heard) for every command and voice."""
    recognizer = Recognizer(wake)
    results: dict[float | None, list[tuple[str, Found]]] = {}
    for snr in SNRS:
        results[snr] = []
        for voice in VOICES:
            for command in VoiceCommand:
                recognizer.reset()
                said = f"{wake} {command.value}"
                audio = with_noise(silence(0.5) + say(voice, said) + silence(1.0), snr)
                results[snr].append((said, commands_heard(recognizer, audio)))
    return results


def app_texts() -> list[str]:
    texts = []
    for entry in discover([]).entries:
        assert entry.routine is not None
        texts += spoken_texts(entry.routine, CountdownStyle.BOTH)
        texts.append(safety_check(entry.routine).spoken)
    texts += [
        content.PAIN_BEFORE_PROMPT, content.OVERALL_PROMPT, content.SHARP_PAIN_PROMPT,
        content.NOTE_PROMPT, content.THERAPIST_PROMPT, content.PHYSICIAN_PROMPT, "Paused.",
        "Resumed. 20 seconds left.", "Hold ended.", "10 seconds more. 35 seconds left.",
        "Quit this routine? Your session is kept as incomplete. y quits, n goes on.",
        "Stop if you feel any sharp pain.",
    ]  # fmt: skip
    return list(dict.fromkeys(texts))


def speech_of(args: tuple[str, list[str]]) -> bytes:
    voice, texts = args
    return b"".join(say(voice, text) + silence(0.3) for text in texts)


def false_actions(job: tuple[str, bytes]) -> tuple[float, float, Found]:
    """(audio seconds, decoding seconds, commands heard) for one wake word on one stretch."""
    wake, audio = job
    recognizer = Recognizer(wake)
    start = time.process_time()
    found = commands_heard(recognizer, audio)
    return len(audio) / 2 / RATE, time.process_time() - start, found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--wake", action="append", default=None)
    parser.add_argument("--voices", type=int, default=2, help="app speech voices, first wake word")
    parser.add_argument("--others", type=int, default=1, help="app speech voices, the others")
    parser.add_argument("--tail", action="store_true", help="only measure the gate's tail")
    args = parser.parse_args()
    wakes = args.wake or ["coach", "hey coach", "computer"]
    reference = reference_seconds()
    print(describe(reference))
    if args.tail:
        tail_figures()
        return

    texts = app_texts()
    voices = APP_VOICES[: max(args.voices, args.others)]
    with ProcessPoolExecutor(2) as pool:
        halves = [texts[: len(texts) // 2], texts[len(texts) // 2 :]]
        jobs = [(voice, half) for voice in voices for half in halves]
        parts = list(pool.map(speech_of, jobs))
    by_voice = [
        with_noise(b"".join(parts[2 * n : 2 * n + 2]), 20.0, seed=n) for n in range(len(voices))
    ]
    print(f"app speech: {len(texts)} texts, each voice {len(by_voice[0]) / 2 / RATE / 3600:.2f} h")

    for number, wake in enumerate(wakes):
        speech = b"".join(by_voice[: args.voices if number == 0 else args.others])
        print(f"\n## wake word: {wake!r}")
        said = recognition(wake)
        stretch = len(speech) // 8 // 2 * 2
        jobs = [(wake, speech[n : n + stretch]) for n in range(0, len(speech), stretch)]
        with ProcessPoolExecutor(2) as pool:
            results = list(pool.map(false_actions, jobs))
        hours = sum(r[0] for r in results) / 3600
        decoding = sum(r[1] for r in results)
        found = [item for r in results for item in r[2]]
        print("| acted on from | clean | 20 dB SNR | 10 dB SNR | false actions per 10 min (hour) |")
        print("|---|---|---|---|---|")
        for threshold in THRESHOLDS:
            rates = []
            for snr in SNRS:
                right = sum(1 for words, got in said[snr] if acted(got, threshold) == [words])
                rates.append(f"{right}/{len(said[snr])} ({right / len(said[snr]):.0%})")
            false = len(acted(found, threshold))
            rate = f"{false / hours / 6:.2f} ({false / hours:.2f}; {false} in all)"
            print(f"| {threshold} | {' | '.join(rates)} | {rate} |")
        print(f"false actions (any confidence): {found[:8]}")
        misses = [(w, got) for w, got in said[None] if acted(got, MIN_CONFIDENCE) != [w]]
        print(f"clean misses at {MIN_CONFIDENCE}: {misses}")
        print(
            f"decoding: {decoding / (hours * 3600):.2f}x real time over {hours:.2f} h; a minute "
            f"of audio takes {ratio(decoding / hours / 60, reference)}"
        )


TAIL_LOUD_DB = -50.0
"""A microphone chunk louder than this still carries the app's sound (silence is -90 dB)."""


def listen_while_speaking(
    microphone: Microphone, ended: Callable[[SpeechEvent], None]
) -> list[tuple[VoiceCommand, Heard]]:
    """The app's voice says the sentences with command words and a few sounds, each followed
    by a quiet window, while a gated Listener hears it; returns what got through the gate."""
    service = SpeechService()
    listener = Listener(microphone, Recognizer())
    try:
        assert service.wait_ready(10) and service.available, service.problem
        service.subscribe(listener.speech_event)
        service.subscribe(ended)
        listener.start()
        texts = [t for t in app_texts() if any(c.value in t.lower() for c in VoiceCommand)]
        for text in texts[:20]:
            service.speak(text)
            service.wait_idle(60)
            time.sleep(2.5)  # a quiet window after each end, to see how long the sound lasts
        for sound in (Sound.HOLD_END, Sound.SIDE_SWITCH, Sound.HEARD):
            service.play_sound(sound)
            time.sleep(2.5)
        return listener.take()
    finally:
        listener.close()
        service.close()


def tail_figures() -> None:
    heard: list[tuple[float, float]] = []
    ends: list[float] = []
    starts: list[float] = []

    class TimedMicrophone(Microphone):
        def read(self) -> bytes:
            chunk = super().read()
            heard.append((time.monotonic(), level_db(chunk)))
            return chunk

    def ended(event: SpeechEvent) -> None:
        now = time.monotonic()
        if event.utterance.kind is UtteranceKind.SOUND:
            starts.append(now)
            ends.append(now + (event.seconds or 0))
        elif event.kind is SpeechEventKind.STARTED:
            starts.append(now)
        elif event.kind is SpeechEventKind.FINISHED:
            ends.append(now)

    with null_sink("bench"):
        through = listen_while_speaking(TimedMicrophone("bench.monitor"), ended)
    tails = []
    for end in ends:
        until = min([start for start in starts if start > end] + [end + 2.0])
        loud = [at - end for at, level in heard if end < at < until and level > TAIL_LOUD_DB]
        tails.append(max(loud, default=0.0))
    tails.sort()
    p95 = tails[min(len(tails) - 1, int(len(tails) * 0.95))]
    print(
        f"tail: {len(tails)} utterances and sounds ended; still heard after the end: p50 "
        f"{statistics.median(tails) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max "
        f"{tails[-1] * 1000:.0f} ms (TAIL_SECONDS {TAIL_SECONDS * 1000:.0f} ms)"
    )
    print(f"commands through the gate while the app spoke: {len(through)} {through}")


if __name__ == "__main__":
    main()
