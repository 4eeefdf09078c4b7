from __future__ import annotations

import re

from avatar_shared.codes import CODE_ALPHABET, CODE_LENGTH

from app.services.registrations import new_confirmation_code, normalise_code


def test_codes_avoid_ambiguous_characters() -> None:
    assert not set("0O1IL") & set(CODE_ALPHABET)
    assert len(set(CODE_ALPHABET)) == len(CODE_ALPHABET) == 31
    codes = {new_confirmation_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(re.fullmatch(f"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}", code) for code in codes)
    # every symbol shows up: drawn from the whole alphabet
    assert set("".join(codes)) == set(CODE_ALPHABET)


def test_codes_are_read_case_insensitively_and_shape_checked() -> None:
    assert normalise_code(" abcdefgh ") == "ABCDEFGH"
    assert normalise_code("ABCDEFG") is None
    assert normalise_code("ABCDEFG0") is None  # 0 is never in a code
    assert normalise_code("ABC\x00EFGH") is None
