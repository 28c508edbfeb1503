"""The README's example of driving a session without a screen runs as written."""

from __future__ import annotations

import re
import subprocess
import sys

from helpers import REPO_ROOT


def test_the_readme_session_example_runs() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.DOTALL)
    (example,) = [block for block in blocks if "Session(" in block]
    code = "\n".join(line.removeprefix("  ") for line in example.splitlines())
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "completed"
