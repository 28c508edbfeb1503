"""Text made fit for the engine: one clean line, cut at sentence boundaries into short parts.

A long text is never handed to the engine in one piece: each part is synthesised and played in
turn, so the first words are heard sooner, a watchdog can give each part a modest time limit,
and no engine limit on the length of one synthesis is ever reached.
"""

from __future__ import annotations

import re
import unicodedata

MAX_WORDS = 30
"""The most words in one part (about 11 seconds at the default rate)."""

# Patterns, compiled (and cached by re) when first used: compiling them at import was a
# measurable part of the app's launch.
_SENTENCE_END = r"(?:(?<=[.!?…])|(?<=[.!?…][\"'”’)\]]))\s+"
_CLAUSE_END = r"(?<=[,;:—–])\s+"
_DROPPED_CATEGORIES = {"Cs", "Co", "Cn"}
"""Lone surrogates (a file name that is not UTF-8), private-use and unassigned code points."""


def speakable(text: str) -> str:
    """`text` on one line, as any engine can take it.

    Control characters become spaces; lone surrogates (what Python makes of a file name that is
    not UTF-8, and what espeak-ng's UTF-8 encoding chokes on) and unassigned code points are
    dropped, so one odd name can never make the engine fail.
    """
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category in _DROPPED_CATEGORIES:
            continue
        kept.append(" " if category == "Cc" else char)
    return " ".join("".join(kept).split())


def split_for_speech(text: str, max_words: int = MAX_WORDS) -> list[str]:
    """`speakable(text)` in parts of at most `max_words` words, cut between sentences.

    Short sentences share a part; a sentence longer than `max_words` is cut between clauses
    (after , ; : or a dash), and a clause still too long between words. Empty for blank text.
    """
    if max_words < 1:
        raise ValueError("max_words must be at least 1")
    line = speakable(text)
    if len(line.split()) <= max_words:
        return [line] if line else []
    parts: list[str] = []
    current: list[str] = []
    count = 0
    for sentence in re.split(_SENTENCE_END, line):
        for piece in _pieces(sentence, max_words):
            words = len(piece.split())
            if current and count + words > max_words:
                parts.append(" ".join(current))
                current, count = [], 0
            current.append(piece)
            count += words
    if current:
        parts.append(" ".join(current))
    return parts


def _pieces(sentence: str, max_words: int) -> list[str]:
    """`sentence` as pieces of at most `max_words` words, cut between clauses where it can."""
    if len(sentence.split()) <= max_words:
        return [sentence]
    pieces: list[str] = []
    for clause in re.split(_CLAUSE_END, sentence):
        words = clause.split()
        pieces += [" ".join(words[i : i + max_words]) for i in range(0, len(words), max_words)]
    return pieces
