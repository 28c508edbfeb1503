"""Routines: the TOML format, a strict loader, the library of bundled and user routines."""
