"""Traces rendered: a Rich view for the terminal and JSON for scripts."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Group
from rich.text import Text
from rich.tree import Tree

from argmap.base.sanitize import escape_controls
from argmap.bib.model import Bibliography
from argmap.map.models import Claim
from argmap.map.trace import ClaimTrace, Link, SourceTrace, Standing
from argmap.map.vocab import claim_kind, relation
from argmap.render.outline import citation_view, evidence_view
from argmap.render.tree import KIND_STYLES, evidence_branch

WORDS = {
    "es": {
        "chain": "Cadena de {root} a {target}",
        "unlinked": "{target} no está enlazada con la raíz: no hay cadena",
        "title": "Si cae {source}: {falls}, {weakened}, {contested}",
        # each count with its verb and adjective agreeing: "1 cae", "2 quedan debilitadas"
        "count_falls": "cae|caen",
        "count_weakened": "queda debilitada|quedan debilitadas",
        "count_contested": "queda disputada|quedan disputadas",
        "falls": "Caen",
        "weakened": "Quedan debilitadas",
        "contested": "Quedan disputadas",
        "left": "{verb} {left} de {total} {noun}",
        "left_verb": "queda|quedan",
        "left_noun": "razón|razones",
        "lost": "pierde",
        "weakened_by": "debilitada a través de",
        "attacked_by": "objetada por",
        "reported": "reportada de esta fuente",
        "others": "También citada, sin apoyar",
    },
    "en": {
        "chain": "Chain from {root} to {target}",
        "unlinked": "{target} is not linked to the root: there is no chain",
        "title": "If {source} falls: {falls}, {weakened}, {contested}",
        "count_falls": "falls|fall",
        "count_weakened": "weakened|weakened",
        "count_contested": "contested|contested",
        "falls": "Falls",
        "weakened": "Weakened",
        "contested": "Contested",
        "left": "{left} of {total} {noun} left",
        "left_verb": "|",
        "left_noun": "reason|reasons",
        "lost": "loses",
        "weakened_by": "weakened through",
        "attacked_by": "attacked by",
        "reported": "reported from this source",
        "others": "Also cited, without support",
    },
}


def _words(lang: str) -> dict[str, str]:
    return WORDS.get(lang, WORDS["en"])


def _link_text(link: Link, lang: str) -> str:
    return f"{link.source} {relation(link.type, lang)} {link.target}"


def _claim_head(claim: Claim, lang: str, number: int | None = None) -> Text:
    head = Text()
    if number is not None:
        head.append(f"{number}. ", style="bold")
    head.append(claim.id, style="bold")
    head.append(f" {claim_kind(claim.kind, lang)}", style=KIND_STYLES.get(claim.kind, ""))
    head.append(f"  {claim.locator}", style="dim")
    if claim.reported_from:
        head.append(f"  ⟨{', '.join(claim.reported_from)}⟩", style="dim")
    return head


def render_claim_trace(trace: ClaimTrace, lang: str, bib: Bibliography | None) -> Group:
    """The chain as numbered steps, each with its link, text, evidence and sources."""
    words = _words(lang)
    first = trace.steps[0].claim.id
    title = (
        words["chain"].format(root=first, target=trace.target)
        if trace.linked
        else words["unlinked"].format(target=trace.target)
    )
    parts: list[Text | Tree] = [Text(title, style="bold underline")]
    for number, step in enumerate(trace.steps, 1):
        head = Text()
        if step.link is not None:
            head.append(f"↓ {_link_text(step.link, lang)}\n", style="dim italic")
        head.append_text(_claim_head(step.claim, lang, number))
        head.append("\n" + step.claim.text_in(lang))
        tree = Tree(head, guide_style="dim")
        for ev in step.claim.evidence:
            evidence_branch(tree, evidence_view(ev, lang, bib), lang)
        for reason in step.reasons:
            line = Text(f"{relation(reason.type, lang)}: ", style="dim italic")
            line.append(reason.claim.id, style="bold")
            line.append(
                f" {claim_kind(reason.claim.kind, lang)}",
                style=KIND_STYLES.get(reason.claim.kind, ""),
            )
            if reason.sources:
                line.append(f"  ← {', '.join(_source_labels(reason.sources, bib))}")
            tree.add(line)
        parts.append(tree)
    return Group(*parts)


def _source_labels(keys: list[str], bib: Bibliography | None) -> list[str]:
    """``Author Year`` for each key the bibliography has; the key itself otherwise."""
    labels = []
    for key in keys:
        entry = bib.get(key) if bib is not None else None
        labels.append(escape_controls(entry.label() if entry else key))
    return labels


def _reasons_left(left: int, total: int, words: dict[str, str]) -> str:
    """ "3 of 4 reasons left", "1 of 1 reason left" (the verb and noun agreeing in Spanish)."""
    verb = words["left_verb"].split("|")[left != 1]
    noun = words["left_noun"].split("|")[total != 1]
    return words["left"].format(verb=verb, left=left, total=total, noun=noun)


def _counted(number: int, forms: str) -> str:
    """``1 falls``, ``2 fall``; ``1 cae``, ``0 caen`` (``forms``: singular|plural)."""
    return f"{number} {forms.split('|')[number != 1]}"


def render_source_trace(trace: SourceTrace, lang: str, bib: Bibliography | None) -> Group:
    """The claims the source bears on, grouped as falls, weakened and contested, each with the
    reasons it has left and the immediate reasons it loses or that are weakened (never a whole
    path: the output grows with the claims and links, not with the paths)."""
    words = _words(lang)
    entry = bib.get(trace.key) if bib is not None else None
    source = escape_controls(f"{trace.key} ({entry.label()})" if entry else trace.key)
    counts = {s.value: _counted(trace.count(s), words[f"count_{s.value}"]) for s in Standing}
    title = words["title"].format(source=source, **counts)
    parts: list[Text | Tree] = [Text(title, style="bold underline")]
    for standing in Standing:
        group = [d for d in trace.dependents if d.standing is standing]
        if not group:
            continue
        tree = Tree(Text(f"{words[standing.value]} ({len(group)})", style="bold"))
        for dep in group:
            head = _claim_head(dep.claim, lang)
            head.append("  " + _reasons_left(dep.left, dep.reasons, words), style="dim")
            head.append("\n" + dep.claim.text_in(lang))
            branch = tree.add(head)
            if dep.lost:
                branch.add(Text(f"{words['lost']}: {', '.join(dep.lost)}", style="italic"))
            if dep.weakened_by:
                line = f"{words['weakened_by']}: {', '.join(dep.weakened_by)}"
                branch.add(Text(line, style="italic"))
            if dep.attacked_by:
                line = f"{words['attacked_by']}: {', '.join(dep.attacked_by)}"
                branch.add(Text(line, style="italic"))
            if dep.reported:
                branch.add(Text(words["reported"], style="italic"))
            for use in dep.uses:
                cite = citation_view(use.citation.key, use.citation.locator, "", bib)
                line_text = Text(f"◇ {use.evidence.id}  ")
                line_text.append(cite.label or cite.key)
                if cite.locator:
                    line_text.append(f", {cite.locator}")
                branch.add(line_text)
        parts.append(tree)
    if trace.other_uses:
        tree = Tree(Text(words["others"], style="bold"))
        for claim, use in trace.other_uses:
            tree.add(Text(f"{claim.id} · {use.evidence.id} ({use.citation.stance.value})"))
        parts.append(tree)
    return Group(*parts)


def _citations(claim: Claim, lang: str, bib: Bibliography | None) -> list[dict[str, Any]]:
    out = []
    for ev in claim.evidence:
        view = evidence_view(ev, lang, bib)
        out.append(
            {
                "id": view.id,
                "kind": view.kind.value,
                "description": view.description,
                "citations": [
                    {"key": c.key, "locator": c.locator, "label": c.label, "found": c.found}
                    for c in view.citations
                ],
            }
        )
    return out


def claim_trace_json(trace: ClaimTrace, lang: str, bib: Bibliography | None) -> str:
    """The chain as JSON: each step's claim, link and evidence with its sources."""
    steps = [
        {
            "id": s.claim.id,
            "kind": s.claim.kind.value,
            "locator": {"section": s.claim.locator.section, "paragraph": s.claim.locator.paragraph},
            "text": s.claim.text_in(lang),
            "link": None
            if s.link is None
            else {"source": s.link.source, "type": s.link.type.value, "target": s.link.target},
            "reported_from": s.claim.reported_from,
            "evidence": _citations(s.claim, lang, bib),
            "reasons": [
                {"id": r.claim.id, "type": r.type.value, "sources": r.sources} for r in s.reasons
            ],
        }
        for s in trace.steps
    ]
    doc = {"target": trace.target, "linked": trace.linked, "steps": steps}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def source_trace_json(trace: SourceTrace, lang: str) -> str:
    """The evaluation as JSON: each claim the source bears on, its standing, the count of its
    reasons and of those left, the reasons it loses, the weakened ones and its attackers."""
    doc = {
        "source": trace.key,
        "summary": {s.value: trace.count(s) for s in Standing},
        "dependents": [
            {
                "id": d.claim.id,
                "kind": d.claim.kind.value,
                "text": d.claim.text_in(lang),
                "standing": d.standing.value,
                "reasons": d.reasons,
                "reasons_left": d.left,
                "lost": d.lost,
                "weakened_by": d.weakened_by,
                "attacked_by": d.attacked_by,
                "direct": d.direct,
                "reported": d.reported,
                "citations": [
                    {"evidence": u.evidence.id, "locator": u.citation.locator} for u in d.uses
                ],
            }
            for d in trace.dependents
        ],
        "other_uses": [
            {"id": c.id, "evidence": u.evidence.id, "stance": u.citation.stance.value}
            for c, u in trace.other_uses
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
