"""Markdown (Quarto, R Markdown) and plain-text readers: code, front matter and comments not
scanned, cross-references never citations, typed reference lists not running text."""

from __future__ import annotations

from pathlib import Path

import pytest
from pandoc_cites import argmap_keys, pandoc_keys

from argmap.citations.scanner import Found, scan_span
from argmap.manuscripts.read import open_manuscript
from argmap.manuscripts.references import looks_like_entry, opens_references
from argmap.manuscripts.spans import Notice, Span

DATA = Path(__file__).parents[1] / "data" / "manuscripts"


def found_with_lines(path: Path) -> list[tuple[Found, int]]:
    out = []
    for piece in open_manuscript(path):
        if isinstance(piece, Notice) and piece.kind == "table-cut":
            continue
        assert isinstance(piece, Span)
        for found in scan_span(piece):
            assert piece.line is not None
            out.append((found, piece.line + found.line - 1))
    return out


def test_quarto_paper_keys_lines_and_nothing_from_code_or_crossrefs() -> None:
    found = found_with_lines(DATA / "quarto" / "paper.qmd")
    assert [(f.key or f.text, line) for f, line in found] == [
        ("rossiSmallFirmsClusters2009", 9),
        ("bauerInstitutions2015", 10),
        ("kimLearning2018", 11),
        ("bauerInstitutions2015", 11),
        ("Rossi, Bauer, and Kim (2009)", 27),
    ]


@pytest.mark.parametrize("suffix", [".qmd", ".Rmd", ".md"])
def test_chunks_inline_code_comments_and_front_matter_are_not_scanned(
    tmp_path: Path, suffix: str
) -> None:
    text = (
        "---\ntitle: x\nnote: '[@inFrontMatter]'\n---\n"
        "Real [@k1].\n\n```{r}\n# [@inChunk] (Nobody, 1999)\n```\n"
        "~~~~\n@inTildeFence\n~~~~\n"
        "Inline `r cite('@inInline')` and ``@inDouble` `` then @k2.\n"
        "<!-- [@inComment]\n(Nobody, 1999) -->After @k3.\n"
    )
    path = tmp_path / f"paper{suffix}"
    path.write_text(text, encoding="utf-8")
    assert [(f.key, line) for f, line in found_with_lines(path)] == [
        ("k1", 5),
        ("k2", 13),
        ("k3", 15),
    ]


FRONT_MATTER = """\
---
title: "Plots with [@inTitle]"
subtitle: 'After @inSubtitle'
author:
  - name: Jane Roe
    email: jane@example.org
    thanks: "[@inNestedThanks]"
bibliography: refs@v2.bib
note: "[@inNote]"
abstract: |
  The package follows the grammar of graphics [@Wilkinson2012] and
  builds on ggplot2 [@Wickam2016] (as of January 2015).
# a comment with [@inComment]
thanks: >
  Funded by @grant
date: 2021-01-01
---
Body [@k1].
"""


@pytest.mark.parametrize("suffix", [".qmd", ".Rmd", ".md"])
def test_front_matter_text_keys_are_scanned_for_keys_only(tmp_path: Path, suffix: str) -> None:
    """pandoc renders the citations of title, subtitle, abstract and thanks (ggsignif's paper.Rmd
    cites in its abstract); nothing else of the front matter, and no author-year text, counts."""
    path = tmp_path / f"paper{suffix}"
    path.write_text(FRONT_MATTER, encoding="utf-8")
    found = [(f.key, line, f.column) for f, line in found_with_lines(path)]
    assert found == [
        ("inTitle", 2, 21),
        ("inSubtitle", 3, 18),
        ("Wilkinson2012", 11, 48),
        ("Wickam2016", 12, 22),
        ("grant", 15, 13),
        ("k1", 18, 7),
    ]


@pytest.mark.parametrize(
    "ref",
    [
        "@fig-map",
        "@tbl-firms",
        "@sec-intro",
        "@eq-growth",
        "@lst-code",
        "@thm-main",
        "\\@ref(fig:map)",
    ],
)
def test_cross_references_are_never_citations(tmp_path: Path, ref: str) -> None:
    path = tmp_path / "p.Rmd"
    path.write_text(f"As {ref} shows [@real].\n", encoding="utf-8")
    assert [f.key for f, _ in found_with_lines(path)] == ["real"]


def test_typed_apa_text_reference_list_is_not_running_text() -> None:
    found = found_with_lines(DATA / "apa" / "paper.txt")
    assert [(f.authors, f.year, f.locator, line) for f, line in found] == [
        (("Rossi", "Bauer", "Kim"), "2009", None, 3),
        (("Rossi", "Bauer", "Kim"), "2009", None, 4),
        (("Rossi", "Bauer", "Kim"), "2015", None, 4),
        (("Rossi", "Bauer", "Kim"), "2018", None, 5),
        (("Rossi",), "2003", None, 6),
        (("Rossi", "Bauer", "Kim"), "2009", "1978", 7),
    ]


def test_markdown_references_section_ends_at_the_next_heading(tmp_path: Path) -> None:
    text = (
        "# Text\n(Rossi, 2009)\n\n# Referencias {-}\n\nRossi, Ana (2009), (Rossi, 2009).\n"
        "Otro (Bauer, 2010).\n\n# Anexo\n(Kim, 2011)\n"
    )
    path = tmp_path / "p.md"
    path.write_text(text, encoding="utf-8")
    assert [(f.year, line) for f, line in found_with_lines(path)] == [("2009", 2), ("2011", 10)]


def test_plain_lines_that_look_like_entries_are_not_scanned(tmp_path: Path) -> None:
    text = "Cited (Rossi, 2009).\nRossi, A. (2009). Small firms (Rossi, 2009). Journal.\n"
    path = tmp_path / "p.txt"
    path.write_text(text, encoding="utf-8")
    assert [line for _, line in found_with_lines(path)] == [1]


@pytest.mark.parametrize(
    ("line", "entry"),
    [
        ("Rossi, A. (2000). Title of it.", True),
        ("Rossi, Ana (2000), «Título».", True),
        ("Rossi, A. B., Bauer, C., and Kim, D. 2015. Title", True),
        ("De la Garza Toledo, Enrique y Alfonso Bouzas (2000). Cambios", True),
        ("- Piore, Michael J. and Charles F. Sabel (1984), The Second", True),
        ("Rossi, Bauer, and Kim (2009), however, found that", False),
        ("Rossi, Bauer, and Kim (2009) found that", False),
        ("Kim, however, in 2009, said", False),
        # typeset in LaTeX (biblatex's own example documents list their expected output so)
        (r"Doe, John (2000). \emph{Book~1}. Location: Publisher, 2000.", True),
        (r"Doe, J. (2000). {\em Book}. Location.", True),
        (r"Rossi, A. (2000). and then", False),
        # in a Markdown block quote (geocompx/geocompy's index.qmd, "cite it as follows:")
        (
            "> Dorman, M., Graser, A., Nowosad, J., & Lovelace, R. (2025). Geocomputation with "
            "Python. CRC Press",
            True,
        ),
        (">> - Rossi, A. (2000). Title of it.", True),
        ("> Rossi, Bauer, and Kim (2009) found that", False),
        # APA dates to the month or day, and hyphenated initials (AmandineMa/thesis's list of
        # publications, in LaTeX)
        (r"Mayima, A., Clodic, A., \& Alami, R. (2021, August). Towards robots able", True),
        (r"Singamaneni, P-T., Mayima, A., \& Clodic, A. (2020, March). Guiding Task", True),
        ("Mayima, A. (2019, November 12). Evaluation of the Quality", True),
        ("Rossi, Bauer, and Kim (2009, March) found that", False),
        ("Rossi, A. B. 2015. Title", True),
        ("Rossi, A.-B. (2015). Title", True),
        # a link's text (nsacco/clases-arg's chapter 9, a list of resources)
        ("- [Wickham, H., & Grolemund, G. (2016). R para Ciencia de Datos](https://x.org)", True),
        ("- [Pérez Soto, A. y Ruiz Gil, F. (2019). Estadística en R para", True),
        ("[Kuhn and Johnson (2019)](url) showed", False),
    ],
)
def test_looks_like_entry(line: str, entry: bool) -> None:
    assert looks_like_entry(line) is entry


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("References", True),
        ("## Referencias {-}", True),
        ("7. Bibliografía", True),
        ("REFERENCES", True),
        ("Works Cited:", True),
        ("Results", False),
        ("References to the firms were many and varied.", False),
    ],
)
def test_opens_references(line: str, heading: bool) -> None:
    assert opens_references(line) is heading


def test_a_run_of_initials_is_read_in_linear_time() -> None:
    """One separator between initials: "\\s*[-\\s]?" read "A. " two ways, and a line of 22
    initials without a year took 5 s (each one more doubled it)."""
    import time

    started = time.monotonic()
    assert not looks_like_entry("Rossi, " + "A. " * 3000 + "x")
    assert not looks_like_entry("Rossi, " + "A. - " * 3000 + "x")
    assert time.monotonic() - started < 2


def test_a_reference_in_a_block_quote_is_not_cited(tmp_path: Path) -> None:
    """A typed reference quoted for readers to copy is no citation; a key citation in a quote
    is (pandoc reads it)."""
    path = tmp_path / "index.qmd"
    path.write_text(
        "Please cite it as follows:\n\n"
        "> Dorman, M., Graser, A., Nowosad, J., & Lovelace, R. (2025). Geocomputation with "
        "Python. CRC Press\n\n"
        "> As @rossi2009 found.\n",
        encoding="utf-8",
    )
    assert [(f.text, line) for f, line in found_with_lines(path)] == [("@rossi2009", 5)]


# CEHS-research/eBook_multilevel (01-why.Rmd, 02-resources.Rmd) quotes Cui and Qian's abstract
# whole, its citations with it: "Nelder and Wedderburn (1972)" was a false CIT203 (the writer's
# bibliography holds none of the quoted works); biostats-r/biostats quotes Wickham's ggplot2
# with "(Wilkinson, 2005)" and its attribution line.
QUOTED_PASSAGES = (
    "As the authors say:\n\n"
    "> The GEE method is an extension of the GLM of Nelder and Wedderburn (1972) to correlated "
    "data (Burger et al., 2000). It selects the structure first (Hardin and Hilbe, 2003). "
    "(Cui & Qian, 2007, p. 988)\n\n"
    ">ggplot2 has a grammar, based on the Grammar of Graphics (Wilkinson, 2005), and\n"
    "a lazy continuation line (Lazy, 2001).\n"
    ">\n"
    "> --- Wickham (2016)\n\n"
    "> [!NOTE]\n> Our own note, after Rossi (2009).\n\n"
    "> Quoted with [@key] (Inner, 1999).\n\n"
    "After the quotes (Brown, 2010).\n"
)


def test_author_year_text_in_a_quoted_passage_is_not_read(tmp_path: Path) -> None:
    """A block quotation's author–year citations are the quoted author's (APA 7, 8.32); the
    writer's own citation closing it after its final punctuation, its attribution line, a
    GitHub alert (the writer's note) and [@key] citations are read."""
    path = tmp_path / "paper.md"
    path.write_text(QUOTED_PASSAGES, encoding="utf-8")
    assert [(f.text, line) for f, line in found_with_lines(path)] == [
        ("Cui & Qian, 2007", 3),
        ("Wickham (2016)", 8),
        ("Rossi (2009)", 11),
        ("@key", 13),
        ("Brown, 2010", 15),
    ]


def test_a_citation_alone_on_a_quotations_last_line_is_read(tmp_path: Path) -> None:
    """The writer's citation set on its own line under the quoted words (after a ``>`` or as a
    lazy continuation line) closes the quotation as one after its final punctuation does."""
    path = tmp_path / "paper.md"
    path.write_text(
        "> The quoted words, which end here.\n>\n> (Nolan, 2009, p. 4)\n\n"
        "> More words that end here.\n(Jameson, 2010)\n\n"
        "> Words end.\n> (Morrison, 2013)\n",
        encoding="utf-8",
    )
    assert [(f.text, line) for f, line in found_with_lines(path)] == [
        ("Nolan, 2009", 3),
        ("Jameson, 2010", 6),
        ("Morrison, 2013", 9),
    ]


def test_a_typeset_list_of_entries_in_latex_is_not_cited(tmp_path: Path) -> None:
    # the shape of biblatex's example documents, which print the list a style should give
    tex = tmp_path / "expected.tex"
    tex.write_text(
        "As Doe (2000) shows.\n\n"
        "\\begin{itemize}\n"
        "\\item Doe, John (2000). \\emph{Book~1}. Location: Publisher, 2000.\n"
        "\\item Doe, John (2017). \\emph{Webpage}. 7th Aug. 2017.\n"
        "\\end{itemize}\n",
        encoding="utf-8",
    )
    assert [(f.text, line) for f, line in found_with_lines(tex)] == [("Doe (2000)", 1)]


def test_a_huge_paragraph_is_cut_into_bounded_spans(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    line = "Text (Rossi, 2009) and more words.\n"
    path.write_text(line * 20_000, encoding="utf-8")
    spans = [p for p in open_manuscript(path) if isinstance(p, Span)]
    assert len(spans) > 1 and max(len(s.text) for s in spans) <= 1 << 16
    assert sum(len(scan_span(s)) for s in spans) == 20_000
    assert spans[-1].line is not None and spans[-1].line + spans[-1].text.count("\n") == 20_000


def test_a_citation_cut_by_a_blank_line_is_read_whole(tmp_path: Path) -> None:
    # as text extracted from a PDF has it: the year on the far side of a page break
    text = (
        "Benchmarks (Hendrycks et al.,\n\n2020) and law (Henderson et al.,\n\n- 2022). "
        "Then (a parenthesis\n\nnever closed.\n\nLast (Rossi, 2009).\n"
    )
    path = tmp_path / "p.txt"
    path.write_text(text, encoding="utf-8")
    assert [(f.authors[0], f.year, line) for f, line in found_with_lines(path)] == [
        ("Hendrycks", "2020", 1),
        ("Henderson", "2022", 3),
        ("Rossi", "2009", 9),
    ]


def test_quarto_includes_and_knitr_children_are_followed(tmp_path: Path) -> None:
    (tmp_path / "parts").mkdir()
    (tmp_path / "main.qmd").write_text(
        "Intro [@m1].\n\n{{< include parts/_methods.qmd >}}\n\n"
        "```{r, child = 'parts/child.Rmd'}\n```\n\nEnd [@m2].\n",
        encoding="utf-8",
    )
    (tmp_path / "parts" / "_methods.qmd").write_text("\nMethods [@i1].\n", encoding="utf-8")
    (tmp_path / "parts" / "child.Rmd").write_text("Child [@c1].\n", encoding="utf-8")
    pieces = list(open_manuscript(tmp_path / "main.qmd"))
    keys = [
        (f.key, p.source.name, (p.line or 0) + f.line - 1)
        for p in pieces
        if isinstance(p, Span)
        for f in scan_span(p)
    ]
    assert keys == [
        ("m1", "main.qmd", 1),
        ("i1", "_methods.qmd", 2),
        ("c1", "child.Rmd", 1),
        ("m2", "main.qmd", 8),
    ]


def test_a_missing_include_is_reported_and_a_loop_refused(tmp_path: Path) -> None:
    from argmap.manuscripts.spans import Notice

    (tmp_path / "a.qmd").write_text(
        "{{< include missing.qmd >}}\n{{< include b.qmd >}}\n", encoding="utf-8"
    )
    (tmp_path / "b.qmd").write_text("B.\n\n{{< include a.qmd >}}\n", encoding="utf-8")
    notices = [p for p in open_manuscript(tmp_path / "a.qmd") if isinstance(p, Notice)]
    assert [(n.kind, n.source.name, n.line, n.error) for n in notices] == [
        ("input-not-followed", "a.qmd", 1, False),
        ("input-loop", "b.qmd", 3, True),
    ]


def test_columns_stay_true_after_inline_code_and_comments(tmp_path: Path) -> None:
    line = "Code `@x` and <!-- [@y] --> then [@real] here"
    path = tmp_path / "p.md"
    path.write_text(f"{line}\n", encoding="utf-8")
    [(found, _)] = found_with_lines(path)
    assert found.column == line.index("@real") + 1


@pytest.mark.parametrize(
    "text",
    [
        # hadley/r-pkgs: a chunk of roxygen comments in a list item (pandoc: a code block)
        "1.  Tags:\n\n    ```{r}\n    #' @importFrom aaapkg aaa_fun\n    #' @export\n    ```\n",
        # the item's content at column 4, the chunk at 8: an indented code block of the item
        "-   Tags:\n\n        ```r\n        #' @importFrom aaapkg aaa_fun\n        ```\n",
        # hadley/adv-r: R code read as "POSIXct (2020)" (pandoc: code)
        "- item\n\n  - sub\n\n      ```{r}\n      POSIXct(2020, 1, 1)\n      ```\n",
        # right after a paragraph line: pandoc reads inline code spanning the lines
        "Text\n    ```r\n    x <- 1 # @importFrom\n    ```\n",
    ],
    ids=["list-item-4", "list-item-8", "nested-list", "in-paragraph"],
)
def test_an_indented_fence_is_code_as_pandoc_reads_it(tmp_path: Path, text: str) -> None:
    path = tmp_path / "paper.Rmd"
    path.write_text(text + "\nAfter @k1.\n", encoding="utf-8")
    assert [f.key for f, _ in found_with_lines(path)] == ["k1"]


def test_an_at_where_pandoc_reads_no_citation_is_not_a_key(tmp_path: Path) -> None:
    # pandoc 2.17 -t native on this text finds the citations k2, k6 and k9 only
    text = (
        "A \\index{ast()@in \\texttt{ast()}} b.\n\n"  # hadley/adv-r Quotation.Rmd: raw LaTeX
        "B \\textbf{see @x1} c.\n\n"
        "C \\emph{x} @k2.\n\n"
        # hadley/r-pkgs release.Rmd: a link's destination; an autolink; a bare URL (a citation)
        'D [acc](https://fosstodon.org/@x4 "t") and <https://x.org/@x5> and https://x.org/@k6.\n\n'
        "[ref]: https://x.org/@x7\n\n"
        "E ![img](a/@x8.png) [@k9](http://y/@x10)\n"
    )
    path = tmp_path / "paper.Rmd"
    path.write_text(text, encoding="utf-8")
    assert [(f.key, line, f.column) for f, line in found_with_lines(path)] == [
        ("k2", 5, 12),
        ("k6", 7, 82),
        ("k9", 11, 22),
    ]


def test_a_simple_table_cuts_its_rows_at_the_columns_as_pandoc_does(tmp_path: Path) -> None:
    # EcoComplex/SouthFWReview Table 2; pandoc 2.17 -t native cites "Gait" and "Martinez2022",
    # and "x@k3" cut before its "@" cites k3; an indented row's text before the columns is
    # dropped; the table ends at the blank line
    text = (
        "Table: Stressors.\n\n"
        "  Region     Source\n"
        "  ---------- ------------------------\n"
        "  Burdwood   In situ [@k1]\n"
        "  Fishe @Gaitan2016; @Martinez2022\n"
        "  Coastline x@k3\n"
        "\nAfter the table @Gaitan2016.\n"
    )
    path = tmp_path / "paper.Rmd"
    path.write_text(text, encoding="utf-8")
    pieces = list(open_manuscript(path))
    found = found_with_lines(path)
    assert [(f.key, line) for f, line in found] == [
        ("k1", 5),
        ("Gait", 6),
        ("Martinez2022", 6),
        ("k3", 7),
        ("Gaitan2016", 9),
    ]
    [notice] = [p for p in pieces if isinstance(p, Notice)]
    assert (notice.kind, notice.line) == ("table-cut", 6)
    assert "cuts '@Gaitan2016;' after '@Gait'" in notice.message


def test_dashes_after_a_paragraph_line_are_no_table(tmp_path: Path) -> None:
    text = "Para\nFishe @Gaitan2016\n----- ------\nFishe @Gaitan2016\n"
    path = tmp_path / "paper.md"
    path.write_text(text, encoding="utf-8")
    assert [f.key for f, _ in found_with_lines(path)] == ["Gaitan2016", "Gaitan2016"]


def test_a_footnote_definition_is_no_link_definition(tmp_path: Path) -> None:
    # jgm/pandoc test/command/6890.md: "[^1]: @fruchtel-sozialer-2013a" is a footnote citing a
    # work, which argmap took for a link reference definition and skipped (stop 24, R2)
    text = (
        "Some text.[^1] More.[^2]\n\n[^1]: @k1\n[^2]: See @k2, p. 3.\n\n[ref]: https://x.org/@x3\n"
    )
    assert pandoc_keys(text) == ["k1", "k2"]
    assert argmap_keys(tmp_path, text) == ["k1", "k2"]


def test_a_chunks_caption_is_read_as_text(tmp_path: Path) -> None:
    """The caption of a knitr chunk (``fig.cap = "…"`` in its header) and of a Quarto chunk
    (``#| fig-cap:``, ``#| tbl-cap:``) is printed under the figure: nsacco/clases-arg's
    chapters cite in 39 of them ("Fuente: Erikson y Goldthorpe (1992)", "[@Dalle2016, pp.
    106]"), none read. The chunk's code, and a chunk shown as code, stay unread."""
    path = tmp_path / "c.Rmd"
    path.write_text(
        "Text.\n\n"
        '```{r egp, fig.cap= "Clases. Fuente: Erikson y Goldthorpe (1992)", out.width='
        "'80%'}\n"
        'knitr::include_graphics("x.png") # (Smith, 2001)\n'
        "```\n\n"
        '``` {r w, fig.cap = "A map", fig.subcap = "Adaptada de Wessel (2019)"}\n'
        "```\n\n"
        "```{r}\n"
        "#| label: fig-x\n"
        '#| fig-cap: "Movilidad [@Dalle2016, pp. 106]"\n'
        "plot(1) # [@nokey]\n"
        "```\n\n"
        "```{python}\n"
        "#| tbl-cap: Clases (Germani, 1955)\n"
        'x = "fig.cap = (Jones, 2002)"\n'
        "```\n\n"
        "````markdown\n"
        '```{r, fig.cap="Shown [@shown]"}\n'
        '#| fig-cap: "Shown too [@shown2]"\n'
        "```\n"
        "````\n",
        encoding="utf-8",
    )
    assert [(f.key or f.text, line) for f, line in found_with_lines(path)] == [
        ("Erikson y Goldthorpe (1992)", 3),
        ("Wessel (2019)", 7),
        ("Dalle2016", 12),
        ("Germani, 1955", 17),
    ]
