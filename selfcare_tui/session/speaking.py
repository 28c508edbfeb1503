"""From the player's announcements to a Speaker: shared by the plain mode and the Textual app.

The player says what is due and when; the speaker decides what can still be said. This adapter
adds the two things the speaker needs to know: cut off what is being said when the player asks
(skip, back, pause, status), and a deadline after which a cue is not worth saying any more.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from selfcare_tui.session.player import Announcement
from selfcare_tui.speech.model import Speaker, Utterance, UtteranceKind

BEAT_STALE_SECONDS = 0.8
"""A countdown beat ("3", "2", "1") said later than this is off the timer's beat: dropped."""
CUE_STALE_SECONDS = 4.0
"""Any other cue ("Halfway.", "Ten seconds left.") said later than this is out of date."""


def stale_window(announcement: Announcement, speed: float = 1.0) -> float | None:
    """Seconds of real time an announcement stays worth saying; None: always (instructions).

    The windows are in routine time, so at `--speed 10` a cue goes stale ten times sooner: it is
    as late, relative to the timer the user hears about, as at normal speed.
    """
    if speed <= 0:
        raise ValueError("speed must be above 0")
    if announcement.kind is not UtteranceKind.CUE:
        return None
    seconds = BEAT_STALE_SECONDS if announcement.on_beat else CUE_STALE_SECONDS
    return seconds / speed


def speak_announcement(
    speaker: Speaker,
    announcement: Announcement,
    speed: float = 1.0,
    *,
    now: Callable[[], float] = time.monotonic,
) -> Utterance | None:
    """Hand one announcement to `speaker` (its sound, then its words); never blocks.

    `now` must be the speaker's clock (SpeechService uses time.monotonic, the default), since
    `stale_after` is a deadline on it.
    """
    if announcement.interrupt:
        speaker.interrupt()
    if announcement.sound is not None:
        speaker.play_sound(announcement.sound)
    if not announcement.text:
        return None
    window = stale_window(announcement, speed)
    stale_after = None if window is None else now() + window
    return speaker.speak(announcement.text, announcement.kind, stale_after=stale_after)
