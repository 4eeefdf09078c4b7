"""A tokenizer that gives Georgian one spelling, whichever alphabet it was typed in.

Rasa's WhitespaceTokenizer splits the apostrophes of the national romanisation
("p'roekt'i" becomes three tokens) and keeps the letters apart that translit habits mix
up. This tokenizer keeps apostrophes inside words, splits on hyphens ("AVATAR-ის"), and
gives every token the shared spelling of ``components.georgian``: token offsets still
point into the original text, only the token text (what the featurizers see) changes.
It reads the ``writing`` that ``LanguageDetector`` set, so it must come after it.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from components.georgian import normalise_tokens
from components.language_detector import WRITING


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False
)
class GeorgianAwareTokenizer(Tokenizer):
    """Splits into words and spells Georgian the same in both alphabets."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        writing = message.get(WRITING) if attribute == TEXT else None
        tokens = [
            Token(form, start, end, lemma=form)
            for form, start, end in normalise_tokens(message.get(attribute), writing)
        ]
        return self._apply_token_pattern(tokens)
