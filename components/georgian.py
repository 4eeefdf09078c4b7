"""Georgian text helpers: script detection, a shared spelling for Georgian in Georgian
letters and in Latin letters, and recognising a request to switch language.

Pure functions without Rasa imports, so the NLU components, the action server and tests
can all use them.

The shared spelling ("skeleton") is deliberately lossy. Citizens type Georgian in Latin
letters with several habits at once (``q`` or ``k'`` for ქ/კ, ``w`` or ``ts'`` for წ,
``x`` or ``kh`` for ხ, ``gh`` or ``R`` for ღ, capital letters as keyboard keys), so the
letters those habits confuse are merged: თ/ტ -> t, კ/ქ/ყ -> k, პ/ფ -> p, ღ/გ -> g,
ც/წ -> ts, ჩ/ჭ -> ch. Georgian letters and each Latin habit then meet in one spelling,
and the classifier learns one vocabulary for Georgian instead of five.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any, Iterable, Optional, Sequence

GEORGIAN = "ka"
ENGLISH = "en"
LANGUAGES = (GEORGIAN, ENGLISH)
DEFAULT_LANGUAGE = GEORGIAN

# The three ways of writing that training and evaluation data are tagged with.
WRITING_GEORGIAN = "ka"
WRITING_TRANSLIT = "ka-Latn"
WRITING_ENGLISH = "en"
WRITINGS = (WRITING_GEORGIAN, WRITING_TRANSLIT, WRITING_ENGLISH)
LANGUAGE_OF_WRITING = {
    WRITING_GEORGIAN: GEORGIAN,
    WRITING_TRANSLIT: GEORGIAN,
    WRITING_ENGLISH: ENGLISH,
}

_MKHEDRULI_TO_SKELETON = {
    "ა": "a", "ბ": "b", "გ": "g", "დ": "d", "ე": "e", "ვ": "v", "ზ": "z", "თ": "t",
    "ი": "i", "კ": "k", "ლ": "l", "მ": "m", "ნ": "n", "ო": "o", "პ": "p", "ჟ": "zh",
    "რ": "r", "ს": "s", "ტ": "t", "უ": "u", "ფ": "p", "ქ": "k", "ღ": "g", "ყ": "k",
    "შ": "sh", "ჩ": "ch", "ც": "ts", "ძ": "dz", "წ": "ts", "ჭ": "ch", "ხ": "kh",
    "ჯ": "j", "ჰ": "h",
    # letters out of modern use, still on some keyboards
    "ჱ": "e", "ჲ": "i", "ჳ": "u", "ჴ": "kh", "ჵ": "o", "ჶ": "p",
}

# Capital letters that the Georgian keyboard layout puts on Shift (typed on purpose).
_KEYBOARD_CAPITALS = {
    "T": "t",  # თ
    "W": "ch",  # ჭ
    "R": "g",  # ღ
    "S": "sh",  # შ
    "J": "zh",  # ჟ
    "Z": "dz",  # ძ
    "C": "ch",  # ჩ
}

# Longest first; apostrophes are dropped afterwards, so "ts'" and "ts" meet.
_LATIN_SEQUENCES = (
    ("sh", "sh"), ("ch", "ch"), ("zh", "zh"), ("kh", "kh"), ("gh", "g"), ("dz", "dz"),
    ("ts", "ts"), ("th", "t"), ("ph", "p"),
    ("dj", "j"),  # the English-style spelling of ჯ: "gamardjoba", "djer" (ჯერ)
    ("q", "k"), ("x", "kh"), ("w", "ts"), ("c", "ts"), ("f", "p"), ("y", "k"),
)

_APOSTROPHES = "'’ʼ`´‘"
_APOSTROPHE_CLASS = "['’ʼ`´‘]"
TOKEN_PATTERN = re.compile(
    rf"[^\W_]+(?:{_APOSTROPHE_CLASS}[^\W_]+)*{_APOSTROPHE_CLASS}?", re.UNICODE
)
_SENTENCE_END = re.compile(r"[.!?…]\s*$")


def is_georgian_letter(char: str) -> bool:
    """True for Mkhedruli, Mtavruli and the old Georgian alphabets."""
    code = ord(char)
    return 0x10A0 <= code <= 0x10FF or 0x1C90 <= code <= 0x1CBF or 0x2D00 <= code <= 0x2D2F


def georgian_share(text: str) -> Optional[float]:
    """The share of letters in ``text`` that are Georgian; None when it has no letters."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return None
    return sum(map(is_georgian_letter, letters)) / len(letters)


def fold(text: str) -> str:
    """Unicode-normalise and lower-case; Mtavruli capitals become Mkhedruli."""
    return unicodedata.normalize("NFC", text).lower()


@functools.lru_cache(maxsize=65536)
def georgian_skeleton(token: str) -> str:
    """Shared spelling of a token written in Georgian letters (Latin letters kept)."""
    return "".join(_MKHEDRULI_TO_SKELETON.get(c, c) for c in fold(token) if c not in _APOSTROPHES)


@functools.lru_cache(maxsize=65536)
def translit_skeleton(token: str, sentence_initial: bool = False) -> str:
    """Shared spelling of a token of Georgian typed in Latin letters.

    Capitals count as keyboard keys (``S`` for შ) unless the whole token is in capitals
    (an acronym) or only its first letter is, at the start of a sentence.
    """
    token = unicodedata.normalize("NFC", token)
    plain_case = len(token) > 1 and token.isupper()
    out = []
    i = 0
    while i < len(token):
        char = token[i]
        if char in _APOSTROPHES:
            i += 1
            continue
        capital_by_grammar = i == 0 and sentence_initial
        if char in _KEYBOARD_CAPITALS and not plain_case and not capital_by_grammar:
            out.append(_KEYBOARD_CAPITALS[char])
            i += 1
            continue
        lower = token[i:].lower()
        for sequence, spelling in _LATIN_SEQUENCES:
            if lower.startswith(sequence):
                out.append(spelling)
                i += len(sequence)
                break
        else:
            out.append(lower[0])
            i += 1
    return "".join(out)


def squeezed(form: str) -> str:
    """A word with each run of one letter cut to one: "gamarjobaaa", "hiii", "moicaaa"."""
    return re.sub(r"(.)\1+", r"\1", form)


def english_form(token: str) -> str:
    """Lower-cased token without apostrophes ("Don't" -> "dont")."""
    return "".join(c for c in fold(token) if c not in _APOSTROPHES)


# "4" typed for ჩ / ჭ inside a translit word, for its shape ("4kviani", "4emi": ჭკვიანი,
# ჩემი); a number with an ending ("4th", "24-ში" typed "24shi") stays a number
_DIGIT_FOR_LETTER = re.compile(r"4(?=[a-zA-Z])|(?<=[a-zA-Z])4")
_NUMBER_WITH_ENDING = re.compile(r"\d+(?:st|nd|rd|th|e|ze|shi|s|is|ia|ian|ebi|ši)?", re.IGNORECASE)


def translit_digits(token: str) -> str:
    """A translit token with a "4" standing for a letter spelled "ch"."""
    if "4" not in token or _NUMBER_WITH_ENDING.fullmatch(token):
        return token
    return _DIGIT_FOR_LETTER.sub("ch", token)


# Schio is შიო in Georgian ("shio" in Latin letters), and often typed as Italians say it:
# "skioshi", "სკიოში"; the training data and the model know it as შიო
_SCHIO_AS_SAID = re.compile(r"(?<![^\W\d_])(?:skio|სკიო)", re.IGNORECASE)


# Mtavruli capitals (U+1C90-U+1CBF: "ᲠᲝᲓᲘᲡ") and the Mkhedruli letters they capitalise
_MKHEDRULI_OF_MTAVRULI = {capital: capital - 0x1C90 + 0x10D0 for capital in range(0x1C90, 0x1CC0)}


def in_mkhedruli(text: str) -> str:
    """``text`` with Georgian capitals (Mtavruli, which some phones type) in the everyday
    letters, the only ones a reader that learnt from written text knows well."""
    return text.translate(_MKHEDRULI_OF_MTAVRULI)


# How a chat app addresses a bot, which says nothing of the question: its name anywhere
# ("@avatar_bot სად ტარდება?"; Telegram's bot names end in "bot", an e-mail address has a
# word before its "@"), and a command in front of words ("/register და სასტუმრო?"), whose
# word is read and whose slash is not (a command alone is the intent it names: Rasa's).
_BOT_NAME = re.compile(r"(?<![\w.@])@\w*bot\b[,:]?", re.IGNORECASE)
_COMMAND_BEFORE_WORDS = re.compile(r"^\s*/([A-Za-z_]+)(?:@\w+)?(?=\s+\S)")


def without_chat_addressing(text: str) -> str:
    """``text`` without the bot's name and with a leading command as its word ("@avatar_bot
    /register და სასტუმრო?" -> "register და სასტუმრო?"); ``text`` itself if nothing else is left."""
    said = _BOT_NAME.sub(" ", text)
    said = _COMMAND_BEFORE_WORDS.sub(lambda match: match.group(1).replace("_", " "), said)
    said = " ".join(said.split())
    return said if said and said != " ".join(text.split()) else text


def schio_in_georgian(text: str) -> str:
    """``text`` with Schio spelled as in Georgian ("skioshi" -> "shioshi", სკიოში -> შიოში)."""
    return _SCHIO_AS_SAID.sub(lambda m: "შიო" if is_georgian_letter(m.group()[0]) else m.group()[0] + "hio", text)


# English words that Georgian typed in Latin letters borrows mid-message and that no
# Georgian word is spelled like ("ghonisdzieba rodis aris? and where", "fasi ra aris, and
# the hotel?"): in such a message they stay English, for the tokens and for the sentence
# vector, instead of being read as Georgian letters ("where" is no "წჰერე"). Not "is" (ის,
# that), "visa" (ვისა, whose) or "me" (მე, I), which Georgian spells the same.
ENGLISH_IN_TRANSLIT = frozenset({
    "where", "when", "what", "which", "who", "how", "why", "and", "the", "also", "about", "this", "that",
    "with", "from", "for", "can", "does", "will", "are", "you", "your", "there", "please", "thanks", "thank",
    "price", "cost", "free", "online", "hotel", "hotels", "venue", "date", "dates", "address", "website",
    "link", "programme", "agenda", "ticket", "tickets", "language", "translation", "stream", "certificate",
    "contact", "email", "phone", "bye", "goodbye", "thx", "pls", "plz", "deadline",
})


# How phones shorten English words, spelled out for the classifier and the router's word
# rules: "wen is it", "r u a bot", "pls", "thx". Only words no English word is spelled like
# (not "2" or "4", which are numbers as often as "to" and "for").
CHAT_SPELLINGS = {
    "u": "you", "r": "are", "ur": "your", "pls": "please", "plz": "please", "plss": "please", "thx": "thanks",
    "thnx": "thanks", "thanx": "thanks", "tnx": "thanks", "wen": "when", "wat": "what", "wht": "what",
    "whr": "where", "hw": "how", "abt": "about", "msg": "message", "tmrw": "tomorrow", "tmr": "tomorrow",
    "coz": "because", "cuz": "because", "bcoz": "because", "ppl": "people", "b4": "before", "pple": "people",
    "cn": "can", "wud": "would", "shud": "should", "wanna": "want", "gonna": "going", "reg": "registration",
    # ... and what a phone's autocorrect makes of the event's words ("wheres the venus")
    "venus": "venue", "venu": "venue",
}


# ... of which these are spelled out for the sentence vectors: not "reg", a verb as often as a
# noun ("can u reg me" asks to register, "can you registration me" to look one up)
_SPELLED_FOR_VECTORS = {short: word for short, word in CHAT_SPELLINGS.items() if short != "reg"}


def chat_spelled_out(text: str) -> str:
    """English ``text`` with a phone's shortenings spelled out ("wen is it n how much" ->
    "when is it n how much"), for readers that know words, not rules: the sentence vectors."""
    return TOKEN_PATTERN.sub(lambda match: _SPELLED_FOR_VECTORS.get(english_form(match.group()), match.group()), text)


# the same in Georgian, in the shared spelling (Georgian letters and translit alike): "რეგ ჯერ
# ღიაა?", "reg jer Riaa?" (is registration still open?), "msg-s datoveba" (leaving a message)
GEORGIAN_CHAT_SPELLINGS = {"reg": "registratsia", "msg": "shetkobineba", "madl": "madloba"}


def normalise_tokens(text: str, writing: Optional[str]) -> list[tuple[str, int, int]]:
    """Split ``text`` into (normalised token, start, end), offsets into ``text``.

    Tokens with Georgian letters get the Georgian skeleton; Latin tokens get the
    translit skeleton when the message is Georgian in Latin letters, else the English
    form; a phone's shortening is spelled out (CHAT_SPELLINGS in English,
    GEORGIAN_CHAT_SPELLINGS in Georgian of either alphabet).
    """
    return list(_normalised_tokens(text, writing))


def normalised_forms(text: str, writing: Optional[str]) -> list[str]:
    """The normalised tokens of ``text`` without their offsets."""
    return [form for form, _, _ in _normalised_tokens(text, writing)]


# the router reads a message's words in several steps (its clauses, its places, its
# requests): they are normalised once per message and writing
@functools.lru_cache(maxsize=1024)
def _normalised_tokens(text: str, writing: Optional[str]) -> tuple[tuple[str, int, int], ...]:
    tokens = []
    for match in TOKEN_PATTERN.finditer(text):
        raw = match.group()
        if any(map(is_georgian_letter, raw)):
            form = georgian_skeleton(schio_in_georgian(raw))
            form = GEORGIAN_CHAT_SPELLINGS.get(form, form)
        elif writing == WRITING_TRANSLIT and raw.lower() not in ENGLISH_IN_TRANSLIT:
            before = text[: match.start()]
            sentence_initial = not before.strip() or bool(_SENTENCE_END.search(before))
            form = translit_skeleton(schio_in_georgian(translit_digits(raw)), sentence_initial)
            form = GEORGIAN_CHAT_SPELLINGS.get(form, form)
        else:
            form = english_form(raw)
            if writing in (WRITING_ENGLISH, WRITING_TRANSLIT):  # in translit: "thx. sertifikats mogvcemen?"
                form = CHAT_SPELLINGS.get(form, form)
            elif writing == WRITING_GEORGIAN and form in GEORGIAN_CHAT_SPELLINGS:  # "რეგ ჯერ ღიაა? msg-ს"
                form = GEORGIAN_CHAT_SPELLINGS[form]
        if form:
            tokens.append((form, match.start(), match.end()))
    return tuple(tokens)


# --- explicit requests to switch language -------------------------------------------

# Stems in the shared spelling (Georgian and translit meet there) and in English.
LANGUAGE_NAME_STEMS = {
    GEORGIAN: ("kartul", "georgian"),
    ENGLISH: ("inglisur", "english"),
}
NEGATIONS = {"not", "dont", "cant", "cannot", "no", "ar", "ver", "nu", "doesnt"}
GEORGIAN_NEGATIONS = {"ar", "ver", "nu", "ara"}
# how well one knows a language: "inglisuri cudad vici" (I know English badly) says what the
# citizen can read, it does not ask to switch
_SKILL_WORDS = {"bad", "badly", "poor", "poorly", "well", "good", "fluent", "fluently", "little", "weak",
                "tsudad", "kargad", "tsota", "sustad", "rusty", "basic", "limited", "great", "perfect", "soso",
                "ise", "normalurad"}
MAX_REQUEST_TOKENS = 6
SWITCH_LANGUAGE_INTENT = "switch_language"


def requested_language(text: str) -> Optional[str]:
    """The language a short message asks for ("English please", "ქართულად"), or None.

    Only short messages count, naming exactly one language, without a negation ("I don't
    speak Georgian" asks for nothing). Beside a word of skill, a language named as a
    subject says what the citizen knows, not what they ask for: "inglisuri cudad vici"
    (I know English badly) asks for nothing, "ინგლისური ცუდად ვიცი, ქართულად შეიძლება?"
    asks for Georgian: "ქართულად", "in Georgian" name the language to answer in.
    """
    tokens = TOKEN_PATTERN.findall(text)
    if len(tokens) > MAX_REQUEST_TOKENS:
        return None
    return named_language(text)


def named_language(text: str, negations: bool = True) -> Optional[str]:
    """The one language ``text`` names as the one to use, at any length; see
    ``requested_language``. A message understood as asking to switch ("could you switch
    to the georgian language") switches to it. ``negations=False``: a negation does not
    take the language back, as in a Georgian polite question ("ქართულად ვერ მიპასუხებ?",
    can't you answer in Georgian?)."""
    tokens = TOKEN_PATTERN.findall(text)
    if not tokens:
        return None
    forms = [georgian_skeleton(t) if any(map(is_georgian_letter, t)) else translit_skeleton(t.lower())
             for t in tokens]
    english = [english_form(t) for t in tokens]
    words = set(forms) | set(english)
    if any(english[i:i + 2] == ["so", "so"] for i in range(len(english) - 1)):
        words.add("soso")  # "my english is so so"
    if negations and words & NEGATIONS:
        return None
    named, denied = set(), set()
    for i, (form, word) in enumerate(zip(forms, english, strict=True)):
        for language, stems in LANGUAGE_NAME_STEMS.items():
            if not any(form.startswith(stem) or word.startswith(stem) for stem in stems):
                continue
            # "kartulad", "ინგლისურად" (in Georgian, in English); "in english", "to georgian"
            answer_in = form.endswith("ad") or (i > 0 and english[i - 1] in ("in", "to", "into"))
            if answer_in or not words & _SKILL_WORDS:
                named.add(language)
            # an English "not" takes back the language after it ("i dont speak english", "in
            # english not georgian"); a Georgian one the language before it ("ინგლისურად არ
            # ვიცი", I don't know it in English; "kartulad ara", not in Georgian), or the
            # language it comes before, when it is not "in" one ("ar vitsi inglisuri")
            before, after = {*english[max(0, i - 2):i]}, {*forms[i + 1:i + 3]}
            if not form.endswith("ad"):
                before |= {*forms[max(0, i - 2):i]}
            if before & NEGATIONS or after & GEORGIAN_NEGATIONS:
                denied.add(language)
    if len(named) > 1:
        # two named: the one to answer in is the one not denied ("answer in Georgian, I
        # don't know English")
        named -= denied
    return named.pop() if len(named) == 1 else None


# --- the language of a conversation -----------------------------------------------------

def message_language(parse_data: dict, in_form: bool) -> Optional[str]:
    """The language a user message sets for the conversation, or None.

    While a form is active, answers such as names, emails and organisations ("Anna
    Rossi", "nino@example.org") say nothing about the language the citizen wants: there
    only Georgian letters or an explicit request ("English please") count. A message
    understood as asking to switch switches to the language it names, however long.
    """
    if (parse_data.get("intent") or {}).get("name") == SWITCH_LANGUAGE_INTENT:
        named = named_language(parse_data.get("text") or "")
        if named:
            return named
    language = parse_data.get("language")
    if in_form and not (parse_data.get("writing") == WRITING_GEORGIAN or parse_data.get("language_requested")):
        return None
    return language


def conversation_language(
    message_languages: Iterable[Optional[str]], default: str = DEFAULT_LANGUAGE
) -> str:
    """The language to answer in: that of the latest message whose language is known.

    ``message_languages`` lists the detected language of each user message, oldest
    first; None stands for a message too short or mixed to tell ("ok", "AVATAR", "👍").
    """
    known = [language for language in message_languages if language in LANGUAGES]
    return known[-1] if known else default


def contains_stem(forms: Sequence[str], stems: Iterable[str]) -> bool:
    """True when any normalised token starts with any of the stems."""
    stems = tuple(stems)
    return any(form.startswith(stems) for form in forms)


def language_of_events(events: Iterable[tuple[str, Any]], default: str = DEFAULT_LANGUAGE) -> str:
    """The language to answer in, from a conversation's events, oldest first:
    ("form", name or None) when a form starts or ends, ("user", parse data) for a message."""
    languages, form = [], None
    for kind, value in events:
        if kind == "form":
            form = value
        elif kind == "user":
            languages.append(message_language(value or {}, in_form=form is not None))
    return conversation_language(languages, default)


# --- ordinals: "the fourth principle" ---------------------------------------------------

ORDINALS = {
    # English, and Georgian in the shared spelling (პირველი ... მეთორმეტე)
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "last": 12,
    "pirveli": 1, "meore": 2, "mesame": 3, "meotkhe": 4, "mekhute": 5, "meekvse": 6,
    "meshvide": 7, "merve": 8, "metskhre": 9, "meate": 10, "metertmete": 11, "metormete": 12,
    "bolo": 12,
}
_NUMBER = re.compile(r"(?<!\d)(1[0-2]|[1-9])(?!\d)")
# a number written as an ordinal: "მე-9", "me-9", "9th", "1st"; or marked as a number:
# "#5", "no. 7", "N 7", "№7"
_ORDINAL_NUMBER = re.compile(r"(?:(?<![^\W\d_])(?:მე|me)-?(1[0-2]|[1-9])(?!\d))|(?:(?<!\d)(1[0-2]|[1-9])(?:st|nd|rd|th)\b)"
                             r"|(?:(?:#|№|\bno\.?|\bn)\s?(1[0-2]|[1-9])(?!\d))",
                             re.IGNORECASE)


def ordinal_number(text: str, writing: Optional[str], digits: bool = True) -> Optional[int]:
    """1-12 from "the fourth one", "მეოთხე", "meotxe", "number 10", "მე-4"; None otherwise.
    ``digits=False``: only an ordinal counts, a word or "მე-9" / "9th" ("the 12 principles"
    names no principle)."""
    for form in normalised_forms(text, writing):
        for word, number in ORDINALS.items():
            if form == word or (len(word) > 4 and form.startswith(word)):
                return number
    ordinals = {int(a or b or c) for a, b, c in _ORDINAL_NUMBER.findall(text)}
    if len(ordinals) == 1:
        return ordinals.pop()
    numbers = set(_NUMBER.findall(text)) if digits else set()
    return int(numbers.pop()) if len(numbers) == 1 else None
