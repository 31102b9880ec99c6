"""LaTeX in field values: decoded to Unicode, and English titles put in sentence case."""

from __future__ import annotations

import pytest

from argmap.bib.latex import latex_to_text, sentence_case


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("Is There an ``Industrial District Model''?", "Is There an “Industrial District Model”?"),
        ("TeX's `single' quotes", "TeX's ‘single' quotes"),
        (r"{\TeX}: The Program", "TeX: The Program"),
        (r"methodology\hyphen independent", "methodology-independent"),
        (r"\mkbibquote{Über} den Intellekt", "“Über” den Intellekt"),
        (r"\mkbibquote", ""),  # a macro without its argument: nothing, not an error
        (r"M{\"u}ller and Sv{\'a}rez", "Müller and Svárez"),
        (r"pp.~10--19", "pp. 10–19"),
        (r"\unknownmacro{kept} text", "kept text"),
        (r"\emph{unclosed", "unclosed"),
        ("plain {Braced} text", "plain Braced text"),
    ],
    ids=[
        "tex-double-quotes",
        "tex-single-quote",
        "tex-logo",
        "biblatex-hyphen",
        "mkbibquote",
        "macro-without-argument",
        "accents",
        "tie-and-dash",
        "unknown-macro",
        "unclosed-brace",
        "braces",
    ],
)
def test_latex_is_decoded_without_markup_left(raw: str, text: str) -> None:
    assert latex_to_text(raw) == text
    assert not set(latex_to_text(raw)) & set("\\{}`")


@pytest.mark.parametrize(
    ("raw", "sentence"),
    [
        (
            "Is There an ``Industrial District Model''? Footwear Districts in Italy",
            "Is there an “industrial district model”? Footwear districts in italy",
        ),
        (
            "SME Competitiveness: the Power of Networking",
            "SME competitiveness: The power of networking",
        ),
        ("A Title in {NASA} Case", "A title in NASA case"),
        (r"{\TeX}: The Program", "TeX: The program"),
        ("Inter-Firm Co-operation in Emilia-Romagna", "Inter-firm co-operation in emilia-romagna"),
        (r"The {\"U}ber {McDonald} Case", "The über McDonald case"),
        (
            "the idea of the industrial district: its genesis",
            "The idea of the industrial district: Its genesis",
        ),
        ("Hemingway's Style and iPhone Use", "Hemingway's style and iPhone use"),
    ],
    ids=[
        "after-question-mark",
        "acronym-and-colon",
        "braces-protect",
        "command-group-protects",
        "hyphenated",
        "accent-inside-word",
        "capitalises-first-and-after-colon",
        "inner-capitals-kept",
    ],
)
def test_sentence_case_as_pandoc_makes_it(raw: str, sentence: str) -> None:
    assert sentence_case(raw) == sentence
