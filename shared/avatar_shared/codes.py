"""Confirmation codes: the service issues them, citizens retype them in the chat, and the
logs and reports of missed messages mask them.

A code is 8 symbols from 31: no 0/O, no 1/I/L, so that a code read aloud or copied by
hand stays unambiguous (31**8, about 8.5e11 codes).
"""

from __future__ import annotations

import re
import secrets
from typing import Optional

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
_HALF = CODE_LENGTH // 2
# one symbol, in either case (citizens retype codes in lower case)
_SYMBOL = f"[{CODE_ALPHABET}{CODE_ALPHABET.lower()}]"

# exactly a code, as the service stores it
CODE_SHAPE = re.compile(f"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")
# a whole message that is a code: either case, one space or hyphen allowed in the middle,
# and at least one digit (so that an 8-letter word such as "ALDARASA" stays a word)
CODE_MESSAGE = re.compile(rf"^\s*(?=[^\d]*\d){_SYMBOL}{{{_HALF}}}[\s-]?{_SYMBOL}{{{_HALF}}}\s*$")
# a code inside a text ("kodi K7MX3QPA, ra mdgomareobaa?"): at least one digit, and not
# part of a longer word, an e-mail address or a web address
CODE_IN_TEXT = re.compile(rf"(?<![\w@./-])(?=[\w-]*\d){_SYMBOL}{{{_HALF}}}-?{_SYMBOL}{{{_HALF}}}(?![\w-]|[@./]\w)")


def new_code() -> str:
    """A random code (the service makes them; it checks that the code is still free)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def is_code(text: str) -> bool:
    """Exactly a code as issued: upper case, no separators."""
    return bool(CODE_SHAPE.match(text or ""))


def normalise_code(text: str) -> Optional[str]:
    """The code a citizen typed, as issued: case, spaces and hyphens do not count; None
    when it cannot be a code."""
    code = re.sub(r"[\s\-]", "", text or "").upper()
    return code if is_code(code) else None


def is_code_message(text: str) -> bool:
    return bool(CODE_MESSAGE.match(text or ""))


def carries_a_code(text: str) -> bool:
    return bool(CODE_IN_TEXT.search(text or ""))
