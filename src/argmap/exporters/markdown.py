"""Markdown export: the argument as a nested outline with pandoc citations, for `pandoc --citeproc`.

Claims appear in argument order — the root, its reasons, then what it leads to, down to the
recommendations — each with its evidence, whose sources are pandoc citations (`[@key, p. 12]`).
The front matter names the bibliography, and a `#refs` block places the reference list.
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
        "argument": "Argumento",
        "evidence": "Evidencia",
        "reported": "según",
        "see_above": "véase arriba",
        "continued": "continuación",
        "continues": "sigue más abajo",
        "unlinked": "Sin enlace con la raíz",
        "references": "Referencias",
    },
    "en": {
        "title": "Argument map",
        "intro": "The argument of {work}, from its diagnosis to its recommendations.",
        "focus": "The part of the argument beneath {id}.",
        "argument": "Argument",
        "evidence": "Evidence",
        "reported": "after",
        "see_above": "see above",
        "continued": "continued",
        "continues": "continued below",
        "unlinked": "Not linked to the root",
        "references": "References",
    },
}

_PLAIN_KEY = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_]|[:.#$%&+?<>~/-](?=[A-Za-z0-9_]))*")
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


def export(ctx: ExportContext) -> str:
    """The map as a pandoc Markdown document."""
    lang = ctx.lang
    words = WORDS.get(lang, WORDS["en"])
    argmap = ctx.map
    outline = build_outline(argmap, lang=lang, evidence=True, focus=ctx.focus)
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
    out += ["", f"## {words['argument']}", ""]

    def claim(top: ClaimNode, top_level: int) -> None:
        # Depth first on a stack of our own: a chain thousands of claims deep must not exhaust
        # Python's (and the outline continues a deep branch apart, so indentation is bounded).
        pending = [(top, top_level)]
        while pending:
            node, level = pending.pop()
            pad = INDENT * level
            c = node.claim
            head = f"**{escape(c.id)}**"
            if node.relation is not None:
                head = f"*{relation(node.relation, lang)}* → {head}"
            if node.seen_before:
                out.append(f"{pad}- {head} ({words['see_above']})")
                continue
            if node.continuation:
                out.append(f"{pad}- {head} ({words['continued']})")
            else:
                where = f"*{claim_kind(c.kind, lang)}*, {escape(str(c.locator))}"
                if c.reported_from:
                    keys = "; ".join(cite_key(k) for k in c.reported_from)
                    where += f", {words['reported']} {keys}"
                if node.continues:
                    where += f", {words['continues']}"
                out.append(f"{pad}- {head} ({where}): {sentence(node.text, [], lang)}")
                for ev, ev_view in zip(c.evidence, node.evidence, strict=True):
                    label = (
                        f"*{words['evidence']} {escape(ev.id)}* ({evidence_kind(ev.kind, lang)})"
                    )
                    text = sentence(ev_view.description, ev.citations, lang)
                    out.append(f"{pad}{INDENT}- {label}: {text}")
            pending.extend((child, level + 1) for child in reversed(node.children))

    for root in outline.roots:
        claim(root, 0)
    if outline.unlinked:
        out += ["", f"## {words['unlinked']}", ""]
        for node in outline.unlinked:
            claim(node, 0)
    for node in outline.continuations:
        out.append("")
        claim(node, 0)
    out += ["", f"## {words['references']}", "", "::: {#refs}", ":::"]
    return "\n".join(out) + "\n"
