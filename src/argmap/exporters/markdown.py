"""Markdown export: the argument as an outline with pandoc citations, for `pandoc --citeproc`.

Claims appear in argument order — the root, its reasons, then what it leads to, down to the
recommendations — each with its evidence, whose sources are pandoc citations (`[@key, p. 12]`).
The root and the claims beneath it are headings; deeper claims nest as lists, never more than
four levels deep, so LaTeX (and `pandoc -o map.pdf`) accepts them. The front matter names the
bibliography, and a `#refs` block places the reference list.
"""

from __future__ import annotations

import json
import re

from argmap.base.sanitize import escape_markdown, json_safe
from argmap.exporters import ExportContext
from argmap.map.models import Citation
from argmap.map.vocab import claim_kind, evidence_kind, relation, stance_prefix
from argmap.render.outline import ClaimNode, build_outline

WORDS = {
    "es": {
        "title": "Mapa argumentativo",
        "intro": "El argumento de {work}, del diagnóstico a las recomendaciones.",
        "focus": "La parte del argumento que cuelga de {id}.",
        "depth": "Solo el primer nivel del argumento.|Solo los {n} primeros niveles del argumento.",
        "argument": "Argumento",
        "evidence": "Evidencia",
        "reported": "según",
        "see_above": "véase arriba",
        "continued": "continuación",
        "unlinked": "Sin enlace con la raíz",
        "references": "Referencias",
        "below": "sigue abajo",
        "continues_from": "Continúa {id}.",
    },
    "en": {
        "title": "Argument map",
        "intro": "The argument of {work}, from its diagnosis to its recommendations.",
        "focus": "The part of the argument beneath {id}.",
        "depth": "Only the first level of the argument.|Only the first {n} levels of the argument.",
        "argument": "Argument",
        "evidence": "Evidence",
        "reported": "after",
        "see_above": "see above",
        "continued": "continued",
        "unlinked": "Not linked to the root",
        "references": "References",
        "below": "continued below",
        "continues_from": "Continues {id}.",
    },
}

# pandoc's bare key: a word character (Unicode letters too: ``@müller2020``, ``@пункт3``), then
# word characters and punctuation followed by one
_PLAIN_KEY = re.compile(r"\w(?:\w|[:.#$%&+?<>~/-](?=\w))*")
INDENT = "    "

# Markdown's and pandoc's special characters escaped (raw HTML and LaTeX included), control
# characters written as codes, whitespace collapsed: text from the map reads as plain text.
escape = escape_markdown


def cite_key(key: str) -> str:
    """``@key``, braced when the key has characters pandoc would not read as part of it."""
    return f"@{key}" if _PLAIN_KEY.fullmatch(key) else f"@{{{key}}}"


def citation_group(citations: list[Citation], lang: str) -> str:
    """One pandoc citation group for ``citations``: ``[@a, p. 3; cf. @b]``."""
    items = []
    for cit in citations:
        prefix = stance_prefix(cit.stance, lang)
        item = f"{prefix} {cite_key(cit.key)}" if prefix else cite_key(cit.key)
        if cit.locator:
            # Inside a citation, ";" would start the next item: it becomes ",".
            item += f", {escape(cit.locator.replace(';', ','))}"
        items.append(item)
    return f"[{'; '.join(items)}]"


def sentence(text: str, citations: list[Citation], lang: str) -> str:
    """``text`` escaped, its citations before the final full stop."""
    body = escape(text).rstrip()
    end = "."
    if body.endswith((".", "!", "?")):
        body, end = body[:-1], body[-1]
    if citations:
        body += " " + citation_group(citations, lang)
    return body + end


MAX_LIST_LEVELS = 4  # LaTeX nests lists four deep ("Too deeply nested" beyond), so pandoc does


class Writer:
    """The document's lines, and the claims pushed out of a list that would nest too deeply.

    The root claims are sections (``###``) and the claims beneath a root subsections
    (``####``); below them claims nest as lists, their evidence one level deeper. A claim that
    would sit on the fourth list level with evidence or claims of its own is named there with
    a link and written after its branch as a ``#####`` section of its own, so no list is
    deeper than ``MAX_LIST_LEVELS``.
    """

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.words = WORDS.get(lang, WORDS["en"])
        self.out: list[str] = []
        self.deferred: list[tuple[ClaimNode, str]] = []

    def head(self, node: ClaimNode, target: bool = False) -> str:
        """``*apoya* · **P1**``: the relation to the parent (if any) and the claim's id, made the
        target of links to the claim when ``target``."""
        head = f"**{escape(node.claim.id)}**"
        if target:
            head = f"[{head}]{{#{anchor(node.claim.id)}}}"
        if node.relation is not None:
            head = f"*{relation(node.relation, self.lang)}* · {head}"
        return head

    def where(self, node: ClaimNode, reported: bool) -> str:
        """``*premisa*, §1 ¶2`` and, when asked, the works the claim is reported from."""
        c = node.claim
        where = f"*{claim_kind(c.kind, self.lang)}*, {escape(str(c.locator))}"
        if reported and c.reported_from:
            keys = "; ".join(cite_key(k) for k in c.reported_from)
            where += f", {self.words['reported']} {keys}"
        return where

    def evidence_items(self, node: ClaimNode, level: int) -> None:
        """The claim's evidence as list items at ``level``."""
        pad = INDENT * level
        for ev, ev_view in zip(node.claim.evidence, node.evidence, strict=True):
            label = (
                f"*{self.words['evidence']} {escape(ev.id)}* ({evidence_kind(ev.kind, self.lang)})"
            )
            self.out.append(
                f"{pad}- {label}: {sentence(ev_view.description, ev.citations, self.lang)}"
            )

    def item(self, node: ClaimNode, level: int, parent: str) -> None:
        """A claim as a list item at ``level`` (0-based), its evidence and claims beneath it."""
        pad = INDENT * level
        c = node.claim
        if node.seen_before:
            self.out.append(f"{pad}- {self.head(node)} ({self.see_above(c.id)})")
            return
        has_more = bool(c.evidence or node.children)
        if has_more and level + 1 >= MAX_LIST_LEVELS:
            self.out.append(
                f"{pad}- {self.head(node)} (*{claim_kind(c.kind, self.lang)}*): "
                f"[{self.words['below']}](#{anchor(c.id)})"
            )
            self.deferred.append((node, parent))
            return
        self.out.append(
            f"{pad}- {self.head(node, target=True)} ({self.where(node, True)}): "
            f"{sentence(node.text, [], self.lang)}"
        )
        self.evidence_items(node, level + 1)
        if node.continues:
            self.out.append(f"{pad}{INDENT}- [{self.words['below']}](#{anchor(c.id)}-continued)")
        for child in node.children:
            self.item(child, level + 1, c.id)

    def see_above(self, claim_id: str) -> str:
        """A link back to where a claim reached twice was written."""
        return f"[{self.words['see_above']}](#{anchor(claim_id)})"

    def section(self, node: ClaimNode, depth: int, parent: str | None = None) -> None:
        """A claim as a heading of ``depth`` ``#``, its text, evidence and what hangs beneath."""
        c = node.claim
        hashes = "#" * depth
        if node.seen_before:
            self.out += ["", f"{hashes} {self.head(node)} ({self.see_above(c.id)})"]
            return
        if node.continuation:
            self.out += [
                "",
                f"{hashes} {self.head(node)} ({self.words['continued']}) "
                f"{{#{anchor(c.id)}-continued}}",
                "",
            ]
            for child in node.children:
                self.item(child, 0, c.id)
            return
        self.out += [
            "",
            f"{hashes} {self.head(node)} ({self.where(node, False)}) {{#{anchor(c.id)}}}",
        ]
        self.out.append("")
        lead = ""
        if parent is not None:
            lead = f"*{self.words['continues_from'].format(id=escape(parent))}* "
        text = sentence(node.text, [], self.lang)
        if c.reported_from:
            # after the text, as a citation: a claim that names its source itself ("Según
            # Hirst y Zeitlin, ...") then reads as written, not "Según Hirst y Zeitlin (1997):
            # Según Hirst y Zeitlin, ..."
            keys = "; ".join(cite_key(k) for k in c.reported_from)
            text = f"{text[:-1]} [{self.words['reported']} {keys}]{text[-1]}"
        self.out.append(lead + text)
        if c.evidence:
            self.out.append("")
            self.evidence_items(node, 0)
        if node.continues:
            self.out += ["", f"[{self.words['below']}](#{anchor(c.id)}-continued)"]
        if depth <= SUBSECTION - 1:
            for child in node.children:
                self.section(child, depth + 1)
                self.flush()
        elif node.children:
            if not c.evidence:
                self.out.append("")
            for child in node.children:
                self.item(child, 0, c.id)

    def flush(self) -> None:
        """Write the claims pushed out of lists, each as a section after its branch."""
        while self.deferred:
            node, parent = self.deferred.pop(0)
            self.section(node, SUBSECTION + 1, parent)


SECTION = 3  # a root claim: ###
SUBSECTION = 4  # a claim beneath a root: ####


def anchor(claim_id: str) -> str:
    """The identifier of a claim's heading (map ids are letters, digits, ``_ . -``)."""
    return f"claim-{claim_id}"


def export(ctx: ExportContext) -> str:
    """The map as a pandoc Markdown document."""
    lang = ctx.lang
    words = WORDS.get(lang, WORDS["en"])
    argmap = ctx.map
    outline = build_outline(argmap, lang=lang, evidence=True, focus=ctx.focus, depth=ctx.depth)
    key = argmap.article.key
    work = (
        cite_key(key)
        if ctx.bib is not None and key in ctx.bib
        else f"*{escape(argmap.article.title)}*"
    )
    # pandoc reads metadata strings as Markdown: the title is escaped like any text.
    title = words["title"] + ": " + escape(argmap.article.title)
    out = [
        "---",
        f"title: {json.dumps(title, ensure_ascii=False)}",
        f"lang: {lang}",
        "bibliography: "
        + json_safe(
            json.dumps(
                list(ctx.bib_names) if len(ctx.bib_names) > 1 else ctx.bib_name,
                ensure_ascii=False,
            )
        ),
        "link-citations: true",
        "---",
        "",
        words["intro"].format(work=work),
    ]
    if ctx.focus is not None:
        out += ["", words["focus"].format(id=f"**{escape(ctx.focus)}**")]
    if ctx.depth is not None:
        out += ["", words["depth"].split("|")[ctx.depth != 1].format(n=ctx.depth)]
    out += ["", f"## {words['argument']}"]
    writer = Writer(lang)
    for root in outline.roots:
        writer.section(root, SECTION)
        writer.flush()
    if outline.unlinked:
        writer.out += ["", f"## {words['unlinked']}"]
        for node in outline.unlinked:
            writer.section(node, SECTION)
            writer.flush()
    # a branch nested too deep for the outline goes on, headed by its claim again
    for node in outline.continuations:
        writer.section(node, SUBSECTION + 1)
        writer.flush()
    out += writer.out
    out += ["", f"## {words['references']}", "", "::: {#refs}", ":::"]
    return "\n".join(out) + "\n"
