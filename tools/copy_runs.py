#!/usr/bin/env python3
"""How closely does a map's wording follow the article it maps?

For every text the map writes in its own words (each claim's text and note, each piece of
evidence's description, the article's note), in every language, find the longest run of
consecutive words that also occurs, in the same order, somewhere in the article. A long shared
run means a sentence was copied rather than paraphrased.

    python3 tools/copy_runs.py ARTICLE.txt [--map arguments] [--threshold 7]

Both texts are normalised the same way before comparing:

- words broken across lines with a hyphen are joined ("industrializa-\\n ción");
- everything is lower-cased; accents are kept (``como`` and ``cómo`` are different words);
- punctuation is stripped: a word is a run of letters and digits (apostrophes inside a word
  are dropped, so "know-how" reads as two words and "l'azione" as ``lazione``).

Quoted terms. A short key term of the article in quotes is allowed, so **text inside quotation
marks is excluded**: it is taken out of the map's text and acts as a barrier that no run may
cross (the quoted words are not counted, and the words on either side of a quotation are not
joined into one run). Straight double quotes and typographic quotes (“…”, «…») are recognised;
an unmatched opening quote runs to the end of the text. The article's own quotation marks are
only stripped as punctuation.

The script prints each text's longest run (with the words, when the run is 4 or longer), then
the distribution of longest runs, and exits 1 if any run reaches the threshold (default 7), 0
otherwise, 2 if the article or the map cannot be read. It reads the map's YAML directly, so it
does not depend on argmap's internals.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

THRESHOLD = 7
SHOW_WORDS_FROM = 4

# A hyphen at the end of a line (possibly followed by spaces) joins the word to the next line's.
_LINE_HYPHEN = re.compile(r"-[ \t]*\r?\n[ \t]*")
_WORD = re.compile(r"[^\W_]+")
_QUOTES = {'"': '"', "“": "”", "«": "»", "„": "“"}
BARRIER = "\x00"  # a token that matches nothing in the article: runs stop at it


def normalise(text: str) -> list[str]:
    """Words of ``text``: line-break hyphens joined, lower-case, punctuation gone, accents kept."""
    text = unicodedata.normalize("NFC", text)
    text = _LINE_HYPHEN.sub("", text)
    text = text.replace("'", "").replace("’", "")
    return _WORD.findall(text.lower())


def split_quoted(text: str) -> list[str]:
    """The parts of ``text`` outside quotation marks (quoted parts dropped)."""
    parts: list[str] = []
    current: list[str] = []
    closing: str | None = None
    for char in text:
        if closing is None and char in _QUOTES:
            closing = _QUOTES[char]
            parts.append("".join(current))
            current = []
        elif closing is not None and char == closing:
            closing = None
        elif closing is None:
            current.append(char)
    if closing is None:
        parts.append("".join(current))
    return parts


def map_words(text: str) -> list[str]:
    """Words of a map text, with a barrier where each quotation was."""
    words: list[str] = []
    for i, part in enumerate(split_quoted(text)):
        if i:
            words.append(BARRIER)
        words.extend(normalise(part))
    return words


@dataclass(frozen=True)
class Run:
    length: int
    words: tuple[str, ...]


def longest_run(words: Sequence[str], article: Sequence[str]) -> Run:
    """The longest run of consecutive ``words`` that occurs consecutively in ``article``."""
    positions: dict[str, list[int]] = {}
    for j, word in enumerate(article):
        positions.setdefault(word, []).append(j)
    best = Run(0, ())
    ending: dict[int, int] = {}  # article position -> length of the match ending there
    for i, word in enumerate(words):
        current = {j: ending.get(j - 1, 0) + 1 for j in positions.get(word, ())}
        for length in current.values():
            if length > best.length:
                best = Run(length, tuple(words[i - length + 1 : i + 1]))
        ending = current
    return best


def map_texts(map_dir: Path) -> Iterator[tuple[str, str]]:
    """(label, text) for every prose text of the map, in file order."""
    paths = [map_dir] if map_dir.is_file() else sorted(map_dir.glob("*.yaml"))
    for path in paths:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        article = data.get("article") or {}
        if isinstance(article.get("note"), str):
            yield "article.note", article["note"]
        for claim in data.get("claims") or []:
            yield from _localised(claim["id"], claim.get("text"))
            if isinstance(claim.get("note"), str):
                yield f"{claim['id']}.note", claim["note"]
            for evidence in claim.get("evidence") or []:
                yield from _localised(evidence["id"], evidence.get("description"))


def _localised(label: str, value: Any) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield label, value
    elif isinstance(value, dict):
        for lang, text in value.items():
            yield f"{label} [{lang}]", str(text)


def report(article_text: str, texts: list[tuple[str, str]], threshold: int) -> tuple[str, int]:
    """The printed report and the number of texts whose longest run reaches ``threshold``."""
    article = normalise(article_text)
    lines: list[str] = []
    lengths: Counter[int] = Counter()
    over = 0
    for label, text in texts:
        run = longest_run(map_words(text), article)
        lengths[run.length] += 1
        flag = "  <-- copied" if run.length >= threshold else ""
        shown = f"  {' '.join(run.words)}" if run.length >= SHOW_WORDS_FROM else ""
        lines.append(f"{run.length:3d}  {label}{shown}{flag}")
        over += run.length >= threshold
    lines.append("")
    lines.append(f"distribution of longest runs ({len(texts)} texts):")
    for length in sorted(lengths):
        lines.append(f"  {length:2d} words: {lengths[length]}")
    lines.append(f"texts with a run of {threshold} or more words: {over}")
    return "\n".join(lines) + "\n", over


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("article", type=Path, help="the article's text (UTF-8)")
    parser.add_argument("--map", type=Path, default=Path("arguments"), help="map directory or file")
    parser.add_argument("--threshold", type=int, default=THRESHOLD, help="fail at this run length")
    args = parser.parse_args(argv)
    try:
        article_text = args.article.read_text(encoding="utf-8")
        texts = list(map_texts(args.map))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, KeyError, TypeError) as err:
        print(f"copy_runs: error: {err}", file=sys.stderr)
        return 2
    if not texts:
        print(f"copy_runs: error: no map texts under {args.map}", file=sys.stderr)
        return 2
    out, over = report(article_text, texts, args.threshold)
    sys.stdout.write(out)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
