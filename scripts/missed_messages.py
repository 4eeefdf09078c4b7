"""What citizens asked that the assistant did not understand well: the raw material for
new training examples. Reads the conversations from the tracker store.

    python -m scripts.missed_messages [--since 30d] [--limit 50] [--threshold 0.5]
                                      [--format table | yaml | json] [--url URL]

A user message counts as missed when the classifier's confidence was below --threshold,
or it was classified as nlu_fallback, or the assistant answered it by asking back
(action_clarify), with action_default_fallback, or by saying it does not know
(action_dont_know: out of scope, or nothing close enough), or when the citizen rated its
answer down (thumbs down, or "that didn't help": the slot `feedback`, actions/feedback.py),
or commented on it (its comment, masked, is shown in "what happened").
Button presses ("/intent") never count.
Newest first; --since is a window ("7d", "24h", "90m", "2w") or a date ("2025-05-01").

The tracker store is the one Rasa uses: TRACKER_STORE_URL (a SQLAlchemy URL, the
`events` table of Rasa's SQLTrackerStore), by default sqlite:///var/tracker.db; a
relative SQLite path is relative to the project, as for Rasa. `make missed` reads .env.

Personal data is masked before anything is printed:
- a message typed while a form asked for a personal answer (full_name, email,
  affiliation, lookup_code, lookup_email) is withheld whole;
- email addresses -> [email]; phone numbers (7 or more digits) -> [phone]; registration
  confirmation codes -> [code];
- names -> [name]: a word with a Georgian surname ending (-ძე, -შვილი, -ია, -უა, -ავა,
  -ანი, or dze, shvili, ia, ua, ava, ani in Latin letters) that never occurs in the
  training data, with the word before it when that is also unknown; and two or more
  capitalised Latin words in a row that never occur in the training data ("Anna Rossi").
  Georgian letters have no capitals, hence the surname endings. Known words (towns,
  "Faber Box", "Open Government") stay. A first name alone is not caught.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import re
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional

import yaml
from avatar_shared.codes import CODE_IN_TEXT
from avatar_shared.masking import mask_text as mask_contacts
from avatar_shared.slots import PERSONAL_SLOTS

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_URL = "sqlite:///var/tracker.db"
DEFAULT_THRESHOLD = 0.5
FALLBACK_INTENT = "nlu_fallback"
FALLBACK_ACTIONS = {"action_clarify": "asked back", "action_default_fallback": "fallback answer",
                    "action_two_stage_fallback": "asked back",
                    # out of scope, or nothing close enough: the questions nobody answered yet
                    "action_dont_know": "said it does not know"}
RATED_DOWN = "rated down by the citizen"
# form questions whose answers are personal data: the whole message is withheld
WITHHELD_SLOTS = frozenset((*PERSONAL_SLOTS, "lookup_code"))

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
SURNAME_ENDINGS = ("ძე", "შვილი", "ია", "უა", "ავა", "ანი", "dze", "shvili", "svili", "ia", "ua", "ava", "ani")
NAME = "[name]"


@dataclass
class Missed:
    when: str
    timestamp: float
    conversation: str
    text: str
    writing: Optional[str]
    intent: str
    confidence: float
    reason: str
    answered_with: str
    withheld: bool = False
    slot: Optional[str] = None


# --- masking ----------------------------------------------------------------------------

def training_vocabulary(project: Path = PROJECT_DIR) -> set[str]:
    """Every word of the training examples (lower case), except the form answers (names)."""
    words: set[str] = set()
    for path in sorted((project / "data" / "nlu").glob("*.yml")):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            if block.get("intent") in (None, "inform"):
                continue
            words.update(w.lower() for w in WORD.findall(block.get("examples") or ""))
    return words


def looks_like_surname(word: str, vocabulary: set[str]) -> bool:
    lower = word.lower()
    return (lower not in vocabulary and len(lower) >= 4
            and any(lower.endswith(ending) and len(lower) > len(ending) + 1 for ending in SURNAME_ENDINGS))


def is_capitalised(word: str) -> bool:
    return word[:1].isupper() and word[1:].islower() and word[:1].isascii()


def mask_names(text: str, vocabulary: set[str]) -> str:
    words = list(WORD.finditer(text))
    masked = [False] * len(words)
    for i, match in enumerate(words):
        if looks_like_surname(match.group(), vocabulary):
            masked[i] = True
            if i > 0 and words[i - 1].group().lower() not in vocabulary:
                masked[i - 1] = True

    def unknown_capitalised(i: int) -> bool:
        word = words[i].group()
        return is_capitalised(word) and word.lower() not in vocabulary

    def joined(i: int) -> bool:  # words i and i + 1 are separated by spaces or a hyphen only
        return text[words[i].end():words[i + 1].start()].strip(" -") == ""

    i = 0
    while i < len(words):  # runs of capitalised Latin words unknown to the training data
        j = i
        while unknown_capitalised(i) and j + 1 < len(words) and unknown_capitalised(j + 1) and joined(j):
            j += 1
        for k in range(i, j + 1) if j > i else ():
            masked[k] = True
        i = j + 1
    pieces: list[str] = []
    position = 0
    for i, match in enumerate(words):
        if not masked[i]:
            continue
        if pieces and i > 0 and masked[i - 1] and joined(i - 1):
            position = match.end()  # one [name] for neighbouring masked words
            continue
        pieces += [text[position:match.start()], NAME]
        position = match.end()
    return "".join(pieces) + text[position:]


def mask(text: str, vocabulary: set[str]) -> str:
    text = mask_contacts(text)  # e-mail addresses and phone numbers, as in the logs
    text = CODE_IN_TEXT.sub("[code]", text)
    return mask_names(text, vocabulary)


# --- reading the tracker store ----------------------------------------------------------

def database_url(url: Optional[str]) -> str:
    url = url or os.environ.get("TRACKER_STORE_URL") or DEFAULT_URL
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and url != "sqlite://":
        # relative to the project, where scripts/start-rasa.sh starts Rasa
        url = prefix + str(PROJECT_DIR / url[len(prefix):])
    return url


def parse_since(value: str, now: datetime.datetime) -> datetime.datetime:
    match = re.fullmatch(r"\s*(\d+)\s*([mhdw])\s*", value)
    if match:
        unit = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}[match.group(2)]
        return now - datetime.timedelta(**{unit: int(match.group(1))})
    try:
        return datetime.datetime.fromisoformat(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"--since: '{value}' is neither a window like 7d, 24h, 2w nor a date") from None


def read_events(url: str, since: float) -> Iterable[Dict[str, Any]]:
    """Every event of the conversations that have a user message since ``since``, in order."""
    import sqlalchemy as sa

    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).exists():
        raise FileNotFoundError(f"no tracker store at {url[len('sqlite:///'):]} (has the assistant run yet?)")
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            senders = [row[0] for row in connection.execute(sa.text(
                "SELECT DISTINCT sender_id FROM events WHERE type_name = 'user' AND timestamp >= :since"),
                {"since": since})]
            # whole conversations: a form may have asked its question before the window
            for start in range(0, len(senders), 500):
                chunk = senders[start:start + 500]
                query = sa.text("SELECT sender_id, type_name, timestamp, data FROM events "
                                "WHERE sender_id IN :senders ORDER BY sender_id, id"
                                ).bindparams(sa.bindparam("senders", expanding=True))
                for sender_id, type_name, timestamp, data in connection.execute(query, {"senders": chunk}):
                    yield {"sender_id": sender_id, "type_name": type_name, "timestamp": timestamp,
                           "data": json.loads(data) if data else {}}
    finally:
        engine.dispose()


def conversation_id(sender_id: str) -> str:
    # a sender id can be personal (a Telegram chat): show a short hash instead
    return hashlib.sha256(sender_id.encode()).hexdigest()[:8]


def best_guess(parse_data: Dict[str, Any]) -> tuple[str, float]:
    intent = parse_data.get("intent") or {}
    if intent.get("name") == FALLBACK_INTENT:
        for candidate in parse_data.get("intent_ranking") or []:
            if candidate.get("name") != FALLBACK_INTENT:
                return candidate["name"], float(candidate.get("confidence") or 0.0)
    return intent.get("name") or "", float(intent.get("confidence") or 0.0)


def missed_messages(events: Iterable[Dict[str, Any]], since: float, threshold: float,
                    vocabulary: set[str]) -> List[Missed]:
    found: List[Missed] = []
    sender, requested_slot, current = None, None, None
    question: Optional[Missed] = None  # the latest typed message: what a rating rates

    def finish(message: Optional[Missed]) -> None:
        if message is not None and message.reason:
            found.append(message)

    for event in events:
        if event["sender_id"] != sender:
            finish(current)
            sender, requested_slot, current, question = event["sender_id"], None, None, None
        kind, data = event["type_name"], event["data"]
        if kind == "slot" and data.get("name") == "requested_slot":
            requested_slot = data.get("value")
        elif kind == "slot" and data.get("name") == "feedback" and question is not None \
                and (data.get("value") or {}).get("rating") == "down":
            if not question.reason:
                found.append(question)  # not missed when it was answered: it is now
            question.reason = f"{question.reason}; {RATED_DOWN}" if question.reason else RATED_DOWN
        elif kind == "slot" and data.get("name") == "feedback_comment" and question is not None \
                and isinstance(data.get("value"), dict) and data["value"].get("comment"):
            comment = f'comment: "{data["value"]["comment"]}"'
            if not question.reason:
                found.append(question)
            question.reason = f"{question.reason}; {comment}" if question.reason else comment
        elif kind == "restart":
            requested_slot = None
        elif kind == "active_loop" and not data.get("name"):
            requested_slot = None
        elif kind == "action" and current is not None:
            name = data.get("name") or ""
            if name == "action_listen":
                finish(current)
                current = None
            elif not current.answered_with:
                current.answered_with = name
                if name in FALLBACK_ACTIONS and not current.reason:
                    current.reason = FALLBACK_ACTIONS[name]
        elif kind == "user":
            finish(current)
            current = None
            text = (data.get("text") or "").strip()
            parse_data = data.get("parse_data") or {}
            timestamp = float(event["timestamp"] or data.get("timestamp") or 0)
            if timestamp < since or not text or text.startswith("/"):
                continue
            intent, confidence = best_guess(parse_data)
            reason = ""
            if (parse_data.get("intent") or {}).get("name") == FALLBACK_INTENT:
                reason = "not understood (nlu_fallback)"
            elif confidence < threshold:
                reason = f"low confidence (< {threshold:g})"
            withheld = requested_slot in WITHHELD_SLOTS
            # a typed complaint about the answer before it, or a comment on it (kept masked,
            # shown beside the rated answer): not questions of their own
            if intent in ("feedback", "add_comment") or requested_slot == "comment_text":
                continue
            current = question = Missed(
                when=datetime.datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d %H:%M"),
                timestamp=timestamp, conversation=conversation_id(sender), writing=parse_data.get("writing"),
                text=(f"[withheld: answer to the form's {requested_slot} question]" if withheld
                      else mask(text, vocabulary)),
                intent=intent, confidence=round(confidence, 3), reason=reason, answered_with="",
                withheld=withheld, slot=requested_slot,
            )
    finish(current)
    found.sort(key=lambda m: m.timestamp, reverse=True)
    return found


# --- output -----------------------------------------------------------------------------

def as_table(messages: List[Missed]) -> str:
    lines = ["| when | conversation | writing | understood as | confidence | what happened | message |",
             "|---|---|---|---|---|---|---|"]
    for m in messages:
        text = m.text.replace("|", "\\|")
        what = [m.reason]
        if m.answered_with in FALLBACK_ACTIONS:
            if FALLBACK_ACTIONS[m.answered_with] != m.reason:
                what.append(FALLBACK_ACTIONS[m.answered_with])
        elif m.answered_with:
            what.append(f"answered with {m.answered_with}")
        lines.append(f"| {m.when} | {m.conversation} | {m.writing or '?'} | {m.intent} | "
                     f"{m.confidence:.2f} | {'; '.join(what)} | {text} |")
    return "\n".join(lines)


def as_yaml(messages: List[Missed]) -> str:
    """Blocks in the shape of data/nlu/<topic>.yml, grouped by the assistant's guess."""
    blocks: Dict[tuple, List[str]] = {}
    for m in messages:
        if m.withheld:
            continue
        texts = blocks.setdefault((m.intent, m.writing or "?"), [])
        if m.text not in texts:
            texts.append(m.text)
    lines = ["# Check every line: move it under the intent it really means (or a new one), fix",
             "# [name]/[email]/[phone] placeholders, and drop what the assistant need not answer."]
    order = {"ka": 0, "ka-Latn": 1, "en": 2}
    for (intent, writing), texts in sorted(blocks.items(), key=lambda item: (item[0][0], order.get(item[0][1], 3))):
        lines += [f"- intent: {intent}  # the assistant's guess", "  metadata:", f"    lang: {writing}",
                  "  examples: |"]
        lines += [f"    - {' '.join(text.split())}" for text in texts]
    return "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help=f"tracker store (default: $TRACKER_STORE_URL or {DEFAULT_URL})")
    parser.add_argument("--since", default="30d", help="window (7d, 24h, 2w) or date (default 30d)")
    parser.add_argument("--limit", type=int, default=50, help="at most this many messages (default 50)")
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD,
                        help=f"confidence below which a message counts as missed (default {DEFAULT_THRESHOLD})")
    parser.add_argument("--format", choices=("table", "yaml", "json"), default="table")
    args = parser.parse_args(argv)
    now = datetime.datetime.now()
    try:
        since = parse_since(args.since, now)
    except argparse.ArgumentTypeError as error:
        parser.error(str(error))
    url = database_url(args.url)
    try:
        events = list(read_events(url, since.timestamp()))
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # a wrong URL, a server that is down, no events table
        print(f"error: cannot read the tracker store ({type(error).__name__}: {error})", file=sys.stderr)
        return 1
    found = missed_messages(events, since.timestamp(), args.threshold, training_vocabulary())
    shown = found[: args.limit]
    if args.format == "json":
        print(json.dumps([asdict(m) for m in shown],
                         ensure_ascii=False, indent=2))
        return 0
    window = f"since {since:%Y-%m-%d %H:%M}"
    if args.format == "yaml":
        print(f"# {len(shown)} of {len(found)} missed messages {window}")
        print(as_yaml(shown))
        return 0
    newest = f"; the newest {len(shown)}:" if len(found) > len(shown) else ":"
    print(f"{len(found)} missed message(s) {window}{newest}")
    if shown:
        print()
        print(as_table(shown))
        print("\nTo turn them into training examples: `make missed FORMAT=yaml`, then docs/maintainers.md.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
