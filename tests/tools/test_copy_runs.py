"""tools/copy_runs.py: the copying measure, on made-up text (never on the seed article)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tool_scripts import load_tool

copy_runs = load_tool("copy_runs")

SOURCE = (
    "El gato negro duerme sobre la alfombra ro-\n  ja del salón, mientras la lluvia\n"
    "golpea los cristales. ¿Quién lo despertará? Nadie: el «silencio absoluto» reina."
)


def test_normalise_joins_line_hyphens_lowers_and_strips_punctuation() -> None:
    words = copy_runs.normalise(SOURCE)
    assert words[:9] == ["el", "gato", "negro", "duerme", "sobre", "la", "alfombra", "roja", "del"]
    assert "despertará" in words and "quién" in words  # accents kept, ¿? gone
    assert copy_runs.normalise("Cómo, como; COMO!") == ["cómo", "como", "como"]


def test_longest_run_finds_the_longest_shared_sequence() -> None:
    article = copy_runs.normalise(SOURCE)
    run = copy_runs.longest_run(copy_runs.map_words("Un gato negro duerme sobre la mesa."), article)
    assert run.length == 5 and run.words == ("gato", "negro", "duerme", "sobre", "la")


def test_a_run_across_a_line_hyphen_counts_as_one() -> None:
    article = copy_runs.normalise(SOURCE)
    run = copy_runs.longest_run(copy_runs.map_words("la alfombra roja del salón"), article)
    assert run.length == 5


def test_words_in_another_order_do_not_make_a_run() -> None:
    article = copy_runs.normalise(SOURCE)
    run = copy_runs.longest_run(copy_runs.map_words("salón del roja alfombra la"), article)
    assert run.length == 1


def test_quoted_text_is_excluded_and_breaks_runs() -> None:
    article = copy_runs.normalise(SOURCE)
    # The whole copied phrase in quotes: nothing counts.
    quoted = copy_runs.map_words('Dice que "el gato negro duerme sobre la alfombra".')
    assert copy_runs.longest_run(quoted, article).length == 0
    # A quotation in the middle splits a copied stretch into two shorter runs.
    split = copy_runs.map_words("el gato negro “duerme” sobre la alfombra roja")
    assert copy_runs.longest_run(split, article).length == 4
    # Typographic quotes and guillemets too; an unclosed quote runs to the end.
    assert copy_runs.split_quoted("a «b» c “d” e") == ["a ", " c ", " e"]
    assert copy_runs.split_quoted('a "b c') == ["a "]


def test_report_counts_texts_at_or_over_the_threshold() -> None:
    texts = [
        ("X1 [es]", "El gato negro duerme sobre la alfombra roja del salón."),
        ("X2 [es]", "Un perro blanco."),
    ]
    out, over = copy_runs.report(SOURCE, texts, threshold=7)
    assert over == 1
    assert " 10  X1 [es]  el gato negro duerme sobre la alfombra roja del salón  <-- copied" in out
    assert "  0  X2 [es]\n" in out
    assert "texts with a run of 7 or more words: 1" in out
    _, over = copy_runs.report(SOURCE, texts, threshold=12)
    assert over == 0


def test_main_reads_a_map_directory_and_sets_the_exit_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "article.txt"
    article.write_text(SOURCE, encoding="utf-8")
    maps = tmp_path / "arguments"
    maps.mkdir()
    (maps / "10-a.yaml").write_text(
        "claims:\n"
        "  - id: C1\n"
        "    text: {es: 'Un gato negro duerme sobre la alfombra roja del salón', en: 'A cat'}\n"
        "    note: 'El \"silencio absoluto\" del salón.'\n"
        "    evidence:\n"
        "      - id: C1.e1\n"
        "        description: {es: 'La lluvia golpea', en: 'Rain'}\n",
        encoding="utf-8",
    )
    assert copy_runs.main([str(article), "--map", str(maps)]) == 1
    out = capsys.readouterr().out
    for label in ("C1 [es]", "C1 [en]", "C1.note", "C1.e1 [es]", "C1.e1 [en]"):
        assert label in out
    assert copy_runs.main([str(article), "--map", str(maps), "--threshold", "11"]) == 0
    assert copy_runs.main([str(tmp_path / "absent.txt"), "--map", str(maps)]) == 2
