"""Texts made fit for the engine: one clean line, in parts cut between sentences."""

from __future__ import annotations

import pytest

from selfcare_tui.speech.splitting import MAX_WORDS, speakable, split_for_speech


def test_a_short_text_is_one_part_on_one_line() -> None:
    assert split_for_speech("  Breathe in.\n\tBreathe out.  ") == ["Breathe in. Breathe out."]
    assert split_for_speech(" \n ") == []


def test_long_texts_are_cut_between_sentences_and_short_sentences_share_a_part() -> None:
    sentences = [f"Sentence {n} has exactly six words." for n in range(20)]  # 120 words
    parts = split_for_speech(" ".join(sentences), max_words=20)
    assert all(len(part.split()) <= 20 for part in parts)
    assert parts[0] == " ".join(sentences[:3])  # three sentences of six words fit in twenty
    assert " ".join(parts) == " ".join(sentences)


def test_a_sentence_too_long_is_cut_between_clauses_then_between_words() -> None:
    sentence = "one two three, four five six; seven eight nine ten eleven twelve thirteen."
    parts = split_for_speech(sentence, max_words=4)
    assert parts == [
        "one two three,",
        "four five six;",
        "seven eight nine ten",
        "eleven twelve thirteen.",
    ]


@pytest.mark.parametrize("end", ['."', ".)", "!", "?", "…"])
def test_sentence_ends_include_closing_quotes_and_brackets(end: str) -> None:
    text = f"First part here{end} Second part here."
    assert split_for_speech(text, max_words=3) == [f"First part here{end}", "Second part here."]


def test_300_words_never_make_a_part_longer_than_the_limit() -> None:
    text = " ".join(f"Word{n}" + ("." if n % 37 == 36 else "") for n in range(300))
    parts = split_for_speech(text)
    assert all(len(part.split()) <= MAX_WORDS for part in parts)
    assert " ".join(parts).split() == text.split()


def test_speakable_drops_what_an_engine_chokes_on() -> None:
    assert speakable("caf\udce9.toml") == "caf.toml"  # a file name that is not UTF-8
    assert speakable("a\x1b[2Jb\x00c\nd") == "a [2Jb c d"
    assert speakable("\ue000private\u0378") == "private"
    speakable("caf\udce9").encode("utf-8")  # never raises
