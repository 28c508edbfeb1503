"""Each screen's styles, in the .tcss file beside its module."""

from __future__ import annotations

from pathlib import Path


def styles_beside(module_file: str) -> str:
    """The .tcss file beside `module_file`, as its screen's DEFAULT_CSS.

    Textual parses the app's own stylesheet (app.tcss) at launch, and a class's DEFAULT_CSS when
    the first of its kind is shown; a screen's CSS_PATH would parse every stylesheet again then.
    So app.tcss holds what the routines list needs, and each other screen brings its own: about
    a fifth of the launch's instructions beyond a bare app's were parsing styles for screens
    not yet shown. The rules rank as defaults, above Textual's own widgets' by being scoped to
    the screen and naming ids.
    """
    return Path(module_file).with_suffix(".tcss").read_text(encoding="utf-8")
