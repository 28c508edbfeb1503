"""Hands-free: offline voice commands ("coach next") for a person lying on the mat.

Optional (`pip install 'selfcare-tui[voice]'`, which brings PocketSphinx). The microphone is read
through the sound server (`parec`), each stretch of speech is decoded against a small grammar (the
wake word and a command, or filler words), and nothing is kept: no audio is stored, and only the
words recognised reach a transcript when one is asked for. Listening pauses while the app itself
speaks or sounds, so its own words never give a command.
"""
