"""Models: unknown fields rejected, attribution rules, helpers."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from argmap.map.models import Attribution, Citation, Claim, ClaimKind

BASE = {
    "id": "C1",
    "kind": "finding",
    "text": {"es": "Hola.", "en": "Hello."},
    "locator": {"section": "1", "paragraph": 2},
}


def test_claim_defaults_to_asserted() -> None:
    claim = Claim.model_validate(BASE)
    assert claim.attribution is Attribution.ASSERTED
    assert claim.kind is ClaimKind.FINDING


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param({"colour": "red"}, id="unknown-field"),
        pytest.param({"kind": "hunch"}, id="unknown-kind"),
        pytest.param({"attribution": "reported"}, id="reported-without-source"),
        pytest.param({"reported_from": ["x1990"]}, id="source-without-reported"),
        pytest.param({"locator": {"section": "1", "paragraph": 0}}, id="paragraph-zero"),
        pytest.param({"id": "1bad id"}, id="bad-id"),
    ],
)
def test_invalid_claims_are_rejected(extra: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Claim.model_validate({**BASE, **extra})


def test_citation_key_may_not_contain_spaces() -> None:
    with pytest.raises(ValidationError):
        Citation.model_validate({"key": "a b", "printed": "A (1990)"})


def test_text_in_falls_back_to_any_language() -> None:
    claim = Claim.model_validate({**BASE, "text": {"es": "Sólo español."}})
    assert claim.text_in("en") == "Sólo español."
