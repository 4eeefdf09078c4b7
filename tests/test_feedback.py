"""Feedback on an answer (actions/feedback.py): stored with the answer's topic, the
language and the place, without any text."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.feedback import ActionFeedback


def conversation(rating_entities, typed="/feedback", metadata=None):
    question = {"event": "user", "text": "visa for italy?", "metadata": metadata or {},
                "parse_data": {"intent": {"name": "ask_knowledge"}, "language": "en",
                               "answers": [{"entry": "event-visa"}]}}
    answer = {"event": "bot", "text": "...", "metadata": {"utter_action": None}}
    latest = {"text": typed, "intent": {"name": "feedback", "confidence": 1.0}, "entities": rating_entities,
              "language": "en"}
    events = [question, answer, {"event": "action", "name": "action_listen"},
              {"event": "user", "text": typed, "parse_data": latest, "metadata": metadata or {}}]
    dispatcher = CollectingDispatcher()
    result = ActionFeedback().run(dispatcher, Tracker("citizen", {}, latest, events, False, None, {}, "action_listen"), {})
    return dispatcher.messages, result


@pytest.mark.parametrize("entities, rating", [
    ([{"entity": "rating", "value": "up"}], "up"),
    ([{"entity": "rating", "value": "down"}], "down"),
    ([], "down"),  # typed: "that didn't help"
    ([{"entity": "rating", "value": "<script>"}], "down"),
])
def test_a_rating_is_kept_with_the_answers_topic_language_and_place(entities, rating):
    messages, events = conversation(entities, metadata={"municipality": "schio"})
    assert [m["response"] for m in messages] == [f"utter_feedback_{rating}"]
    [slot] = events
    assert slot["name"] == "feedback"
    assert slot["value"] == {"rating": rating, "topic": "knowledge:event-visa", "answer": [], "language": "en",
                             "place": "schio"}
    assert "visa" not in str(slot["value"]).replace("event-visa", "")  # no text of the messages


def test_nothing_to_rate_is_thanked_but_not_stored():
    latest = {"text": "/feedback", "intent": {"name": "feedback"}, "entities": [{"entity": "rating", "value": "up"}]}
    dispatcher = CollectingDispatcher()
    events = [{"event": "user", "text": "/feedback", "parse_data": latest}]
    assert ActionFeedback().run(dispatcher, Tracker("c", {}, latest, events, False, None, {}, "action_listen"), {}) == []
    assert dispatcher.messages[0]["response"] == "utter_feedback_up"


@pytest.mark.e2e
def test_a_thumbs_down_reaches_make_missed_and_make_stats(servers, tmp_path):
    import json
    import subprocess
    import sys
    import uuid

    from tests.conftest import PROJECT_DIR

    sender = f"rate-{uuid.uuid4().hex}"
    servers.ask("where is the event?", sender=sender, metadata={"municipality": "santorso"})
    answer = servers.ask('/feedback{"rating": "down"}', sender=sender, metadata={"municipality": "santorso"})
    assert answer and answer[0]["text"].startswith("Sorry that answer didn't help")
    url = f"sqlite:///{servers.workdir / 'tracker.db'}"
    missed = subprocess.run([sys.executable, "-m", "scripts.missed_messages", "--url", url, "--format", "json",
                             "--limit", "1000"], cwd=PROJECT_DIR, capture_output=True, text=True, timeout=120)
    assert missed.returncode == 0, missed.stderr
    rated = [m for m in json.loads(missed.stdout) if m["text"] == "where is the event?" and "rated down" in m["reason"]]
    assert rated, missed.stdout[-2000:]
