"""Tells, for every message, the way it is written and the language to answer in.

- Any Georgian letter: Georgian ("Faber Box სადაა?" is a Georgian question).
- Latin letters: English, or Georgian typed in Latin letters. A character n-gram naive
  Bayes model tells them apart. It learns from the training data itself: every NLU block
  carries ``metadata: {lang: ka | ka-Latn | en}``, so a maintainer's new examples teach it
  too.
- A short explicit request ("English please", "ქართულად") sets the language asked for.

It sets two message attributes, both in the parse result:
``writing`` (ka, ka-Latn, en; what the tokenizer needs) and ``language`` (ka, en, or
None when the message is too short or mixed to tell; the conversation then keeps its
language).

A word in Latin letters inside a Georgian-script message, that the same model is sure is
Georgian ("registracia ჯერ ღიაა?", is registration still open?; "ვიზა mchirdeba?"), is
written in Georgian letters before the rest of the pipeline reads the message, so that it
is read as the Georgian word it is, not as an English one nobody knows. English words
("online", "deadline", "hotel") and names with a capital ("Faber Box") stay as typed; so
does everything typed in a form. The conversation keeps the message as typed
(``text_as_typed``, as for a correction).
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any, Dict, List, Optional, Text

import numpy as np
from avatar_shared.masking import EMAIL
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.naive_bayes import MultinomialNB

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.shared.nlu.constants import METADATA, METADATA_INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.georgian import (
    ENGLISH_IN_TRANSLIT,
    LANGUAGE_OF_WRITING,
    WRITING_ENGLISH,
    WRITING_GEORGIAN,
    WRITING_TRANSLIT,
    WRITINGS,
    georgian_share,
    requested_language,
    without_chat_addressing,
)
from components.georgian_script import GeorgianScriptConverter

logger = logging.getLogger(__name__)

WRITING = "writing"
LANGUAGE = "language"
LANGUAGE_REQUESTED = "language_requested"
MODEL_FILE = "latin_writing_model.json"
MIN_EXAMPLES_PER_WRITING = 5
AS_TYPED = "text_as_typed"  # the message as typed, when the pipeline reads it otherwise
# how sure the writing model must be that a Latin word in a Georgian message is Georgian
TRANSLIT_WORD_PROBABILITY = 0.99
_LATIN_WORD = re.compile(r"(?<![\w'])[a-z][a-zA-Z']{2,}(?![\w'])")
# Latin words that Georgian letters would misread: "visa" is ვისა (whose) in Georgian letters
KEEP_LATIN = frozenset({"visa"})
_LETTERS = GeorgianScriptConverter.from_texts([])  # letter by letter, without a lexicon


class MissingWritingLabels(RasaException):
    """The training data does not say which examples are English and which translit."""


def writing_label(message: Message) -> Optional[str]:
    """The ``lang`` metadata of a training example's block (or of the example itself)."""
    metadata = message.get(METADATA) or {}
    for level in ("example", METADATA_INTENT):
        label = (metadata.get(level) or {}).get("lang")
        if label in WRITINGS:
            return label
    return None


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=True
)
class LanguageDetector(GraphComponent):
    """Detects the writing and the language of each message."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # share of Georgian letters from which a message counts as Georgian script: any
            # Georgian letter ("Faber Box სადაა?": a Georgian question with Latin names)
            "georgian_share": 0.0,
            # below this probability a Latin message's language is left undecided
            "min_confidence": 0.8,
            "ngram_range": [1, 4],
            "alpha": 0.3,
        }

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        vectorizer: Optional[CountVectorizer] = None,
        classifier: Optional[MultinomialNB] = None,
    ) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._vectorizer = vectorizer
        self._classifier = classifier
        self._lexicon: List[str] = []
        self._letters = _LETTERS

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "LanguageDetector":
        return cls(config, model_storage, resource)

    # --- training ---------------------------------------------------------------------

    def train(self, training_data: TrainingData) -> Resource:
        texts, labels = [], []
        for example in training_data.intent_examples:
            label = writing_label(example)
            if label in (WRITING_ENGLISH, WRITING_TRANSLIT):
                texts.append(example.get(TEXT))
                labels.append(label)
        for label in (WRITING_ENGLISH, WRITING_TRANSLIT):
            if labels.count(label) < MIN_EXAMPLES_PER_WRITING:
                raise MissingWritingLabels(
                    f"LanguageDetector needs at least {MIN_EXAMPLES_PER_WRITING} NLU "
                    f"examples tagged 'lang: {label}', found {labels.count(label)}. Put "
                    f"each way of writing in its own block with 'metadata: {{lang: ...}}' "
                    f"(see docs/maintainers.md)."
                )
        vectorizer = self._new_vectorizer()
        classifier = MultinomialNB(alpha=self._config["alpha"])
        classifier.fit(vectorizer.fit_transform(texts), labels)
        self._vectorizer, self._classifier = vectorizer, classifier
        # the Georgian words of the training data: a Latin word is written as the Georgian
        # word it spells ("italiashi": იტალიაში, not ითალიაში letter by letter)
        self._lexicon = [example.get(TEXT) for example in training_data.intent_examples
                         if example.get(TEXT) and (georgian_share(example.get(TEXT)) or 0.0) > 0.5]
        self._letters = GeorgianScriptConverter.from_texts(self._lexicon)
        self._persist()
        return self._resource

    def _new_vectorizer(self, vocabulary: Optional[Dict[str, int]] = None) -> CountVectorizer:
        return CountVectorizer(
            analyzer="char_wb",
            ngram_range=tuple(self._config["ngram_range"]),
            lowercase=True,
            vocabulary=vocabulary,
        )

    def _persist(self) -> None:
        assert self._vectorizer is not None and self._classifier is not None, "trained before persisted"
        state = {
            "vocabulary": {k: int(v) for k, v in self._vectorizer.vocabulary_.items()},
            "classes": list(self._classifier.classes_),
            "class_log_prior": self._classifier.class_log_prior_.tolist(),
            "feature_log_prob": self._classifier.feature_log_prob_.tolist(),
            "lexicon": self._lexicon,
        }
        with self._model_storage.write_to(self._resource) as directory:
            (directory / MODEL_FILE).write_text(json.dumps(state), encoding="utf-8")

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "LanguageDetector":
        detector = cls(config, model_storage, resource)
        try:
            with model_storage.read_from(resource) as directory:
                state = json.loads((directory / MODEL_FILE).read_text(encoding="utf-8"))
        except (ValueError, FileNotFoundError):
            logger.warning("LanguageDetector has no trained model; Latin text counts as English.")
            return detector
        detector._vectorizer = detector._new_vectorizer(state["vocabulary"])
        classifier = MultinomialNB(alpha=config["alpha"])
        classifier.classes_ = np.array(state["classes"])
        classifier.class_log_prior_ = np.array(state["class_log_prior"])
        classifier.feature_log_prob_ = np.array(state["feature_log_prob"])
        classifier.n_features_in_ = len(state["vocabulary"])
        detector._classifier = classifier
        detector._lexicon = state.get("lexicon", [])
        detector._letters = GeorgianScriptConverter.from_texts(detector._lexicon)
        return detector

    # --- detection --------------------------------------------------------------------

    def detect(self, text: str) -> tuple[Optional[str], Optional[str], bool]:
        """(writing, language, whether the language was asked for explicitly);
        language is None when undecided."""
        requested = requested_language(text)
        # an e-mail address is no language ("nino.beridze88@gmail.com am i registered??" is
        # English, though "nino beridze" would pass for Georgian in Latin letters; typed alone
        # into the form, it leaves the conversation's language as it was)
        text = EMAIL.sub(" ", text)
        share = georgian_share(text)
        if share is None:
            return None, requested, requested is not None
        words = _LATIN_WORD.findall(text.lower())
        if share > 0 and share >= self._config["georgian_share"]:
            writing, confident = WRITING_GEORGIAN, True
        elif share == 0 and len(words) == 1 and words[0] in ENGLISH_IN_TRANSLIT | KEEP_LATIN:
            # one English word Georgian chat borrows, alone ("visa??", "hotel?"): English,
            # though Georgian spells "visa" the same (ვისა, whose)
            writing, confident = WRITING_ENGLISH, True
        elif self._classifier is None or self._vectorizer is None:
            writing, confident = WRITING_ENGLISH, True
        else:
            probabilities = self._classifier.predict_proba(self._vectorizer.transform([text]))[0]
            best = int(np.argmax(probabilities))
            writing = str(self._classifier.classes_[best])
            confident = probabilities[best] >= self._config["min_confidence"]
        language = requested or (LANGUAGE_OF_WRITING[writing] if confident else None)
        return writing, language, requested is not None

    def in_georgian_letters(self, text: str) -> Optional[str]:
        """A Georgian-script message with its Georgian words typed in Latin letters written in
        Georgian letters (see the module's docstring); None if it has none."""
        if self._classifier is None or self._vectorizer is None:
            return None
        words = [m for m in _LATIN_WORD.finditer(text)
                 if m.group().lower() not in ENGLISH_IN_TRANSLIT and m.group().lower() not in KEEP_LATIN]
        if not words:
            return None
        georgian = list(self._classifier.classes_).index(WRITING_TRANSLIT)
        probabilities = self._classifier.predict_proba(self._vectorizer.transform([m.group() for m in words]))[:, georgian]
        out, last = [], 0
        for match, probability in zip(words, probabilities, strict=True):
            if probability >= TRANSLIT_WORD_PROBABILITY:
                out += [text[last:match.start()], self._letters.convert_token(match.group())]
                last = match.end()
        return "".join(out) + text[last:] if out else None

    def process(self, messages: List[Message], tracker: Optional[DialogueStateTracker] = None) -> List[Message]:
        in_a_form = tracker is not None and bool(tracker.active_loop_name)
        for message in messages:
            typed = message.get(TEXT) or ""
            text = without_chat_addressing(typed)
            writing, language, requested = self.detect(text)
            message.set(WRITING, writing, add_to_output=True)
            message.set(LANGUAGE, language, add_to_output=True)
            message.set(LANGUAGE_REQUESTED, requested, add_to_output=True)
            if writing == WRITING_GEORGIAN and not in_a_form and not text.startswith("/"):
                text = self.in_georgian_letters(text) or text
            if text != typed:
                message.set(AS_TYPED, typed, add_to_output=True)
                message.set(TEXT, text)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            if not example.get(TEXT):
                continue
            label = writing_label(example)
            if label:
                example.set(WRITING, label)
                example.set(LANGUAGE, LANGUAGE_OF_WRITING[label])
            else:
                writing, language, requested = self.detect(example.get(TEXT))
                example.set(WRITING, writing)
                example.set(LANGUAGE, language)
                example.set(LANGUAGE_REQUESTED, requested)
        return training_data
