"""Feedback on the last answer (issue 13): thumbs up or down in the widget and on
Telegram (/feedback{"rating": "up" | "down"}), or a typed complaint ("that didn't help",
rated down). Kept in the conversation as the slot `feedback`: the rating, the rated
answer's topic (its intent, or the knowledge-base entries it came from) and responses,
the language and the place; never the text of a message. A comment is kept only when the
citizen adds one (the button under a rating down, or "I want to add a comment"): the slot
`feedback_comment`, with e-mail addresses and phone numbers masked. `make missed` lists
the answers rated down, with their comments, beside the messages that were not
understood; `make stats` counts ratings.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from avatar_shared.masking import mask_text
from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import language_of
from actions.places import known_places, place_of

RATINGS = ("up", "down")
SLOT = "feedback"
# the longest comment kept
MAX_COMMENT_CHARS = 1000


def topic_of(parse_data: Dict[str, Any]) -> str:
    """An intent, or "knowledge:" and the entries the answer came from."""
    intent = (parse_data.get("intent") or {}).get("name") or "unknown"
    entries = [a["entry"] for a in parse_data.get("answers") or [] if isinstance(a, dict) and a.get("entry")]
    return f"knowledge:{'+'.join(entries)}" if intent == "ask_knowledge" and entries else intent


def rated_answer(events: List[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    """The answer being rated: the latest user message before this one that was not itself
    feedback, with the responses the assistant gave it."""
    latest_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=None)
    if latest_user is None:
        return None
    for i in range(latest_user - 1, -1, -1):
        event = events[i]
        if event.get("event") != "user":
            continue
        parse_data = event.get("parse_data") or {}
        if ((parse_data.get("intent") or {}).get("name")) == SLOT:
            continue
        responses = [
            (e.get("metadata") or {}).get("utter_action")
            for e in events[i + 1:latest_user]
            if e.get("event") == "bot"
        ]
        return {"topic": topic_of(parse_data), "answer": [r for r in responses if r]}
    return None


def rating_of(message: Dict[str, Any]) -> str:
    """A thumb's rating; a typed complaint, or anything else, is "down"."""
    given = next((str(e.get("value")) for e in message.get("entities") or [] if e.get("entity") == "rating"), "")
    return given if given in RATINGS else "down"


class ActionFeedback(Action):
    """Thanks for the rating (or sorry, with a way to a person), and keeps it."""

    def name(self) -> Text:
        return "action_feedback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        rated, rating = rated_answer(list(tracker.events or [])), rating_of(tracker.latest_message or {})
        dispatcher.utter_message(response=f"utter_feedback_{rating}")
        if rated is None:  # nothing answered yet: nothing to rate
            return []
        place = place_of(tracker, known_places())
        return [SlotSet(SLOT, {"rating": rating, **rated, "language": language_of(tracker),
                               "place": place.id if place else "unknown"})]


class ActionSaveComment(Action):
    """Keeps the comment typed into comment_form, masked, with the rating it explains (or,
    without one, the answer before it), and empties the form's slot."""

    def name(self) -> Text:
        return "action_save_comment"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        text = str(tracker.get_slot("comment_text") or "").strip()
        if not text or text.startswith("/"):
            dispatcher.utter_message(response="utter_comment_not_saved")
            return [SlotSet("comment_text", None)]
        rated = tracker.get_slot(SLOT) or rated_answer(list(tracker.events or [])) or {}
        dispatcher.utter_message(response="utter_comment_saved")
        return [SlotSet("comment_text", None),
                SlotSet("feedback_comment", {"comment": mask_text(text)[:MAX_COMMENT_CHARS],
                                             "rating": rated.get("rating"), "topic": rated.get("topic")})]
