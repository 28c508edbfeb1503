"""A session: a routine played step by step against a clock, with no screen needed."""
