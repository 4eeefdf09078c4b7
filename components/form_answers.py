"""Recognises messages that are answers typed into a form, not questions.

1. Plainly data: an email address or a confirmation code. The classifier has never seen
   those and may take "cancel.nino@example.org" for "stop"; they become ``inform`` with
   full confidence, so the form takes them as the answer they are.
2. A free-text answer the classifier reads as a question. While the registration form waits
   for a name or an organisation, "Open Data Lab Veneto" or "Municipality of Thiene" are
   the answer, although their words are those of a question about open data or the partner
   towns. Such a message stays a question only when it looks like one: a question mark, a
   question word ("where", "რა", "sad") or a classifier that is sure of it (at least
   ``min_question_confidence``). Otherwise it becomes ``inform``. The slot is still
   checked by the form's validator, and the summary at the end shows what was taken.
   Chosen on out-of-fold predictions of 3-fold cross-validation over the training data
   (docs/evaluation.md): at 0.8, form answers misread as questions fall from 27 to 9 of
   183, and 4-5 % of questions, were they asked at that point of the form, would be taken
   as the answer (the summary before sending shows it, and "no" there starts over).

The second needs the conversation: Rasa gives an NLU component the tracker when its
``process`` asks for it. Without a conversation (``rasa shell nlu``, ``make evaluate``)
only the first applies.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Sequence, Set, Text

from avatar_shared.codes import is_code_message
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import REQUESTED_SLOT
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.corrections import TELLING_WORDS
from components.georgian import normalised_forms
from components.language_detector import WRITING

INFORM = "inform"
# one word with an "@": an email address, maybe mistyped (the form then says what is wrong)
_EMAIL = re.compile(r"^\s*<?[^\s<>]*@[^\s<>]*>?\s*$")

# Words that make a message a question or a request, in the shared spelling of
# components.georgian (Georgian letters and translit meet there) and in English.
QUESTION_WORDS = frozenset({
    # რა რას რატ რის რისი სად საიდან როდის ვინ ვის ვისი როგორ რატომ რომელი რამდენი ხომ
    "ra", "ras", "rat", "ris", "risi", "sad", "saidan", "rodis", "vin", "vis", "visi", "rogor",
    "ratom", "romeli", "romel", "ramdeni", "ramden", "khom",
    # with "is" or a postposition: რაზეა სადაა როდისაა რამდენია რომელია ვინაა როგორაა რისთვის
    "raze", "razea", "sadaa", "rodisaa", "ramdenia", "romelia", "vinaa", "rogoraa", "ristvis",
    # რაღაა (what is that, then); როდემდე, როდემდეა (until when, until when is it)
    "ragaa", "rodemde", "rodemdea",
    # როგორი / რანაირი (what kind of), როგორია / რანაირია (what is it like), რაა (what is)
    "rogori", "rogoria", "ranairi", "ranairia", "raa",
    # თუ: "ონლაინაა თუ ადგილზე?" (or/whether: an alternative question)
    "tu",
    # ჩამომითვალე მაჩვენე (list, show me); "tell me" in its forms is TELLING_WORDS
    "chamomitvale", "machvene",
    "what", "whats", "where", "wheres", "when", "who", "whos", "whom", "whose", "how", "hows",
    "why", "which", "is", "are", "can", "could", "would", "will", "do", "does", "did",
    "should", "show", "list",
}) | TELLING_WORDS  # "მითხარით", "გთხოვთ მაცნობოთ": asked to be told is asked


QUESTION_MARKS = "?؟？"  # Latin, Arabic, full-width


def is_form_data(text: str) -> bool:
    """An email address (or an attempt at one), or a confirmation code (8 letters and digits, with at least one
    digit, so that an 8-letter word stays a word)."""
    text = text or ""
    return bool(_EMAIL.match(text) or is_code_message(text))


# "ra" after a verb in the imperative softens a request, it does not ask "what":
# "gaauqme ra" (cancel it, will you), "დამარეგისტრირე რა". The imperative ends in -e or -et
# ("-ze" is "on, at": "ghonisdziebaze ra enaze", at the event, in what language); before one
# of these verbs "ra" asks ("amis shemdeg ra unda gavaketo"). After "I am" it is a filler
# too: "პენსიაზე ვარ რა" (I'm retired, you know).
_FILLER_AFTER = frozenset({"var", "vart"})
_QUESTION_VERBS = frozenset({"aris", "ari", "unda", "girs", "ikneba", "khdeba", "mokhdeba", "vkna", "gavaketo"})


# question words "aris" (is) is run into: სადარის / sadaris, როდისარის, რაარის / raris, ვინარის
# (the word itself, and "r" of "raris", which is "ra")
_GLUED_COPULA = frozenset({"sad", "rodis", "ra", "vin", "rogor", "ramden", "ramdeni", "romel", "romeli", "saidan"})
_GLUED_SPELLINGS = {"r": "ra"}
# an English statement turned into a question by its last words: "its free isnt it", "its in
# rome right"
TAG_QUESTIONS = frozenset({("isnt", "it"), ("arent", "they"), ("arent", "we"), ("doesnt", "it"), ("dont", "i"),
                           ("dont", "we"), ("dont", "they"), ("wont", "it"), ("wont", "you"), ("cant", "i")})
# ... or by one word: "its in rome right"
ENGLISH_TAG_WORDS = frozenset({"right"})


def tag_length(forms: Sequence[str], words: Set[str] | frozenset[str] = ENGLISH_TAG_WORDS) -> int:
    """How many of the last ``forms`` are a tag that turns a statement into a question: 2 for
    "isnt it" (TAG_QUESTIONS), 1 for one of ``words`` ("right"), else 0."""
    return 2 if tuple(forms[-2:]) in TAG_QUESTIONS else 1 if forms[-1:] and forms[-1] in words else 0


# "ki kho" (yes, yes) answers; "upasoa kho" (free, right?) asks
_YES_WORDS = frozenset({"ki", "kho", "ho", "diakh", "ok", "kargi", "yes"})


def question_words(forms: Sequence[str], start: int = 0) -> Set[str]:
    """The question words among ``forms`` (the shared spelling), without "ra" the particle;
    from ``start`` on (the words before it only tell a particle from a question word)."""
    found = set()
    for i, form in enumerate(forms):
        if i < start:
            continue
        if form == "kho" and i > 0 and forms[i - 1] not in _YES_WORDS and (i == len(forms) - 1 or forms[i + 1] == "ar"):
            # ხო (right?) as a tag after the question, or before its negation: "upasoa kho"
            # (it's free, right?), "ნომერს სხვას ხო არ გადასცემთ" (you won't pass my number on,
            # will you?); first, it is "yes"
            found.add("khom")
            continue
        if form not in QUESTION_WORDS:
            # "is" run into the word, as phones and hurry do: "sadaris zustad" (where is it
            # exactly), "rodisaris", "raris es"
            stem = form[:-4] if form.endswith("aris") else ""
            if stem in _GLUED_COPULA or stem in _GLUED_SPELLINGS:
                found.add(_GLUED_SPELLINGS.get(stem, stem))
            continue
        if form == "ra" and i > 0 and (forms[i - 1].endswith(("e", "et")) and not forms[i - 1].endswith("ze")
                                       or forms[i - 1] in _FILLER_AFTER) \
                and (i + 1 == len(forms) or forms[i + 1] not in _QUESTION_VERBS):
            continue
        found.add(form)
    if len(forms) - start >= 3 and tag_length(forms):
        found.add(forms[-1])
    return found


def looks_like_a_question(text: str, writing: Optional[str]) -> bool:
    """A question mark (Latin, Arabic, full-width) or a question word."""
    if any(mark in (text or "") for mark in QUESTION_MARKS):
        return True
    return bool(question_words(normalised_forms(text or "", writing)))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class FormAnswerRecognizer(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # the form and the slots it fills with free text
            "free_text_slots": {"registration_form": ["full_name", "affiliation"]},
            # intents a free-text answer keeps: they mean something in the form itself
            "keep_intents": ["stop", "switch_language", "affirm", "deny", "goodbye",
                             "register", "check_registration", "cancel_registration"],
            "min_question_confidence": 0.8,
        }

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.free_text_slots = {form: set(slots) for form, slots in (config.get("free_text_slots") or {}).items()}
        self.keep_intents = set(config.get("keep_intents") or [])
        # a number, or per slot ({full_name: 0.8, affiliation: null}); null: only the look of
        # the message (question mark, question word) makes it a question
        self.min_question_confidence = config["min_question_confidence"]

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "FormAnswerRecognizer":
        return cls({**cls.get_default_config(), **config})

    def _free_text_slot(self, tracker: Optional[DialogueStateTracker]) -> Optional[str]:
        """The free-text slot the form waits for, or None."""
        if tracker is None or not tracker.active_loop_name:
            return None
        slot = tracker.get_slot(REQUESTED_SLOT)
        return slot if slot in self.free_text_slots.get(tracker.active_loop_name, ()) else None

    def _min_confidence(self, slot: Optional[str]) -> Optional[float]:
        if isinstance(self.min_question_confidence, dict):
            value = self.min_question_confidence.get(slot)
            return None if value is None else float(value)
        return float(self.min_question_confidence)

    def _is_free_text_answer(self, message: Message, slot: Optional[str]) -> bool:
        intent = message.get(INTENT) or {}
        name, confidence = intent.get(INTENT_NAME_KEY), intent.get(PREDICTED_CONFIDENCE_KEY) or 0.0
        if name in (None, INFORM) or name in self.keep_intents:
            return False
        threshold = self._min_confidence(slot)
        if threshold is not None and confidence >= threshold:
            return False
        return not looks_like_a_question(message.get(TEXT), message.get(WRITING))

    def process(self, messages: List[Message], tracker: Optional[DialogueStateTracker] = None) -> List[Message]:
        slot = self._free_text_slot(tracker)
        for message in messages:
            if is_form_data(message.get(TEXT)) or (slot and self._is_free_text_answer(message, slot)):
                intent = {INTENT_NAME_KEY: INFORM, PREDICTED_CONFIDENCE_KEY: 1.0}
                message.set(INTENT, intent, add_to_output=True)
                message.set("intent_ranking", [intent], add_to_output=True)
        return messages
