"""Loader: merging files, and every error naming the file, line and field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from argmap.errors import MapError
from argmap.map.loader import MapInvalid, load_map

ARTICLE = """article:
  key: a2000
  title: T
  language: es
"""


def claim(cid: str, kind: str = "premise", rel: str = "", extra: str = "") -> str:
    relations = f"\n    relations:\n{rel}" if rel else ""
    return f"""  - id: {cid}
    kind: {kind}
    text: {{es: Texto {cid}., en: Text {cid}.}}
    locator: {{section: "1", paragraph: 1}}{relations}{extra}
"""


GOOD = (
    "claims:\n"
    + claim("D1", "diagnosis", "      - {type: leads_to, target: R1}")
    + claim("R1", "recommendation")
)


def errors_of(path: Path) -> list[str]:
    with pytest.raises(MapError) as info:
        load_map(path)
    err = info.value
    return [str(e) for e in err.errors] if isinstance(err, MapInvalid) else [str(err)]


def test_files_are_merged_in_sorted_order(write_map: Callable[..., Path]) -> None:
    root = write_map(
        a=ARTICLE, b=GOOD, c="claims:\n" + claim("P1", rel="      - {type: supports, target: D1}")
    )
    loaded = load_map(root)
    assert [c.id for c in loaded.map.claims] == ["D1", "R1", "P1"]
    assert loaded.origins["P1"].source.path.name == "c.yaml"


def test_single_file_map(write_map: Callable[..., Path]) -> None:
    root = write_map(m=ARTICLE + GOOD)
    assert len(load_map(root / "m.yaml").map.claims) == 2


@pytest.mark.parametrize(
    ("files", "fragment"),
    [
        pytest.param(
            {"b": "claims: [\n  - id: x\n"},
            "b.yaml:2: did not find expected node content",
            id="syntax-error",
        ),
        pytest.param(
            {"b": GOOD + "    colour: red\n"},
            "b.yaml:12 claims[1].colour: unknown field",
            id="unknown-field",
        ),
        pytest.param(
            {"b": GOOD.replace("kind: recommendation", "kind: hunch")},
            "b.yaml:9 claims[1].kind: Input should be",
            id="bad-enum",
        ),
        pytest.param(
            {"b": GOOD, "c": "claims:\n" + claim("R1", "finding")},
            "c.yaml:2 claims[0].id: duplicate claim id 'R1'",
            id="duplicate-id-across-files",
        ),
        pytest.param(
            {"b": GOOD + claim("P1", rel="      - {type: supports, target: D2}")},
            "claims[2].relations[0].target: unknown claim id 'D2'",
            id="dangling-target",
        ),
        pytest.param(
            {
                "b": GOOD
                + claim("P1", rel="      - {type: supports, target: P2}")
                + claim("P2", rel="      - {type: supports, target: P1}")
            },
            "support cycle: P1 -> P2 -> P1",
            id="support-cycle",
        ),
        pytest.param(
            {"b": GOOD + claim("R2", "recommendation")},
            "recommendation 'R2' is not reachable from 'D1'",
            id="unreachable-recommendation",
        ),
        pytest.param({"b": GOOD + claim("D2", "diagnosis")}, "2 root claims", id="two-diagnoses"),
        pytest.param({"b": GOOD, "c": ""}, "c.yaml: file is empty", id="empty-file"),
        pytest.param(
            {"b": "claims:\n  - &x {id: A}\n  - *x\n"},
            "anchors and aliases are not supported",
            id="alias",
        ),
        pytest.param(
            {"b": "claims: !!python/object/apply:os.system ['echo hi']\n"},
            "YAML tag not allowed",
            id="python-tag",
        ),
        pytest.param(
            {"b": "claims: []\nclaims: []\n"},
            "b.yaml:2: duplicate key 'claims'",
            id="duplicate-key",
        ),
        pytest.param(
            {"b": "- just\n- a list\n"}, "b.yaml:1: expected a mapping", id="not-a-mapping"
        ),
        pytest.param(
            {"b": GOOD + "    text: {es: solo}\n"}, "duplicate key 'text'", id="duplicate-field"
        ),
    ],
)
def test_errors_name_file_line_and_field(
    write_map: Callable[..., Path], files: dict[str, str], fragment: str
) -> None:
    root = write_map(a=ARTICLE, **files)
    messages = errors_of(root)
    assert any(fragment in m for m in messages), messages


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        (
            "kind: objeción",
            "(write 'objection' (argmap shows it as 'objeción' in Spanish, but a map names it "
            "in English))",
        ),
        ("kind: Objecion", "(write 'objection' (argmap shows it as 'objeción' in Spanish"),
        ("type: conduce a", "(write 'leads_to' (argmap shows it as 'conduce a' in Spanish"),
        ("type: leads to", "(write 'leads_to')"),
        ("type: attack", "(did you mean 'attacks'?)"),
        ("kind: hunch", "(correct the value; argmap schema shows what each field takes)"),
    ],
    ids=["spanish-kind", "unaccented", "spanish-relation", "english-words", "near", "far"],
)
def test_a_kind_or_relation_named_as_show_prints_it_says_what_to_write(
    write_map: Callable[..., Path], written: str, hint: str
) -> None:
    # `show` prints kinds and relations in the map's language: a writer copies "objeción" or
    # "conduce a" into the YAML, and was told only the list of English values
    objection = claim("O1", "objection", "      - {type: attacks, target: D1}")
    field = "type: attacks" if written.startswith("type") else "kind: objection"
    root = write_map(a=ARTICLE, b=GOOD + objection.replace(field, written))
    [message] = errors_of(root)
    assert hint in message, message


def test_a_models_own_check_is_said_without_pydantics_prefix(
    write_map: Callable[..., Path],
) -> None:
    reported = claim(
        "P1", rel="      - {type: supports, target: D1}", extra="\n    attribution: reported"
    )
    [message] = errors_of(write_map(a=ARTICLE, b=GOOD + reported))
    assert "claims[2]: a reported claim needs 'reported_from'" in message, message


def test_missing_english_text_is_an_error(write_map: Callable[..., Path]) -> None:
    root = write_map(a=ARTICLE, b=GOOD.replace(", en: Text R1.", ""))
    assert any("claims[1].text: no text in 'en'" in m for m in errors_of(root))


def test_missing_map_directory(tmp_path: Path) -> None:
    assert errors_of(tmp_path / "nope") == [
        f"{tmp_path / 'nope'}: map not found (pass --map with a directory or YAML file)"
    ]


def test_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "arguments").mkdir()
    assert "no YAML files" in errors_of(tmp_path / "arguments")[0]


def test_no_article_block(write_map: Callable[..., Path]) -> None:
    assert "no 'article' metadata" in errors_of(write_map(b=GOOD))[0]


def test_bom_and_crlf_load(write_map: Callable[..., Path]) -> None:
    root = write_map(a=ARTICLE)
    (root / "b.yaml").write_bytes(b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode())
    assert len(load_map(root).map.claims) == 2


def test_latin1_file_says_which_encoding(write_map: Callable[..., Path]) -> None:
    root = write_map(a=ARTICLE)
    (root / "b.yaml").write_bytes(GOOD.replace("Texto", "Teléfono").encode("latin-1"))
    assert "not valid UTF-8" in errors_of(root)[0]


def test_thousands_of_dangling_ids_are_suggested_for_in_linear_time(
    write_map: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from argmap.base import suggest

    calls = {"n": 0}
    real = suggest.did_you_mean

    def counting(name: str, candidates: list[str]) -> str | None:
        calls["n"] += 1
        return real(name, candidates)

    claims = [claim("D1", "diagnosis")]
    claims += [
        claim(f"P{i}", rel=f"      - {{type: supports, target: P{i}x}}") for i in range(3000)
    ]
    path = write_map(
        a=ARTICLE + '  sections: [{id: "1", title: Uno}]\n', b="claims:\n" + "".join(claims)
    )
    monkeypatch.setattr(suggest, "did_you_mean", counting)
    found = errors_of(path)
    assert len(found) == 3000 and all("unknown claim id" in e for e in found)
    assert "did you mean 'P0'" in found[0]
    assert calls["n"] == 50  # each distinct unknown id once, and no more than 50 of them


def test_control_character_in_map_text_is_refused_with_its_place(
    write_map: Callable[..., Path],
) -> None:
    text = (
        ARTICLE + "claims:\n" + claim("D1", "diagnosis").replace("Texto D1.", '"Texto \\x9b D1."')
    )
    found = errors_of(write_map(a=text))
    assert found == [
        f"{write_map(a=text) / 'a.yaml'}:8 claims[0].text.es: control character \\x9b in the text "
        "(at character 7) (remove it; a map holds plain text, tabs and line breaks aside)"
    ]


@pytest.mark.parametrize(
    ("name", "what", "hint"),
    [
        ("refs.bib", "a bibliography", "give it with --bib"),
        ("zotero.json", "a bibliography", "give it with --bib"),
        ("paper.qmd", "a manuscript", "argmap check-citations FILE"),
        ("style.csl", "a citation style", "--style"),
    ],
    ids=["bib", "csl-json", "quarto", "csl-style"],
)
def test_a_file_that_is_plainly_no_map_is_named_for_what_it_is(
    tmp_path: Path, name: str, what: str, hint: str
) -> None:
    path = tmp_path / name
    path.write_text("@book{a, title = {T}}\n", encoding="utf-8")
    with pytest.raises(MapError) as raised:
        load_map(path)
    assert f"is {what}, not a map" in str(raised.value) and hint in str(raised.value)


@pytest.mark.parametrize(
    ("written", "said"),
    [
        (
            '"§2 ¶3"',
            'Input should be a mapping of fields (write it as {section: "2", paragraph: 3})',
        ),
        ('"§final ¶12"', '(write it as {section: "final", paragraph: 12})'),
        ('"p. 3"', '(write it as {section: "1", paragraph: 2})'),
    ],
    ids=["as-show-prints-it", "named-section", "a-page"],
)
def test_a_locator_written_as_text_says_how_to_write_it(
    write_map: Callable[..., Path], written: str, said: str
) -> None:
    # `show` prints a locator as "§2 ¶3": copied into the YAML, it was "Input should be a valid
    # dictionary or instance of Locator", a class name of argmap's own
    wrong = GOOD.replace('locator: {section: "1", paragraph: 1}', f"locator: {written}", 1)
    [message] = errors_of(write_map(a=ARTICLE, b=wrong))
    assert "claims[0].locator: " in message and said in message, message
    assert "instance of" not in message
