"""The scanner's answers for one plain word, given without running its patterns, are the
patterns' answers (issue 16: most name tokens of a manuscript are one word)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from argmap.citations.printed import _ET_AL, split_authors, split_surnames
from argmap.citations.scanner import (
    _DATE_WORDS,
    _after_prose,
    _clean_name,
    _clean_name_by_pattern,
    _is_name,
    _is_name_by_patterns,
)

# The words the fast paths must know about, in the cases a manuscript may write them: the
# leading words ("see", "en"...), dates, particles, "et al." look-alikes and plain surnames.
SPECIAL = [
    *"véase vease ver cf see also también tambien además en in".split(),
    *"de of del la von van y and et al etal elal ctal alii otros".split(),
    *sorted(_DATE_WORDS),
    *"Smith García Ölander Müller McDonald DiCaprio Ng O Xu Cadadoini Verano Enero".split(),
]
CASED = sorted({form for w in SPECIAL for form in (w, w.lower(), w.upper(), w.capitalize())})
LETTERS = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZáéñÁÉÑöÖıſK"),
    min_size=1,
    max_size=12,
)
WORDS = st.one_of(st.sampled_from(CASED), LETTERS)


def test_special_words_read_as_the_patterns_read_them() -> None:
    for word in CASED:
        assert _clean_name.__wrapped__(word) == _clean_name_by_pattern(word), word
        assert _is_name.__wrapped__(word) == _is_name_by_patterns(word), word
        assert split_authors.__wrapped__(word) == by_patterns(word), word
    # the fast paths do decide these
    assert _clean_name("See") == "" and _clean_name("EN") == "" and _clean_name("Seed") == "Seed"
    assert not _is_name("De") and not _is_name("March") and _is_name("Marchetti")
    assert split_authors("Y").surnames == () and split_authors("Rossi").surnames == ("Rossi",)


@settings(max_examples=400, deadline=None)
@given(WORDS)
def test_a_word_reads_as_the_patterns_read_it(word: str) -> None:
    assert _clean_name.__wrapped__(word) == _clean_name_by_pattern(word)
    assert _is_name.__wrapped__(word) == _is_name_by_patterns(word)
    assert split_authors.__wrapped__(word) == by_patterns(word)
    assert _after_prose.__wrapped__(word) == (word, False)


@settings(max_examples=200, deadline=None)
@given(WORDS, st.sampled_from(["", " et al.", " et al", ", et al.", " y otros", " \\emph{et al.}"]))
def test_a_word_and_its_et_al_split_as_before(word: str, et_al: str) -> None:
    assert split_authors.__wrapped__(word + et_al) == by_patterns(word + et_al)


def by_patterns(text: str) -> tuple[tuple[str, ...], bool]:
    """What ``split_authors`` gave before its one-word path: the form cut, the rest split."""
    match = _ET_AL.search(text)
    rest = text[: match.start()] if match else text
    return split_surnames(rest), match is not None


def test_str_split_cuts_where_the_old_word_pattern_did() -> None:
    # the narrative reader splits its window with str.split, where it ran re.findall(r"\S+"):
    # the same words as long as \s and str.isspace agree on every code point
    import re
    import sys

    space = re.compile(r"\s")
    assert all(
        (space.match(ch) is not None) == ch.isspace() for ch in map(chr, range(sys.maxunicode + 1))
    )
    text = "a\u00a0b\u2028c\x1cd\u3000e  f\u200bg"
    assert text.split() == re.findall(r"\S+", text)
