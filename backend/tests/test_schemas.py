from __future__ import annotations

import pytest
from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from app.schemas import RegistrationCreate, normalise_email, normalise_full_name


def body(**overrides):
    data = {
        "event_id": "e",
        "full_name": "Nino Beridze",
        "email": "nino@example.org",
        "language": "en",
        "consent": True,
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("  ნინო  ბერიძე ", "ნინო ბერიძე"),
        ("ᲜᲘᲜᲝ", "ნინო"),
        ("Nino\u00a0Beridze", "Nino Beridze"),  # a no-break space is whitespace too
        ("Rene\u0301", "René"),  # NFC
        ("Ab", "Ab"),
        ("A" * 100, "A" * 100),
    ],
)
def test_names_normalised(given: str, expected: str) -> None:
    assert normalise_full_name(given) == expected


@pytest.mark.parametrize(
    "given", ["A", "A" * 101, "1abc", "abc!", "ab_cd", "'ab", "ab\u200bcd", "你好"]
)
def test_names_refused(given: str) -> None:
    with pytest.raises(PydanticCustomError):
        normalise_full_name(given)


def test_email_normalised_without_dns() -> None:
    assert normalise_email("  Someone@Some-Domain-That-Does-Not-Exist.example ") == (
        "someone@some-domain-that-does-not-exist.example"
    )


def test_consent_must_be_exactly_true() -> None:
    for value in (False, "true", 1, None):
        with pytest.raises(ValidationError):
            RegistrationCreate.model_validate(body(consent=value))


def test_fingerprint_is_of_the_normalised_body() -> None:
    one = RegistrationCreate.model_validate(
        body(email="NINO@example.org", full_name=" Nino  Beridze")
    )
    two = RegistrationCreate.model_validate(body())
    three = RegistrationCreate.model_validate(body(language="ka"))
    assert one.fingerprint() == two.fingerprint() != three.fingerprint()
    assert len(one.fingerprint()) == 64


def test_empty_optional_text_is_none() -> None:
    data = RegistrationCreate.model_validate(body(municipality="   ", organisation=" Civic  Lab "))
    assert data.municipality is None and data.organisation == "Civic Lab"
