"""Recognises messages that are plainly data typed into a form: an email address or a
confirmation code. The classifier has never seen those and may take
"cancel.nino@example.org" for "stop"; this component marks them as ``inform`` with full
confidence, so the form takes them as the answer they are.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

INFORM = "inform"
# one word with an "@": an email address, maybe mistyped (the form then says what is wrong)
_EMAIL = re.compile(r"^\s*<?[^\s<>]*@[^\s<>]*>?\s*$")
_CODE = re.compile(r"^\s*[A-HJ-NP-Za-hj-np-z2-9]{4}[\s-]?[A-HJ-NP-Za-hj-np-z2-9]{4}\s*$")


def is_form_data(text: str) -> bool:
    """An email address (or an attempt at one), or a confirmation code (8 letters and digits, with at least one
    digit, so that an 8-letter word stays a word)."""
    text = text or ""
    return bool(_EMAIL.match(text) or (_CODE.match(text) and any(c.isdigit() for c in text)))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class FormAnswerRecognizer(GraphComponent):
    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "FormAnswerRecognizer":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if is_form_data(message.get(TEXT)):
                intent = {INTENT_NAME_KEY: INFORM, PREDICTED_CONFIDENCE_KEY: 1.0}
                message.set(INTENT, intent, add_to_output=True)
                message.set("intent_ranking", [intent], add_to_output=True)
        return messages
