"""[tool.argmap] and argmap.toml: found like ruff finds its file, validated key by key."""

from __future__ import annotations

from pathlib import Path

import pytest

from argmap.errors import ConfigError
from argmap.project.config import find_config, load_config, read_config


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_found_walking_up_argmap_toml_before_pyproject(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.argmap]\nbib = ["a.bib"]\n')
    deep = tmp_path / "paper" / "chapters"
    deep.mkdir(parents=True)
    assert find_config(deep) == tmp_path / "pyproject.toml"
    write(tmp_path / "paper" / "argmap.toml", 'bib = "b.bib"\n')
    assert find_config(deep) == tmp_path / "paper" / "argmap.toml"


def test_a_pyproject_without_the_table_is_passed_over(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.argmap]\nlang = "en"\n')
    write(tmp_path / "sub" / "pyproject.toml", '[project]\nname = "x"\n[tool.ruff]\n')
    assert find_config(tmp_path / "sub") == tmp_path / "pyproject.toml"


def test_every_key_read_and_paths_resolved_against_the_file(tmp_path: Path) -> None:
    write(tmp_path / "ms" / "a.md", "x")
    write(tmp_path / "ms" / "b.md", "x")
    config = read_config(
        write(
            tmp_path / "pyproject.toml",
            "[tool.argmap]\n"
            'map = "arguments"\n'
            'bib = ["refs.bib", "more/extra.bib"]\n'
            'manuscripts = ["ms/*.md", "paper.tex"]\n'
            'lang = "en"\n'
            'select = ["CIT", "BIB1"]\n'
            'ignore = ["BIB103"]\n'
            'warn-as-error = ["CIT101"]\n'
            "strict = false\n"
            'exclude = ["saravi1998"]\n',
        )
    )
    assert config.map == tmp_path / "arguments"
    assert config.bib == (tmp_path / "refs.bib", tmp_path / "more" / "extra.bib")
    assert config.manuscripts == (
        tmp_path / "ms" / "a.md",
        tmp_path / "ms" / "b.md",
        tmp_path / "paper.tex",
    )
    assert (config.lang, config.select, config.ignore) == ("en", ("CIT", "BIB1"), ("BIB103",))
    assert config.warn_as_error == ("CIT101",) and config.exclude == ("saravi1998",)


def test_unknown_key_is_named_with_its_line_and_the_nearest_key(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", '[tool.argmap]\nbib = "r.bib"\nmanuscript = ["a"]\n')
    with pytest.raises(ConfigError) as caught:
        read_config(path)
    assert str(caught.value).endswith(
        "pyproject.toml:3 tool.argmap.manuscript: unknown key 'manuscript' "
        "(did you mean 'manuscripts'?)"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("bib = 3\n", "'bib' must be a path or a list of paths"),
        ('lang = "fr"\n', "unknown language 'fr'"),
        ('strict = "yes"\n', "'strict' must be true or false"),
        ('ignore = "CIT2"\n', "'ignore' must be a list of rule codes or prefixes"),
        ('manuscripts = ["nothing/*.md"]\n', r"the pattern 'nothing/\*\.md' matches no file"),
        ("bib = [\n", "not valid TOML"),
    ],
    ids=["bib-type", "lang", "strict", "ignore-type", "empty-glob", "toml-syntax"],
)
def test_bad_values_are_errors_naming_the_key(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path / "argmap.toml", text)
    with pytest.raises(ConfigError, match=message) as caught:
        read_config(path)
    assert caught.value.line == 1


def test_no_configuration(tmp_path: Path) -> None:
    assert load_config(tmp_path) is None


@pytest.mark.parametrize(
    "text",
    ["tool = 3\n", "[tool]\nargmap = [1, 2]\n", "[tool]\nargmap = 'x'\n"],
    ids=["tool-scalar", "argmap-list", "argmap-string"],
)
def test_a_tool_argmap_that_is_not_a_table_is_an_error(tmp_path: Path, text: str) -> None:
    path = write(tmp_path / "pyproject.toml", "[tool.argmap]\n")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"tool\.argmap must be a table"):
        read_config(path)


def test_a_utf16_configuration_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "argmap.toml"
    path.write_bytes(b"\xff\xfe\x00b\x00i\x00b")
    with pytest.raises(ConfigError, match="configuration is encoded as UTF-16"):
        read_config(path)


def test_a_latin1_configuration_names_the_line_and_byte(tmp_path: Path) -> None:
    path = tmp_path / "argmap.toml"
    path.write_bytes(b'lang = "en"\nexclude = ["p\xe9rez2001"]\n')
    with pytest.raises(ConfigError) as raised:
        read_config(path)
    assert str(raised.value).endswith(
        "argmap.toml:2: configuration is not valid UTF-8 (byte 0xe9) "
        "(save it as UTF-8, e.g. iconv -f LATIN1 -t UTF-8)"
    )


@pytest.mark.parametrize(
    "text",
    ["[tool.argmap\nbib = 'refs.bib'\n", "[ tool.argmap ]\nbib = [\n"],
    ids=["table-unclosed", "value-unclosed"],
)
def test_a_pyproject_whose_argmap_table_does_not_parse_is_an_error(
    tmp_path: Path, text: str
) -> None:
    write(tmp_path / "pyproject.toml", text)
    with pytest.raises(ConfigError, match=r"pyproject\.toml:[12]: not valid TOML"):
        load_config(tmp_path)


def test_a_pyproject_of_another_tool_that_does_not_parse_is_not_read(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.ruff\nline-length = 100\n")
    assert load_config(tmp_path) is None


def test_a_code_the_rules_do_not_have_is_an_error_at_its_line(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        "[tool.argmap]\nignore = ['BIB103']\nselect = ['CIT', 'NOPE9']\n",
    )
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path)
    assert "pyproject.toml:3 tool.argmap.select: no rule has the code or prefix 'NOPE9'" in str(
        raised.value
    )


def test_a_configured_bibliography_that_is_not_there_is_reported_at_its_line(
    tmp_path: Path,
) -> None:
    from argmap.project.locate import resolve_sources

    write(
        tmp_path / "pyproject.toml",
        "[tool.argmap]\nlang = 'en'\nbib = ['refs.bib', 'zotero.bib']\n",
    )
    write(tmp_path / "refs.bib", "")
    config = load_config(tmp_path)
    with pytest.raises(ConfigError) as raised:
        resolve_sources(None, [], tmp_path, config)
    assert "pyproject.toml:3 tool.argmap.bib: 'zotero.bib' not found" in str(raised.value)
    # a bibliography given on the command line is read instead: the configured one is not asked for
    assert resolve_sources(None, [tmp_path / "refs.bib"], tmp_path, config).bibs


def test_a_bibliography_named_twice_is_read_once(tmp_path: Path) -> None:
    from argmap.project.locate import resolve_sources

    write(tmp_path / "refs.bib", "")
    twice = [tmp_path / "refs.bib", tmp_path / "." / "refs.bib"]
    assert resolve_sources(tmp_path / "arguments", twice, tmp_path).bibs == (twice[0],)
