from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from msaudio.text.sentences import fit, split_sentences


def test_splits_at_sentence_ends() -> None:
    text = "Heat can blur vision. Rest helps! Does cooling work? Often it does."
    assert split_sentences(text, 200) == [
        "Heat can blur vision.",
        "Rest helps!",
        "Does cooling work?",
        "Often it does.",
    ]


def test_keeps_abbreviations_initials_and_decimals_together() -> None:
    text = "Dr. Lee saw J. R. Patel at 10 a.m. Monday. The dose rose from 2.5 mg to 5 mg. Done."
    assert split_sentences(text, 200) == [
        "Dr. Lee saw J. R. Patel at 10 a.m. Monday.",
        "The dose rose from 2.5 mg to 5 mg.",
        "Done.",
    ]


def test_an_acronym_can_end_a_sentence_but_a_title_cannot() -> None:
    text = "Good sleep matters with MS. Many people wake at night. Ms. Diaz agrees. E.g. naps."
    assert split_sentences(text, 200) == [
        "Good sleep matters with MS.",
        "Many people wake at night.",
        "Ms. Diaz agrees.",
        "E.g. naps.",
    ]


def test_long_runs_are_cut_at_clauses_then_words() -> None:
    clause = "walking slowly along the shaded side of the street, "
    pieces = split_sentences(clause * 20, 120)
    assert all(0 < len(p) <= 120 for p in pieces)
    assert " ".join(pieces).split() == (clause * 20).split()


def test_a_single_overlong_word_is_cut_to_the_limit() -> None:
    assert fit("a" * 25, 10) == ["a" * 10, "a" * 10, "a" * 5]


words = st.text(
    alphabet=st.characters(codec="ascii", categories=["L", "N"]), min_size=1, max_size=30
)
texts = st.lists(st.tuples(words, st.sampled_from([" ", ". ", ", ", "? ", "; "])), max_size=80).map(
    lambda parts: "".join(w + sep for w, sep in parts)
)


@given(texts, st.integers(min_value=20, max_value=300))
def test_no_word_lost_no_empty_piece_none_too_long(text: str, limit: int) -> None:
    pieces = split_sentences(text, limit)
    assert all(piece and len(piece) <= limit for piece in pieces)
    joined = re.sub(r"\s+", "", "".join(pieces))
    assert joined == re.sub(r"\s+", "", text)
