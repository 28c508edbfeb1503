"""Speech to commands with PocketSphinx: stretches of speech found by its endpointer, each
decoded against a grammar of "<wake word> <command>" or filler words.

A closed grammar maps any speech to *something*; the wake word in front and the filler loop
beside it are what keep the app's own sentences ("Next step.", "Stop if it hurts.") from being
heard as commands (measured in bench/voice_bench.py). A decoding that comes out as a command
but with a low posterior probability counts as not understood: it asks nothing and does nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from selfcare_tui.listening.phrases import FILLER, WAKE_WORD, VoiceCommand, command_in

SAMPLE_RATE = 16000
"""What the model was trained on: the microphone is read at this rate, 16-bit mono."""
MIN_CONFIDENCE = 0.1
"""Below this posterior probability a command is not acted on (see bench/voice_bench.py)."""
MAX_SEGMENT_SECONDS = 4.0
"""A command is short: longer speech is cut here (and is never one)."""


class VoiceUnavailable(Exception):
    """Voice commands cannot run here; the message is one line for the user."""


@dataclass(frozen=True)
class Heard:
    words: str
    command: VoiceCommand | None
    """The command the words are, if they are one."""
    confidence: float

    @property
    def acted_on(self) -> bool:
        """A command heard with enough confidence: anything less asks nothing, does nothing."""
        return self.command is not None and self.confidence >= MIN_CONFIDENCE


def grammar(wake_word: str = WAKE_WORD) -> str:
    commands = " | ".join(command.value for command in VoiceCommand)
    return (
        "#JSGF V1.0;\n"
        "grammar coach;\n"
        "public <heard> = <command> | <filler>+ ;\n"
        f"<command> = {wake_word} ({commands});\n"
        f"<filler> = {' | '.join(FILLER)};\n"
    )


class Recognizer:
    """Feed it 16 kHz 16-bit mono audio in any chunks; it returns what each stretch of speech
    was heard as, once the stretch has ended."""

    def __init__(self, wake_word: str = WAKE_WORD) -> None:
        pocketsphinx = _pocketsphinx()
        model = pocketsphinx.get_model_path()
        config = pocketsphinx.Config()
        config["hmm"] = os.path.join(model, "en-us", "en-us")
        config["dict"] = os.path.join(model, "en-us", "cmudict-en-us.dict")
        config["lm"] = None
        config["logfn"] = os.devnull
        self.wake_word = wake_word
        self._decoder = pocketsphinx.Decoder(config)
        self._decoder.add_jsgf_string("coach", grammar(wake_word))
        self._decoder.activate_search("coach")
        self._pocketsphinx = pocketsphinx
        self._endpointer = pocketsphinx.Endpointer()
        self._pending = b""
        self._speech = bytearray()
        self._limit = int(MAX_SEGMENT_SECONDS * SAMPLE_RATE * 2)

    def feed(self, audio: bytes) -> list[Heard]:
        heard = []
        for frame in self._frames(audio):
            speech = self._endpointer.process(frame)
            if speech is not None:
                self._speech += speech
            if self._speech and (not self._endpointer.in_speech or len(self._speech) > self._limit):
                heard.append(self._decode(bytes(self._speech)))
                self._speech.clear()
        return heard

    def reset(self) -> None:
        """Forget the speech so far (the app began to speak over it)."""
        self._speech.clear()
        self._pending = b""
        self._endpointer = self._pocketsphinx.Endpointer()

    def _frames(self, audio: bytes) -> Iterator[bytes]:
        size = self._endpointer.frame_bytes
        data = self._pending + audio
        whole = len(data) - len(data) % size
        self._pending = data[whole:]
        for start in range(0, whole, size):
            yield data[start : start + size]

    def _decode(self, speech: bytes) -> Heard:
        decoder = self._decoder
        decoder.start_utt()
        decoder.process_raw(speech, False, True)
        decoder.end_utt()
        hypothesis = decoder.hyp()
        if hypothesis is None:
            return Heard("", None, 0.0)
        words = " ".join(hypothesis.hypstr.split())
        confidence = float(hypothesis.prob)
        return Heard(words, command_in(words, self.wake_word), confidence)


def _pocketsphinx() -> Any:
    try:
        import pocketsphinx
    except ImportError:
        raise VoiceUnavailable(
            "PocketSphinx is not installed: pip install 'selfcare-tui[voice]'."
        ) from None
    return pocketsphinx
