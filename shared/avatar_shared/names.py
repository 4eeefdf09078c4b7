"""The letters of a person's name: Georgian Mkhedruli (and Mtavruli capitals, which the
service turns into Mkhedruli) and Latin with its accented forms; only the assigned letters
of the Georgian blocks (not Asomtavruli, nor unassigned code points). Between letters, a
name may have spaces, hyphens, apostrophes and dots, and it starts with a letter.

The chat checks a name with these before the citizen confirms it, and the service checks
it again: one definition, so that a name the chat accepted is never refused after the
citizen has confirmed it. As character-class ranges, for regular expressions.
"""

GEORGIAN_LETTERS = "\u10d0-\u10fa\u10fd-\u10ff"
MTAVRULI_LETTERS = "\u1c90-\u1cba\u1cbd-\u1cbf"
LATIN_LETTERS = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
NAME_LETTERS = GEORGIAN_LETTERS + MTAVRULI_LETTERS + LATIN_LETTERS
# besides letters and spaces: hyphen, apostrophes (straight, right single quote, modifier)
# and dot; escaped for a character class
NAME_PUNCTUATION = "\\-'\u2019\u02bc."
NAME_MIN_LENGTH, NAME_MAX_LENGTH = 2, 100
