"""The rule registry: every problem kind and citation status with its stable code, its name, its
default severity and what to do about it. Adding a kind is adding one line to ``RULES``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from argmap.base.severity import Severity


class Rule(NamedTuple):
    """A kind of finding: code (``CIT201``), name (``year-mismatch``), default severity (None for
    a status that is not a problem, like ``ok``), what it means and what to do."""

    code: str
    name: str
    severity: Severity | None
    meaning: str
    fix: str


# error, warning, note (info): short, so that each rule stays on one line
E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO

# Codes are stable: a code is never reused for another meaning. BIB1xx are the entries' content,
# BIB2xx the .bib file's syntax, CIT1xx citations that resolve, CIT2xx citations that do not,
# MAP1xx the map's citations, MAP2xx the map's structure (the checks every command runs when it
# loads a map), MAP3xx map files that do not read, DOC1xx how manuscripts were read.
# fmt: off
RULES: tuple[Rule, ...] = (
    Rule("BIB101", "missing-field", W, "a cited entry lacks a field its type requires (biblatex's data model; a CSL item: title and issued; in a document built with BibTeX, as BibTeX reads the entry, with its crossref's fields under their own names and the .bst's 'need ... to crossref', 'to sort, need ...' and 'all relevant fields are empty' warnings)", "add the field, or mark the entry x-incomplete with the reason"),
    Rule("BIB102", "known-incomplete", N, "a cited entry is marked x-incomplete", "complete the entry when you can; nothing to do before then"),
    Rule("BIB103", "never-cited", W, "an entry cited neither by the map nor by a manuscript checked with it (listed with --unused)", "cite it or remove it"),
    Rule("BIB104", "unknown-type", W, "an entry type argmap does not know (BibTeX's and biblatex's are known), unless the style every document checked with it names defines it (a .bst's FUNCTION, a biblatex style's driver, read with kpsewhich; pandoc's own list; Typst's, which prints a type it does not know as misc); a style argmap cannot read is named in the warning; also a type argmap knows that the document's .bst does not define or its biblatex style has no driver for (an error where the biblatex style has no fallback driver: LaTeX stops with No driver for 'T' found)", "use a standard type such as @article, @book, @incollection or @misc"),
    Rule("BIB105", "missing-crossref", E, "a crossref names an entry in no bibliography read; or names it in another case, which BibTeX finds but biber and pandoc do not: an error when a document checked with the bibliography is built with biber or pandoc (in a run that mixes them with BibTeX, the message says what each tool does), nothing when every document is built with BibTeX, a warning when none tells its tool; in a document built with BibTeX, an entry placed before every cited entry that crossrefs it and not cited itself (BibTeX has passed it: A bad cross reference); and, when every document that tells its tool is built with BibTeX, a warning for a crossref to an entry with a crossref of its own, which BibTeX does not follow (you've nested cross references)", "add the entry it refers to, or remove the crossref field"),
    Rule("BIB106", "missing-xdata", E, "an xdata names an entry in no bibliography read", "add the @xdata entry, or remove the xdata field"),
    Rule("BIB107", "missing-set-member", E, "a @set's entryset names an entry in no bibliography read", "add the entry, or remove it from the entryset"),
    Rule("BIB108", "alias-clash", E, "an ids alias is also another entry's key or alias", "remove the alias or rename one entry"),
    Rule("BIB109", "never-cited-summary", W, "how many entries nothing cites (the map's own refs.bib, or any with --unused)", "cite them or remove them; --unused lists them"),
    Rule("BIB110", "too-many-commas", E, "a name in a cited entry's name list (author, editor, ...) has more than two commas, as names separated by commas, not \"and\", have: BibTeX stops, biber drops the entry (a name in biblatex's extended format, family=..., given=..., which biber and pandoc read, is an error only in a document built with BibTeX; commas at a name's end, which BibTeX 0.99d drops, are an error only in a document built with biber)", "separate the names with \" and \", and brace a corporate name ({Acme, Inc.})"),
    Rule("BIB111", "missing-related", W, "a biblatex related field names an entry in no bibliography read (biber warns and prints the entry without it)", "add the entry it refers to, or remove it from the related field"),
    Rule("BIB112", "alias-own-key", W, "an entry lists its own key in ids: biber warns (BAD RECURSION) and skips it", "remove the entry's own key from its ids"),
    Rule("BIB113", "empty-bibliography", W, "a bibliography file that holds no entry at all (an export not yet made, a file emptied, the wrong file named): every citation checked against it alone is missing", "export the bibliography again from the reference manager, or name the file that holds the entries"),
    Rule("BIB201", "parse-failed", E, "an entry could not be parsed", "check the braces, commas and quotes of the entry"),
    Rule("BIB202", "no-key", E, "an entry without a citation key", "add a key after the opening brace"),
    Rule("BIB203", "bad-key", E, "a key with spaces, commas, braces, double quotes, # or %", "rename the key"),
    Rule("BIB204", "duplicate-key", E, "two entries share a key: BibTeX and biber print the first, pandoc the last (the message says which the document's tool prints; argmap matches with it)", "rename one of them or delete the copy"),
    Rule("BIB205", "duplicate-field", W, "an entry gives a field two different values (biber and pandoc use the last, BibTeX the first and warns, as the message says for a document built with BibTeX; argmap matches with the value the document's tool uses)", "keep one value per field"),
    Rule("BIB206", "unresolved-string", W, "a field uses an @string that is not defined: BibTeX and biber warn and leave the name out (a field that is nothing else prints empty), pandoc prints the name as the text, silently; the document builds, and the message says what its tool prints (in a document built with BibTeX, only in a cited entry and a field its .bst declares, and not for a name the .bst defines as a MACRO: BibTeX reads those alone, with the style's macros)", "define it with @string or enclose the value in braces"),
    Rule("BIB207", "duplicate-string", W, "an @string is defined again with another value (one warning for all of a file's): BibTeX, biber and pandoc use each definition for the entries after it, silently (the same value again is no problem)", "keep one definition of each @string, with the value you mean"),
    Rule("BIB208", "string-cycle", E, "an @string refers to itself through others", "define it with a literal value"),
    Rule("BIB209", "missing-comma", E, "no comma between two fields, so BibTeX reads them as one value", "add the comma after the first field's value"),
    Rule("BIB210", "key-apostrophe", W, "a key with an apostrophe (O'Hagan2007) or an equals sign (abnt-and-type=e): BibTeX and pandoc read it, biber stops at it and keeps no entry of the file", "rename the key without the apostrophe or equals sign if the document is built with biber"),
    Rule("BIB211", "commented-entry", W, "an entry commented out with '%' (%@article{key, ...}): biber and pandoc skip the line, BibTeX has no comments outside entries and reads the entry (and stops on one whose fields are commented out too); argmap reads it as BibTeX does, but drops a commented-out copy of an entry the file also holds live, as biber and pandoc do", "delete the entry, or enclose it in @comment{...}, which BibTeX, biber and pandoc all skip"),
    Rule("BIB221", "unbraced-comment", W, "a @comment whose text is not in braces: biber stops at it and reads no entry of the file, pandoc 3 refuses the file (BibTeX and pandoc 2 skip it)", "put the comment's text in braces, @comment{...}, or delete it"),
    Rule("BIB222", "tool-loses-file", E, "the document is built with biber, which reads no entry of this bibliography (an entry key with an apostrophe, a @comment without braces, an entry without a key): every citation of its entries comes out undefined", "remove the cause named at the line given"),
    Rule("BIB223", "key-case-clash", W, "two keys differ only in case (Chen_2017, chen_2017): BibTeX takes the second for a repeated entry and prints the first work for it (an error in a document built with BibTeX); biber warns", "give the two works keys that differ in more than case"),
    Rule("BIB224", "pandoc-refuses-file", E, "the document is built with pandoc, which refuses the whole bibliography at an entry whose type is not letters alone (@book_section) or that opens with a round bracket (@article(key, ...), @string(...), @preamble(...)): no citation of it resolves", "write the entry as @type{key, ...} with a standard type (a @string or @preamble in braces)"),
    Rule("BIB225", "toplevel-junk", W, "text between entries that is no entry and no % comment (a stray }, a note): biber warns 'N characters of junk seen at toplevel' at the next entry and keeps every entry; BibTeX and pandoc ignore it (said only for a document built with biber)", "delete it, or begin each of its lines with % to keep it as a comment"),
    Rule("CIT100", "ok", None, "the citation resolves to one entry", "nothing"),
    Rule("CIT101", "name-mismatch", W, "a surname spelt differently from its entry (resolved)", "correct the spelling to the entry's"),
    Rule("CIT102", "suffix-by-order", W, "a year letter (2019b) resolved in citeproc's order, as the bibliography does not letter its works", "check that it is the work meant, or cite it by key"),
    Rule("CIT103", "suffix-unmatched", W, "a year letter on the only such work of the bibliography (resolved)", "check that the work meant is in the bibliography"),
    Rule("CIT104", "partial-surname", W, "a compound surname cited by part of it, e.g. its first surname (resolved)", "nothing, if the style wants the short form; the message gives the full one"),
    Rule("CIT105", "key-case", W, "a key cited in another case than its entry's, in a document built with BibTeX, which finds it (biber and pandoc would not)", "write the key as the entry has it"),
    Rule("CIT201", "year-mismatch", E, "the authors fit an entry but the year does not", "check the year, or add the work"),
    Rule("CIT202", "ambiguous", E, "the citation fits several entries", "add a year suffix (1997a, 1997b) or cite by key"),
    Rule("CIT203", "missing", E, "no entry for an author–year citation", "add the work to the bibliography or correct the citation"),
    Rule("CIT204", "unknown-key", E, "a cited key is not in the bibliography (the hint names the file to add it to, and its kind: CSL-JSON, CSL-YAML, a document's references:)", "correct the key (argmap suggests the nearest) or add the entry"),
    Rule("CIT205", "key-latex-special", E, "a key with %, # or ~ in a Markdown document built with natbib or biblatex: pandoc writes it into \\citep{} or \\autocite{} as it is, where LaTeX reads a comment, a macro parameter or a space, and stops or leaves the citation undefined", "rename the key without %, # or ~"),
    Rule("CIT206", "nocite-unknown-key", W, "a key the metadata's nocite names is not in the bibliography: pandoc's citeproc leaves it out of the references silently (BibTeX and biber warn)", "correct the key or add the entry"),
    Rule("DOC101", "input-not-followed", W, "a manuscript includes a file (\\input, \\include, a Quarto include, a knitr child) argmap could not find or name", "give the path relative to the including file, or check the file as a manuscript of its own"),
    Rule("DOC102", "input-loop", E, "a manuscript includes a file that is already being read", "remove the circular include"),
    Rule("DOC103", "field-code-unreadable", W, "a Zotero, Mendeley or EndNote citation field (or Mendeley Cite content control) in a Word or OpenDocument file whose data cannot be read, or an EndNote citation that carries no record of its work (its text is checked as running text)", "refresh the citations in the reference manager"),
    Rule("DOC104", "front-matter-invalid", E, "a Markdown, Quarto or R Markdown manuscript whose YAML front matter (or a later YAML metadata block) does not parse: pandoc, Quarto and R Markdown stop on it, so the document does not build", "correct the YAML at the line named: items of one list indented alike, a value holding ': ' quoted, quotes and brackets closed"),
    Rule("DOC105", "table-cut", W, "a column boundary of a pandoc simple, multiline or headless table cuts a citation key, so pandoc reads part of it as the key", "widen the table's columns (its dashed line) so each citation stands in one column"),
    Rule("DOC106", "front-matter-unclosed", W, "a Markdown, Quarto or R Markdown manuscript opens YAML front matter on line 1 ('---' then a 'key:' line) that no '---' or '...' line closes: pandoc reads it as a horizontal rule and text, so the metadata (bibliography, title) is not set; argmap reads it as pandoc does", "close the front matter with a line '---'"),
    Rule("DOC107", "format-without-bibliography", W, "an output format of a Quarto or R Markdown document names no bibliography while its other formats name one, and none is configured: that format is not checked, and Quarto or R Markdown renders it with its citations unresolved", "name a bibliography under that format (or at the top level), or give --bib FILE"),
    Rule("DOC108", "citeproc-not-run", W, "an R Markdown output format built by citeproc whose bibliography only its pandoc_args name (--bibliography, -d, --metadata-file): rmarkdown adds --citeproc only when the front matter names a bibliography or references, so pandoc prints the citations as written", "name the bibliography in the front matter (bibliography:), or add --citeproc to pandoc_args"),
    Rule("MAP101", "printed-differs", W, "a map citation's printed form names another author or year than its entry", "keep `printed` as the source prints it; fix the key if the work is another"),
    Rule("MAP102", "printed-misspelt", N, "a map citation's printed form spells the surname differently (as OCR does)", "nothing, if the source prints it so"),
    Rule("MAP201", "duplicate-id", E, "two claims or pieces of evidence share an id", "give each a unique id"),
    Rule("MAP202", "unknown-target", E, "a relation's target is no claim of the map", "name an existing claim (argmap suggests the nearest)"),
    Rule("MAP203", "self-relation", E, "a claim relates to itself", "remove the relation"),
    Rule("MAP204", "unknown-section", E, "a locator names a section the article does not list", "use one of the article's sections"),
    Rule("MAP205", "missing-text", E, "a claim has no text in the article's language or in English", "add the text"),
    Rule("MAP206", "root", E, "the map has no root claim (diagnosis or thesis), or several", "keep one diagnosis and link the others to it"),
    Rule("MAP207", "support-cycle", E, "claims support each other in a cycle", "remove one link of the cycle"),
    Rule("MAP208", "unreachable", E, "a recommendation the argument never reaches from its root", "link it with leads_to from a claim on the argument's path"),
    Rule("MAP301", "invalid-map", E, "a map file that does not read: YAML syntax, a field's type or value, an unknown field, an empty file", "fix what the message says (argmap schema helps an editor check as you type)"),
)
# fmt: on

BY_NAME: dict[str, Rule] = {rule.name: rule for rule in RULES}
BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}


def rule_for(kind: str) -> Rule:
    """The rule of a problem kind or citation status, by its name.

    A kind without a rule is a bug of argmap (tests/base/test_rules.py finds it); it is shown
    under the code ``ARG000`` rather than lost.
    """
    rule = BY_NAME.get(kind)
    if rule is None:
        return Rule("ARG000", kind, None, "a finding argmap has no code for (a bug)", "report it")
    return rule


def code_of(kind: str) -> str:
    """The code of a problem kind or citation status."""
    return rule_for(kind).code


def matches(code: str, patterns: Iterable[str]) -> bool:
    """Whether ``code`` is one of ``patterns`` or starts with one of them (``CIT2``, ``ALL``)."""
    return any(p == "ALL" or code.startswith(p) for p in patterns)


def unknown_patterns(patterns: Iterable[str]) -> list[str]:
    """The patterns that select no rule at all (a typo, most likely)."""
    return [p for p in patterns if not any(matches(r.code, [p]) for r in RULES)]
