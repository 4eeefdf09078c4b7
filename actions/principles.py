"""Explains the one principle of good governance that the user named."""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Sequence, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.content import ContentError, principle_keywords
from components.georgian import WRITING_ENGLISH, WRITING_GEORGIAN, normalised_forms, ordinal_number

logger = logging.getLogger(__name__)


def _mentions(forms: Sequence[str], phrase: Sequence[str]) -> bool:
    """True when consecutive words start with the phrase's stems ("long term")."""
    width = len(phrase)
    return any(
        all(forms[i + j].startswith(stem) for j, stem in enumerate(phrase))
        for i in range(len(forms) - width + 1)
    )


def find_principle(text: str, writing: Optional[str], keywords: Dict[int, Dict[str, Any]]) -> Optional[int]:
    """The number of the principle ``text`` names: by its keywords, else by an ordinal
    ("the fifth", "მეხუთე") or a number from 1 to 12; None when it names none, or several
    that no `wins_over` settles."""
    forms = normalised_forms(text, writing)
    named = set()
    for number, words in keywords.items():
        phrases = [normalised_forms(k, WRITING_GEORGIAN) for k in words["ka"]] + [
            normalised_forms(k, WRITING_ENGLISH) for k in words["en"]]
        if any(phrase and _mentions(forms, phrase) for phrase in phrases):
            named.add(number)
    for number in list(named):
        named -= set(keywords[number].get("wins_over", []))
    if len(named) == 1:
        return named.pop()
    if named:
        return None
    return ordinal_number(text, writing)


def explain_principle(dispatcher: CollectingDispatcher, text: str, writing: Optional[str],
                      number: Optional[int] = None) -> None:
    """Explains the principle ``number``, or the one ``text`` names; else lists them all."""
    if number is None:
        try:
            keywords = principle_keywords()
        except ContentError as error:
            logger.error("Principle keywords unusable: %s", error)
            keywords = {}
        number = find_principle(text, writing, keywords)
    if number is None or not 1 <= number <= 12:
        dispatcher.utter_message(response="utter_principle_unknown")
        dispatcher.utter_message(response="utter_ask_principles")
    else:
        dispatcher.utter_message(response=f"utter_principle_{number}")


class ActionExplainPrinciple(Action):
    def name(self) -> Text:
        return "action_explain_principle"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        message = tracker.latest_message
        # a follow-up ("the fourth one?") comes with the number the router read from it
        numbers = [a.get("principle_number") for a in message.get("answers") or [] if a.get("principle_number")]
        explain_principle(dispatcher, message.get("text") or "", message.get("writing"),
                          numbers[0] if numbers else None)
        return []
