"""Answers about the international event, filled in from content/events.yml."""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.content import ContentError, Event, current_event
from actions.conversation import language_of

logger = logging.getLogger(__name__)


EVENT_INTENTS = frozenset({"ask_event", "ask_event_date", "ask_event_venue", "ask_event_agenda"})


def event_or_apology(dispatcher: CollectingDispatcher) -> Optional[Event]:
    """The current event; None, after a polite "unavailable", when its file is broken."""
    try:
        return current_event()
    except ContentError as error:
        logger.error("Event content unusable: %s", error)
        dispatcher.utter_message(response="utter_content_unavailable")
        return None


def answer_event(intent: str, dispatcher: CollectingDispatcher, language: str) -> None:
    """The answer to one question about the event, filled in from the event file."""
    event = event_or_apology(dispatcher)
    if event is None:
        return
    facts = {
        "title": event.title[language],
        "dates": event.dates(language),
        "venue": event.venue[language],
    }
    if intent == "ask_event_date":
        dispatcher.utter_message(response="utter_ask_event_date", **facts)
    elif intent == "ask_event_venue":
        dispatcher.utter_message(response="utter_ask_event_venue", **facts)
    elif intent == "ask_event_agenda":
        if event.agenda_url:
            dispatcher.utter_message(response="utter_ask_event_agenda", agenda_url=event.agenda_url)
        else:
            dispatcher.utter_message(response="utter_ask_event_agenda_unavailable")
    else:
        dispatcher.utter_message(response="utter_ask_event", **facts)


class ActionAnswerEvent(Action):
    """One action for every question about the event: it picks the response by intent."""

    def name(self) -> Text:
        return "action_answer_event"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        answer_event(intent, dispatcher, language_of(tracker))
        return []
