"""Plain mode: the whole session as printed and spoken lines, for screen readers and scripts.

No Textual, no alternate screen, no escape sequences. `flow` runs a session, `prompts` asks the
questions, `keys` reads keys or lines, `console` prints and speaks.
"""

from selfcare_tui.plain.flow import PlainOptions, run_plain

__all__ = ["PlainOptions", "run_plain"]
