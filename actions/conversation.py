"""What actions need to know about the conversation: its language, and the texts of the
domain's responses in that language (for button titles)."""

from __future__ import annotations

from typing import Any, Dict, Optional

from rasa_sdk import Tracker

from components import responses
from components.georgian import language_of_events


def language_of(tracker: Tracker) -> str:
    """The language to answer in; the same rule as the Rasa server's NLG."""
    kinds = {"active_loop": ("form", "name"), "user": ("user", "parse_data")}
    return language_of_events(
        (kinds[event["event"]][0], event.get(kinds[event["event"]][1]))
        for event in tracker.events
        if event.get("event") in kinds
    )


def response_text(domain: Dict[str, Any], name: str, language: str) -> Optional[str]:
    """The text of response ``name`` in ``language`` (components/responses.py)."""
    return responses.response_text(domain.get("responses") or {}, name, language)
