"""Voice commands in the app: what the listener hears goes to the session under way, as a key
does, and the player shows the microphone, its level and what was heard."""

from __future__ import annotations

from pathlib import Path

from apphelpers import Parts, tiny_library
from system_packages import requires_flite
from test_both_faces import on_screen, press
from voices import ScriptedMicrophone, requires_recogniser, say, silence

from selfcare_tui.app.app import SelfCareApp
from selfcare_tui.app.screens.player import PlayerScreen
from selfcare_tui.listening.listener import Listener
from selfcare_tui.listening.recognizer import Recognizer
from selfcare_tui.session.player import PlayerState
from selfcare_tui.speech.model import Sound

pytestmark = [requires_flite, requires_recogniser]


async def test_a_voice_command_pauses_the_player_and_the_indicator_says_what_was_heard(
    tmp_path: Path,
) -> None:
    parts = Parts(tiny_library(tmp_path))
    app = parts.app("tiny-sides")
    async with app.run_test(size=(100, 30)) as pilot:
        await press(pilot, "n", "5")
        await on_screen(pilot, PlayerScreen)
        microphone = ScriptedMicrophone()
        listener = Listener(
            microphone, Recognizer(),  # type: ignore[arg-type]
            on_change=lambda: app.post_message(SelfCareApp.Listened()),
        )  # fmt: skip
        app.listener = listener.start()
        try:
            microphone.add(silence(0.3) + say("flite slt", "coach pause") + silence(1.0))
            for _ in range(400):
                if app.session and app.session.player.state is PlayerState.PAUSED:  # type: ignore[union-attr]
                    break
                await pilot.pause(0.02)
            assert app.session.player.state is PlayerState.PAUSED  # type: ignore[union-attr]
            assert parts.speaker.sounds[-1] is Sound.HEARD and parts.speaker.texts[-1] == "Paused."
            await pilot.pause()
            shown = str(app.screen.query_one("#listening").render())
            assert shown.startswith("Mic test.monitor ")
            assert shown.endswith("heard: coach pause")
        finally:
            listener.close()
