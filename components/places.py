"""Places: what the assistant knows about a country or a municipality, edited without
retraining (issue 13). One file per country (``content/places/ge.yml``) and per
municipality (``content/places/it/schio.yml``)::

    id: schio                      # lower-case ASCII and hyphens; a country: its ISO code
    country: it                    # municipalities only: the country's file
    name: {ka: შიო, en: Schio}
    timezone: Europe/Rome          # countries (a town may differ): for "open now"
    checked: 2026-12-03            # when the facts were last compared with their sources
    facts:
      website: {value: "https://www.comune.schio.vi.it", source: S1}
      phone: {value: "+39 0445 691111", source: S2, as_of: 2020-03}
      desk: {text: {ka: "...", en: "..."}, source: S4}
      digital_help:
        text: {ka: "...", en: "..."}
        hours: "Mo,Fr 14:30-17:30"  # OpenStreetMap's syntax (components/opening_hours.py)
        source: A7
    sources:
      S1: "https://www.comune.schio.vi.it/..."

Every fact names its source; a fact that no source gives is left out, and the assistant
says it does not know and where to ask (a wrong phone number is worse than none). Facts
that are addresses or numbers have a `value`; facts that are said have a `text` in both
languages. Standard library and PyYAML only: the action server and `make validate` read
it.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import yaml

from components.georgian import TOKEN_PATTERN, english_form, georgian_share, georgian_skeleton, is_georgian_letter, translit_skeleton
from components.opening_hours import OpeningHours
from components.settings import Settings

LANGUAGES = ("ka", "en")
_ID = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
_COUNTRY = re.compile(r"^[a-z]{2}$")
_URL = re.compile(r"^https?://[^\s/]+\.[^\s]+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
# an international number: "+", the country code, then digits in groups
_PHONE = re.compile(r"^\+[1-9]\d{0,2}(?: ?\d{2,5}){2,5}$")
_AS_OF = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")  # 2020, 2020-03 or 2020-03-31

# the facts a place may have, and how each is written
VALUE_FACTS = {
    "website": _URL,  # the municipality's or the government's site
    "services_portal": _URL,  # online services (certificates, applications)
    "open_data_portal": _URL,
    "email": _EMAIL,
    "certified_email": _EMAIL,  # Italy's PEC
    "phone": _PHONE,
}
TEXT_FACTS = ("address", "desk", "digital_help", "e_id_help")


class PlaceError(ValueError):
    """A place file is broken; the message names the file and the fact."""


@dataclass(frozen=True)
class Fact:
    name: str
    source: str  # the source's address or description
    value: Optional[str] = None
    text: Optional[Dict[str, str]] = None
    as_of: Optional[str] = None  # the date the source gives
    hours: Optional[OpeningHours] = None  # desks and help points

    def said(self, language: str) -> str:
        return self.text[language] if self.text else (self.value or "")


@dataclass(frozen=True)
class Place:
    id: str
    name: Dict[str, str]
    path: str
    country: Optional[str] = None  # None: this is a country
    checked: Optional[dt.date] = None
    facts: Dict[str, Fact] = field(default_factory=dict)
    timezone: Optional[str] = None  # IANA name; a town without one has its country's
    # other towns of a country, by name only: "I live in Batumi" means Georgia
    towns: Tuple[Dict[str, str], ...] = ()

    @property
    def is_country(self) -> bool:
        return self.country is None


def _localised(raw: Any, what: str, where: str) -> Dict[str, str]:
    if not isinstance(raw, dict) or any(not isinstance(raw.get(lang), str) or not raw[lang].strip()
                                        for lang in LANGUAGES):
        raise PlaceError(f"{where}: '{what}' needs a text in each of {', '.join(LANGUAGES)}")
    return {lang: raw[lang].strip() for lang in LANGUAGES}


def parse_place(raw: Any, path: Path, is_country: bool) -> Place:
    where = str(path)
    if not isinstance(raw, dict):
        raise PlaceError(f"{where}: a place file is a mapping (id, name, facts, sources)")
    place_id = str(raw.get("id") or "")
    if not (_COUNTRY if is_country else _ID).match(place_id):
        raise PlaceError(f"{where}: 'id' must be " + ("an ISO country code such as 'ge'" if is_country else
                         "lower-case ASCII letters, digits and hyphens, such as 'isola-vicentina'"))
    if place_id != path.stem:
        raise PlaceError(f"{where}: 'id' is '{place_id}' but the file is named '{path.name}'")
    country = None
    if not is_country:
        country = str(raw.get("country") or "")
        if country != path.parent.name:
            raise PlaceError(f"{where}: 'country' must be '{path.parent.name}', the folder the file is in")
    name = _localised(raw.get("name"), "name", where)
    if (georgian_share(name["ka"]) or 0.0) < 0.5:
        raise PlaceError(f"{where}: 'name.ka' is written in Georgian script (\"შიო\", not \"Schio\")")
    timezone = raw.get("timezone")
    if timezone is not None:
        try:
            zoneinfo.ZoneInfo(str(timezone))
        except (ValueError, zoneinfo.ZoneInfoNotFoundError):
            raise PlaceError(f"{where}: 'timezone' is a time zone name such as 'Europe/Rome' or 'Asia/Tbilisi'") from None
    towns = raw.get("towns") or []
    if not is_country and towns:
        raise PlaceError(f"{where}: 'towns' belongs in a country's file")
    towns = tuple(_localised(town, "towns", where) for town in towns)
    checked = raw.get("checked")
    if checked is not None and not isinstance(checked, dt.date):
        raise PlaceError(f"{where}: 'checked' is a date (YYYY-MM-DD)")
    sources = raw.get("sources") or {}
    if not isinstance(sources, dict) or not all(isinstance(v, str) and v.strip() for v in sources.values()):
        raise PlaceError(f"{where}: 'sources' maps a short name to an address or a description")
    facts: Dict[str, Fact] = {}
    for fact_name, item in (raw.get("facts") or {}).items():
        at = f"{where}: fact '{fact_name}'"
        if fact_name not in VALUE_FACTS and fact_name not in TEXT_FACTS:
            raise PlaceError(f"{at}: unknown; known facts are {', '.join([*VALUE_FACTS, *TEXT_FACTS])}")
        if not isinstance(item, dict):
            raise PlaceError(f"{at}: needs a 'value' or a 'text', and its 'source'")
        source = str(item.get("source") or "")
        if source not in sources:
            raise PlaceError(f"{at}: 'source' must name one of this file's sources ({', '.join(sources) or 'none'})")
        as_of = item.get("as_of")
        if as_of is not None and not _AS_OF.match(str(as_of)):
            raise PlaceError(f"{at}: 'as_of' is the date the source gives: 2020, 2020-03 or 2020-03-31")
        if fact_name in VALUE_FACTS:
            value = str(item.get("value") or "").strip()
            if not VALUE_FACTS[fact_name].match(value):
                kind = {"email": "an e-mail address", "certified_email": "an e-mail address",
                        "phone": "an international number such as +39 0445 691111"}.get(fact_name, "an http(s) address")
                raise PlaceError(f"{at}: '{value}' is not {kind}")
            facts[fact_name] = Fact(fact_name, sources[source], value=value, as_of=str(as_of) if as_of else None)
        else:
            hours = None
            if item.get("hours") is not None:
                try:
                    hours = OpeningHours.parse(str(item["hours"]))
                except ValueError as error:
                    raise PlaceError(f"{at}: 'hours': {error}") from None
            facts[fact_name] = Fact(fact_name, sources[source], text=_localised(item.get("text"), "text", at),
                                    as_of=str(as_of) if as_of else None, hours=hours)
    return Place(id=place_id, name=name, path=where, country=country, checked=checked, facts=facts,
                 timezone=str(timezone) if timezone else None, towns=towns)


def places_dir() -> Path:
    return Settings.from_env().content_dir / "places"


def load(folder: Optional[Path] = None) -> Dict[str, Place]:
    """Every place by id (countries by their ISO code), checked; PlaceError when a file is
    broken, a municipality's country has no file, or two files share an id."""
    folder = folder or places_dir()
    files: List[Tuple[Path, bool]] = [(path, True) for path in sorted(folder.glob("*.yml"))]
    files += [(path, False) for path in sorted(folder.glob("*/*.yml"))]
    places: Dict[str, Place] = {}
    for path, is_country in files:
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as error:
            raise PlaceError(f"{path}: not valid YAML: {error}") from None
        place = parse_place(raw, path, is_country)
        if place.id in places:
            raise PlaceError(f"{path}: '{place.id}' is also {places[place.id].path}")
        places[place.id] = place
    for place in places.values():
        if place.country is not None and place.country not in places:
            raise PlaceError(f"{place.path}: its country '{place.country}' has no file {folder / place.country}.yml")
        if any(fact.hours for fact in place.facts.values()) and time_zone(place, places) is None:
            raise PlaceError(f"{place.path}: a fact has 'hours': give the place (or its country) a 'timezone'")
    return places


def time_zone(place: Place, places: Dict[str, Place]) -> Optional[zoneinfo.ZoneInfo]:
    """The place's time zone, or its country's."""
    name = place.timezone or (places[place.country].timezone if place.country in places else None)
    return zoneinfo.ZoneInfo(name) if name else None


# --- a place in the citizen's own words ------------------------------------------------------
# "I live in Malo", "თბილისში ვცხოვრობ", "batumidan var", or just "Thiene" (the answer to
# "which municipality?"). Names are compared in the shared spelling of Georgian in both
# alphabets (components/georgian.py), with Georgian's case endings: თბილის-ში, ბათუმ-იდან,
# შიო-დან, ქუთაის-ელი. A name counts only beside words saying where the citizen lives, or
# alone: "how do I get to Schio?" is about the event, not about the citizen's town.

_ENDINGS = ("", "shi", "dan", "idan", "s", "is", "it", "ad", "eli", "elebi", "tan", "ze", "isken", "shia", "dana")
_LIVING = {
    # Georgian, in the shared spelling: ვცხოვრობ(თ), ვარ(თ), ჩემი/ჩვენი (ქალაქი, სოფელი, მუნიციპალიტეტი)
    "vtskhovrob", "vtskhovrobt", "tskhovrob", "tskhovrobs", "var", "vart", "chemi", "chveni", "kalaki", "sopeli",
    "munitsipaliteti", "mkvidri",
    # English
    "live", "living", "lives", "from", "resident", "based", "town", "city", "village", "municipality", "im", "am",
}
# words that may stand beside a place named alone: "Thiene", "Thiene please", "in schio"
_FILLERS = {"please", "pls", "in", "the", "of", "i", "my", "me", "it", "is", "its", "ok", "okay", "yes",
            "ki", "kho", "aris", "es", "esaa"}


def _forms(text: str) -> List[Tuple[str, str]]:
    """(shared spelling, plain lower case) of each word."""
    forms = []
    for match in TOKEN_PATTERN.finditer(text):
        word = match.group()
        if any(map(is_georgian_letter, word)):
            forms.append((georgian_skeleton(word), word))
        else:
            forms.append((translit_skeleton(word), english_form(word)))
    return forms


def _name_forms(name: Dict[str, str]) -> List[List[str]]:
    """The ways a name is written, word by word, in the shared spelling."""
    ways = [[georgian_skeleton(w) for w in TOKEN_PATTERN.findall(name["ka"])],
            [translit_skeleton(w) for w in TOKEN_PATTERN.findall(name["en"])],
            [english_form(w) for w in TOKEN_PATTERN.findall(name["en"])]]
    return [way for i, way in enumerate(ways) if way and way not in ways[:i]]


def _ends_like(word: str, name: str) -> bool:
    # a final vowel gives way to some endings: ბათუმი -> ბათუმში, ახალციხე -> ახალციხიდან,
    # მცხეთა -> მცხეთის
    stem = name[:-1] if name.endswith(("i", "e", "a")) and len(name) > 3 else name
    return any(word == base + ending for base in {name, stem} for ending in _ENDINGS)


def _ends_like_any(forms: Tuple[str, str], name: str) -> bool:
    return any(_ends_like(form, name) for form in forms)


# the names of the places last read, by their last word in the shared spelling, computed
# once per reading of the files: a message's word is looked up, not compared with each name
_names_of: Dict[int, Tuple[Dict[str, Place], Dict[str, List[Tuple[Place, List[str]]]]]] = {}


def _names(known: Dict[str, Place]) -> Dict[str, List[Tuple[Place, List[str]]]]:
    cached = _names_of.get(id(known))
    if cached is not None and cached[0] is known:
        return cached[1]
    index: Dict[str, List[Tuple[Place, List[str]]]] = {}
    for place in known.values():
        for name in (place.name, *place.towns):
            for way in _name_forms(name):
                index.setdefault(way[-1], []).append((place, way))
    _names_of.clear()
    _names_of[id(known)] = (known, index)
    return index


def _bases(form: str) -> set[str]:
    """The name a word may be with one of Georgian's endings: თბილისში -> tbilisi, tbilis."""
    bases: set[str] = set()
    for ending in _ENDINGS:
        if form.endswith(ending) and len(form) > len(ending):
            base = form[: len(form) - len(ending)] if ending else form
            bases.update((base, base + "i", base + "e", base + "a"))
    return bases


def _names_in(words: List[Tuple[str, str]], known: Dict[str, Place]) -> List[Tuple[int, int, Place]]:
    """Every known place's name among the words: (words in the name, where it starts, place)."""
    index = _names(known)
    found: List[Tuple[int, int, Place]] = []
    for end, forms in enumerate(words):
        for base in {base for form in forms for base in _bases(form)}:
            for place, way in index.get(base, ()):
                n, start = len(way), end - len(way) + 1
                if start >= 0 and _ends_like_any(forms, way[-1]) and all(
                        words[start + i][0] == way[i] or words[start + i][1] == way[i] for i in range(n - 1)):
                    found.append((n, start, place))
    return found


def place_in_text(text: str, known: Dict[str, Place], anywhere: bool = False) -> Optional[Place]:
    """The known place the citizen says they live in, if they say one (the longest name
    wins: "Monte di Malo" over "Malo"); a town of a country's ``towns`` gives the country.
    ``anywhere``: the message is known to be about where the citizen lives ("set my town to
    Villaverla"), so a name counts without the words around it."""
    words = _forms(text)
    found = _names_in(words, known)
    if not found:
        return None
    n, start, place = max(found, key=lambda hit: hit[0])
    others = [w for i, w in enumerate(words) if not start <= i < start + n]
    if anywhere or any(shared in _LIVING or plain in _LIVING for shared, plain in others):
        return place
    if all(shared in _FILLERS or plain in _FILLERS for shared, plain in others):
        return place
    return None


# Words that say, right beside a place's name, that the citizen lives there or comes from
# there: "ოზურგეთიდან ვარ", "zugdideli var", "telavshi vtskhovrob" (Georgian, in the shared
# spelling; "ქუთაისიდან გწერთ", I write to you from Kutaisi), "I'm from Gori", "I live in
# Telavi", "based in Rustavi"
HOME_WORDS = frozenset({"var", "vart", "vtskhovrob", "vtskhovrobt", "mkvidri", "vtser", "vtsert", "gtser", "gtsert",
                        # "ოზურგეთში ვმუშაობ" (I work in Ozurgeti), "ქუთაისში ვსწავლობ" (I study in Kutaisi)
                        "vmushaob", "vmushaobt", "vstsavlob", "vstsavlobt", "vastsavli"})
_ENGLISH_HOME = {("live", "in"), ("living", "in"), ("based", "in"), ("resident", "of"), ("im", "from"),
                 ("am", "from"), ("are", "from"), ("were", "from"), ("i", "from"), ("me", "from"),
                 ("come", "from"), ("coming", "from"), ("here", "from")}


# the kinds of place a name is said with, as the words start (shared spelling, English)
_PLACE_KINDS = ("munitsipalitet", "kalak", "sopl", "sopel", "raion", "regionid", "temid", "meri", "gamgeob",
                "municipality", "city", "town", "village", "region", "district")


# where one works or studies, as the words start (shared spelling): a school, a university, a
# town hall or council, a library, a college, a centre, an organisation; not an airport
_WORKPLACES = ("skol", "universitet", "meri", "gamgeob", "munitsipalitet", "sakrebulo", "bibliotek", "koledj",
               "tsentr", "organizats", "sabavshv")


def stated_place(text: str, known: Dict[str, Place]) -> Optional[Tuple[Place, float]]:
    """The known place the citizen says in so many words they live in or come from, as one
    part of a longer message ("ოზურგეთიდან ვარ, მასწავლებელი, მეც შემიძლია წამოსვლა?",
    "i live in telavi, how do i use the e-services"), and where in the message that is said
    (0: its first word, towards 1: its end). Stricter than ``place_in_text``, which takes a
    living word anywhere in the message: "flights from Batumi to Schio?" says nothing of
    where the citizen lives."""
    clause = place_clause(text, known)
    return None if clause is None else (clause[0], clause[1] / max(len(_forms(text)), 1))


def place_clause(text: str, known: Dict[str, Place]) -> Optional[Tuple[Place, int, int]]:
    """As ``stated_place``: the place, and the words that say it (word indexes, from and
    up to but not including, in the message's words by ``TOKEN_PATTERN``): "ozurgetidan
    var" and "i'm from ozurgeti" in "ozurgetidan var, teacher, can I come?"."""
    words = _forms(text)
    for n, start, place in sorted(_names_in(words, known), key=lambda hit: (hit[1], -hit[0])):
        near = [shared for shared, _ in words[max(0, start - 2):start] + words[start + n:start + n + 2]]
        # "ozurgetidan var", "i'm from ozurgeti", a message that opens "from Kutaisi", or
        # "i'm a teacher in ozurgeti"
        before = _home_words_before(words, start) or _self_described_before(words, start)
        # "ზუგდიდის სკოლიდან ვწერთ", "telavis meriidan": from a school, an office of the town
        from_its = words[start + n - 1][0].endswith("is") and start + n < len(words) \
            and words[start + n][0].endswith("dan") and words[start + n][0].startswith(_WORKPLACES)
        # "16 y/o pupil from kutaisi here", "teacher from gori here": a citizen introducing
        # themselves, not a question ("is there a bus from kutaisi here")
        from_here = start > 0 and words[start - 1][1] == "from" and start + n < len(words) \
            and words[start + n][1] == "here" and _ASKING_OPENERS.isdisjoint(form for _, form in words[:start])
        # (with who they are, when they say it first: "retired teacher from batumi here")
        before = before or (start if from_here and start <= 6 else int(from_here))
        if not HOME_WORDS.isdisjoint(near) or before or from_its:
            end = start + n + int(from_here)
            # ... with what kind of place it is: "zugdidis municipalitetidan var"
            while end < len(words) and end < start + n + 3 and (
                    words[end][0] in HOME_WORDS or from_its and end == start + n or words[end][0].startswith(_PLACE_KINDS)
                    or words[end][1].startswith(_PLACE_KINDS)):
                end += 1
            return place, start - before, end
    return None


def places_located(text: str, known: Dict[str, Place]) -> List[Tuple[Place, int]]:
    """The known places the message puts something in ("conference in Batumi", "ბათუმში",
    "tbilisshi"), with where their names start (word index): a Georgian name ending in
    -ში (translit -shi), an English one after "in" or "at"."""
    words = _forms(text)
    return [(place, start) for n, start, place in _names_in(words, known)
            if words[start + n - 1][0].endswith("shi") and not words[start + n - 1][1].endswith("shire")
            or start > 0 and words[start - 1][1] in ("in", "at")]


# English words that open a question
_ASKING_OPENERS = frozenset({"is", "are", "there", "how", "what", "where", "when", "which", "can", "do", "does", "any"})


def _home_words_before(words: List[Tuple[str, str]], start: int) -> int:
    """How many of the (at most two) words before a place's name say it is home: "i'm
    from", "ვარ", or "from" opening the message (0 for none)."""
    for k in (2, 1):
        if start >= k:
            shared = {form for form, _ in words[start - k:start]}
            plain = tuple(form for _, form in words[start - k:start])
            if not HOME_WORDS.isdisjoint(shared) or plain in _ENGLISH_HOME or plain == ("from",) and start == 1:
                return k
    return 0


# "I'm a teacher in Ozurgeti", "i work at the library in gori", "we are students in Telavi",
# "im a student from batumi":
# the citizen says what they are or do there (English; up to four words between)
_SELF_DESCRIBING = {("im",), ("i", "am"), ("i", "work"), ("we", "are"), ("were",), ("i", "teach"), ("i", "study")}
_NOT_WHERE_ONE_IS = {"interested", "going", "travelling", "traveling", "coming", "flying", "staying", "arriving"}


def _self_described_before(words: List[Tuple[str, str]], start: int) -> int:
    """How many words before a place's name describe the citizen there ("im teacher in"),
    0 if they do not."""
    if start < 2 or words[start - 1][1] not in ("in", "at", "from"):
        return 0
    for k in range(start - 1, max(-1, start - 7), -1):
        plain = [form for _, form in words[k:start - 1]]
        for opening in _SELF_DESCRIBING:
            if tuple(plain[:len(opening)]) == opening and len(plain) - len(opening) <= 4 \
                    and _NOT_WHERE_ONE_IS.isdisjoint(plain):
                return start - k
    return 0
