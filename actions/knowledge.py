"""Answers from the knowledge base, several answers to one message, and an honest
"I don't know" with somewhere to turn.

The question router (components.router, in the Rasa process) puts what a message asks
for into its parse data as ``answers``: ``{"entry": id}`` for a knowledge-base entry,
``{"intent": name}`` for one of the built topics. ``action_answer`` says each of them, in
order, in one reply. Entries are read from content/knowledge/ and the event's facts from
content/events.yml, both re-read when they change: no retraining, no restart.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.content import Event, where_to_ask
from actions.conversation import language_of, response_text
from actions.event import EVENT_INTENTS, answer_event, event_or_apology
from actions.places import note_place, say_place_facts
from actions.principles import explain_principle
from components import knowledge

logger = logging.getLogger(__name__)

_knowledge = knowledge.KnowledgeBase(knowledge.knowledge_dir())


def entries() -> Dict[str, knowledge.Entry]:
    return _knowledge.entries_or_last(
        on_error=lambda error: logger.error("Knowledge base not reloaded, keeping the last good one: %s", error))


def registration_status(event: Event, domain: Dict[Text, Any], language: str) -> str:
    if not event.is_registration_open():
        return response_text(domain, "utter_registration_status_closed", language) or ""
    deadline = event.deadline(language)
    if deadline:
        return (response_text(domain, "utter_registration_status_open_until", language) or "").format(deadline=deadline)
    return response_text(domain, "utter_registration_status_open", language) or ""


def render_entry(entry: knowledge.Entry, event: Event, domain: Dict[Text, Any], language: str) -> Dict[str, Any]:
    """The entry's answer as a message: text (with its links) and buttons."""
    values = {
        "title": event.title[language],
        "dates": event.dates(language),
        "venue": event.venue[language],
        "ask": event.where_to_ask(language),
        "registration_status": registration_status(event, domain, language),
        "fact": "",
    }
    template = entry.answer[language]
    if entry.fact:
        fact = event.fact(entry.fact, language)
        if fact:
            values["fact"] = fact
        else:
            template = (entry.unknown or entry.answer)[language]
    text = template.format(**values)
    for link in entry.links:
        text += f"\n{link.title[language]}: {link.url}"
    buttons = []
    if entry.register_button and event.is_registration_open():
        buttons.append({"title": response_text(domain, "utter_button_register_now", language), "payload": "/register"})
    for intent in entry.buttons:
        buttons.append({"title": response_text(domain, f"utter_topic_{intent}", language), "payload": f"/{intent}"})
    return {"text": text, "buttons": buttons}


def say_dont_know(dispatcher: CollectingDispatcher, language: str) -> None:
    dispatcher.utter_message(response="utter_dont_know", ask=where_to_ask(language))


def answer_item(item: Dict[str, Any], dispatcher: CollectingDispatcher, tracker: Tracker,
                domain: Dict[Text, Any], language: str) -> None:
    """Says one answer: a knowledge entry, or a built topic's own answer."""
    if "entry" in item:
        entry = entries().get(item["entry"])
        if entry is None:  # removed since the router chose it
            say_dont_know(dispatcher, language)
            return
        event = event_or_apology(dispatcher)
        if event is not None:
            dispatcher.utter_message(**render_entry(entry, event, domain, language))
        return
    intent = item.get("intent")
    if intent in EVENT_INTENTS:
        answer_event(intent, dispatcher, language)
    elif intent == "ask_principle":
        message = tracker.latest_message
        explain_principle(dispatcher, message.get("text") or "", message.get("writing"), item.get("principle_number"))
    elif intent and f"utter_{intent}" in (domain.get("responses") or {}):
        dispatcher.utter_message(response=f"utter_{intent}")
        # a digital-services topic: the citizen's place's own links, if a place is known
        say_place_facts(dispatcher, tracker, intent, language, ask_for_place=False)
    else:
        say_dont_know(dispatcher, language)


# intents action_answer says itself, beside those with an utter_<intent> response
SAID_BY_ACTION_ANSWER = EVENT_INTENTS | {"ask_principle", "tell_place"}
# ... and those never one answer among several (scripts/check_data.py checks the rest)
NEVER_AMONG_SEVERAL = frozenset({"out_of_scope", "nlu_fallback", "ask_knowledge", "inform"})
# intents whose answer is an action of its own, not a response (data/rules/)
FOLLOW_UP_ACTIONS = {
    "register": "registration_form",
    "check_registration": "registration_lookup_form",
    "cancel_registration": "cancellation_form",
    "leave_message": "message_form",
    "add_comment": "comment_form",
    "feedback": "action_feedback",
    "ask_contact": "action_contact",
}


class ActionAnswer(Action):
    """Every answer the message asked for, in order."""

    def name(self) -> Text:
        return "action_answer"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        language = language_of(tracker)
        answers: List[Dict[str, Any]] = tracker.latest_message.get("answers") or []
        answers = [a for a in answers if not a.get("abstain")] or [{"abstain": True}]
        # an action of its own (a form, the contact, feedback) comes after the other answers
        # ("hello, I'm from Kutaisi and I'd like to register": the greeting, the place, then
        # the form's first question); one only, and not inside a form already running
        acting = [a for a in answers if a.get("intent") in FOLLOW_UP_ACTIONS]
        follow_up = FOLLOW_UP_ACTIONS[acting[0]["intent"]] if acting and not (tracker.active_loop or {}).get("name") else None
        if follow_up:
            # a goodbye before a form is no goodbye ("I'd like to leave a message. bye")
            answers = [a for a in answers if a.get("intent") not in FOLLOW_UP_ACTIONS and a.get("intent") != "goodbye"]
        for i, item in enumerate(answers):
            if item.get("abstain"):
                say_dont_know(dispatcher, language)
            elif item.get("intent") == "thank" and i < len(answers) - 1:
                # "thanks, and is it free?", "thanks, bye": no "anything else?" before the rest
                dispatcher.utter_message(response="utter_you_are_welcome")
            elif item.get("intent") == "tell_place":
                note_place(dispatcher, tracker, language)  # a place it does not know: the rest answers
            else:
                answer_item(item, dispatcher, tracker, domain, language)
        return [FollowupAction(follow_up)] if follow_up else []


class ActionDontKnow(Action):
    """Out of scope: says so, says what it can help with, and where to ask."""

    def name(self) -> Text:
        return "action_dont_know"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        say_dont_know(dispatcher, language_of(tracker))
        return []
