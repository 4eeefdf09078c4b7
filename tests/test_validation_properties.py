"""Properties of the form validators (actions/validation.py) over any text a citizen could
type: they never raise, what they accept is already clean (cleaning it again changes
nothing), holds no control, format or unassigned character, stays within its bounds, and
is what the registration service will accept too (backend/app/schemas.py), so that a
citizen is never told "registered" only for the service to refuse the name afterwards."""

from __future__ import annotations

import re
import string
import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from actions.validation import (
    MAX_AFFILIATION_LENGTH,
    MAX_NAME_LENGTH,
    MAX_NAME_WORDS,
    clean_affiliation,
    clean_code,
    clean_email,
    clean_full_name,
)

VALIDATORS = (clean_full_name, clean_email, clean_affiliation, clean_code)

# The registration service's rule for a name (backend/app/schemas.py, _NAME), copied because
# the service's code runs in its own venv: a letter first, then letters, spaces, hyphens,
# apostrophes and dots. Georgian Mkhedruli and Mtavruli, Latin with its accented forms.
_SERVICE_LETTERS = ("\u10d0-\u10fa\u10fd-\u10ff" "\u1c90-\u1cba\u1cbd-\u1cbf"
                    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff")
SERVICE_NAME = re.compile(f"^[{_SERVICE_LETTERS}][{_SERVICE_LETTERS} \\-'\u2019\u02bc.]*$")

# Anything: every Unicode category (surrogates aside, which a JSON message cannot carry).
any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
# Text near what the validators look for, so that accepted values are found often.
name_alphabet = "ნინობერიძეᲜᲘᲑᲔGiorgKapanadzeÀéüßŁ'’ʼ.-" + " \t\u00a0\u3000\n" + "\u200b\x00\x85\u0301\u10c6\u1cbbႠ"
name_like = st.text(st.sampled_from(name_alphabet), min_size=1, max_size=40)
email_like = st.builds(
    lambda local, domain, tld, junk: f"{junk}{local}@{domain}.{tld}{junk[::-1]}",
    st.text(st.sampled_from(string.ascii_letters + string.digits + ".-_+'\u212a"), min_size=1, max_size=70),
    st.text(st.sampled_from(string.ascii_letters + string.digits + "-."), min_size=1, max_size=20),
    st.text(st.sampled_from(string.ascii_letters), min_size=1, max_size=6),
    st.sampled_from(["", " ", "<", "  <", "\t", "\u00a0"]),
)
affiliation_like = st.text(st.sampled_from("შიოსმუნიციპალიტეტი ALDA Schio 123 -\t\u200b\x07\u00ad&<>'\";"), max_size=150)
code_like = st.text(st.sampled_from("ABCDEFGHJKMNPQRSTUVWXYZ23456789abcdk0O1Iß -\t"), max_size=14)

CANDIDATES = {
    clean_full_name: st.one_of(any_text, name_like),
    clean_email: st.one_of(any_text, email_like),
    clean_affiliation: st.one_of(any_text, affiliation_like),
    clean_code: st.one_of(any_text, code_like),
}


def no_hidden_characters(value: str) -> bool:
    """No control (Cc), format (Cf), unassigned (Cn) or private-use (Co) character, and no
    whitespace other than single spaces between words."""
    if any(unicodedata.category(c).startswith("C") for c in value):
        return False
    return value == value.strip() and "  " not in value and all(c == " " or not c.isspace() for c in value)


@settings(max_examples=300)
@given(st.data())
def test_never_raises_and_accepts_only_clean_idempotent_values(data):
    for clean, candidates in CANDIDATES.items():
        text = data.draw(candidates, label=clean.__name__)
        value = clean(text)
        assert value is None or isinstance(value, str)
        if value is not None:
            assert no_hidden_characters(value), (clean.__name__, text, value)
            assert clean(value) == value, (clean.__name__, text, value)
            assert unicodedata.normalize("NFC", value) == value


@settings(max_examples=500)
@given(st.one_of(any_text, name_like))
@example("'Nino Beridze")  # the service wants a letter first
@example("\u10c6\u10d0")  # unassigned code point in the Georgian block
@example("Ⴀნა ბერიძე")  # Asomtavruli, which the service does not accept
def test_accepted_names_are_within_bounds_and_acceptable_to_the_service(text):
    name = clean_full_name(text)
    if name is None:
        return
    assert 2 <= len(name) <= MAX_NAME_LENGTH
    assert 1 <= len(name.split(" ")) <= MAX_NAME_WORDS
    assert all(any(c.isalpha() for c in word) for word in name.split(" "))
    assert SERVICE_NAME.match(name), f"the service would refuse {name!r}"


@given(st.lists(st.text(st.sampled_from("ნინობერიძეGiorgKapanadzeé"), min_size=1, max_size=12),
                min_size=1, max_size=MAX_NAME_WORDS),
       st.lists(st.sampled_from([" ", "  ", "\t", "\u00a0", "\n", "\u3000"]), min_size=MAX_NAME_WORDS + 1,
                max_size=MAX_NAME_WORDS + 1))
def test_a_name_is_the_same_however_it_is_spaced(words, gaps):
    canonical = " ".join(words)
    spaced = gaps[0] + "".join(w + g for w, g in zip(words, gaps[1:], strict=False))  # more gaps than words
    assert clean_full_name(spaced) == clean_full_name(canonical)
    if len(canonical) >= 2:
        assert clean_full_name(spaced) == canonical


@settings(max_examples=500)
@given(st.one_of(any_text, email_like))
@example("a" * 65 + "@example.org")  # RFC 5321: at most 64 characters before the @
def test_accepted_emails_are_lowercase_single_addresses_within_bounds(text):
    email = clean_email(text)
    if email is None:
        return
    local, _, domain = email.partition("@")
    assert email == email.lower() and email.isascii()
    assert "@" not in domain and local and "." in domain
    assert len(email) <= 254 and len(local) <= 64
    assert all(1 <= len(label) <= 63 for label in domain.split("."))
    assert clean_email(email.upper()) == email


@given(st.one_of(any_text, affiliation_like))
def test_accepted_affiliations_are_within_bounds(text):
    value = clean_affiliation(text)
    if value is not None:
        assert 1 <= len(value) <= MAX_AFFILIATION_LENGTH
        assert any(c.isalpha() for c in value)


@given(st.one_of(any_text, code_like))
def test_accepted_codes_are_eight_characters_of_the_code_alphabet(text):
    code = clean_code(text)
    if code is not None:
        assert re.fullmatch(r"[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{8}", code)


@given(st.text(st.sampled_from("ABCDEFGHJKMNPQRSTUVWXYZ23456789"), min_size=8, max_size=8),
       st.sampled_from(["{}", "{} ", " {}", "{}"]), st.booleans(), st.booleans())
def test_a_code_is_read_back_however_it_is_typed(code, frame, lower, hyphen):
    typed = (code[:4] + "-" + code[4:]) if hyphen else code
    typed = frame.format(typed.lower() if lower else typed)
    assert clean_code(typed) == code
