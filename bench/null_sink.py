"""A PulseAudio server of the bench's own, with one null sink: what is played there can be
recorded from `NAME.monitor`, and nothing reaches the machine's speakers."""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def null_sink(name: str) -> Iterator[dict[str, str]]:
    """Start the server; yields its environment (also set in os.environ for this process, so
    the speech service and the microphone use it); stops it afterwards."""
    folder = Path(tempfile.mkdtemp(prefix=f"{name}-bench-"))
    env = {**os.environ, "PULSE_RUNTIME_PATH": str(folder / "pulse")}
    subprocess.run(
        ["pulseaudio", "-D", "--exit-idle-time=-1", "-n",
         f"--load=module-null-sink sink_name={name}", "--load=module-native-protocol-unix"],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    previous = os.environ.get("PULSE_RUNTIME_PATH")
    os.environ["PULSE_RUNTIME_PATH"] = env["PULSE_RUNTIME_PATH"]
    try:
        yield env
    finally:
        subprocess.run(["pactl", "exit"], env=env, check=False)
        if previous is None:
            os.environ.pop("PULSE_RUNTIME_PATH", None)
        else:
            os.environ["PULSE_RUNTIME_PATH"] = previous
