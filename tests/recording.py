"""What a recorded sound server heard, held against the transcript (issue 10).

Shared by tests/speech/test_heard_on_the_sink.py and bench/timeline_bench.py. The recording is
raw 16-bit mono at RATE; the transcript's columns are those of `speech.Transcript` (seconds,
kind, outcome, text, heard from, heard for). Both clocks meet at the first word's onset.
"""

from __future__ import annotations

import array
import math
from dataclasses import dataclass, field
from pathlib import Path

RATE = 16000
FRAME = 0.01
"""Seconds per frame of loudness."""
LOUD = 400
"""RMS of a frame with sound in it (speech and earcons reach thousands; the null sink is 0)."""
PAREC_OPTIONS = ("--format=s16le", "--channels=1", f"--rate={RATE}", "--raw", "--latency-msec=20")
"""parec at its default latency drops chunks of a second or more from a null sink's monitor;
20 ms keeps every sample, so what the recording lacks was never played."""
COUNTDOWN = (3, 2, 1)


@dataclass(frozen=True)
class Row:
    kind: str
    outcome: str
    text: str
    start: float
    length: float


@dataclass
class Report:
    rows: list[Row]
    clipped: list[str] = field(default_factory=list)
    """Words heard for less than 90 % of their length."""
    unheard_sounds: list[str] = field(default_factory=list)
    beat_errors: list[float] = field(default_factory=list)
    """Seconds between each countdown beat's sound and its second of the hold."""
    missing_beats: int = 0

    @property
    def not_spoken(self) -> list[Row]:
        return [row for row in self.rows if row.outcome != "spoken"]

    @property
    def words(self) -> list[Row]:
        return [row for row in self.rows if row.kind != "sound"]


def read_transcript(path: Path) -> list[Row]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        _, kind, outcome, text, start, length = line.split("\t")
        rows.append(Row(kind, outcome, text, float(start or "nan"), float(length or "nan")))
    return rows


def loudness(raw: Path) -> list[float]:
    samples = array.array("h")
    data = raw.read_bytes()
    samples.frombytes(data[: len(data) // 2 * 2])
    size = int(RATE * FRAME)
    return [
        math.sqrt(sum(s * s for s in samples[i : i + size]) / size)
        for i in range(0, len(samples) - size, size)
    ]


def first_loud(levels: list[float], start: float, end: float) -> float | None:
    for index in range(max(0, int(start / FRAME)), min(len(levels), int(end / FRAME))):
        if levels[index] > LOUD:
            return index * FRAME
    return None


def last_loud(levels: list[float], start: float, end: float) -> float | None:
    found = None
    for index in range(max(0, int(start / FRAME)), min(len(levels), int(end / FRAME))):
        if levels[index] > LOUD:
            found = index * FRAME
    return found


def check(transcript: Path, raw: Path, hold_seconds: dict[int, int]) -> Report:
    """Hold the recording against the transcript. `hold_seconds` gives, for the n-th hold
    (counting from 0), its length, to find where its countdown beats belong."""
    report = Report(read_transcript(transcript))
    levels = loudness(raw)
    heard = [row for row in report.rows if row.outcome == "spoken"]
    words = [row for row in heard if row.kind != "sound"]
    began = [row.start for row in report.rows if not math.isnan(row.start)]
    onset = first_loud(levels, 0, len(levels) * FRAME)
    if not began or onset is None:
        report.clipped = [row.text for row in words]
        return report
    offset = onset - min(began)  # what was heard first, even if it was cut off later
    for row in words:
        at = row.start + offset
        end = last_loud(levels, at, at + row.length + 0.1)
        if end is None or end - at < 0.9 * row.length - 0.1:  # its tail breath is silence
            report.clipped.append(row.text)
    sounds = [row for row in heard if row.kind == "sound"]
    for row in sounds:
        at = row.start + offset
        if first_loud(levels, at - 0.05, at + 0.15) is None:
            report.unheard_sounds.append(row.text)
    holds = [row.start for row in sounds if row.text == "hold start"]
    for number, hold in enumerate(holds):
        seconds = hold_seconds.get(number, 0)
        if seconds < 10:
            continue
        for left in COUNTDOWN:
            expected = hold + seconds - left + offset
            sounded = first_loud(levels, expected - 0.25, expected + 0.3)
            if sounded is None:
                report.missing_beats += 1
            else:
                report.beat_errors.append(sounded - expected)
    return report
