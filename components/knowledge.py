"""The knowledge base: questions and answers that maintainers edit without retraining.

Each file in ``content/knowledge/`` holds a list of entries::

    entries:
      - id: event-fee
        fact: fee                 # optional: a fact of content/events.yml (`facts:`)
        questions: {ka: [...], ka-Latn: [...], en: [...]}
        answer: {ka: "...", en: "..."}     # may use {title} {dates} {venue} {fact} {ask}
        unknown: {ka: "...", en: "..."}    # with `fact`: while the fact is not published
        register_button: true     # optional: "Register now", while registration is open
        buttons: [cancel_registration]   # optional: start the look-up or cancellation
        links: [{title: {ka: "...", en: "..."}, url: "https://..."}]

The question router (``components.router``, in the Rasa process) finds the entry that a
message asks about by comparing sentence vectors with the entries' questions; the action
server (``actions.knowledge``) renders its answer. Both re-read the files when they change.
Standard library and PyYAML only: both processes import it.
"""

from __future__ import annotations

import os
import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Generic, List, Optional, Sequence, Tuple, TypeVar

import yaml

from components.georgian import WRITINGS, normalised_forms
from components.settings import Settings

LANGUAGES = ("ka", "en")
MIN_QUESTIONS_PER_WRITING = 2
# what a `buttons:` item may start (the registration form has `register_button`, which
# shows only while registration is open)
FORM_BUTTONS = ("check_registration", "cancel_registration")
PLACEHOLDERS = frozenset({"title", "dates", "venue", "fact", "ask", "registration_status"})
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")  # letters, digits, hyphens
_URL = re.compile(r"^https?://[^\s]+$")


PROJECT_DIR = Path(__file__).resolve().parent.parent
T = TypeVar("T")


def knowledge_dir() -> Path:
    """content/knowledge, or $KNOWLEDGE_DIR; the router and the action server read the same."""
    return Settings.from_env(os.environ).knowledge_dir


class KnowledgeError(ValueError):
    """A knowledge file is broken; the message names the file and the entry."""


@dataclass(frozen=True)
class Link:
    title: Dict[str, str]
    url: str


@dataclass(frozen=True)
class Entry:
    id: str
    source: str
    questions: Dict[str, Tuple[str, ...]]
    answer: Dict[str, str]
    unknown: Optional[Dict[str, str]] = None
    fact: Optional[str] = None
    register_button: bool = False
    links: Tuple[Link, ...] = field(default_factory=tuple)
    buttons: Tuple[str, ...] = field(default_factory=tuple)

    def all_questions(self) -> List[Tuple[str, str]]:
        """(writing, question) for every example question."""
        return [(writing, q) for writing in WRITINGS for q in self.questions.get(writing, ())]


def _localised(raw: Any, what: str, where: str) -> Dict[str, str]:
    if not isinstance(raw, dict) or any(not isinstance(raw.get(lang), str) or not raw[lang].strip()
                                        for lang in LANGUAGES):
        raise KnowledgeError(f"{where}: '{what}' needs a text in each of {', '.join(LANGUAGES)}")
    for lang in LANGUAGES:
        for _, name, _, _ in string.Formatter().parse(raw[lang]):
            if name is not None and name not in PLACEHOLDERS:
                raise KnowledgeError(f"{where}: '{what}' ({lang}) uses an unknown placeholder "
                                     f"{{{name}}}; known: {', '.join(sorted(PLACEHOLDERS))}")
    return {lang: raw[lang].strip() for lang in LANGUAGES}


def parse_entry(raw: Any, source: str) -> Entry:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        raise KnowledgeError(f"{source}: every entry needs an 'id'")
    entry_id = raw["id"]
    where = f"{source}, entry '{entry_id}'"
    if not _ID.match(entry_id):
        raise KnowledgeError(f"{where}: an id is lower-case words joined by hyphens, e.g. 'event-parking'")
    questions = raw.get("questions")
    if not isinstance(questions, dict):
        raise KnowledgeError(f"{where}: 'questions' needs a list for each of {', '.join(WRITINGS)}")
    parsed_questions = {}
    for writing in WRITINGS:
        items = questions.get(writing)
        if not isinstance(items, list) or len([q for q in items if isinstance(q, str) and q.strip()]) \
                < MIN_QUESTIONS_PER_WRITING:
            raise KnowledgeError(f"{where}: 'questions' needs at least {MIN_QUESTIONS_PER_WRITING} "
                                 f"example questions in '{writing}'")
        parsed_questions[writing] = tuple(q.strip() for q in items if isinstance(q, str) and q.strip())
    unknown_writings = set(questions) - set(WRITINGS)
    if unknown_writings:
        raise KnowledgeError(f"{where}: unknown way of writing {sorted(unknown_writings)}; use {', '.join(WRITINGS)}")
    fact = raw.get("fact")
    if fact is not None and not (isinstance(fact, str) and fact.isidentifier()):
        raise KnowledgeError(f"{where}: 'fact' names a fact of content/events.yml, e.g. 'fee'")
    unknown = _localised(raw["unknown"], "unknown", where) if raw.get("unknown") is not None else None
    if fact and unknown is None:
        raise KnowledgeError(f"{where}: an entry with a 'fact' needs an 'unknown' answer for while it is not published")
    links = []
    for link in raw.get("links") or []:
        if not isinstance(link, dict) or not isinstance(link.get("url"), str) or not _URL.match(link["url"]):
            raise KnowledgeError(f"{where}: every link needs an http(s) 'url'")
        links.append(Link(_localised(link.get("title"), "links.title", where), link["url"]))
    if not isinstance(raw.get("register_button", False), bool):
        raise KnowledgeError(f"{where}: 'register_button' is true or false")
    buttons = raw.get("buttons") or []
    if not isinstance(buttons, list) or any(b not in FORM_BUTTONS for b in buttons):
        raise KnowledgeError(f"{where}: 'buttons' lists some of {', '.join(FORM_BUTTONS)}")
    return Entry(id=entry_id, source=source, questions=parsed_questions,
                 answer=_localised(raw.get("answer"), "answer", where), unknown=unknown, fact=fact,
                 register_button=bool(raw.get("register_button", False)), links=tuple(links),
                 buttons=tuple(buttons))


def parse_file(path: Path) -> List[Entry]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise KnowledgeError(f"{path}: not valid YAML: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise KnowledgeError(f"{path}: needs an 'entries' list")
    return [parse_entry(raw, path.name) for raw in data["entries"]]


def question_key(question: str, writing: str) -> str:
    """Two questions with the same key are the same question (spelling aside)."""
    return " ".join(normalised_forms(question, writing))


def load(directory: Path) -> Dict[str, Entry]:
    """Every entry of every ``*.yml`` in ``directory``, by id, checked."""
    entries: Dict[str, Entry] = {}
    seen: Dict[str, str] = {}
    for path in sorted(directory.glob("*.yml")):
        for entry in parse_file(path):
            if entry.id in entries:
                raise KnowledgeError(f"{path.name}: the id '{entry.id}' is also used in {entries[entry.id].source}")
            for writing, question in entry.all_questions():
                key = question_key(question, writing)
                if key in seen and seen[key] != entry.id:
                    raise KnowledgeError(f"{path.name}, entry '{entry.id}': the question '{question}' is also "
                                         f"a question of '{seen[key]}': one question, one answer")
                seen[key] = entry.id
            entries[entry.id] = entry
    return entries


class ReloadingFolder(Generic[T]):
    """What `load` makes of a directory's files, made again only when one of the files
    matching `patterns` changes (or appears, or goes); no files: `empty`."""

    def __init__(self, directory: Path, load: Callable[[Path], T], empty: T,
                 patterns: Sequence[str] = ("*.yml",)) -> None:
        self.directory, self._load, self._patterns = directory, load, patterns
        self._stamp: Optional[Tuple[Any, ...]] = None
        self._current = empty
        self._empty = empty

    def stamp(self) -> Tuple[Any, ...]:
        try:
            return tuple(_stamp_of(p, self.directory) for pattern in self._patterns
                         for p in sorted(self.directory.glob(pattern)))
        except FileNotFoundError:
            return ()

    def current(self) -> T:
        """The loaded content; a broken edit raises what `load` raises."""
        stamp = self.stamp()
        if stamp != self._stamp:
            self._current = self._load(self.directory) if stamp else self._empty
            self._stamp = stamp
        return self._current


def _stamp_of(path: Path, directory: Path) -> Tuple[str, int, int]:
    status = path.stat()  # once: the stamp is taken at every message
    return str(path.relative_to(directory)), status.st_mtime_ns, status.st_size


class KnowledgeBase(ReloadingFolder[Dict[str, "Entry"]]):
    """The entries of a directory, read again when a file in it changes."""

    def __init__(self, directory: Path) -> None:
        super().__init__(directory, load, {})

    def entries(self) -> Dict[str, Entry]:
        """The current entries. A broken edit raises KnowledgeError; callers keep the last
        good entries (``entries_or_last``)."""
        return self.current()

    def entries_or_last(self, on_error: Any = None) -> Dict[str, Entry]:
        try:
            return self.entries()
        except KnowledgeError as error:
            if on_error:
                on_error(error)
            return self._current


def questions_of(entries: Sequence[Entry]) -> List[Tuple[str, str, str]]:
    """(entry id, writing, question) for every example question."""
    return [(e.id, writing, q) for e in entries for writing, q in e.all_questions()]
