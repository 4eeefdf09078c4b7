"""Open data about the assistant itself: anonymous daily counts of the messages citizens
sent, per place, language, topic and whether they were answered, with the ratings their
answers got (thumbs up or down, actions/feedback.py), as CSV with its data
dictionary, ready to publish on an open-data portal. Reads the tracker store as
`make missed` does (TRACKER_STORE_URL; `make stats` reads .env).

    python -m scripts.stats [--since 90d] [--out reports/stats] [--url URL]

The same over HTTP, for a portal that fetches it: GET /webhooks/stats/daily.csv (and
/webhooks/stats/README.md) on Rasa's port with `Authorization: Bearer $STATS_TOKEN`
(channels/stats.py).

No message text and no identifier leaves the tracker store: a row is a day, a place, a
language, a topic and answered or not, with its count; rows counting fewer than
MIN_COUNT messages are left out (and their total is said in the dictionary), so that no
one citizen's question can be picked out. A place is a place id of content/places (from
the page, the Telegram start link or a button), or "unknown".
"""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Tuple

from actions.feedback import topic_of
from scripts.missed_messages import FALLBACK_ACTIONS, FALLBACK_INTENT, database_url, parse_since, read_events

PROJECT_DIR = Path(__file__).resolve().parent.parent
MIN_COUNT = 5
COLUMNS = ("date", "place", "language", "topic", "answered", "messages", "rated_up", "rated_down")
Row = Tuple[str, str, str, str, str]

DICTIONARY = """# The assistant's use, day by day: data dictionary

`{csv}`: one row per day, place, language, topic and outcome, with the number of messages
citizens sent the assistant (chat widget and Telegram). Written by `make stats`
(`scripts/stats.py`) on {written} from the conversations of {first} to {last} (UTC).

| column | meaning | values |
|---|---|---|
| `date` | the day the message was sent (UTC) | YYYY-MM-DD |
| `place` | the municipality or country the message came from: named by the web page that embeds the widget, the Telegram start link, or a button the citizen pressed | a place id of the assistant's content (`schio`, `thiene`, `ge`, ...), or `unknown` |
| `language` | the language the message was written in (Georgian in Latin letters counts as Georgian) | `ka`, `en`, `unknown` |
| `topic` | what the assistant understood the message to be about: an intent, or `knowledge:` and the knowledge-base entries it answered from | e.g. `ask_event_date`, `knowledge:event-visa`, `nlu_fallback` (not understood) |
| `answered` | whether the assistant answered it (no: it asked back, said it did not know, or did not understand) | `yes`, `no` |
| `messages` | how many messages | {min_count} or more |
| `rated_up`, `rated_down` | how many of their answers the citizens rated helpful / not helpful (thumbs in the chat, or "that didn't help") | 0 or more |

Privacy: no message text, no sender, no time finer than the day. Rows of fewer than
{min_count} messages are left out so that no single question can be picked out: {suppressed}
message(s) in {suppressed_rows} row(s) this time. Licence: as the publisher chooses (CC BY 4.0
suggested).
"""


def place_of(data: Dict[str, Any], known: set[str]) -> str:
    """The place a message came from: a button's place entity, else its metadata."""
    for entity in (data.get("parse_data") or {}).get("entities") or []:
        if entity.get("entity") == "place" and str(entity.get("value")) in known:
            return str(entity["value"])
    metadata = data.get("metadata") or {}
    for key in ("municipality", "country"):
        value = str(metadata.get(key) or "").strip().lower()
        if value in known:
            return value
    return "unknown"


def daily_counts(events: Iterable[Dict[str, Any]], since: float, known: set[str]) -> Dict[str, Counter[Row]]:
    """{"messages", "rated_up", "rated_down"}: (date, place, language, topic, answered) -> count;
    a rating counts on the row of the message whose answer it rates."""
    counts: Dict[str, Counter[Row]] = {name: Counter() for name in ("messages", "rated_up", "rated_down")}
    sender: Optional[str] = None
    current: Optional[List[str]] = None  # the row of the message being answered, and its outcome
    rated: Optional[List[str]] = None  # the row of the latest message that was not a rating

    def key(row: List[str]) -> Row:
        return (row[0], row[1], row[2], row[3], row[4])

    def finish() -> None:
        if current is not None:
            counts["messages"][key(current)] += 1

    for event in events:
        if event["sender_id"] != sender:
            finish()
            sender, current, rated = event["sender_id"], None, None
        kind, data = event["type_name"], event["data"]
        if kind == "slot" and data.get("name") == "feedback" and rated is not None:
            rating = (data.get("value") or {}).get("rating")
            if rating in ("up", "down"):
                counts[f"rated_{rating}"][key(rated)] += 1
        elif kind == "user":
            finish()
            current = None
            timestamp = float(event["timestamp"] or data.get("timestamp") or 0)
            if timestamp < since or not (data.get("text") or "").strip():
                continue
            parse_data = data.get("parse_data") or {}
            day = datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc).date().isoformat()
            topic = topic_of(parse_data)
            current = [day, place_of(data, known), parse_data.get("language") or "unknown", topic,
                       "no" if topic == FALLBACK_INTENT else "yes"]
            if topic != "feedback":
                rated = current
        elif kind == "action" and current is not None and (data.get("name") or "") in FALLBACK_ACTIONS:
            current[4] = "no"
    finish()
    return counts


def known_places() -> set[str]:
    from components import places

    return set(places.load())


CSV_NAME = "assistant-daily.csv"


def render(counts: Dict[str, Counter[Row]], now: datetime.datetime) -> Tuple[str, str, int]:
    """(the CSV, its data dictionary, rows kept): what `make stats` writes and
    /webhooks/stats/ serves (channels/stats.py)."""
    messages = counts["messages"]
    kept = sorted((row, n) for row, n in messages.items() if n >= MIN_COUNT)
    suppressed = [n for n in messages.values() if n < MIN_COUNT]
    table = io.StringIO(newline="")
    writer = csv.writer(table)
    writer.writerow(COLUMNS)
    writer.writerows([*row, n, counts["rated_up"][row], counts["rated_down"][row]] for row, n in kept)
    days = sorted(row[0] for row in messages) or [now.date().isoformat()]
    dictionary = DICTIONARY.format(csv=CSV_NAME, written=now.date().isoformat(), first=days[0], last=days[-1],
                                   min_count=MIN_COUNT, suppressed=sum(suppressed), suppressed_rows=len(suppressed))
    return table.getvalue(), dictionary, len(kept)


def export(url: Optional[str], since: str, now: Optional[datetime.datetime] = None) -> Tuple[str, str, int]:
    """The counts of the tracker store at ``url`` (None: TRACKER_STORE_URL) since ``since``
    (a window such as 90d, or a date), rendered. ``argparse.ArgumentTypeError`` for a bad
    ``since``; ``FileNotFoundError`` when there is no tracker store yet."""
    now = now or datetime.datetime.now()
    start = parse_since(since, now).timestamp()
    counts = daily_counts(read_events(database_url(url), start), start, known_places())
    return render(counts, now)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--since", default="90d", help="a window (7d, 24h, 2w) or a date (2025-05-01); default 90d")
    parser.add_argument("--out", type=Path, default=PROJECT_DIR / "reports" / "stats")
    parser.add_argument("--url", help="tracker store URL (default: TRACKER_STORE_URL, else var/tracker.db)")
    args = parser.parse_args(argv)
    try:
        table, dictionary, rows = export(args.url, args.since)
    except argparse.ArgumentTypeError as error:
        parser.error(str(error))
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    csv_path, dictionary_path = args.out / CSV_NAME, args.out / "README.md"
    csv_path.write_text(table, encoding="utf-8")
    dictionary_path.write_text(dictionary, encoding="utf-8")
    print(f"{rows} row(s) of {MIN_COUNT} messages or more: {csv_path}; data dictionary: {dictionary_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
