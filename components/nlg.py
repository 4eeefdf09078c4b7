"""Answers in the language of the user's latest message.

Responses in domain/ carry a Georgian variation (the default) and an English one marked
``metadata: {language: en}`` (components/responses.py). This generator works out the
language from the conversation itself at the moment it answers (the latest user message
whose language ``LanguageDetector`` could tell) and lets Rasa's response templates choose
among that language's variations only (channel-specific ones, conditions and variables as
Rasa does them). Nothing has to set a slot first, so the answer follows the user even
when the action server is down.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActiveLoop, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from components.georgian import DEFAULT_LANGUAGE, language_of_events
from components.responses import by_language, without_marker


def tracker_language(tracker: DialogueStateTracker) -> str:
    """The language the conversation is in now."""
    return language_of_events(
        ("form", event.name) if isinstance(event, ActiveLoop) else ("user", event.parse_data)
        for event in tracker.events
        if isinstance(event, (ActiveLoop, UserUttered))
    )


class LanguageAwareNLG(TemplatedNaturalLanguageGenerator):
    """Rasa's response templates, one set per language, chosen by the conversation."""

    def __init__(
        self, endpoint_config: Optional[EndpointConfig] = None, domain: Optional[Domain] = None
    ) -> None:
        super().__init__((domain or Domain.empty()).responses)

    @property
    def responses(self) -> Dict[Text, List[Dict[Text, Any]]]:
        return self._responses

    @responses.setter
    def responses(self, responses: Dict[Text, List[Dict[Text, Any]]]) -> None:
        # Rasa's agent creates the NLG before a model is loaded and sets the model's
        # responses afterwards (rasa/core/agent.py): split them per language then
        self._responses = responses
        self.per_language = {
            language: TemplatedNaturalLanguageGenerator(per_language)
            for language, per_language in by_language(responses).items()
        }

    async def generate(
        self,
        utter_action: Text,
        tracker: DialogueStateTracker,
        output_channel: Text,
        **kwargs: Any,
    ) -> Optional[Dict[Text, Any]]:
        language = tracker_language(tracker)
        templates = self.per_language.get(language) or self.per_language[DEFAULT_LANGUAGE]
        message = templates.generate_from_slots(
            utter_action, tracker.current_slot_values(), output_channel, **kwargs
        )
        return without_marker(message) if message is not None else None
