"""What the browser's panes show, built without Textual: claim details with their evidence and
fully formatted references, tree labels, search over claims, evidence and sources, traces."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text

from argmap.bib.model import Bibliography
from argmap.bib.names import fold
from argmap.map.models import ArgumentMap, Attribution, Claim, RelationType, Stance
from argmap.map.trace import trace_claim, trace_source
from argmap.map.vocab import claim_kind, evidence_kind, relation
from argmap.render.trace import render_claim_trace, render_source_trace
from argmap.render.tree import KIND_STYLES

WORDS = {
    "es": {
        "asserted": "afirmada por el artículo",
        "reported": "reportada de",
        "reported_head": "Reportada de",
        "relations": "Relaciones",
        "reasons": "Razones",
        "evidence": "Evidencia",
        "no_evidence": "sin evidencia propia",
        "found": "en la bibliografía",
        "missing": "no está en la bibliografía",
        "no_bib": "sin bibliografía",
        "printed": "impreso",
        "note": "Nota",
        "results": "{n} resultados para «{query}»",
        "result1": "1 resultado para «{query}»",
        "none": "Nada coincide con «{query}»",
        "sources_of": "{claim} cita (enter: qué descansa en ella)",
        "no_sources": "{claim} no cita ninguna fuente",
        "resting": "Descansa en {key} (enter: ir)",
        "directly": "directamente",
        "also_cited": "también la cita, sin apoyarse en ella",
        "claim": "afirmación",
        "source": "fuente",
        "chain": "cadena hasta",
        "unlinked": "Sin enlace con la raíz",
        "search": "buscar en afirmaciones, evidencia y fuentes (enter busca, esc cierra)",
        "supports": "apoya",
        "contrasts": "contrasta",
        "mentions": "menciona",
    },
    "en": {
        "asserted": "asserted by the article",
        "reported": "reported from",
        "reported_head": "Reported from",
        "relations": "Relations",
        "reasons": "Reasons",
        "evidence": "Evidence",
        "no_evidence": "no evidence of its own",
        "found": "in the bibliography",
        "missing": "not in the bibliography",
        "no_bib": "no bibliography",
        "printed": "printed",
        "note": "Note",
        "results": "{n} results for “{query}”",
        "result1": "1 result for “{query}”",
        "none": "Nothing matches “{query}”",
        "sources_of": "{claim} cites (enter: what rests on it)",
        "no_sources": "{claim} cites no source",
        "resting": "Resting on {key} (enter: go)",
        "directly": "directly",
        "also_cited": "also cites it, without resting on it",
        "claim": "claim",
        "source": "source",
        "chain": "chain to",
        "unlinked": "Not linked to the root",
        "search": "search claims, evidence and sources (enter searches, esc closes)",
        "supports": "supports",
        "contrasts": "contrasts",
        "mentions": "mentions",
    },
}


def words(lang: str) -> dict[str, str]:
    """The browser's fixed words in ``lang`` (English when there are none)."""
    return WORDS.get(lang, WORDS["en"])


@dataclass(frozen=True)
class Hit:
    """One search result: a claim (or an item of its evidence), or a cited source."""

    kind: Literal["claim", "evidence", "source"]
    target: str  # the claim id, or the source's key
    label: str  # what the result list shows
    where: str = ""  # the evidence id, for an evidence hit


@dataclass
class BrowseContent:
    """The map, its bibliography, and each cited source's formatted reference."""

    map: ArgumentMap
    bib: Bibliography | None
    references: dict[str, str] = field(default_factory=dict)
    pending: bool = False  # the references are still being formatted (shown when they are)

    @property
    def languages(self) -> list[str]:
        """The map's languages, its own first."""
        langs = dict.fromkeys([self.map.article.language])
        for claim in self.map.claims:
            langs.update(dict.fromkeys(claim.text))
        return list(langs)

    def claim(self, claim_id: str) -> Claim:
        """The claim with that id."""
        return self.map.claim(claim_id)

    def sources_of(self, claim_id: str) -> list[str]:
        """Every key a claim reports from or cites, in order."""
        claim = self.claim(claim_id)
        keys = dict.fromkeys(claim.reported_from)
        for ev in claim.evidence:
            keys.update(dict.fromkeys(c.key for c in ev.citations))
        return list(keys)

    def source_label(self, key: str) -> str:
        """``Author Year [key]`` when the bibliography has the key, else the key."""
        entry = self.bib.get(key) if self.bib is not None else None
        return f"{entry.label()}  [{key}]" if entry else key

    def tree_label(self, claim_id: str, lang: str, rel: RelationType | None, ref: bool) -> Text:
        """One line of the tree: relation, id, kind, then the start of the claim's text."""
        claim = self.claim(claim_id)
        label = Text(no_wrap=True, overflow="ellipsis")
        if rel is not None:
            label.append(f"{relation(rel, lang)} ", style="dim italic")
        label.append(claim.id, style="bold")
        label.append(f" {claim_kind(claim.kind, lang)}", style=KIND_STYLES.get(claim.kind, ""))
        if ref:
            label.append(f"  (→ {claim.id})", style="dim")
        else:
            label.append(f"  {claim.text_in(lang)}")
        return label

    def detail(self, claim_id: str, lang: str) -> RenderableType:
        """Everything about one claim: its texts, kind, place, attribution, relations and
        evidence, each citation with its status and full reference."""
        w = words(lang)
        claim = self.claim(claim_id)
        head = Text()
        head.append(claim.id, style="bold")
        head.append(f"  {claim_kind(claim.kind, lang)}", style=KIND_STYLES.get(claim.kind, ""))
        head.append(f"  {claim.locator}", style="dim")
        section = next(
            (s.title for s in self.map.article.sections if s.id == claim.locator.section), None
        )
        if section:
            head.append(f"  {section}", style="dim")
        parts: list[RenderableType] = [head]
        if claim.attribution is Attribution.REPORTED:
            line = Text(f"{w['reported']}: ", style="italic")
            line.append(", ".join(self.source_label(k) for k in claim.reported_from))
            parts.append(line)
        else:
            parts.append(Text(w["asserted"], style="italic dim"))
        parts.append(self._texts(claim.text, lang))
        parts.extend(self._relations(claim, lang))
        parts.append(Text(f"\n{w['evidence']}", style="bold underline"))
        if not claim.evidence:
            parts.append(Text(w["no_evidence"], style="dim"))
        for ev in claim.evidence:
            ev_head = Text()
            ev_head.append(f"◇ {ev.id} ", style="bold")
            ev_head.append(evidence_kind(ev.kind, lang), style="italic")
            parts.append(ev_head)
            parts.append(Padding(self._texts(ev.description, lang), (0, 0, 0, 2)))
            for cit in ev.citations:
                parts.append(self._citation(cit.key, cit.locator, cit.printed, cit.stance, lang))
        if claim.reported_from:
            parts.append(Text(f"\n{w['reported_head']}", style="bold underline"))
            for key in claim.reported_from:
                parts.append(self._citation(key, None, None, None, lang))
        if claim.note:
            parts.append(Text(f"\n{w['note']}: {claim.note}", style="dim"))
        return Group(*parts)

    def _texts(self, texts: dict[str, str], lang: str) -> Text:
        """Each language's text, the shown language first, the others dimmed."""
        out = Text()
        order = [lang, *(code for code in texts if code != lang)]
        for index, code in enumerate(c for c in order if c in texts):
            if index:
                out.append("\n")
            out.append(f"[{code}] ", style="bold dim")
            out.append(texts[code], style="" if code == lang else "dim italic")
        return out

    def _relations(self, claim: Claim, lang: str) -> list[RenderableType]:
        """What the claim supports, attacks or leads to, and the claims that bear on it."""
        out: list[RenderableType] = []
        outgoing = [(r.type, r.target) for r in claim.relations]
        incoming = [
            (r.type, other.id)
            for other in self.map.claims
            for r in other.relations
            if r.target == claim.id
        ]
        w = words(lang)
        if outgoing:
            out.append(Text(f"\n{w['relations']}", style="bold underline"))
            for rel, target in outgoing:
                line = Text(f"{claim.id} {relation(rel, lang)} ", style="dim")
                line.append(target, style="bold")
                line.append(f" {claim_kind(self.claim(target).kind, lang)}")
                out.append(line)
        if incoming:
            out.append(Text(f"\n{w['reasons']}", style="bold underline"))
            for rel, source in incoming:
                line = Text()
                line.append(source, style="bold")
                line.append(f" {claim_kind(self.claim(source).kind, lang)}")
                line.append(f" {relation(rel, lang)} {claim.id}", style="dim")
                out.append(line)
        return out

    def _citation(
        self,
        key: str,
        locator: str | None,
        printed: str | None,
        stance: Stance | None,
        lang: str,
    ) -> RenderableType:
        """A citation's status mark, label, pages, stance and printed form; its reference."""
        w = words(lang)
        line = Text()
        notes: list[Text] = []
        entry = self.bib.get(key) if self.bib is not None else None
        if self.bib is None:
            line.append("• ", style="dim")
            line.append(key)
            line.append(f"  ({w['no_bib']})", style="dim")
        elif entry is None:
            line.append("✗ ", style="bold red")
            line.append(key, style="red")
            line.append(f"  {w['missing']}", style="red")
        else:
            line.append("✓ ", style="green")
            line.append(entry.label())
            line.append(f"  [{key}]", style="dim")
        if locator:
            line.append(f", {locator}")
        if stance is not None and stance is not Stance.SUPPORTS:
            line.append(f"  ({w[stance.value]})", style="italic")
        if printed:
            line.append(f"  {w['printed']}: {printed}", style="dim")
        if entry is not None and printed and self.bib is not None:
            from argmap.base.problems import Severity
            from argmap.checks.citations import printed_disagreement

            problem = printed_disagreement(printed, self.bib, key)
            if problem is not None:
                severity, message = problem
                if severity is Severity.INFO:  # a misspelling as printed (OCR): a note only
                    notes.append(Text(f"ℹ {message}", style="dim"))
                else:
                    notes.append(Text(f"⚠ {message}", style="yellow"))
        reference = self.references.get(key)
        if reference:
            notes.append(Text(reference))
        elif entry is not None and self.pending:
            notes.append(Text("…", style="dim"))
        return Padding(Group(line, Padding(Group(*notes), (0, 0, 0, 2))), (0, 0, 0, 2))

    def claim_trace(self, claim_id: str, lang: str) -> RenderableType:
        """The chain from the root to the claim, as `argmap trace ID` prints it."""
        return render_claim_trace(trace_claim(self.map, claim_id), lang, self.bib)

    def source_trace(self, key: str, lang: str) -> RenderableType:
        """What rests on the source, as `argmap trace --source KEY` prints it, under its
        full reference."""
        reference = self.references.get(key)
        head = Text()
        head.append(self.source_label(key), style="bold")
        if reference:
            head.append(f"\n{reference}")
        head.append("\n")
        return Group(head, render_source_trace(trace_source(self.map, key), lang, self.bib))

    def resting_on(self, key: str, lang: str) -> list[Hit]:
        """The claims that rest on a source (directly, then through others, with the path), and
        those that cite it without resting on it: a list to go to one of them from."""
        w = words(lang)
        trace = trace_source(self.map, key)
        hits: list[Hit] = []
        for dep in trace.dependents:
            # Not direct: it rests on the source through the claims it loses or is weakened by.
            through = [*dep.lost, *dep.weakened_by, *dep.attacked_by]
            how = w["directly"] if dep.direct else "← " + ", ".join(through)
            hits.append(Hit("claim", dep.claim.id, self._claim_line(dep.claim, lang, how)))
        seen = {h.target for h in hits}
        for claim, _ in trace.other_uses:
            if claim.id not in seen:
                seen.add(claim.id)
                hits.append(Hit("claim", claim.id, self._claim_line(claim, lang, w["also_cited"])))
        return hits

    def _claim_line(self, claim: Claim, lang: str, how: str) -> str:
        return f"{claim.id} {claim_kind(claim.kind, lang)}  ({how})  {_short(claim.text_in(lang))}"

    def search(self, query: str, lang: str) -> list[Hit]:
        """Claims, evidence and sources whose text (in any language), id, key, label or
        reference contains ``query``; case, accents and LaTeX are folded away."""
        needle = fold(query)
        if not needle:
            return []
        hits: list[Hit] = []
        for claim in self.map.claims:
            if _matches(needle, claim.id, *claim.text.values(), claim.note or ""):
                hits.append(
                    Hit("claim", claim.id, f"{claim.id}  {_excerpt(claim.text, lang, needle)}")
                )
            for ev in claim.evidence:
                if _matches(needle, ev.id, *ev.description.values()):
                    label = f"◇ {ev.id}  {_excerpt(ev.description, lang, needle)}"
                    hits.append(Hit("evidence", claim.id, label, ev.id))
        for key in _cited(self.map):
            entry = self.bib.get(key) if self.bib is not None else None
            reference = self.references.get(key, "")
            printed = [c.printed for _, _, c in self.map.citations() if c.key == key]
            if _matches(needle, key, entry.label() if entry else "", reference, *printed):
                hits.append(Hit("source", key, f"⊙ {self.source_label(key)}"))
        return hits


def _short(text: str, width: int = 70) -> str:
    """The text's first ``width`` characters or so, cut at a word."""
    if len(text) <= width:
        return text
    cut = text[:width]
    return (cut[: cut.rfind(" ")] if " " in cut else cut) + " …"


def _matches(needle: str, *haystacks: str) -> bool:
    return any(needle in fold(text) for text in haystacks if text)


def _excerpt(texts: dict[str, str], lang: str, needle: str, width: int = 90) -> str:
    """The text in ``lang`` (else the language that matched), from shortly before the match."""
    order = [lang, *texts]
    text = next((texts[c] for c in order if c in texts and needle in fold(texts[c])), None)
    if text is None:
        text = texts.get(lang) or next(iter(texts.values()))
        return text[:width]
    folded = fold(text)
    # fold() may shorten the text slightly; the position is only a guide for the excerpt.
    at = max(folded.find(needle) - 20, 0)
    start = text.rfind(" ", 0, at) + 1 if at else 0
    excerpt = text[start : start + width]
    if start + width < len(text):
        excerpt = excerpt[: excerpt.rfind(" ")] + " …" if " " in excerpt else excerpt + "…"
    return ("… " if start else "") + excerpt


def _cited(argmap: ArgumentMap) -> list[str]:
    from argmap.map.scope import cited_keys

    return cited_keys(argmap)


def format_cited(
    argmap: ArgumentMap, bib: Bibliography | None, style: str, locale: str
) -> dict[str, str]:
    """The formatted reference of each cited entry the bibliography has, as `argmap refs`
    formats it (citeproc-py: about a second for the shipped map, hence done apart)."""
    if bib is None:
        return {}
    from argmap.bib.model import subset
    from argmap.bib.refs import format_reference_map

    entries, _ = subset(bib, _cited(argmap))
    # as `argmap refs` does: a @set's members are listed, not the set; @xdata only lends fields
    entries = [e for e in entries if e.type not in ("set", "xdata")]
    return format_reference_map(entries, style, locale, bib=bib)


def load_content(
    argmap: ArgumentMap, bib: Bibliography | None, style: str, locale: str
) -> BrowseContent:
    """The browser's content with every cited entry's reference formatted."""
    return BrowseContent(argmap, bib, format_cited(argmap, bib, style, locale))
