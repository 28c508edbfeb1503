"""The Textual interface: it renders the session's state and forwards keys, nothing more."""
