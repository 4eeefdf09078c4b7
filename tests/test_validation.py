"""What the registration forms accept, and what they refuse."""

import pytest

from actions.validation import clean_affiliation, clean_code, clean_email, clean_full_name


@pytest.mark.parametrize("text, expected", [
    ("ნინო ბერიძე", "ნინო ბერიძე"),
    ("  Nino   Beridze ", "Nino Beridze"),
    ("Jean-Luc O'Neill", "Jean-Luc O'Neill"),
    ("ᲜᲘᲜᲝ ᲑᲔᲠᲘᲫᲔ", "ᲜᲘᲜᲝ ᲑᲔᲠᲘᲫᲔ"),
    ("Zoë Müller", "Zoë Müller"),
    ("Nguyễn Thị Ánh", "Nguyễn Thị Ánh"),  # every Latin letter the registration service accepts
    ("'Nino Beridze", None),  # the service wants a letter first
    ("Ⴀნა ბერიძე", None),  # Asomtavruli: not a letter the service accepts
    ("\u10c6\u10d0\u10d0", None),  # an unassigned code point of the Georgian block
    ("", None),
    ("   ", None),
    ("a", None),
    ("when is the event?", None),
    ("nino123", None),
    ("<script>alert(1)</script>", None),
    ("Robert'); DROP TABLE registrations;--", None),
    ("x" * 101, None),
    ("one two three four five six seven", None),
    ("👍👍", None),
    ("- -", None),
])
def test_full_name(text, expected):
    assert clean_full_name(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("nino@example.com", "nino@example.com"),
    ("  Nino.Beridze@Example.GE ", "nino.beridze@example.ge"),
    ("<nino@example.com>", "nino@example.com"),
    ("nino@example", None),
    ("nino example.com", None),
    ("nino@@example.com", None),
    ("nino@exa mple.com", None),
    ("nino..b@example.com", None),
    ("a" * 65 + "@example.com", None),  # at most 64 characters before the @ (RFC 5321)
    ("", None),
    ("'; DROP TABLE x; --@example.com", None),
])
def test_email(text, expected):
    assert clean_email(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("შიოს მუნიციპალიტეტი", "შიოს მუნიციპალიტეტი"),
    ("ALDA", "ALDA"),
    ("", None),
    ("123", None),
    ("x" * 121, None),
    ("bad\x00byte", None),
])
def test_affiliation(text, expected):
    assert clean_affiliation(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("K7MP2QXA", "K7MP2QXA"),
    ("k7mp-2qxa", "K7MP2QXA"),
    (" k7mp 2qxa ", "K7MP2QXA"),
    ("K7MP2QX", None),
    ("K7MP2QX0", None),  # 0 is never used: it reads like O
    ("I1LO0000", None),
])
def test_confirmation_code(text, expected):
    assert clean_code(text) == expected
