"""How long speech lasts: an estimate before synthesis, and WAVs cut to their sound.

The player plans each step around the length of what it says. Once a text has been synthesised
the length is its WAV's, exactly; before that (speech-dispatcher, which synthesises out of our
sight, or the dry run without a voice) it is estimated from the words and the rate.
"""

from __future__ import annotations

import array
import re
import sys
import wave
from pathlib import Path

from selfcare_tui.speech.settings import DEFAULT_RATE

SECONDS_PER_SYLLABLE = 0.72 * 60
"""Over the rate in words per minute: espeak-ng's pace, fitted on the bundled routines' 119
texts at 120, 165, 250 and 400 words per minute (median error 2 %, 95 % within 18 %)."""
MARGIN = 1.2
"""Estimates err long: a word heard over the hold-start sound is worse than a breath of quiet."""
# Patterns, compiled (and cached by re) when first used, not at the app's launch.
_WORD = r"[^\W\d_]+|\d+"
_VOWELS = r"(?i)[aeiouy]+"
SILENCE_LEVEL = 300
"""Samples quieter than this (of 32767) are silence for trimming."""
KEPT_LEAD = 0.01
KEPT_TAIL = 0.08
"""Seconds of silence kept before the first sound and after the last."""


def estimate_seconds(text: str, rate: int = DEFAULT_RATE) -> float:
    """About how long `text` takes at `rate` words per minute (0 for nothing to say), counted in
    syllables (two for each digit of a number), on the long side (MARGIN)."""
    syllables = sum(_syllables(word) for word in re.findall(_WORD, text))
    return round(syllables * SECONDS_PER_SYLLABLE / rate * MARGIN, 3)


def _syllables(word: str) -> int:
    if word.isdigit():
        return 2 * len(word)
    return max(1, len(re.findall(_VOWELS, word)))


def trim_silence(wav: Path) -> float:
    """Cut the silence before the first sound and after the last (keeping a breath of it), so a
    clip starts on time and its length is what is heard; returns the new length in seconds.

    Only 16-bit WAVs (what every engine here writes) are trimmed; others are left as they are.
    """
    with wave.open(str(wav), "rb") as reader:
        params = reader.getparams()
        frames = reader.readframes(params.nframes)
    rate = params.framerate
    if params.sampwidth != 2 or not rate:
        return params.nframes / rate if rate else 0.0
    samples = array.array("h", frames)
    if sys.byteorder == "big":
        samples.byteswap()
    indices = range(len(samples))
    first_loud = next((i for i in indices if abs(samples[i]) > SILENCE_LEVEL), None)
    if first_loud is None:
        return params.nframes / rate
    last_loud = next(i for i in reversed(indices) if abs(samples[i]) > SILENCE_LEVEL)
    width = params.nchannels
    first = max(0, first_loud // width - int(KEPT_LEAD * rate))
    last = min(params.nframes, last_loud // width + 1 + int(KEPT_TAIL * rate))
    size = width * 2
    with wave.open(str(wav), "wb") as writer:
        writer.setparams(params)
        writer.writeframes(frames[first * size : last * size])
    return (last - first) / rate
