"""Erases a registration: in the registration service, and in the conversations that hold it.

    python -m scripts.erase CODE          # `make erase CODE=...` reads .env

1. Checks that the tracker store can be read, then asks the registration service to erase
   the registration (DELETE /api/v1/registrations/CODE with REGISTRATION_ADMIN_TOKEN at
   REGISTRATION_SERVICE_URL): the service empties the name, email, municipality and
   organisation and keeps an anonymous row. If the service cannot be reached or refuses,
   this stops with a message and nothing has changed anywhere.
2. Finds the conversations in the tracker store (TRACKER_STORE_URL, Rasa's `events` table)
   that hold the registration: the one that made it (slot `registration_code`, set by
   action_submit_registration, or the bot's message showing the code), the ones that
   checked or cancelled it (slot `lookup_code`), and any other conversation in which the
   registration's email address appears (e.g. an "already registered" attempt).
3. Rewrites the events of those conversations, all in one transaction: every value of the
   personal slots (full_name, email, affiliation, lookup_email), the municipality sent in
   the message metadata, each word of the name and the email's local part become
   "[erased]" wherever they occur (user texts, parse data, slot values, bot texts,
   metadata); what the user typed is also passed through scripts/missed_messages.py's
   masking (other emails, phone numbers, names, codes), and every other text through its
   email and phone patterns. Events keep their ids, order and number, so Rasa goes on
   with the conversation as before. The confirmation code stays: the service keeps it in
   the anonymous row too, and it lets a second run find the same conversations.

Safe to run again: an erased registration is erased again without error, and
conversations already rewritten are left as they are. A message being answered at the very
moment of the erasure can still be saved with personal data: run the command again.
Conversation ids are not printed (a Telegram chat id is personal), only short hashes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional, Set

import requests

from avatar_shared.masking import EMAIL, mask_text
from avatar_shared.slots import CODE_SLOTS, PERSONAL_SLOTS
from scripts.missed_messages import conversation_id, database_url, mask, training_vocabulary

ERASED = "[erased]"
SKIPPED = "-"  # the affiliation slot's "skipped" value (actions/validation.py)
MARKERS = {ERASED, "[email]", "[phone]", "[name]", "[code]"}
DEFAULT_SERVICE_URL = "http://127.0.0.1:8000"
TIMEOUT = (5, 30)


class EraseError(Exception):
    """Something stopped the erasure; the message says what changed and what did not."""


# --- the registration service -------------------------------------------------------------

def erase_in_service(code: str, base_url: str, token: str) -> Dict[str, Any]:
    """The erased registration as the service answers it (also when it was erased before)."""
    url = f"{base_url.rstrip('/')}/api/v1/registrations/{code}"
    try:
        response = requests.delete(url, headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT)
    except requests.RequestException as error:
        raise EraseError(f"the registration service at {base_url} cannot be reached "
                         f"({type(error).__name__}); nothing was erased anywhere") from error
    if response.status_code == 404:
        raise EraseError(f"the registration service has no registration {code}; nothing was erased")
    if response.status_code in (401, 403):
        raise EraseError("the registration service refused REGISTRATION_ADMIN_TOKEN; nothing was erased")
    if not 200 <= response.status_code < 300:
        raise EraseError(f"the registration service answered HTTP {response.status_code}; "
                         "nothing was erased in the conversations")
    return response.json()


# --- what to erase ----------------------------------------------------------------------

@dataclass
class Conversation:
    sender_id: str
    rows: List[tuple] = field(default_factory=list)  # (id, data as parsed JSON)


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def holds_code(conversation: Conversation, code: str) -> bool:
    """The conversation made, checked or cancelled the registration with this code."""
    shown = re.compile(rf"(?<!\w){re.escape(code)}(?!\w)", re.IGNORECASE)
    for _, data in conversation.rows:
        event = data.get("event")
        if event == "slot" and data.get("name") in CODE_SLOTS:
            if isinstance(data.get("value"), str) and data["value"].strip().upper() == code:
                return True
        elif event == "bot" and shown.search(data.get("text") or ""):
            return True
    return False


def holds_any(conversation: Conversation, values: Set[str]) -> bool:
    lowered = {value.lower() for value in values}
    return any(value in text.lower() for _, data in conversation.rows
               for text in _strings(data) for value in lowered)


def personal_values(conversations: Iterable[Conversation]) -> Set[str]:
    """The personal slot values and the municipality of these conversations, with the words
    of each name and each email's local part."""
    values: Set[str] = set()
    for conversation in conversations:
        for _, data in conversation.rows:
            event = data.get("event")
            if event == "slot" and data.get("name") in PERSONAL_SLOTS:
                value = data.get("value")
                if isinstance(value, str) and value.strip() not in ("", SKIPPED):
                    values.add(value.strip())
                    if data["name"] == "full_name":
                        values.update(word for word in value.split() if len(word) >= 3)
            metadata = data.get("metadata") or {}
            if event == "slot" and data.get("name") == "session_started_metadata":
                metadata = data.get("value") or {}
            municipality = metadata.get("municipality") if isinstance(metadata, dict) else None
            if isinstance(municipality, str) and municipality.strip():
                values.add(municipality.strip())
    for value in list(values):
        if "@" in value and len(value.split("@")[0]) >= 4:
            values.add(value.split("@")[0])
    return {value for value in values if value not in MARKERS}


def emails_among(values: Set[str]) -> Set[str]:
    return {value.lower() for value in values if EMAIL.fullmatch(value)}


# --- rewriting events ---------------------------------------------------------------------

class Scrubber:
    def __init__(self, values: Set[str], vocabulary: Set[str]):
        ordered = sorted(values, key=len, reverse=True)  # "Anna Rossi" before "Anna"
        self.values = (re.compile("|".join(rf"(?<!\w){re.escape(v)}(?!\w)" for v in ordered), re.IGNORECASE)
                       if ordered else None)
        self.vocabulary = vocabulary

    def text(self, text: str, typed: bool = False) -> str:
        if self.values is not None:
            text = self.values.sub(ERASED, text)
        if typed:  # what the user typed: the report's masking (emails, phones, names, codes)
            return mask(text, self.vocabulary)
        return mask_text(text)

    def value(self, value: Any, typed: bool = False) -> Any:
        if isinstance(value, str):
            return self.text(value, typed)
        if isinstance(value, list):
            return [self.value(item, typed) for item in value]
        if isinstance(value, dict):
            return {key: self.value(item, typed or key == "text") if key != "municipality" or not item
                    else ERASED for key, item in value.items()}
        return value

    def event(self, data: Dict[str, Any]) -> Dict[str, Any]:
        event = data.get("event")
        if event == "slot" and data.get("name") in PERSONAL_SLOTS:
            value = data.get("value")
            if isinstance(value, str) and value.strip() not in ("", SKIPPED):
                data = {**data, "value": ERASED}
        # "text" of a user event, and of its parse data, is what the person typed
        return {key: self.value(item, typed=(event == "user" and key == "text")) if key != "parse_data"
                else self.value(item) for key, item in data.items()}


# --- the tracker store --------------------------------------------------------------------

def _like(value: str) -> str:
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _senders_containing(connection: Any, sa: Any, needle: str) -> List[str]:
    query = sa.text("SELECT DISTINCT sender_id FROM events WHERE UPPER(data) LIKE :needle ESCAPE '\\'")
    return [row[0] for row in connection.execute(query, {"needle": _like(needle.upper())})]


def _load(connection: Any, sa: Any, senders: Iterable[str]) -> List[Conversation]:
    found = []
    for sender in sorted(set(senders)):
        rows = connection.execute(sa.text("SELECT id, data FROM events WHERE sender_id = :sender ORDER BY id"),
                                  {"sender": sender})
        found.append(Conversation(sender, [(row[0], json.loads(row[1]) if row[1] else {}) for row in rows]))
    return found


def check_tracker_store(url: str) -> None:
    import sqlalchemy as sa

    if url.startswith("sqlite:///") and not os.path.exists(url[len("sqlite:///"):]):
        raise EraseError(f"no tracker store at {url[len('sqlite:///'):]}; nothing was erased")
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1 FROM events WHERE 1 = 0"))
    except Exception as error:
        raise EraseError(f"cannot read the tracker store ({type(error).__name__}); nothing was erased") from error
    finally:
        engine.dispose()


@dataclass
class Rewritten:
    conversations: List[str]
    events: int


def erase_in_tracker_store(url: str, code: str, vocabulary: Set[str]) -> Rewritten:
    """Rewrites the conversations holding the registration `code`, in one transaction."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    try:
        with engine.begin() as connection:
            by_code = [c for c in _load(connection, sa, _senders_containing(connection, sa, code))
                       if holds_code(c, code)]
            values = personal_values(by_code)
            emails = emails_among(values)
            others: List[Conversation] = []
            if emails:
                known = {c.sender_id for c in by_code}
                candidates = {s for email in emails for s in _senders_containing(connection, sa, email)} - known
                others = [c for c in _load(connection, sa, candidates) if holds_any(c, emails)]
                values |= personal_values(others)
            scrubber = Scrubber(values, vocabulary)
            changed = 0
            for conversation in by_code + others:
                for event_id, data in conversation.rows:
                    scrubbed = scrubber.event(data)
                    if scrubbed != data:
                        connection.execute(sa.text("UPDATE events SET data = :data WHERE id = :id"),
                                           {"data": json.dumps(scrubbed), "id": event_id})
                        changed += 1
            return Rewritten([conversation_id(c.sender_id) for c in by_code + others], changed)
    finally:
        engine.dispose()


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("code", help="the registration's confirmation code")
    parser.add_argument("--url", help="tracker store (default: $TRACKER_STORE_URL or sqlite:///var/tracker.db)")
    args = parser.parse_args(argv)
    code = args.code.strip().upper()
    if not re.fullmatch(r"[A-Z0-9]{8}", code):
        parser.error(f"'{args.code}' is not a confirmation code (8 letters and digits)")
    url = database_url(args.url)
    try:
        check_tracker_store(url)
        erased = erase_in_service(code, os.environ.get("REGISTRATION_SERVICE_URL") or DEFAULT_SERVICE_URL,
                                  os.environ.get("REGISTRATION_ADMIN_TOKEN", ""))
        print(f"Registration {erased.get('confirmation_code', code)}: erased in the registration service "
              f"(status {erased.get('status')}).")
        try:
            rewritten = erase_in_tracker_store(url, code, training_vocabulary())
        except Exception as error:
            # not str(error): SQLAlchemy's text shows the statement's parameters (the data)
            reason = getattr(error, "orig", None) or type(error).__name__
            raise EraseError(f"the conversations could not be rewritten ({reason}); nothing was "
                             "changed there. Run the command again.") from error
    except EraseError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if not rewritten.conversations:
        print("No conversation in the tracker store holds it.")
    else:
        print(f"{len(rewritten.conversations)} conversation(s) ({', '.join(rewritten.conversations)}): "
              f"{rewritten.events} event(s) rewritten"
              + (" (already erased before)." if rewritten.events == 0 else "."))
    return 0


if __name__ == "__main__":
    sys.exit(main())
