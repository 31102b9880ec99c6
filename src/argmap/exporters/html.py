"""HTML export: the map as one self-contained page that any browser reads offline.

The argument is an outline in argument order (the tree `show` draws) made of ``<details>``
elements, so branches fold and unfold without any script; every citation links to its entry in
the reference list at the end, formatted as `argmap refs` formats it (APA, by citeproc-py). A
map written in two languages carries both, and two radio buttons switch between them by CSS
alone. The one inline script only adds "unfold all / fold all" buttons and unfolds everything
before printing; styles are inline, nothing is fetched. Every text that comes from the map or
the bibliography is escaped: a claim that says ``<script>`` shows those characters.
"""

from __future__ import annotations

import re
from html import escape as html_escape

from argmap.base.sanitize import char_code, escape_controls
from argmap.bib.model import Bibliography
from argmap.exporters import ExportContext
from argmap.exporters.markdown import WORDS as MARKDOWN_WORDS
from argmap.map.models import ArgumentMap, Citation, Claim, Evidence
from argmap.map.vocab import claim_kind, evidence_kind, relation, stance_prefix
from argmap.render.outline import ClaimNode, build_outline

LOCALES = {"es": "es-ES", "en": "en-US"}
LANGUAGE_NAMES = {"es": "Español", "en": "English"}

# The words the Markdown export also prints come from it, so the two exports say the same.
_SHARED = (
    "title",
    "intro",
    "focus",
    "argument",
    "evidence",
    "reported",
    "see_above",
    "unlinked",
    "references",
)
_OWN = {
    "es": {
        "missing": "no está en la bibliografía",
        "unfold": "Desplegar todo",
        "fold": "Plegar todo",
        "language": "Idioma",
        "no_refs": "El mapa no cita ninguna obra de la bibliografía.",
    },
    "en": {
        "missing": "not in the bibliography",
        "unfold": "Unfold all",
        "fold": "Fold all",
        "language": "Language",
        "no_refs": "The map cites no work of the bibliography.",
    },
}
WORDS = {
    lang: {**{k: MARKDOWN_WORDS[lang][k] for k in _SHARED}, **own} for lang, own in _OWN.items()
}

STYLE = """
:root { --ink: #1b1b1b; --muted: #5f6368; --line: #d0d4d9; --accent: #1a5fb4; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 62rem; padding: 1.5rem 1.25rem 4rem; color: var(--ink);
  font: 1rem/1.5 Georgia, "Times New Roman", serif; background: #fff; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 .5rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .75rem; border-bottom: 1px solid var(--line); }
.bar { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: center;
  font: .9rem/1.4 system-ui, sans-serif; color: var(--muted); margin: .5rem 0 1rem; }
.bar label, .bar button { cursor: pointer; border: 1px solid var(--line); border-radius: 4px;
  padding: .15rem .6rem; background: #f6f7f8; font: inherit; color: var(--ink); }
.switch { position: absolute; opacity: 0; pointer-events: none; }
ul.tree, ul.tree ul { list-style: none; margin: 0; padding-left: 1.4rem; }
ul.tree { padding-left: 0; }
li.claim { margin: .35rem 0; }
li.claim > details > summary, li.claim > .leaf { cursor: pointer; padding: .3rem .5rem;
  border-left: 4px solid var(--kind, var(--line)); background: #fafbfc;
  border-radius: 0 4px 4px 0; }
li.claim > .leaf { cursor: default; padding-left: 1.6rem; }
summary::marker { color: var(--muted); }
.head { font: .85rem/1.4 system-ui, sans-serif; color: var(--muted); }
.head .id { font-weight: 700; color: var(--ink); }
.head .rel { font-style: italic; }
.text { display: block; }
.body { padding: .2rem 0 .2rem 1.6rem; }
ul.evidence { list-style: none; margin: .2rem 0; padding-left: 0; font-size: .95rem; }
ul.evidence > li { margin: .25rem 0; padding: .2rem .5rem; border-left: 2px dotted var(--line); }
.ev-head { font: .8rem/1.4 system-ui, sans-serif; color: var(--muted); }
.reported { font-size: .9rem; color: var(--muted); margin: .2rem 0; }
a.cite { color: var(--accent); text-decoration: none; white-space: nowrap; }
a.cite:hover, a.cite:focus { text-decoration: underline; }
.missing { color: #b00020; white-space: nowrap; }
.seen a { color: var(--accent); }
ol.references { padding-left: 1.5rem; }
ol.references li { margin: .4rem 0; padding-left: .25rem; }
ol.references li:target { background: #fff3c4; }
.k-diagnosis, .k-thesis { --kind: #6a1b9a; }
.k-context { --kind: #00838f; }
.k-premise { --kind: #1565c0; }
.k-finding { --kind: #2e7d32; }
.k-recommendation { --kind: #ff8f00; }
.k-objection { --kind: #c62828; }
@media print {
  .bar { display: none; }
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  li.claim > details > summary, li.claim > .leaf { background: none; }
  summary::marker, summary::-webkit-details-marker { content: ""; display: none; }
  details > .body { display: block; }
  /* a claim's own box and an item of evidence stay whole; a branch may break across pages */
  li.claim > details > summary, li.claim > .leaf, ul.evidence > li { break-inside: avoid; }
  a.cite { color: inherit; }
  h2 { break-after: avoid; }
}
"""

# Unfold-all and fold-all buttons, and every branch unfolded for printing; the page works
# without this script (the buttons then stay hidden).
SCRIPT = """
(function () {
  var all = function (open) {
    document.querySelectorAll("details").forEach(function (d) { d.open = open; });
  };
  document.querySelectorAll("[data-fold]").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { all(b.dataset.fold === "open"); });
  });
  window.addEventListener("beforeprint", function () { all(true); });
})();
"""


def escape(text: str) -> str:
    """``text`` safe in HTML text and attributes: markup escaped, control characters (and the
    line and paragraph separators, which scripts read as line ends) as codes."""
    text = _SEPARATORS.sub(lambda m: char_code(m.group(0)), escape_controls(text))
    return html_escape(text)


_SEPARATORS = re.compile("[\u2028\u2029]")


_UNSAFE_ID = re.compile(r"[^A-Za-z0-9_.-]")


def anchor(prefix: str, name: str) -> str:
    """An HTML id for a claim or a reference: characters outside ``[A-Za-z0-9_.-]`` as hex."""
    return prefix + _UNSAFE_ID.sub(lambda m: f"_{ord(m.group(0)):x}_", name)


def map_languages(argmap: ArgumentMap, first: str) -> list[str]:
    """The languages the map's claims are written in, ``first`` first, then the article's."""
    found: dict[str, None] = {}
    for claim in argmap.claims:
        for lang in claim.text:
            found.setdefault(lang)
    order = [first, argmap.article.language, *sorted(found)]
    return list(dict.fromkeys(lang for lang in order if lang in found)) or [first]


class Page:
    """The writer of one page: its languages and bibliography, and the HTML so far."""

    def __init__(self, ctx: ExportContext) -> None:
        self.ctx = ctx
        self.langs = map_languages(ctx.map, ctx.lang)
        self.bib: Bibliography | None = ctx.bib
        self.out: list[str] = []

    def each(self, text_in: dict[str, str]) -> str:
        """``text_in[lang]`` escaped, as one span per language when the page has several."""
        if len(self.langs) == 1:
            lang = self.langs[0]
            return escape(text_in.get(lang) or next(iter(text_in.values())))
        parts = []
        for lang in self.langs:
            text = text_in.get(lang) or next(iter(text_in.values()))
            parts.append(f'<span class="l-{lang}" lang="{lang}">{escape(text)}</span>')
        return "".join(parts)

    def word(self, name: str) -> str:
        """A fixed word of the page in each language."""
        return self.each({lang: WORDS.get(lang, WORDS["en"])[name] for lang in self.langs})

    def cite(
        self, key: str, locator: str | None = None, prefix: dict[str, str] | None = None
    ) -> str:
        """One citation: a link to its reference (``Author Year, p. 3``), or the key marked ✗."""
        entry = self.bib.get(key) if self.bib is not None else None
        where = f", {escape(locator.replace('--', '–'))}" if locator else ""
        lead = ""
        if prefix and any(prefix.values()):
            lead = self.each(prefix) + " "
        if entry is None:
            missing = WORDS.get(self.ctx.lang, WORDS["en"])["missing"]
            return (
                f'<span class="missing" title="{escape(missing)}">'
                f"{lead}{escape(key)}{where} ✗</span>"
            )
        return (
            f'<a class="cite" href="#{anchor("ref-", key)}">{lead}{escape(entry.label())}'
            f"{where}</a>"
        )

    def citations(self, citations: list[Citation]) -> str:
        """The citations of an item of evidence, in parentheses."""
        items = [
            self.cite(
                c.key, c.locator, {lang: stance_prefix(c.stance, lang) for lang in self.langs}
            )
            for c in citations
        ]
        return f" ({'; '.join(items)})" if items else ""

    def evidence(self, ev: Evidence) -> None:
        """One item of evidence: id, kind, description and citations."""
        kind = self.each({lang: evidence_kind(ev.kind, lang) for lang in self.langs})
        self.out.append(
            f'<li id="{anchor("ev-", ev.id)}"><span class="ev-head">{self.word("evidence")} '
            f"{escape(ev.id)} · {kind}</span><br>{self.each(ev.description)}"
            f"{self.citations(ev.citations)}</li>"
        )

    def head(self, node: ClaimNode) -> str:
        """The first line of a claim: relation to its parent, id, kind and locator."""
        claim = node.claim
        parts = []
        if node.relation is not None:
            rel = node.relation
            parts.append(
                f'<span class="rel">{self.each({g: relation(rel, g) for g in self.langs})}</span> →'
            )
        parts.append(f'<span class="id">{escape(claim.id)}</span>')
        parts.append(self.each({lang: claim_kind(claim.kind, lang) for lang in self.langs}))
        parts.append(f"· {escape(str(claim.locator))}")
        return f'<span class="head">{" ".join(parts)}</span>'

    def claim(self, node: ClaimNode, open_: bool) -> None:
        """A claim as a foldable item: its evidence and the claims beneath it inside."""
        claim: Claim = node.claim
        kind = f"k-{claim.kind.value}"
        if node.seen_before:
            self.out.append(
                f'<li class="claim seen {kind}"><div class="leaf">{self.head(node)} '
                f'(<a href="#{anchor("claim-", claim.id)}">{self.word("see_above")}</a>)'
                "</div></li>"
            )
            return
        ident = anchor("claim-", claim.id)
        summary = f'{self.head(node)}<span class="text">{self.each(claim.text)}</span>'
        if not claim.evidence and not node.children and not claim.reported_from:
            self.out.append(
                f'<li class="claim {kind}" id="{ident}"><div class="leaf">{summary}</div></li>'
            )
            return
        self.out.append(
            f'<li class="claim {kind}" id="{ident}"><details{" open" if open_ else ""}>'
            f'<summary>{summary}</summary><div class="body">'
        )
        if claim.reported_from:
            cites = "; ".join(self.cite(key) for key in claim.reported_from)
            self.out.append(f'<p class="reported">{self.word("reported")} {cites}</p>')
        if claim.evidence:
            self.out.append('<ul class="evidence">')
            for ev in claim.evidence:
                self.evidence(ev)
            self.out.append("</ul>")
        if node.children:
            self.out.append("<ul>")
            for child in node.children:
                self.claim(child, False)
            self.out.append("</ul>")
        self.out.append("</div></details></li>")

    def references(self) -> None:
        """The reference list of the works the map cites, formatted by citeproc-py."""
        from argmap.bib.model import subset
        from argmap.bib.refs import DEFAULT_STYLE, RefsFormat, keyed_references
        from argmap.map.scope import cited_keys

        self.out.append(f'<section id="references"><h2>{self.word("references")}</h2>')
        # the article's own entry too: the introduction links to it
        keys = [*cited_keys(self.ctx.map), self.ctx.map.article.key]
        entries = subset(self.bib, keys)[0] if self.bib is not None else []
        if not entries:
            self.out.append(f"<p>{self.word('no_refs')}</p></section>")
            return
        locale = LOCALES.get(self.ctx.lang, "en-US")
        # citeproc-py's HTML formatter escapes the entry's text; its own tags (<i>, <b>) stay.
        items = keyed_references(entries, DEFAULT_STYLE, locale, RefsFormat.HTML, self.bib)
        self.out.append('<ol class="references">')
        for key, text in items:
            self.out.append(f'<li id="{anchor("ref-", key)}">{text}</li>')
        self.out.append("</ol></section>")

    def switch_rules(self) -> str:
        """CSS that shows one language's spans, the one whose radio button is checked."""
        rules = []
        for shown in self.langs if len(self.langs) > 1 else []:
            hidden = ", ".join(
                f"#lang-{shown}:checked ~ * .l-{other}" for other in self.langs if other != shown
            )
            rules.append(f"{hidden} {{ display: none; }}")
            rules.append(
                f'#lang-{shown}:checked ~ header label[for="lang-{shown}"] '
                "{ background: var(--accent); color: #fff; border-color: var(--accent); }"
            )
        return "\n".join(rules) + "\n"

    def render(self) -> str:
        """The whole page."""
        ctx, argmap = self.ctx, self.ctx.map
        outline = build_outline(argmap, lang=ctx.lang, evidence=False, focus=ctx.focus)
        title = argmap.article.title
        words = WORDS.get(ctx.lang, WORDS["en"])
        out = self.out
        out += [
            "<!DOCTYPE html>",
            f'<html lang="{escape(ctx.lang)}">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            # No network: nothing may be fetched, not even by a hostile text that got through.
            '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
            "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">",
            f"<title>{escape(words['title'])}: {escape(title)}</title>",
            f"<style>{STYLE}{self.switch_rules()}</style>",
            "</head>",
            "<body>",
        ]
        if len(self.langs) > 1:
            shown = ctx.lang if ctx.lang in self.langs else self.langs[0]
            for lang in self.langs:
                checked = " checked" if lang == shown else ""
                out.append(
                    f'<input type="radio" class="switch" name="lang" id="lang-{lang}"{checked}>'
                )
        out.append("<header>")
        out.append(f"<h1>{self.word('title')}: <cite>{escape(title)}</cite></h1>")
        key = argmap.article.key
        work = (
            self.cite(key)
            if self.bib is not None and key in self.bib
            else f"<cite>{escape(title)}</cite>"
        )
        intro = {lang: WORDS.get(lang, WORDS["en"])["intro"] for lang in self.langs}
        # the fixed words hold "{work}" and nothing from the map: it is put in once escaped
        out.append(f"<p>{self.each(intro).replace('{work}', work)}</p>")
        if ctx.focus is not None:
            focus = {
                lang: WORDS.get(lang, WORDS["en"])["focus"].format(id=ctx.focus)
                for lang in self.langs
            }
            out.append(f"<p>{self.each(focus)}</p>")
        out.append('<div class="bar">')
        if len(self.langs) > 1:
            out.append(f"<span>{self.word('language')}:</span>")
            for lang in self.langs:
                name = LANGUAGE_NAMES.get(lang, lang)
                out.append(f'<label for="lang-{lang}" lang="{lang}">{escape(name)}</label>')
        out.append(f'<button type="button" data-fold="open" hidden>{self.word("unfold")}</button>')
        out.append(f'<button type="button" data-fold="close" hidden>{self.word("fold")}</button>')
        out.append("</div></header>")
        out.append(f'<main><section id="argument"><h2>{self.word("argument")}</h2>')
        out.append('<ul class="tree">')
        for root in outline.roots:
            self.claim(root, True)
        out.append("</ul>")
        if outline.unlinked:
            out.append(f'<h2>{self.word("unlinked")}</h2><ul class="tree">')
            for node in outline.unlinked:
                self.claim(node, False)
            out.append("</ul>")
        out.append("</section>")
        self.references()
        out.append("</main>")
        out.append(f"<script>{SCRIPT}</script>")
        out += ["</body>", "</html>"]
        return "\n".join(out) + "\n"


def export(ctx: ExportContext) -> str:
    """The map as one self-contained HTML page."""
    return Page(ctx).render()
