"""`argmap init`: a new project for a follow-up paper — an example map and a refs.bib — ready for
`argmap show` and meant to be edited."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from argmap.base.textio import output_target, write_atomic
from argmap.errors import OutputError

SEED_KEY = "saravi1998sociologica"

ARTICLE = {
    "es": """\
# El artículo que este mapa describe: el suyo. Un solo archivo de arguments/ lleva este bloque;
# todos pueden llevar 'claims'. Los archivos se leen en orden alfabético y se unen.
article:
  key: autor2027            # la clave BibTeX de su propio artículo
  title: "Título de su artículo"
  language: es              # idioma de 'text'; cada afirmación lleva además 'en'
  sections:                 # las secciones a las que remiten los 'locator'
    - {id: "1", title: Introducción}
    - {id: "2", title: Discusión}
""",
    "en": """\
# The article this map describes: yours. One file of arguments/ holds this block; every file
# may hold 'claims'. Files are read in sorted order and merged.
article:
  key: author2027           # your own article's BibTeX key
  title: "Title of your article"
  language: en              # the language of 'text'
  sections:                 # the sections that 'locator' refers to
    - {id: "1", title: Introduction}
    - {id: "2", title: Discussion}
""",
}

CLAIMS = {
    "es": """\
# Las afirmaciones del argumento. Tipos (kind): diagnosis, thesis, context, premise, finding,
# recommendation, objection. Relaciones: supports, attacks, leads_to (hacia otra afirmación).
# Vea la estructura completa con: argmap schema
claims:
  - id: D1
    kind: diagnosis         # la raíz del argumento: el problema del que parte
    text:
      es: Escriba aquí el diagnóstico de su artículo, con sus propias palabras.
      en: Write your paper's diagnosis here, in your own words.
    locator: {section: "1", paragraph: 1}   # dónde lo dice el artículo
    relations:
      - {type: leads_to, target: R1}

  - id: P1
    kind: premise
    text:
      es: >-
        El rumbo de los distritos mexicanos se debe a la falta de un "mesoespacio"
        institucional.
      en: >-
        The course of Mexican districts is due to the lack of an institutional
        "mesoespacio".
    locator: {section: "1", paragraph: 2}
    attribution: reported   # lo afirma una obra citada, no usted
    reported_from: [saravi1998sociologica]   # argmap la nombra: el texto no necesita hacerlo
    relations:
      - {type: supports, target: D1}
    evidence:
      - id: P1.e1
        # kind: case_study, comparative_study, fieldwork, literature, statistics, theory, policy
        kind: literature
        description:
          es: El artículo que da pie a este.
          en: The article this one builds on.
        # citations: clave de refs.bib, forma impresa, páginas (locator: "p. 3") y postura
        # (stance: supports, contrasts o mentions)
        citations:
          - {key: saravi1998sociologica, printed: "Saraví (1998)"}

  - id: R1
    kind: recommendation
    text:
      es: Escriba aquí una recomendación que se siga del diagnóstico.
      en: Write here a recommendation that follows from the diagnosis.
    locator: {section: "2", paragraph: 1}
""",
    "en": """\
# The claims of the argument. Kinds: diagnosis, thesis, context, premise, finding,
# recommendation, objection. Relations: supports, attacks, leads_to (towards another claim).
# See the whole structure with: argmap schema
claims:
  - id: D1
    kind: diagnosis         # the root of the argument: the problem it starts from
    text:
      en: Write your paper's diagnosis here, in your own words.
    locator: {section: "1", paragraph: 1}   # where the article says it
    relations:
      - {type: leads_to, target: R1}

  - id: P1
    kind: premise
    text:
      en: >-
        The course of Mexican districts is due to the lack of an institutional
        "mesoespacio".
    locator: {section: "1", paragraph: 2}
    attribution: reported   # a cited work asserts it, not you
    reported_from: [saravi1998sociologica]   # argmap names it: the text need not
    relations:
      - {type: supports, target: D1}
    evidence:
      - id: P1.e1
        # kind: case_study, comparative_study, fieldwork, literature, statistics, theory, policy
        kind: literature
        description:
          en: The article this one builds on.
        # citations: refs.bib key, printed form, pages (locator: "p. 3") and stance
        # (stance: supports, contrasts or mentions)
        citations:
          - {key: saravi1998sociologica, printed: "Saraví (1998)"}

  - id: R1
    kind: recommendation
    text:
      en: Write here a recommendation that follows from the diagnosis.
    locator: {section: "2", paragraph: 1}
""",
}

BIB_HEAD = """\
% The bibliography of your map: every key its citations name must be here.
% Check it with: argmap check-citations
% The entry below is copied from argmap's shipped refs.bib; x-provenance says where its data
% came from. Keep such a note on your own entries too.

"""


@dataclass(frozen=True)
class Planned:
    """A file init will write, and its content."""

    path: Path
    content: str


def seed_entry() -> str:
    """The seed article's entry, as written in the shipped refs.bib."""
    from argmap.bib.reader import load_bibliography
    from argmap.bib.writer import entry_text
    from argmap.project.locate import BIB_FILE, shipped_dir

    entry = load_bibliography(shipped_dir() / BIB_FILE).get(SEED_KEY)
    assert entry is not None, "the shipped refs.bib lacks the seed article"
    return entry_text(entry)


def plan(directory: Path, lang: str) -> list[Planned]:
    """The files of a new project in ``directory``."""
    return [
        Planned(directory / "arguments" / "00-article.yaml", ARTICLE[lang]),
        Planned(directory / "arguments" / "10-claims.yaml", CLAIMS[lang]),
        Planned(directory / "refs.bib", BIB_HEAD + seed_entry() + "\n"),
    ]


def init_project(directory: Path, lang: str = "es", force: bool = False) -> list[Path]:
    """Write a new project into ``directory``; nothing is written if any file exists (unless
    ``force``), and each file is written whole or not at all."""
    if os.path.lexists(directory) and not directory.is_dir():
        raise OutputError(
            "exists and is not a directory"
            + (" (a symbolic link to a missing one)" if directory.is_symlink() else ""),
            path=directory,
            hint="name a directory",
        )
    arguments = directory / "arguments"
    if os.path.lexists(arguments) and not arguments.is_dir():
        raise OutputError("exists and is not a directory", path=arguments, hint="move it aside")
    files = plan(directory, lang)
    # Every file is checked before any is written: a refusal leaves the directory untouched.
    for file in files:
        try:
            output_target(file.path, force)
        except OutputError as error:
            if error.message == "file exists":
                # "use --force" would lead a writer to replace their own bibliography or map
                # with init's example: say what --force would do, and the way that keeps it
                error.hint = (
                    "it would be replaced by init's example; to keep it, run argmap init in a "
                    "new directory and copy what you need, or use --force to replace it"
                )
            raise
    try:
        arguments.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot create directory: {exc.strerror}",
            path=directory,
            hint="choose a directory you can write in",
        ) from None
    for file in files:
        write_atomic(file.path, file.content, force=force)
    return [f.path for f in files]
