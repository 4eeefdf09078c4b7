"""When the assistant is unsure what was meant, it asks back with the likely topics; when
nothing it knows fits (the question router found no topic and no knowledge entry close
enough), it says it does not know, what it can help with, and where to ask."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import language_of, response_text
from actions.knowledge import say_dont_know

MAX_SUGGESTIONS = 3
MIN_CONFIDENCE = 0.08
FALLBACK, OUT_OF_SCOPE = "nlu_fallback", "out_of_scope"


def likely_topics(tracker: Tracker, domain: Dict[Text, Any]) -> List[str]:
    """Intents worth offering: the best-ranked ones that have a topic title."""
    responses = domain.get("responses") or {}
    ranking = [c for c in tracker.latest_message.get("intent_ranking") or [] if c.get("name") != FALLBACK]
    if ranking and ranking[0].get("name") == OUT_OF_SCOPE:
        # the best guess is "none of the topics", only not sure enough to say so (a name in
        # a form drifts there): a topic further down is no better guess
        return []
    topics = []
    for candidate in ranking:
        name = candidate.get("name")
        if candidate.get("confidence", 0) < MIN_CONFIDENCE:
            break
        if f"utter_topic_{name}" in responses:
            topics.append(name)
        if len(topics) == MAX_SUGGESTIONS:
            break
    return topics


class ActionClarify(Action):
    """Offers the likely topics as buttons, or says what the assistant can help with."""

    def name(self) -> Text:
        return "action_clarify"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        language = language_of(tracker)
        nothing_fits = tracker.latest_message.get("answers") == []
        topics = [] if nothing_fits else likely_topics(tracker, domain)
        if not topics:
            say_dont_know(dispatcher, language)
            return []
        buttons = [
            {"title": response_text(domain, f"utter_topic_{intent}", language), "payload": f"/{intent}"}
            for intent in topics
        ]
        dispatcher.utter_message(response="utter_clarify", buttons=buttons)
        return []
