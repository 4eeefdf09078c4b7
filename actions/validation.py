"""Checks of what a citizen types into the registration forms. Plain functions: each
returns the cleaned value, or None when the value cannot be accepted."""

from __future__ import annotations

import re
import unicodedata
from typing import Optional

MAX_NAME_LENGTH = 100
MAX_AFFILIATION_LENGTH = 120
MAX_NAME_WORDS = 6
SKIPPED = "-"

# Georgian (Mkhedruli, Mtavruli) or Latin letters, with hyphens, apostrophes and dots, a
# letter first: the registration service's rule (backend/app/schemas.py, _NAME), so that a
# name accepted here is never refused there after the citizen has confirmed it. Only the
# assigned letters of the Georgian blocks (not Asomtavruli, nor the unassigned code points
# the blocks hold).
_LETTERS = ("\u10d0-\u10fa\u10fd-\u10ff" "\u1c90-\u1cba\u1cbd-\u1cbf"
            "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff")
_LETTER = re.compile(f"[{_LETTERS}]")
_NAME_WORD = re.compile(f"^[{_LETTERS}'\u2019\u02bc.\\-]+$")
_MAX_EMAIL_LOCAL_PART = 64  # RFC 5321; the service refuses longer ones
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,}$")
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_CODE_LENGTH = 8


def _squash(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def clean_full_name(text: str) -> Optional[str]:
    name = _squash(text)
    words = name.split(" ")
    if not 2 <= len(name) <= MAX_NAME_LENGTH or len(words) > MAX_NAME_WORDS:
        return None
    if not all(_NAME_WORD.match(word) and _LETTER.search(word) for word in words):
        return None
    if not _LETTER.match(name):
        return None
    return name


def clean_email(text: str) -> Optional[str]:
    email = _squash(text).strip("<>").lower()
    if " " in email or len(email) > 254 or not _EMAIL.match(email) or ".." in email:
        return None
    if len(email.split("@", 1)[0]) > _MAX_EMAIL_LOCAL_PART:
        return None
    return email


def clean_affiliation(text: str) -> Optional[str]:
    value = _squash(text)
    if not value or len(value) > MAX_AFFILIATION_LENGTH or not any(c.isalpha() for c in value):
        return None
    if any(unicodedata.category(c).startswith("C") for c in value):
        return None
    return value


def clean_code(text: str) -> Optional[str]:
    """Confirmation codes are read aloud and retyped: case, spaces and hyphens do not count."""
    code = re.sub(r"[\s\-]", "", text or "").upper()
    if len(code) != _CODE_LENGTH or any(c not in _CODE_ALPHABET for c in code):
        return None
    return code
