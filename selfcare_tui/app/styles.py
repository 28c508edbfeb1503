"""Each screen's styles, in the .tcss file beside its module."""

from __future__ import annotations

from pathlib import Path


def styles_beside(module_file: str) -> str:
    """The .tcss file beside `module_file`, as its screen's DEFAULT_CSS.

    Textual parses the app's own stylesheet (app.tcss) at launch, and a class's DEFAULT_CSS when
    the first of its kind is shown; a screen's CSS_PATH would parse every stylesheet again then.
    So app.tcss holds what the routines list needs, and each other screen brings its own: parsing
    styles for screens not yet shown was a fifth of the launch's work beyond a bare app's.

    Mind how the rules rank. They are defaults, scoped to the screen (its type is put in front
    of each selector that does not start with it): they win over a widget's own defaults by
    being more specific, so name an id or the screen where a widget's default rule has a class
    or a pseudo-class (`Button.-primary:hover`); and any rule in app.tcss wins over them all.
    Textual reports an error in them at the screen's module, and `textual run --dev` does not
    reload them.
    """
    return Path(module_file).with_suffix(".tcss").read_text(encoding="utf-8")
