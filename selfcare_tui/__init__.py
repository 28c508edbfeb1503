"""selfcare-tui: voice-guided stretching and self-massage routines for lower back pain."""

__version__ = "0.1.0"
