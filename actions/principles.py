"""Explains the one principle of good governance that the user named."""

from __future__ import annotations

import logging
import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.content import ContentError, principle_keywords
from components.georgian import english_form, georgian_skeleton, normalise_tokens

logger = logging.getLogger(__name__)

_NUMBER = re.compile(r"(?<!\d)(1[0-2]|[1-9])(?!\d)")


def find_principle(
    text: str, writing: Optional[str], keywords: Dict[int, Dict[str, list[str]]]
) -> Optional[int]:
    """The number of the principle ``text`` names: by its keywords, else by a number
    from 1 to 12; None when it names none or several equally."""
    forms = [form for form, _, _ in normalise_tokens(text, writing)]
    scores = {}
    for number, words in keywords.items():
        stems = [georgian_skeleton(k) for k in words["ka"]] + [english_form(k) for k in words["en"]]
        score = sum(1 for form in forms if any(form.startswith(stem) for stem in stems))
        if score:
            scores[number] = score
    if scores:
        best = max(scores.values())
        winners = [n for n, s in scores.items() if s == best]
        return winners[0] if len(winners) == 1 else None
    numbers = set(_NUMBER.findall(text))
    return int(numbers.pop()) if len(numbers) == 1 else None


class ActionExplainPrinciple(Action):
    def name(self) -> Text:
        return "action_explain_principle"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        message = tracker.latest_message
        try:
            keywords = principle_keywords()
        except ContentError as error:
            logger.error("Principle keywords unusable: %s", error)
            keywords = {}
        number = find_principle(message.get("text") or "", message.get("writing"), keywords)
        if number is None:
            dispatcher.utter_message(response="utter_principle_unknown")
            dispatcher.utter_message(response="utter_ask_principles")
        else:
            dispatcher.utter_message(response=f"utter_principle_{number}")
        return []
