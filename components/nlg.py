"""Answers in the language of the user's latest message.

Responses in domain.yml carry a Georgian variation (the default) and an English one with
``condition: [{type: slot, name: language, value: en}]``. This generator works out that
language from the conversation itself at the moment it answers (the latest user message
whose language ``LanguageDetector`` could tell) and hands it to Rasa's response
templates as the value of ``language``. Nothing has to set a slot first, so the answer
follows the user even when the action server is down.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Text

from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActiveLoop, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from components.georgian import language_of_events

LANGUAGE_SLOT = "language"


def tracker_language(tracker: DialogueStateTracker) -> str:
    """The language the conversation is in now."""
    return language_of_events(
        ("form", event.name) if isinstance(event, ActiveLoop) else ("user", event.parse_data)
        for event in tracker.events
        if isinstance(event, (ActiveLoop, UserUttered))
    )


class LanguageAwareNLG(TemplatedNaturalLanguageGenerator):
    """Rasa's response templates, with ``language`` taken from the conversation."""

    def __init__(
        self, endpoint_config: Optional[EndpointConfig] = None, domain: Optional[Domain] = None
    ) -> None:
        super().__init__((domain or Domain.empty()).responses)

    async def generate(
        self,
        utter_action: Text,
        tracker: DialogueStateTracker,
        output_channel: Text,
        **kwargs: Any,
    ) -> Optional[Dict[Text, Any]]:
        filled_slots = {**tracker.current_slot_values(), LANGUAGE_SLOT: tracker_language(tracker)}
        return self.generate_from_slots(utter_action, filled_slots, output_channel, **kwargs)
