"""Rasa's FallbackClassifier with a higher bar for the intents that end something.

A name typed into the registration form ("Luca Verdi") can come out of the classifier
as `stop` with a confidence of 0.16: enough for the general threshold, and it would end
the form. `intent_thresholds` sets a threshold of its own per intent; below it, the
message becomes `nlu_fallback` (in a form: the answer to the question asked).
"""

from __future__ import annotations

from typing import Any, Dict, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY
from rasa.shared.nlu.training_data.message import Message


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class IntentAwareFallbackClassifier(FallbackClassifier):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**FallbackClassifier.get_default_config(), "intent_thresholds": {}}

    def _should_fallback(self, message: Message) -> bool:
        if super()._should_fallback(message):
            return True
        intent = message.data[INTENT]
        threshold = (self.component_config.get("intent_thresholds") or {}).get(intent.get(INTENT_NAME_KEY))
        return threshold is not None and intent.get(PREDICTED_CONFIDENCE_KEY, 0.0) < threshold
