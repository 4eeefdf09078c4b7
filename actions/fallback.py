"""When the assistant is unsure what was meant, it asks back with the likely topics; when
nothing it knows fits (the question router found no topic and no knowledge entry close
enough), it says it does not know, what it can help with, and where to ask."""

from __future__ import annotations

from typing import Any, Collection, Dict, List, Set, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import language_of, response_text
from actions.knowledge import say_dont_know

MAX_SUGGESTIONS = 3
MIN_CONFIDENCE = 0.08
FALLBACK, OUT_OF_SCOPE = "nlu_fallback", "out_of_scope"
TOPIC_PREFIX = "utter_topic_"


def topics_to_offer(ranking: List[Dict[Text, Any]], topic_intents: Collection[str]) -> List[str]:
    """The intents worth offering when asking back: the best-ranked ones with a topic title
    (``topic_intents``: those with an ``utter_topic_<intent>`` response). None when the best
    guess is "none of the topics": then the assistant says it does not know."""
    ranking = [c for c in ranking if c.get("name") != FALLBACK]
    if ranking and ranking[0].get("name") == OUT_OF_SCOPE:
        # the best guess is "none of the topics", only not sure enough to say so (a name in
        # a form drifts there): a topic further down is no better guess
        return []
    topics: List[str] = []
    for candidate in ranking:
        name = str(candidate.get("name"))
        if candidate.get("confidence", 0) < MIN_CONFIDENCE:
            break
        if name in topic_intents:
            topics.append(name)
        if len(topics) == MAX_SUGGESTIONS:
            break
    return topics


def topic_intents(responses: Dict[Text, Any]) -> Set[str]:
    """The intents that have a topic title among the domain's responses."""
    return {name[len(TOPIC_PREFIX):] for name in responses if name.startswith(TOPIC_PREFIX)}


def likely_topics(tracker: Tracker, domain: Dict[Text, Any]) -> List[str]:
    """Intents worth offering for the latest message."""
    return topics_to_offer(tracker.latest_message.get("intent_ranking") or [],
                           topic_intents(domain.get("responses") or {}))


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
            {"title": response_text(domain, f"{TOPIC_PREFIX}{intent}", language), "payload": f"/{intent}"}
            for intent in topics
        ]
        dispatcher.utter_message(response="utter_clarify", buttons=buttons)
        return []
