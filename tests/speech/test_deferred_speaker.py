"""The app's speaker is made after the first frame: until then the settings answer for it."""

from __future__ import annotations

from dataclasses import replace

from selfcare_tui.speech.deferred import DeferredSpeaker
from selfcare_tui.speech.model import SpeechEvent, UtteranceKind
from selfcare_tui.speech.settings import SpeechSettings
from selfcare_tui.testing import RecordingSpeaker


class StartedSpeaker(RecordingSpeaker):
    started = False

    def start(self) -> None:
        self.started = True


def deferred(settings: SpeechSettings) -> tuple[DeferredSpeaker, list[StartedSpeaker]]:
    made: list[StartedSpeaker] = []

    def make() -> StartedSpeaker:
        made.append(StartedSpeaker())
        return made[-1]

    return DeferredSpeaker(make, settings), made  # type: ignore[arg-type]


def test_nothing_is_made_until_it_starts_and_then_it_is_started() -> None:
    speaker, made = deferred(SpeechSettings(rate=200))
    heard: list[SpeechEvent] = []
    speaker.subscribe(heard.append)
    speaker.interrupt()
    assert (speaker.muted, speaker.rate, speaker.available, speaker.problem) == (
        False, 200, True, None,
    )  # fmt: skip
    assert made == []
    speaker.start()
    assert len(made) == 1 and made[0].started and made[0].rate == 200
    speaker.speak("Hello.", UtteranceKind.STATUS)
    assert made[0].texts == ["Hello."] and heard  # the early subscriber hears it


def test_muted_before_it_is_made_stays_muted() -> None:
    speaker, made = deferred(replace(SpeechSettings(), muted=True))
    assert speaker.muted
    speaker.set_muted(False)
    speaker.set_rate(220)
    speaker.start()
    assert not made[0].muted and made[0].rate == 220


def test_speaking_before_the_first_frame_makes_it_at_once() -> None:
    speaker, made = deferred(SpeechSettings())
    speaker.speak("Small terminal.", UtteranceKind.STATUS)
    assert made[0].texts == ["Small terminal."]
    speaker.start()
    assert len(made) == 1
