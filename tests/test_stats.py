"""`make stats`: anonymous daily counts from the tracker store (scripts/stats.py), from
real conversations with the assistant; no message text, small counts left out."""

from __future__ import annotations

import csv
import datetime
import subprocess
import sys

import pytest

from scripts.stats import MIN_COUNT, daily_counts
from tests.conftest import PROJECT_DIR


def user(sender, text, intent, day, metadata=None, answers=None, language="en"):
    stamp = datetime.datetime.fromisoformat(day).replace(tzinfo=datetime.timezone.utc).timestamp()
    return {"sender_id": sender, "type_name": "user", "timestamp": stamp,
            "data": {"text": text, "metadata": metadata or {},
                     "parse_data": {"intent": {"name": intent}, "language": language, "answers": answers or []}}}


def action(sender, name):
    return {"sender_id": sender, "type_name": "action", "timestamp": 0, "data": {"name": name}}


def test_counts_per_day_place_language_topic_and_outcome():
    events = [
        user("a", "when is it?", "ask_event_date", "2027-05-01T10:00", {"municipality": "schio"}),
        action("a", "utter_ask_event_date"),
        user("a", "visa?", "ask_knowledge", "2027-05-01T10:01", {"municipality": "schio"},
             answers=[{"entry": "event-visa"}]),
        user("a", "blah", "out_of_scope", "2027-05-01T10:02", {"municipality": "atlantis"}),
        action("a", "action_dont_know"),
        user("b", "ra aris?", "nlu_fallback", "2027-05-02T08:00", {"country": "ge"}, language="ka"),
        user("b", "/feedback", "feedback", "2027-05-02T08:01", {"country": "ge"}, language="ka"),
        {"sender_id": "b", "type_name": "slot", "timestamp": 0, "data": {"name": "feedback", "value": {"rating": "down"}}},
    ]
    counts = daily_counts(events, 0, {"schio", "ge"})
    assert counts["rated_down"] == {("2027-05-02", "ge", "ka", "nlu_fallback", "no"): 1} and not counts["rated_up"]
    assert counts["messages"] == {
        ("2027-05-02", "ge", "ka", "feedback", "yes"): 1,
        ("2027-05-01", "schio", "en", "ask_event_date", "yes"): 1,
        ("2027-05-01", "schio", "en", "knowledge:event-visa", "yes"): 1,
        ("2027-05-01", "unknown", "en", "out_of_scope", "no"): 1,  # an unknown place id is not published
        ("2027-05-02", "ge", "ka", "nlu_fallback", "no"): 1,
    }


@pytest.mark.e2e
def test_make_stats_publishes_counts_without_texts_or_small_groups(servers, tmp_path):
    for _ in range(MIN_COUNT + 1):
        servers.ask("when is the event?", metadata={"municipality": "zugliano", "country": "it"})
    for _ in range(MIN_COUNT - 2):
        servers.ask("when is the event?", metadata={"municipality": "villaverla", "country": "it"})
    out = tmp_path / "stats"
    run = subprocess.run([sys.executable, "-m", "scripts.stats", "--url", f"sqlite:///{servers.workdir / 'tracker.db'}",
                          "--out", str(out)], cwd=PROJECT_DIR, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    rows = list(csv.DictReader((out / "assistant-daily.csv").open(encoding="utf-8")))
    zugliano = [r for r in rows if r["place"] == "zugliano"]
    assert zugliano and sum(int(r["messages"]) for r in zugliano) >= MIN_COUNT + 1
    assert all(r["language"] == "en" and r["topic"].startswith("ask_event") and r["answered"] == "yes" for r in zugliano)
    assert not [r for r in rows if r["place"] == "villaverla"]  # fewer than MIN_COUNT: left out
    assert all(int(r["messages"]) >= MIN_COUNT for r in rows)
    published = (out / "assistant-daily.csv").read_text(encoding="utf-8")
    assert "when is the event" not in published
    assert "left out" in (out / "README.md").read_text(encoding="utf-8")


@pytest.mark.e2e
def test_the_counts_are_served_to_a_holder_of_the_token(servers):
    import requests

    from tests.conftest import STATS_TOKEN

    url = f"{servers.rasa_url}/webhooks/stats/daily.csv"
    for _ in range(MIN_COUNT):
        servers.ask("what is open data?", metadata={"municipality": "marano-vicentino"})
    assert requests.get(url, timeout=30).status_code == 401
    assert requests.get(url, headers={"Authorization": "Bearer wrong"}, timeout=30).status_code == 401
    served = requests.get(url, headers={"Authorization": f"Bearer {STATS_TOKEN}"}, timeout=30)
    assert served.status_code == 200 and served.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(served.text.splitlines()))
    assert list(rows[0]) == ["date", "place", "language", "topic", "answered", "messages", "rated_up", "rated_down"]
    assert any(r["place"] == "marano-vicentino" and int(r["messages"]) >= MIN_COUNT for r in rows)
    assert "what is open data" not in served.text
    bad = requests.get(url + "?since=yesterday-ish", headers={"Authorization": f"Bearer {STATS_TOKEN}"}, timeout=30)
    assert bad.status_code == 400
    dictionary = requests.get(f"{servers.rasa_url}/webhooks/stats/README.md",
                              headers={"Authorization": f"Bearer {STATS_TOKEN}"}, timeout=30)
    assert dictionary.status_code == 200 and "data dictionary" in dictionary.text
