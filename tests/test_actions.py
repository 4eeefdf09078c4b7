"""Custom actions, run with a real Tracker and the real domain."""

from __future__ import annotations

import asyncio
import inspect
import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from rasa.shared.core.domain import Domain
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import config, content
from actions.content import ContentError, parse_events
from actions.event import ActionAnswerEvent
from actions.fallback import ActionClarify
from actions.knowledge import ActionAnswer
from actions.principles import ActionExplainPrinciple, find_principle

DOMAIN = Domain.load("domain").as_dict()


def tracker_for(text, intent, language, writing=None, ranking=None, earlier_languages=()):
    """A tracker whose latest user message is ``text``, parsed as the server would."""
    events = [{"event": "user", "text": "...", "parse_data": {"language": lang}} for lang in earlier_languages]
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.9},
              "intent_ranking": ranking or [], "entities": [], "language": language,
              "writing": writing or language}
    events.append({"event": "user", "text": text, "parse_data": latest})
    return Tracker("citizen", {}, latest, events, False, None, {}, "action_listen")


def run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tracker, DOMAIN)
    if inspect.isawaitable(events):  # the actions that call the registration service
        events = asyncio.run(events)
    return dispatcher.messages, events


@pytest.fixture
def events_file(tmp_path, monkeypatch):
    """A copy of content/events.yml that a test may edit."""
    path = tmp_path / "events.yml"
    path.write_text((config.PROJECT_DIR / "content" / "events.yml").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(config, "EVENTS_FILE", path)

    def edit(**changes):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["events"][0].update(changes)
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        content._cache.clear()

    edit()
    return edit


def test_event_date_without_a_year_names_no_year(events_file):
    messages, events = run(ActionAnswerEvent(), tracker_for("when is it", "ask_event_date", "en"))
    assert events == []
    assert messages[0]["response"] == "utter_ask_event_date"
    assert messages[0]["dates"] == "24–27 May"


def test_event_date_in_georgian_with_the_year_the_content_sets(events_file):
    events_file(year=2027)
    messages, _ = run(ActionAnswerEvent(), tracker_for("როდის არის", "ask_event_date", "ka"))
    assert messages[0]["dates"] == "2027 წლის 24–27 მაისი"


def test_a_short_message_keeps_the_conversations_language(events_file):
    tracker = tracker_for("ok", "ask_event_venue", None, earlier_languages=["en"])
    messages, _ = run(ActionAnswerEvent(), tracker)
    assert messages[0]["response"] == "utter_ask_event_venue"
    assert messages[0]["venue"] == "Faber Box, Schio (Italy)"


def test_agenda_link_or_honest_absence(events_file):
    messages, _ = run(ActionAnswerEvent(), tracker_for("agenda?", "ask_event_agenda", "en"))
    assert messages[0]["response"] == "utter_ask_event_agenda_unavailable"
    events_file(agenda_url="https://example.org/agenda")
    messages, _ = run(ActionAnswerEvent(), tracker_for("agenda?", "ask_event_agenda", "en"))
    assert messages[0] == {**messages[0], "response": "utter_ask_event_agenda", "agenda_url": "https://example.org/agenda"}


def test_broken_event_content_gets_a_clear_answer_not_a_crash(events_file):
    events_file(start="24 May")
    messages, _ = run(ActionAnswerEvent(), tracker_for("when", "ask_event_date", "en"))
    assert [m["response"] for m in messages] == ["utter_content_unavailable"]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"start": "5-24"}, "'start' must be a month and day"),
        ({"end": "02-30"}, "'end' is not a real date"),
        ({"end": "05-01"}, "'end' comes before 'start'"),
        ({"year": "next"}, "'year' must be a year"),
        ({"agenda_url": "javascript:alert(1)"}, "'agenda_url' must be an http(s) address"),
        ({"title": {"ka": "ღონისძიება"}}, "'title' needs a text for each of ka, en"),
        ({"registration_deadline": "soon"}, "'registration_deadline' must be YYYY-MM-DD"),
    ],
)
def test_content_errors_name_the_field(events_file, change, message):
    events_file(**change)
    with pytest.raises(ContentError, match=re.escape(message)):
        parse_events(config.EVENTS_FILE)


@pytest.mark.parametrize(
    "text, writing, number",
    [
        ("რას ნიშნავს ანგარიშვალდებულება?", "ka", 12),
        ("ra aris kanonis uzenaesoba", "ka-Latn", 5),
        ("gamWvirvaloba ras niSnavs", "ka-Latn", 4),
        ("explain the principle of ethical conduct", "en", 6),
        ("what about long-term orientation", "en", 9),
        ("innovation and openness to change", "en", 8),
        ("ცვლილებებისადმი ღიაობა რას ნიშნავს", "ka", 8),
        ("tell me about principle 10", "en", 10),
        ("მეხუთე პრინციპი რომელია", "ka", 5),
        ("explain the third principle", "en", 3),
        ("meotxe principi ras gulisxmobs", "ka-Latn", 4),
        ("transparency and accountability", "en", None),
        ("what is the best principle", "en", None),
    ],
)
def test_find_principle(text, writing, number):
    assert find_principle(text, writing, content.principle_keywords()) == number


def test_explain_principle_answers_with_that_principle():
    messages, _ = run(ActionExplainPrinciple(), tracker_for("what does accountability mean", "ask_principle", "en"))
    assert [m["response"] for m in messages] == ["utter_principle_12"]


def test_unknown_principle_asks_which_and_lists_them():
    messages, _ = run(ActionExplainPrinciple(), tracker_for("the principle", "ask_principle", "en"))
    assert [m["response"] for m in messages] == ["utter_principle_unknown", "utter_ask_principles"]


def test_clarify_offers_likely_topics_as_buttons_in_the_users_language():
    ranking = [{"name": "nlu_fallback", "confidence": 0.5}, {"name": "ask_event_date", "confidence": 0.3},
               {"name": "greet", "confidence": 0.2}, {"name": "ask_event_venue", "confidence": 0.15},
               {"name": "ask_alda", "confidence": 0.01}]
    messages, _ = run(ActionClarify(), tracker_for("event when where", "nlu_fallback", "en", ranking=ranking))
    assert messages[0]["response"] == "utter_clarify"
    buttons = messages[0]["buttons"]
    assert [b["payload"] for b in buttons] == ["/ask_event_date", "/ask_event_venue"]
    assert all(b["title"] and len(b["payload"].encode()) <= 64 for b in buttons)
    georgian, _ = run(ActionClarify(), tracker_for("ღონისძიება", "nlu_fallback", "ka", ranking=ranking))
    assert all(any("\u10d0" <= c <= "\u10ff" for c in b["title"]) for b in georgian[0]["buttons"])


def test_clarify_without_candidates_says_it_does_not_know_and_where_to_ask():
    messages, _ = run(ActionClarify(), tracker_for("asdf", "nlu_fallback", "en", ranking=[{"name": "nlu_fallback", "confidence": 0.9}]))
    assert [m["response"] for m in messages] == ["utter_dont_know"]
    assert "avatarlab.it" in messages[0]["ask"]


def test_nothing_known_is_said_even_with_likely_topics():
    """The router found nothing close enough (answers == []): no guessing with buttons."""
    ranking = [{"name": "nlu_fallback", "confidence": 1.0}, {"name": "ask_event_date", "confidence": 0.6}]
    tracker = tracker_for("will it rain tomorrow", "nlu_fallback", "en", ranking=ranking)
    tracker.latest_message["answers"] = []
    messages, _ = run(ActionClarify(), tracker)
    assert [m["response"] for m in messages] == ["utter_dont_know"]


def test_out_of_domain_as_the_best_guess_offers_no_topic():
    """"should I quit my job?": out_of_scope ranked first, below its own threshold; the
    topic ranked second is no better guess than the first."""
    ranking = [{"name": "nlu_fallback", "confidence": 0.15}, {"name": "out_of_scope", "confidence": 0.37},
               {"name": "check_registration", "confidence": 0.24}]
    tracker = tracker_for("should i quit my job?", "nlu_fallback", "en", ranking=ranking)
    tracker.latest_message["answers"] = [{"intent": "out_of_scope"}]
    messages, _ = run(ActionClarify(), tracker)
    assert [m["response"] for m in messages] == ["utter_dont_know"]


def test_several_answers_are_given_in_order_in_the_users_language():
    tracker = tracker_for("hi, when and where is it, and is it free?", "ask_knowledge", "ka")
    tracker.latest_message["answers"] = [{"intent": "greet"}, {"intent": "ask_event_date"},
                                         {"intent": "ask_event_venue"}, {"entry": "event-fee"}]
    messages, _ = run(ActionAnswer(), tracker)
    assert [m.get("response") for m in messages[:3]] == ["utter_greet", "utter_ask_event_date", "utter_ask_event_venue"]
    assert "avatarlab.it" in messages[3]["text"] and "/register" in [b["payload"] for b in messages[3]["buttons"]]
    assert any("\u10d0" <= c <= "\u10ff" for c in messages[3]["text"])


def test_a_follow_up_number_explains_that_principle():
    tracker = tracker_for("the fourth one?", "ask_principle", "en")
    tracker.latest_message["answers"] = [{"intent": "ask_principle", "principle_number": 4}]
    messages, _ = run(ActionExplainPrinciple(), tracker)
    assert [m["response"] for m in messages] == ["utter_principle_4"]


@pytest.mark.parametrize("value", ["missing", None, True, False])
def test_the_assistant_and_the_service_agree_whether_registration_is_open(tmp_path, value):
    """Both sides parse content/events.yml (the service with pydantic 2 in its own
    environment): an event without `registration_open` was open for the assistant and
    closed for the service, so a citizen filled in the whole form and was then refused."""
    project = Path(__file__).resolve().parent.parent
    data = yaml.safe_load((project / "content" / "events.yml").read_text(encoding="utf-8"))
    for event in data["events"]:
        if value == "missing":
            event.pop("registration_open", None)
        else:
            event["registration_open"] = value
    path = tmp_path / "events.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assistant = {event_id: event.registration_open for event_id, event in parse_events(path)["events"].items()}
    service = subprocess.run(
        [str(project / "backend" / ".venv" / "bin" / "python"), "-c",
         "import json, sys; from pathlib import Path; from app.content import load_events; "
         "print(json.dumps({e.id: e.registration_open for e in load_events(Path(sys.argv[1]))}))", str(path)],
        cwd=project / "backend", capture_output=True, text=True, timeout=60, check=True)
    assert assistant == json.loads(service.stdout)
    assert all(is_open is (value is True) for is_open in assistant.values())
