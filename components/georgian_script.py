"""Georgian typed in Latin letters ("translit"), converted back to Georgian script.

Why this exists: the sentence-embedding model (multilingual e5) understands Georgian in
Georgian script and English, but reads translit ("ra girs monawileoba") as noise.
Converted to Georgian script first ("რა ღირს მონაწილეობა"), it understands it. The
GPL-3 package ``anbani`` can do the conversion, but its licence would bind the project;
this module does it with the standard library and the project's own data.

How: the shared spelling of ``components.georgian`` (the lossy "skeleton" where
Georgian letters and every translit habit meet) is used as a key. A lexicon of words
seen in Georgian script (the Georgian training examples) is indexed by skeleton, so a
translit token whose skeleton is known gets the real word back, letters that the
habits confuse (თ/ტ, ქ/კ/ყ, ც/წ, ჩ/ჭ, ღ/გ, პ/ფ) included. A token that is not in the
lexicon but starts like a lexicon word (a stem with other case endings) takes the
stem's letters and converts the rest; anything else is converted letter by letter with
the most common informal readings. Deterministic, no model, microseconds per message.

The spelling of a translit token here is ``translit_skeleton``'s, except that a
capital before "h" ("Sh", "Th") is read as the digraph, and that a capital at the
start of a token is a keyboard key unless only the plain letter makes a known word.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterable, Mapping, Optional

from components.georgian import (
    ENGLISH_IN_TRANSLIT,
    TOKEN_PATTERN,
    _APOSTROPHES,
    fold,
    georgian_skeleton,
    is_georgian_letter,
    translit_digits,
)

# Capital letters on Shift in the Georgian keyboard layout (typed on purpose: "Ria",
# "mmarTveloba", "SeiZleba"); the same keys as components.georgian._KEYBOARD_CAPITALS.
KEYBOARD_CAPITALS: dict[str, str] = {
    "T": "თ", "W": "ჭ", "R": "ღ", "S": "შ", "J": "ჟ", "Z": "ძ", "C": "ჩ",
}

# Sequences read before single letters (three characters before two). An apostrophe
# after a letter marks the ejective in the national romanisation (k' t' p' ts' ch',
# and q' for ყ). Without an apostrophe the digraphs take their most common reading:
# "ts" is ც (far more frequent than წ, which informal typists write "w" or "ts'"),
# "ch" is ჩ (ჭ is "ch'" or "W"), "th"/"ph" (an English habit) are თ/ფ, and "dj" (another) is ჯ.
SEQUENCES: tuple[tuple[str, str], ...] = (
    ("ts'", "წ"), ("ch'", "ჭ"),
    ("k'", "კ"), ("t'", "ტ"), ("p'", "პ"), ("q'", "ყ"), ("c'", "წ"),
    ("sh", "შ"), ("ch", "ჩ"), ("zh", "ჟ"), ("kh", "ხ"), ("gh", "ღ"), ("dz", "ძ"),
    ("ts", "ც"), ("th", "თ"), ("ph", "ფ"), ("dj", "ჯ"),
)
_APOSTROPHE_FORMS = {k.replace("'", a): v for k, v in SEQUENCES if "'" in k for a in _APOSTROPHES}
_SEQUENCES: dict[str, str] = {**dict(SEQUENCES), **_APOSTROPHE_FORMS}  # 2 or 3 characters
_DIGRAPHS = frozenset(sequence for sequence, _ in SEQUENCES if len(sequence) == 2)

# Single letters, in the most common informal reading:
# - q is ქ and k is კ (the habit of typing on the Georgian keyboard layout, where q and
#   k are those keys; the national romanisation's k=ქ/k'=კ is rarer in chat), y is ყ;
# - t is თ (the most frequent of თ/ტ, and what most typists mean; ტ is "t'"), p is პ
#   (the keyboard key; ფ is "f" or "ph"), w is წ, c is ც, x is ხ, j is ჯ, h is ჰ.
LETTERS: dict[str, str] = {
    "a": "ა", "b": "ბ", "c": "ც", "d": "დ", "e": "ე", "f": "ფ", "g": "გ", "h": "ჰ",
    "i": "ი", "j": "ჯ", "k": "კ", "l": "ლ", "m": "მ", "n": "ნ", "o": "ო", "p": "პ",
    "q": "ქ", "r": "რ", "s": "ს", "t": "თ", "u": "უ", "v": "ვ", "w": "წ", "x": "ხ",
    "y": "ყ", "z": "ზ",
}

# Shortest stem (in skeleton letters) that a lexicon word lends to a longer token.
MIN_STEM = 4


_SKELETON: dict[str, str] = {
    letter: georgian_skeleton(letter)
    for letter in {*LETTERS.values(), *_SEQUENCES.values(), *KEYBOARD_CAPITALS.values()}
}


def _is_translit_token(token: str) -> bool:
    """Only ASCII letters and apostrophes: a token this module may convert."""
    return all(("a" <= c <= "z") or ("A" <= c <= "Z") or c in _APOSTROPHES for c in token) and any(
        c.isalpha() for c in token
    )


def _is_acronym(token: str) -> bool:
    letters = [c for c in token if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


MIN_SHOUTED_WORDS = 2  # capitals in one word are an acronym or keyboard keys, not shouting
_MIN_SHOUTED_STEM = 5  # ... and a shouted word is read by a stem of the lexicon this long or longer


def _shouted(tokens: list[str]) -> bool:
    """Typed with Caps Lock on ("RODIS DA SAD ARIS"): most Latin words of two letters or more,
    and at least MIN_SHOUTED_WORDS of them, in capitals. Such capitals are no keyboard keys
    and no acronyms: the words the lexicon knows are read as if typed in lower case."""
    words = [t for t in tokens if _is_translit_token(t) and sum(c.isalpha() for c in t) > 1]
    capitals = sum(map(_is_acronym, words))
    return capitals >= MIN_SHOUTED_WORDS and 2 * capitals > len(words)


# Georgian case endings and postpositions that phones glue onto an English word ("hotelshi",
# in the hotel; "linkze", on the link; "emailit", by e-mail; "ticketis fasi", the ticket's price)
GLUED_ENDINGS = ("ebshi", "ebze", "ebis", "ebit", "istvis", "shi", "ze", "it", "is", "dan", "tan", "tvis", "ebi")
# ... onto the English words that name a thing (ENGLISH_IN_TRANSLIT's nouns)
_GLUABLE = frozenset({"price", "cost", "online", "hotel", "hotels", "venue", "date", "dates", "address", "website",
                      "link", "programme", "agenda", "ticket", "tickets", "language", "translation", "stream",
                      "certificate", "contact", "email", "phone", "deadline"})


def english_with_ending(token: str) -> Optional[tuple[str, str]]:
    """(the English word, the Georgian ending) of a token such as "hotelshi"; None otherwise."""
    lower = token.lower()
    for ending in GLUED_ENDINGS:
        if lower.endswith(ending) and lower[:-len(ending)] in _GLUABLE:
            return token[:-len(ending)], token[-len(ending):]
    return None


def translit_letters(token: str, keyboard_initial: bool = True) -> list[str]:
    """The Georgian letters of a translit token, one per letter it spells.

    Capitals in KEYBOARD_CAPITALS are keyboard keys; with ``keyboard_initial`` False
    the first letter is read as a grammatical capital (start of a sentence, a name).
    A capital followed by "h" ("Sh", "Th", "Ch") is the digraph: ჰ never follows
    შ/თ/ჩ/ჟ in Georgian. Other capitals are read as lower case.
    """
    return [letter for letter, _ in _parse(token, keyboard_initial)]


def _parse(token: str, keyboard_initial: bool = True) -> list[tuple[str, str]]:
    """(Georgian letter, the characters typed for it) for each letter of the token."""
    out: list[tuple[str, str]] = []
    i, n = 0, len(token)
    while i < n:
        char = token[i]
        if char in _APOSTROPHES:  # a stray apostrophe, not after a letter that takes one
            i += 1
            continue
        if (
            char in KEYBOARD_CAPITALS
            and (i > 0 or keyboard_initial)
            and not (i + 1 < n and token[i + 1] == "h" and char.lower() + "h" in _DIGRAPHS)
        ):
            out.append((KEYBOARD_CAPITALS[char], char))
            i += 1
            continue
        rest = token[i:i + 3].lower()
        width = 3
        letter = _SEQUENCES.get(rest) if len(rest) == 3 else None
        if letter is None:
            width = 2
            letter = _SEQUENCES.get(rest[:2])
        if letter is None:
            width = 1
            letter = LETTERS.get(rest[0], rest[0])
        out.append((letter, token[i:i + width]))
        i += width
    return out


class GeorgianScriptConverter:
    """Converts translit messages to Georgian script, with a lexicon of known words."""

    def __init__(
        self,
        word_counts: Optional[Mapping[str, int]] = None,
        keep: Iterable[str] = (),
        min_stem: int = MIN_STEM,
        use_stems: bool = True,
        unshifted: bool = True,
    ) -> None:
        self.keep = {fold(word) for word in keep}
        self.min_stem = min_stem
        self.use_stems = use_stems
        self.unshifted = unshifted
        counts: Counter[str] = Counter()
        for word, count in (word_counts or {}).items():
            word = fold(word)
            if word and all(map(is_georgian_letter, word)):
                counts[word] += count
        self.words, self.stems = self._index(counts)

    def _index(self, counts: Mapping[str, int]) -> tuple[dict[str, str], dict[str, str]]:
        """Words and word beginnings (stems of at least min_stem skeleton letters) by
        spelling; the most frequent Georgian spelling wins, ties alphabetically."""
        words: dict[str, Counter[str]] = {}
        stems: dict[str, Counter[str]] = {}
        for word, count in counts.items():
            skeleton = ""
            for end, letter in enumerate(word, start=1):
                skeleton += _skeleton_chunk(letter)
                if len(skeleton) >= self.min_stem:
                    stems.setdefault(skeleton, Counter())[word[:end]] += count
            words.setdefault(skeleton, Counter())[word] += count
        return (
            {k: _most_frequent(c) for k, c in words.items()},
            {k: _most_frequent(c) for k, c in stems.items()},
        )

    @classmethod
    def from_texts(
        cls, georgian_texts: Iterable[str], keep: Iterable[str] = (), **options: Any
    ) -> "GeorgianScriptConverter":
        """A converter whose lexicon is the Georgian-script words of ``georgian_texts``."""
        counts: Counter[str] = Counter()
        for text in georgian_texts:
            for token in TOKEN_PATTERN.findall(text):
                token = fold("".join(c for c in token if c not in _APOSTROPHES))
                if token and all(map(is_georgian_letter, token)):
                    counts[token] += 1
        return cls(counts, keep=keep, **options)

    def __len__(self) -> int:
        return len(self.words)

    def convert(self, text: str) -> str:
        """``text`` with each translit token in Georgian script; punctuation, digits,
        Georgian, acronyms ("AVATAR"), ``keep`` words and English words borrowed mid-message
        (``ENGLISH_IN_TRANSLIT``: "and where") as they were; a message typed with Caps Lock on
        as if typed in lower case."""
        out, last = [], 0
        matches = list(TOKEN_PATTERN.finditer(text))
        shouted = _shouted([match.group() for match in matches])
        for match in matches:
            token = match.group()
            out.append(text[last:match.start()])
            out.append(self._shouted_token(token) if shouted else self.convert_token(token))
            last = match.end()
        out.append(text[last:])
        return "".join(out)

    def _shouted_token(self, token: str) -> str:
        """A word of a message typed with Caps Lock on, in Georgian letters when the lexicon
        knows it as typed in lower case (whole or by a stem); else as it was: English in
        capitals ("gamarjoba!! WEN DOES IT START"), a name, an acronym."""
        if not _is_acronym(token):
            return self.convert_token(token)
        lowered = token.lower()
        if lowered in ENGLISH_IN_TRANSLIT:
            return token
        _, (known, length) = self._lookup(translit_letters(translit_digits(lowered)))
        return self.convert_token(lowered) if known == _WORD or length >= _MIN_SHOUTED_STEM else token

    def convert_token(self, token: str) -> str:
        """One token in Georgian script, or unchanged when it is not translit; an English word
        with a Georgian ending glued on keeps the word ("hotelshi" -> "hotel-ში")."""
        token = translit_digits(token)
        if not _is_translit_token(token) or _is_acronym(token) or fold(token) in self.keep \
                or token.lower() in ENGLISH_IN_TRANSLIT:
            return token
        glued = english_with_ending(token)
        if glued is not None:
            return glued[0] + "-" + "".join(translit_letters(glued[1]))
        parsed = _parse(token)
        letters = [letter for letter, _ in parsed]
        word, known = self._lookup(letters)
        if known[0] < _WORD and token[0] in KEYBOARD_CAPITALS and len(token) > 1:
            # a capital at the start is a keyboard key ("Ria", ღია) unless only the
            # grammatical capital ("Salome", "Sabado") makes a word the lexicon knows
            plain, plain_known = self._lookup(translit_letters(token, keyboard_initial=False))
            if plain_known[0] == _WORD:
                return plain
        if known[0] == _UNKNOWN and self.unshifted:
            word = self._unshifted(parsed, word)
        return word

    def _unshifted(self, parsed: list[tuple[str, str]], default: str) -> str:
        """For a word the lexicon does not know: the keys of the keyboard layout's
        capitals typed without Shift ("seizleba", "wkviani", "cemi" for შეიძლება,
        ჭკვიანი, ჩემი). Each such letter is tried both ways; the reading the lexicon
        knows best wins (a whole word over a stem, the longer stem, fewer changes)."""
        positions = [i for i, (_, typed) in enumerate(parsed) if typed in _UNSHIFTED]
        if not positions or len(positions) > _MAX_UNSHIFTED:
            return default
        best, best_score = default, (_UNKNOWN, 0, 0)
        for mask in range(1, 2 ** len(positions)):
            letters = [letter for letter, _ in parsed]
            for bit, i in enumerate(positions):
                if mask >> bit & 1:
                    letters[i] = _UNSHIFTED[parsed[i][1]]
            word, (known, length) = self._lookup(letters)
            if known == _STEM and length < _MIN_UNSHIFTED_STEM:
                continue  # a short stem is no evidence against the letters as typed
            score = (known, length, -bin(mask).count("1"))
            if score > best_score:
                best, best_score = word, score
        return best

    def _lookup(self, letters: list[str]) -> tuple[str, tuple[int, int]]:
        """The word for these letters, and whether the lexicon knew it as a whole word,
        by a stem, or not at all (then the letters as they are), with the length of
        what it knew."""
        chunks = [_skeleton_chunk(letter) for letter in letters]
        skeleton = "".join(chunks)
        word = self.words.get(skeleton)
        if word is not None:
            return word, (_WORD, len(skeleton))
        if self.use_stems:
            # the longest stem of a lexicon word that this token starts with (the
            # token may also be a lexicon word cut short): its letters, then the rest
            length = len(skeleton)
            for end in range(len(chunks), 0, -1):
                if length < self.min_stem:
                    break
                stem = self.stems.get(skeleton[:length])
                if stem is not None:
                    return stem + "".join(letters[end:]), (_STEM, length)
                length -= len(chunks[end - 1])
        return "".join(letters), (_UNKNOWN, 0)


_UNKNOWN, _STEM, _WORD = 0, 1, 2

# Keyboard capitals typed without Shift, tried for words the lexicon does not know.
# R (ღ) is left out: "r" for ღ would turn რ in unknown words (names) into ღ too often.
_UNSHIFTED = {"s": "შ", "z": "ძ", "j": "ჟ", "c": "ჩ", "w": "ჭ"}
_MAX_UNSHIFTED = 4  # at most 2**4 readings of one token
_MIN_UNSHIFTED_STEM = 6


def _skeleton_chunk(letter: str) -> str:
    return _SKELETON.get(letter) or georgian_skeleton(letter)


def _most_frequent(counts: Counter[str]) -> str:
    return min(counts.items(), key=lambda item: (-item[1], item[0]))[0]


__all__ = ["GeorgianScriptConverter", "translit_letters", "KEYBOARD_CAPITALS", "LETTERS"]
