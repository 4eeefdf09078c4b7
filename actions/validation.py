"""Checks of what a citizen types into the registration forms. Plain functions: each
returns the cleaned value, or None when the value cannot be accepted."""

from __future__ import annotations

import re
import unicodedata
from typing import Optional

from avatar_shared.codes import normalise_code
from avatar_shared.names import NAME_LETTERS, NAME_MAX_LENGTH, NAME_PUNCTUATION

MAX_NAME_LENGTH = NAME_MAX_LENGTH
MAX_AFFILIATION_LENGTH = 120
MAX_NAME_WORDS = 6
SKIPPED = "-"

# the letters of a name: the registration service checks names with the same definition,
# so that a name accepted here is never refused there after the citizen has confirmed it
_LETTER = re.compile(f"[{NAME_LETTERS}]")
_NAME_WORD = re.compile(f"^[{NAME_LETTERS}{NAME_PUNCTUATION}]+$")
_MAX_EMAIL_LOCAL_PART = 64  # RFC 5321; the service refuses longer ones
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,}$")


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
    return normalise_code(text)