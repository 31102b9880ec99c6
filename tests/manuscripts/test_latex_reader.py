"""The LaTeX reader: comments, verbatim and code never scanned, every cite command found with its
line, \\input and \\include followed, loops refused and files not found reported."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from argmap.citations.scanner import scan_span
from argmap.manuscripts.read import open_manuscript
from argmap.manuscripts.spans import Notice, Span, Syntax


def keys_and_places(path: Path) -> list[tuple[str, str, int | None]]:
    """(key, file name, line) of every key citation the reader's spans hold."""
    out = []
    for piece in open_manuscript(path):
        if isinstance(piece, Span):
            for found in scan_span(piece):
                assert found.key is not None, found
                line = None if piece.line is None else piece.line + found.line - 1
                out.append((found.key, piece.source.name, line))
    return out


def notices(path: Path) -> list[Notice]:
    return [p for p in open_manuscript(path) if isinstance(p, Notice)]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


EVERY_COMMAND = [
    r"\cite",
    r"\citet",
    r"\citep",
    r"\citealt",
    r"\citealp",
    r"\citeauthor",
    r"\citeyear",
    r"\citeyearpar",
    r"\citet*",
    r"\citep*",
    r"\Citet",
    r"\Citep",
    r"\Citealt",
    r"\parencite",
    r"\Parencite",
    r"\textcite",
    r"\Textcite",
    r"\autocite",
    r"\Autocite",
    r"\autocite*",
    r"\smartcite",
    r"\supercite",
    r"\footcite",
    r"\footcitetext",
    r"\citetitle",
    r"\fullcite",
    r"\footfullcite",
    r"\nocite",
]


@pytest.mark.parametrize("command", EVERY_COMMAND)
def test_every_cite_command_gives_its_key_and_line(tmp_path: Path, command: str) -> None:
    path = write(tmp_path, "p.tex", f"Intro.\n\nAs shown {command}[p.~4]{{rossi2009}}.\n")
    assert keys_and_places(path) == [("rossi2009", "p.tex", 3)]


@pytest.mark.parametrize(
    "command", [r"\cites", r"\parencites", r"\textcites", r"\Textcites", r"\autocites"]
)
def test_multicite_commands_give_every_group(tmp_path: Path, command: str) -> None:
    text = f"See {command}(see)(and more)[p.~3]{{a1,a2}}[cf.][]{{b1}}\n  [12]{{c1}} after.\n"
    path = write(tmp_path, "p.tex", text)
    # each key where it stands: the last group is on the second line
    assert keys_and_places(path) == [
        ("a1", "p.tex", 1),
        ("a2", "p.tex", 1),
        ("b1", "p.tex", 1),
        ("c1", "p.tex", 2),
    ]


def test_optional_argument_across_a_line_break(tmp_path: Path) -> None:
    path = write(tmp_path, "p.tex", "One.\nAs argued \\citep[for\nexample,][p.~3]{wrongkey}.\n")
    assert keys_and_places(path) == [("wrongkey", "p.tex", 3)]


def test_nocite_star_cites_no_key_and_each_key_is_its_own_row(tmp_path: Path) -> None:
    path = write(tmp_path, "p.tex", "\\nocite{*}\n\\cite{a, b}\n")
    spans = [p for p in open_manuscript(path) if isinstance(p, Span)]
    found = [f for s in spans for f in scan_span(s)]
    assert [(f.key, f.text) for f in found] == [("a", "\\cite{a, b}"), ("b", "\\cite{a, b}")]
    # the command as written, on one line, optional arguments included
    [found] = scan_span(Span(Path("p.tex"), "\\citep[see\n  also][]{k}", Syntax.LATEX))
    assert found.text == "\\citep[see also][]{k}"


def test_comments_verbatim_and_verb_are_not_scanned(tmp_path: Path) -> None:
    text = r"""% \cite{inComment}
Real \cite{real1} and 100\% sure % \cite{afterPercent}
\begin{verbatim}
\cite{inVerbatim}
\end{verbatim} then \citet{real2}
\begin{lstlisting}
\cite{inListing}
\end{lstlisting}
\begin{minted}{latex}
\cite{inMinted}
\end{minted}
\begin{comment}
\cite{inCommentEnv}
\end{comment}
\iffalse \cite{inIffalse} \fi
Shown: \verb|\cite{inVerb}| and \verb+\citep{inVerbPlus}+; used: \citep{real3}
"""
    path = write(tmp_path, "p.tex", text)
    assert keys_and_places(path) == [
        ("real1", "p.tex", 2),
        ("real2", "p.tex", 5),
        ("real3", "p.tex", 16),
    ]


def test_macro_code_is_never_a_pandoc_key(tmp_path: Path) -> None:
    text = (
        "\\makeatletter\n\\let\\@ifnextchar\\kernel@ifnextchar\n\\makeatother\n"
        "\\newcommand{\\mycite}[1]{\\citep{#1}}\nMail me@example.org. \\cite{real}\n"
    )
    assert keys_and_places(write(tmp_path, "p.tex", text)) == [("real", "p.tex", 5)]


def test_rnw_chunks_and_sexpr_are_not_scanned(tmp_path: Path) -> None:
    text = (
        "Intro \\cite{a}.\n<<setup, echo=FALSE>>=\nx <- '\\cite{inChunk}'\n@\n"
        "We have \\Sexpr{n_cite('\\cite{inSexpr}')} firms \\citep{b}.\n"
    )
    assert keys_and_places(write(tmp_path, "p.Rnw", text)) == [
        ("a", "p.Rnw", 1),
        ("b", "p.Rnw", 5),
    ]


def test_input_and_include_are_followed_relative_to_the_file(tmp_path: Path) -> None:
    main = write(
        tmp_path,
        "main.tex",
        "Start \\cite{m1}.\n\\input{sections/intro}\n"
        "\\include{chapters/two.tex}\nEnd \\cite{m2}.\n",
    )
    write(tmp_path, "sections/intro.tex", "Intro \\cite{i1}.\n\\input{deeper}\n")
    write(tmp_path, "sections/deeper.tex", "\n\nDeep \\cite{d1}.\n")
    write(tmp_path, "chapters/two.tex", "% a comment\nTwo \\citep{t1}.\n")
    assert keys_and_places(main) == [
        ("m1", "main.tex", 1),
        ("i1", "intro.tex", 1),
        ("d1", "deeper.tex", 3),
        ("t1", "two.tex", 2),
        ("m2", "main.tex", 4),
    ]


def test_an_input_loop_is_refused_with_its_place(tmp_path: Path) -> None:
    main = write(tmp_path, "a.tex", "A \\cite{a}.\n\\input{b}\n")
    write(tmp_path, "b.tex", "B \\cite{b}.\n\n\\input{a}\n")
    [notice] = notices(main)
    assert (notice.kind, notice.source.name, notice.line, notice.error) == (
        "input-loop",
        "b.tex",
        3,
        True,
    )
    assert [k for k, _, _ in keys_and_places(main)] == ["a", "b"]


def test_a_missing_input_is_reported_not_skipped(tmp_path: Path) -> None:
    main = write(tmp_path, "a.tex", "A.\n\\input{nowhere}\n% \\input{commented}\n")
    [notice] = notices(main)
    assert (notice.kind, notice.line, notice.error) == ("input-not-followed", 2, False)
    assert "nowhere" in notice.message


def _kpsewhich(name: str) -> str:
    import shutil
    import subprocess

    found = shutil.which("kpsewhich")
    if found is None:
        return ""
    return subprocess.run([found, name], capture_output=True, text=True, check=False).stdout


@pytest.mark.skipif(
    not _kpsewhich("glyphtounicode.tex"), reason="kpsewhich or TeX Live's texlive-base is absent"
)
def test_an_input_of_the_tex_distribution_is_not_reported(tmp_path: Path) -> None:
    """``\\input glyphtounicode.tex`` (AndreyAkinshin/Russian-Phd-LaTeX-Dissertation-Template)
    reads pdfTeX's file from the TeX distribution, as kpsewhich finds it: no DOC101 "no such
    file"; a file missing from both is still reported."""
    main = write(
        tmp_path,
        "a.tex",
        "\\input glyphtounicode.tex\n\\input{glyphtounicode}\n\\input{nowhere}\nA \\cite{a}.\n",
    )
    [notice] = notices(main)
    assert (notice.kind, notice.line) == ("input-not-followed", 3)
    assert [k for k, _, _ in keys_and_places(main)] == ["a"]


def test_input_at_path_is_a_macro_name_not_an_input(tmp_path: Path) -> None:
    # AWildridge/Thesis thesis.tex:220; pdflatex builds it with no missing file
    text = (
        "\\makeatletter\n  \\def\\input@path{{packages/}}\n"
        "\\ifx\\input@path\\@undefined\\fi\n\\makeatother\nA \\cite{a}.\n"
    )
    main = write(tmp_path, "a.tex", text)
    assert notices(main) == []
    assert [k for k, _, _ in keys_and_places(main)] == ["a"]


def test_thebibliography_is_not_scanned(tmp_path: Path) -> None:
    text = (
        "Text \\citet{a}.\n\\begin{thebibliography}{9}\n"
        "\\bibitem{a} Rossi, A. (2009). Title (Rossi, 2009).\n\\end{thebibliography}\n"
    )
    path = write(tmp_path, "p.tex", text)
    spans = [p for p in open_manuscript(path) if isinstance(p, Span)]
    assert [f.key for s in spans for f in scan_span(s)] == ["a"]


def test_a_cite_macro_of_the_writers_own_is_read_as_cite(tmp_path: Path) -> None:
    main = write(
        tmp_path,
        "main.tex",
        "\\newcommand{\\posscite}[1]{\\citeauthor{#1}'s (\\citeyear{#1})}\n"
        "\\newcommand{\\bold}[1]{\\textbf{#1}}\n"
        "As \\posscite{nor1988} model shows, \\bold{x}.\n\\input{sec}\n",
    )
    write(tmp_path, "sec.tex", "\\posscite{rot2011} too.\n")
    assert keys_and_places(main) == [("nor1988", "main.tex", 3), ("rot2011", "sec.tex", 1)]


def test_a_cite_macro_building_the_key_around_its_argument_is_read(tmp_path: Path) -> None:
    # Aearsis/multicast-routing macros.tex: LaTeX writes \citation{rfc1112} and rfc826
    main = write(
        tmp_path,
        "main.tex",
        "\\newcommand{\\rfc}[1]{RFC~#1~\\cite{rfc#1}}\n"
        "\\def\\ds#1{\\citep[see][]{ds-#1-2020}}\n"
        "IGMPv1 is in \\rfc{1112}; ARP is in \\rfc{826}, data \\ds{x}.\n",
    )
    assert keys_and_places(main) == [
        ("rfc1112", "main.tex", 3),
        ("rfc826", "main.tex", 3),
        ("ds-x-2020", "main.tex", 3),
    ]


def test_a_macro_showing_its_argument_as_code_cites_nothing(tmp_path: Path) -> None:
    # plk/biblatex examples/74-style-verbose-trad1.tex: \code{\cite{a1}} in a table is printed,
    # and biber finds no a1 among the document's keys (argmap reported 13 unknown keys, stop 24)
    main = write(
        tmp_path,
        "main.tex",
        "\\newcommand*{\\code}[1]{%\n"
        "  \\detokenize\\expandafter{\\string#1}}\n"
        "\\newcommand{\\show}[1]{\\texttt{\\detokenize{#1}}}\n"
        "\\newcommand{\\mycite}[1]{%\n  \\citep{#1}}\n"
        "\\code{\\cite[26]{a1}} & \\show{\\cite{b1}} & \\cite{k1} \\codex{\\cite{k2}}\n",
    )
    assert keys_and_places(main) == [("k1", "main.tex", 6), ("k2", "main.tex", 6)]


def test_bibentry_cites_its_key(tmp_path: Path) -> None:
    # AyoubBelhadji/manuscript: \bibentry{Zo09} writes \citation{Zo09} to the .aux
    main = write(tmp_path, "main.tex", "\\nobibliography{refs}\nSee \\bibentry{Zo09}.\n")
    assert keys_and_places(main) == [("Zo09", "main.tex", 2)]


def test_columns_stay_true_after_masked_text(tmp_path: Path) -> None:
    line = "Shown \\verb|\\cite{x}| then \\iffalse \\cite{y} \\fi and \\citep{real} too"
    path = write(tmp_path, "p.tex", f"{line}\n")
    [span] = [p for p in open_manuscript(path) if isinstance(p, Span)]
    [found] = scan_span(span)
    assert found.column == line.index("real") + 1


def test_a_typed_reference_list_in_latex_is_not_running_text(tmp_path: Path) -> None:
    text = (
        "\\section{Results}\nAs found (Rossi, 2009).\n"
        "\\section*{References}\n\\noindent Rossi, A. (2009). Small firms (Rossi, 2009). Journal.\n"
        "Bauer, K. (2010). Institutions. Springer.\n"
        "\\section{Appendix}\nMore (Kim, 2011).\n"
    )
    path = write(tmp_path, "p.tex", text)
    spans = [p for p in open_manuscript(path) if isinstance(p, Span)]
    found = [(f.authors[0], (s.line or 0) + f.line - 1) for s in spans for f in scan_span(s)]
    assert found == [("Rossi", 2), ("Kim", 7)]


def test_cite_commands_declared_with_biblatex_are_read(tmp_path: Path) -> None:
    """\\DeclareCiteCommand defines a cite command taking ``[pre][post]{keys}``, and
    \\DeclareMultiCiteCommand a multicite one (issue 22: their uses were not read)."""
    main = write(
        tmp_path,
        "main.tex",
        "\\DeclareCiteCommand{\\citejournal}\n"
        "  {\\usebibmacro{prenote}}\n"
        "  {\\printfield{journaltitle}}\n"
        "  {\\multicitedelim}\n"
        "  {\\usebibmacro{postnote}}\n"
        "\\DeclareMultiCiteCommand{\\citejournals}{\\citejournal}{\\multicitedelim}\n"
        "\\DeclareCiteCommand*{\\citeshort}{}{\\printnames{labelname}}{}{}\n"
        "\\begin{document}\n"
        "As \\citejournal[p.~4]{roe2018} and \\citejournals{a}{b}, \\citeshort*{c}.\n"
        "\\input{sec}\n",
    )
    write(tmp_path, "sec.tex", "Later \\citejournal{d}.\n")
    assert keys_and_places(main) == [
        ("roe2018", "main.tex", 9),
        ("a", "main.tex", 9),
        ("b", "main.tex", 9),
        ("c", "main.tex", 9),
        ("d", "sec.tex", 1),
    ]


def test_a_standard_cite_command_declared_again_is_quoted_as_written(tmp_path: Path) -> None:
    """A document (or style) redefining ``\\parencite`` with \\DeclareCiteCommand keeps its
    uses as written: the message quotes ``\\parencite{k}``, not ``\\cite {k}`` (stop 24's W1,
    from AyoubBelhadji/manuscript); a declared multicite likewise."""
    main = write(
        tmp_path,
        "main.tex",
        "\\DeclareCiteCommand{\\parencite}[\\mkbibparens]\n"
        "  {\\usebibmacro{prenote}}{\\usebibmacro{cite}}{\\multicitedelim}{}\n"
        "\\DeclareMultiCiteCommand{\\parencites}[\\mkbibparens]{\\parencite}{\\multicitedelim}\n"
        "\\begin{document}\n"
        "As \\parencite[p.~4]{Tro15} and \\parencites{a}{b}.\n",
    )
    found = [
        (f.key, f.text)
        for piece in open_manuscript(main)
        if isinstance(piece, Span)
        for f in scan_span(piece)
    ]
    assert found == [
        ("Tro15", "\\parencite[p.~4]{Tro15}"),
        ("a", "\\parencites{a}{b}"),
        ("b", "\\parencites{a}{b}"),
    ]


def test_a_cite_command_defined_again_is_no_citation(tmp_path: Path) -> None:
    """``\\renewcommand\\cite{\\citep}`` (thammegowda/dissertation's header.tex) defines
    ``\\cite``: it was read as a citation of the key ``\\citep`` (a false CIT204; BibTeX sees no
    such citation). The uses after it are read as ever."""
    main = write(
        tmp_path,
        "main.tex",
        "\\renewcommand\\cite{\\citep}\t% natbib's (Author Year)\n"
        "\\renewcommand{\\citet}[1]{\\citeauthor{#1} (\\citeyear{#1})}\n"
        "\\def\\autocite{\\citep}\n"
        "\\let\\parencite\\citep\n"
        "\\begin{document}\n"
        "As \\cite{a}, \\citet{b}, \\parencite{c}.\n",
    )
    assert keys_and_places(main) == [
        ("a", "main.tex", 6),
        ("b", "main.tex", 6),
        ("c", "main.tex", 6),
    ]


def test_a_name_given_to_a_cite_command_is_read_as_it(tmp_path: Path) -> None:
    """``\\newcommand\\newcite{\\citet}`` (thammegowda/dissertation: 2 uses), ``\\let``,
    ``\\def``: the new name's uses cite their keys (they were not read)."""
    main = write(
        tmp_path,
        "main.tex",
        "\\newcommand\\newcite{\\citet}\n"
        "\\let\\mycites=\\parencites\n"
        "\\def\\Newcite{\\Citet}\n"
        "\\newcommand{\\possessive}{\\citeauthor}\n"
        "\\begin{document}\n"
        "\\newcite{a}, \\mycites{b}{c}, \\Newcite[p.~3]{d} and \\possessive{e}.\n",
    )
    assert [k for k, _, _ in keys_and_places(main)] == ["a", "b", "c", "d", "e"]


def test_an_included_file_is_read_once(tmp_path: Path) -> None:
    """Finding the bibliography tool reads the included files; the reading proper reuses
    their text instead of reading each again."""
    from argmap.manuscripts.latex import read_latex

    (tmp_path / "ch1.tex").write_text("\\cite{a}\n\\input{ch2}\n", encoding="utf-8")
    (tmp_path / "ch2.tex").write_text("\\cite{b}\n", encoding="utf-8")
    root = tmp_path / "main.tex"
    text = "\\input{ch1}\n\\bibliography{refs}\n"
    reads: list[str] = []

    def read(path: Path) -> str:
        reads.append(path.name)
        return path.read_text(encoding="utf-8")

    spans = [p for p in read_latex(root, text, read) if isinstance(p, Span)]
    assert sorted(reads) == ["ch1.tex", "ch2.tex"]
    assert [f.key for s in spans for f in scan_span(s)] == ["a", "b"]
    assert all(s.bibtex for s in spans)


# What pdflatex writes to the .aux (\citation lines) for this text: the keys BibTeX and biber see.
CONDITIONALS = r"""\documentclass{article}
\begin{document}
\cite{real}
\iffalse
\cite{deadA}
\ifx\foo\bar \cite{deadB} \fi
\cite{deadC} % \fi in a comment closes nothing
\fi
\iffalse \cite{deadD} \else \cite{elseE} \fi
\iffalse
\ifnum1=1 \cite{deadF} \else \cite{deadG} \fi
\else
\cite{elseH}
\fi
\iffalse \iftoggle{x}{\cite{deadI}}{} \newif\ifdeadflag \cite{deadJ} \fi
\ifdefined\nothing \cite{maybeK} \else \cite{maybeL} \fi
\end{document}
"""
# \ifdefined cannot be evaluated without running TeX: both its branches may be compiled, so
# argmap reads both (maybeK is the one argmap reads and pdflatex does not).
CONDITIONALS_READ = ["real", "elseE", "elseH", "maybeK", "maybeL"]


def test_an_iffalse_branch_is_skipped_as_tex_skips_it(tmp_path: Path) -> None:
    """A conditional nested in \\iffalse is skipped with it (its \\fi does not end the
    \\iffalse), and the \\iffalse's own \\else branch is read: deadC was a false CIT204 and elseE
    a miss."""
    path = write(tmp_path, "p.tex", CONDITIONALS)
    assert [k for k, _, _ in keys_and_places(path)] == CONDITIONALS_READ


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_the_iffalse_reading_agrees_with_pdflatex(tmp_path: Path) -> None:
    """pdflatex is the oracle: every key it writes to the .aux is read, and argmap reads no
    other key than the branch of \\ifdefined that pdflatex does not take."""
    write(tmp_path, "p.tex", CONDITIONALS)
    subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-draftmode", "p.tex"],
        cwd=tmp_path,
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    aux = (tmp_path / "p.aux").read_text(encoding="utf-8")
    cited = re.findall(r"\\citation\{([^}]*)\}", aux)
    assert cited == [k for k in CONDITIONALS_READ if k != "maybeK"]


# Conditionals whose branch is known without running TeX (\iftrue, \newif flags set in the
# document), and a macro whose body cites; KNOWN_READ is what pdflatex writes to the .aux, in
# its order.
KNOWN_BRANCHES = r"""\documentclass{article}
\newif\ifdraft
\draftfalse
\newif\iffinal
\finaltrue
\newif\ifnever
\newif\ifoption
\DeclareOption{x}{\optiontrue}
\newcommand{\unusedrefs}{\cite{unusedA}}
\newcommand{\usedrefs}{\cite{usedB} and \cite{usedC}}
\newcommand{\longrefs}{%
  \cite{longU} and
  \cite{longV}}
\def\unusedlong{%
  \cite{unusedW}%
}
\begin{document}
\iftrue \cite{trueD} \else \cite{elseOfTrueE} \fi
\iftrue
\ifx\a\b \cite{innerF} \else \cite{innerG} \fi
\iffalse \cite{deadH} \else \cite{elseI} \fi
\else
\ifnum1=1 \cite{deadJ} \else \cite{deadK} \fi
\cite{deadL}
\fi
\ifdraft \cite{draftM} \else \cite{notDraftN} \fi
\iffinal \cite{finalO} \else \cite{notFinalP} \fi
\ifnever \cite{neverQ} \fi
\ifoption \cite{maybeR} \else \cite{maybeS} \fi
\drafttrue
\ifdraft \cite{draftT} \fi
\usedrefs
\longrefs
\end{document}
"""
# \ifx cannot be evaluated (both its branches are read: innerF is read, pdflatex takes
# innerG); \optiontrue is set inside \DeclareOption, so \ifoption is unknown (maybeR read,
# pdflatex takes maybeS since the option is never given).
KNOWN_READ = [
    "trueD",
    "innerF",
    "innerG",
    "elseI",
    "notDraftN",
    "finalO",
    "maybeR",
    "maybeS",
    "draftT",
    "usedB",
    "usedC",
    "longU",
    "longV",
]


def test_known_branches_and_macro_bodies_are_read_as_tex_compiles_them(tmp_path: Path) -> None:
    """\\iftrue's \\else branch is skipped (its nested conditionals with it), a \\newif flag's
    branch follows \\draftfalse/\\drafttrue as set before it, and a macro's cites are read where
    it is used, never where it is defined: elseOfTrueE, deadJ-L, draftM, notFinalP, neverQ and
    unusedA were false CIT204s, and usedB/C were read at the definition; so is a body running
    over several lines (round 28: longU/V were read at the definition, unusedW a false
    CIT204)."""
    path = write(tmp_path, "p.tex", KNOWN_BRANCHES)
    places = keys_and_places(path)
    assert [k for k, _, _ in places] == KNOWN_READ
    assert [line for k, _, line in places if k.startswith("used")] == [32, 32]
    assert [line for k, _, line in places if k.startswith("long")] == [33, 33]


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_the_known_branches_agree_with_pdflatex(tmp_path: Path) -> None:
    """pdflatex is the oracle for KNOWN_READ: every key it cites is read, and argmap reads no
    other key than the branches of \\ifx and of the option flag it cannot evaluate."""
    write(tmp_path, "p.tex", KNOWN_BRANCHES)
    subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-draftmode", "p.tex"],
        cwd=tmp_path,
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    aux = (tmp_path / "p.aux").read_text(encoding="utf-8")
    cited = [k for m in re.findall(r"\\citation\{([^}]*)\}", aux) for k in m.split(",")]
    assert cited == [k for k in KNOWN_READ if k not in ("innerF", "maybeR")]


def test_a_flag_set_inside_a_conditional_argmap_cannot_tell_is_unknown(tmp_path: Path) -> None:
    """The usual ``\\ifpdf`` preamble sets the flag in the branches of an ``\\ifx``: which one
    runs depends on the engine (pdflatex or latex), so both branches of ``\\ifpdf`` are read
    (round 27 took the last setter as run and dropped ``indvi`` silently); a flag set after the
    ``\\fi`` is known again."""
    text = (
        "\\newif\\ifpdf\n\\ifx\\pdfoutput\\undefined\n  \\pdffalse\n\\else\n  \\pdftrue\n\\fi\n"
        "\\ifpdf \\cite{inpdf} \\else \\cite{indvi} \\fi\n"
        "\\pdffalse\n\\ifpdf \\cite{gone} \\fi \\cite{after}\n"
    )
    path = write(tmp_path, "p.tex", text)
    assert [k for k, _, _ in keys_and_places(path)] == ["inpdf", "indvi", "after"]


def test_a_let_to_iftrue_opens_no_branch(tmp_path: Path) -> None:
    """``\\let\\ifpdf\\iftrue`` gives a meaning: the \\else of a later conditional is not
    taken for its own."""
    text = "\\let\\ifpdf\\iftrue\n\\ifx\\a\\b \\cite{x}\\else \\cite{y}\\fi\n\\cite{z}\n"
    path = write(tmp_path, "p.tex", text)
    assert [k for k, _, _ in keys_and_places(path)] == ["x", "y", "z"]


def test_an_environment_excludecomment_names_is_skipped(tmp_path: Path) -> None:
    """The comment package's \\excludecomment{solution} makes solution skipped like comment
    (including a name set in an \\input preamble); \\includecomment's stays read."""
    write(tmp_path, "preamble.tex", "\\usepackage{comment}\n\\excludecomment{solution}\n")
    text = (
        "\\input{preamble}\n\\includecomment{shown}\n% \\excludecomment{shown}\n"
        "\\cite{real}\n\\begin{solution}\n\\cite{hidden}\n\\end{solution}\n"
        "\\begin{shown}\\cite{seen}\\end{shown}\n"
    )
    path = write(tmp_path, "p.tex", text)
    assert [k for k, _, _ in keys_and_places(path)] == ["real", "seen"]


def test_the_abntex2cite_commands_are_read(tmp_path: Path) -> None:
    """abnTeX2's citation commands (Brazilian ABNT theses) each write \\citation{key} to the
    .aux (abntex2cite.sty); argmap read none of them: 11 of the 44 keys of abntex2cite-alf.tex
    and 6 of the 13 of abntex2-modelo-trabalho-academico.tex were missed."""
    text = (
        "Segundo \\citeonline[p.~146]{a} e \\citeauthoronline{b} (\\citeyear{b}).\n"
        "\\apud[p.~2--3]{c}{d} e \\apudonline[p.~3]{e}{f}.\n"
        "\\Idem[p. 9]{g}; \\Ibidem{h}; \\opcit{i}; \\passim{j}; \\loccit{k}; \\cfcite{l}; "
        "\\etseq{m}; \\footciteref{n}.\n"
    )
    path = write(tmp_path, "p.tex", text)
    assert [k for k, _, _ in keys_and_places(path)] == list("abbcdefghijklmn")


def test_the_tool_is_not_read_from_a_verbatim_example(tmp_path: Path) -> None:
    """A manual that shows \\usepackage{biblatex} in a verbatim example and builds with
    \\bibliography{} is built with BibTeX (key case: CIT105, not CIT204)."""
    from argmap.manuscripts.latex import bibliography_tool

    text = (
        "\\begin{verbatim}\n\\usepackage[backend=biber]{biblatex}\n\\end{verbatim}\n"
        "\\iffalse \\addbibresource{x.bib} \\fi\n\\bibliography{refs}\n"
    )
    assert bibliography_tool(tmp_path / "p.tex", text, lambda p: "") == "bibtex"


def test_a_block_quotation_is_read_only_on_its_last_line(tmp_path: Path) -> None:
    """abnTeX2's manual (abntex2cite-alf.tex:849-866) quotes ABNT's own examples in quote
    environments, "Exemplo: (FONSECA; PAIVA; SILVA, 1997)": the quoted works are not the
    writer's citations (APA 7, 8.32); the writer's citation of the quotation itself, closing its
    last line, is read — not the quoted text's own there ("Quoted (Green, 2007)."), as in a
    Markdown block quote (round 28: the whole last line was read)."""
    text = (
        "Before (Jones, 2001).\n\\begin{quote}\nAs citações de diversos documentos.\\\\\n"
        "Exemplo: (CRUZ; CORREA; COSTA; 1998, 1999, 2000)\nand what Brown et al. (2008) said\n"
        "ends here. (Rossi, 2009, p. 4)\n\\end{quote}\n"
        "\\begin{quotation}\nQuoted (Green, 2007).\n\\end{quotation}\n(Kim, 2011) after.\n"
    )
    path = write(tmp_path, "p.tex", text)
    found = [
        (f.authors, f.year)
        for p in open_manuscript(path)
        if isinstance(p, Span)
        for f in scan_span(p)
    ]
    assert found == [
        (("Jones",), "2001"),
        (("Rossi",), "2009"),
        (("Kim",), "2011"),
    ]


def test_a_listing_environment_the_documents_own_package_defines_is_code(tmp_path: Path) -> None:
    """jmrplens/TFG-TFM_EPS: the class (cls/eps-tfg.cls, found on \\input@path) loads
    sty/eps-codigo.sty, whose \\newtcblisting{codigosimple} shows LaTeX examples: their 18
    \\parencite/\\textcite were read as citations, and an \\input in one was a DOC101. A file
    on \\input@path (\\input{eps-metadata}) is found there."""
    write(tmp_path, "cls/eps-tfg.cls", "\\LoadClass{book}\n\\RequirePackage{eps-codigo}\n")
    write(
        tmp_path,
        "sty/eps-codigo.sty",
        "\\newtcblisting[use counter=listing]{codigosimple}[3][]{minted language=#2}\n"
        "\\lstnewenvironment{lst}{}{}\n\\newminted{python}{}\n% \\newtcblisting{commented}{}\n",
    )
    write(tmp_path, "cls/eps-metadata.tex", "\\cite{meta}\n")
    text = (
        "\\makeatletter\\def\\input@path{{cls/}{sty/}}\\makeatother\n\\input{eps-metadata}\n"
        "\\documentclass{eps-tfg}\n\\begin{document}\n\\cite{real}\n"
        "\\begin{codigosimple}{latex}{Citas}\n\\textcite{example}\n\\input{figuras/f.tex}\n"
        "\\end{codigosimple}\n\\begin{lst}\\cite{inlst}\\end{lst}\n"
        "\\begin{pythoncode}\n\\cite{inpython}\n\\end{pythoncode}\n"
        "\\begin{commented}\\cite{shown}\\end{commented}\n\\end{document}\n"
    )
    path = write(tmp_path, "main.tex", text)
    assert [k for k, _, _ in keys_and_places(path)] == ["meta", "real", "shown"]
    assert notices(path) == []


# The shape of nsacco/clases-arg's quotations (Spanish sociology, pandoc's LaTeX of its R
# Markdown chapters): the quoted words hold their own citations, and the writer's closes them
# after the closing quotation mark, before the final period.
QUOTED_BODY = (
    "Como dice el autor:\n",
    "``La ocupación es central, siguiendo a Ganzeboom y Treiman (1996), para\n",
    "la comparación (Erikson, 1992) entre encuestas'' (Barozet, 2007, p. 45).\n",
    "Después (Filgueira, 2001).\n",
)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        pytest.param(
            "p.tex",
            QUOTED_BODY[0]
            + "\\begin{quote}\n"
            + QUOTED_BODY[1]
            + QUOTED_BODY[2]
            + "\\end{quote}\n"
            + QUOTED_BODY[3],
            id="latex-quote",
        ),
        pytest.param(
            "p.tex",
            QUOTED_BODY[0]
            + "\\begin{citacao}\n"
            + QUOTED_BODY[1]
            + QUOTED_BODY[2]
            + "\\end{citacao}\n"
            + QUOTED_BODY[3],
            id="abntex2-citacao",
        ),
        pytest.param(
            "p.tex",
            QUOTED_BODY[0]
            + "\\begin{quote}"
            + QUOTED_BODY[1]
            + QUOTED_BODY[2].rstrip()
            + "\\end{quote} "
            + QUOTED_BODY[3],
            id="latex-quote-on-the-lines",
        ),
        pytest.param(
            "p.md",
            QUOTED_BODY[0]
            + "\n> "
            + QUOTED_BODY[1]
            + "> "
            + QUOTED_BODY[2]
            + "\n"
            + QUOTED_BODY[3],
            id="markdown",
        ),
        # ABNT's long quotation, without quotation marks, closed by the writer's citation
        pytest.param(
            "p.tex",
            "\\begin{citacao}\nA ocupação é central segundo Ganzeboom e Treiman (1996) para a\n"
            "comparação (ERIKSON, 1992) entre pesquisas. (BAROZET, 2007, p. 45)\n"
            "\\end{citacao}\nDepois (FILGUEIRA, 2001).\n",
            id="abntex2-citacao-abnt",
        ),
        pytest.param(
            "p.md",
            "> A ocupação é central segundo Ganzeboom e Treiman (1996) para a\n"
            "> comparação (ERIKSON, 1992) entre pesquisas. (BAROZET, 2007, p. 45)\n\n"
            "Depois (FILGUEIRA, 2001).\n",
            id="markdown-abnt",
        ),
    ],
)
def test_latex_and_markdown_block_quotations_read_alike(
    tmp_path: Path, name: str, text: str
) -> None:
    """A block quotation reads the same in LaTeX (quote, quotation, displayquote, quoting,
    abnTeX2's citacao) and Markdown: its own citations are not the writer's, the writer's
    citation closing it is, also after the closing quotation mark and before a final period
    (which Markdown's rule did not read, and LaTeX's whole last line over-read)."""
    path = write(tmp_path, name, text)
    found = [
        (f.authors, f.year)
        for p in open_manuscript(path)
        if isinstance(p, Span)
        for f in scan_span(p)
    ]
    assert [(a[0].title(), y) for a, y in found] == [("Barozet", "2007"), ("Filgueira", "2001")]


def test_a_cite_command_in_a_quotations_parentheses_is_read(tmp_path: Path) -> None:
    """Only author–year text is blanked on a quotation's last line: "(see \\citealp{k2009})"
    holds a digit, and is still read."""
    path = write(
        tmp_path,
        "p.tex",
        "\\begin{quote}\nWords (see \\citealp{k2009}) and (Inner, 1999)\n\\end{quote}\n",
    )
    found = [
        f.key or f.text for p in open_manuscript(path) if isinstance(p, Span) for f in scan_span(p)
    ]
    assert found == ["k2009"]
