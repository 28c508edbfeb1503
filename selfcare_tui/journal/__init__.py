"""The private journal of sessions: what was done, and how it felt."""
