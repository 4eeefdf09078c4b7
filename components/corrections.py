"""Reads a citizen's correction as the question it corrects to.

Citizens narrow a question after an answer: "not when, where", "sorry i meant the hotel
not the venue", "სასტუმრო კი არა, ფაბერ ბოქსის მისამართი" (not the hotel, Faber Box's
address), "i dont want to register i only want to know if its free". Read whole, such a
message is half about what it turns away from: the classifier heard "no", the hotel, or a
request to register. This component, right after the language detector, hands the rest of
the pipeline only what the message asks for, so the classifier, the sentence vector and the
router all read "where", "the hotel", "ფაბერ ბოქსის მისამართი", "i only want to know if its
free".

What it takes for a correction (in the shared spelling of ``components.georgian``, so
Georgian letters and translit meet):

- "X კი არა (,) Y" / "X ki ara Y" and "Y, X კი არა": the clause with X goes;
- "არა X, არამედ Y" / "not X but Y": everything up to "არამედ" / "but" goes;
- "not X, Y" at the head of a clause (after "no", "sorry", "i mean"), "არა X, Y" likewise;
- "Y not X" at the end of a clause, where "not" follows no verb or pronoun ("is it free or
  not", "i can not come" and "i'm not sure" are no corrections);
- "I don't want X, I only / just want Y", "X არ მინდა, მხოლოდ / უბრალოდ Y": from "only" on;
- "X ვიგულისხმე (Y კი არა)" / "X vigulisxme ara Y" (I meant X, not Y): X;
- a leading "sorry", "i meant", "ბოდიში" in front of what is left;
- a first clause of courtesy alone ("excuse me, sorry to bother you", "ბოდიშით რომ
  გაწუხებთ") in front of the question;
- "no, sorry" opening a later clause ("where is it... no sorry, the hotel I mean"): the
  clauses before it;
- a last clause that only says how to answer ("yes or no, tell me", "explain simple pls").

Something must be left, and in a form nothing is changed (a name is a name). The text as
typed stays in the parse result as ``text_as_typed``; ``QuestionRouter``, the last
component that reads the words, puts it back as the message's text, so the conversation
shows what the citizen typed.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Sequence, Text, Tuple

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.georgian import normalise_tokens, squeezed
from components.language_detector import AS_TYPED, WRITING

# what may stand before a corrected clause: "no", "sorry", "i mean(t)" (shared spelling, English)
APOLOGIES = frozenset({"sorry", "sory", "sorri", "oops", "no", "nope", "bodishi", "ukatsravad", "mapatie", "ara"})
# Georgian puts what was meant first: "სასტუმრო ვიგულისხმე" / "sastumro vigulisxme" (I meant the hotel)
MEANT_AFTER = frozenset({"viguliskhme", "vguliskhmob", "vguliskhmobdi", "vigulisxme", "vgulisxmob", "vgulisxmobdi"})
I_MEANT = frozenset({"mean", "meant", "ment"}) | MEANT_AFTER
# "not" after these is an ordinary negation, not a correction: "is it free or not", "i'm not sure"
ORDINARY_NOT = frozenset({
    "is", "are", "am", "was", "were", "be", "do", "does", "did", "can", "could", "will", "would", "should",
    "must", "may", "might", "have", "has", "had", "i", "im", "you", "we", "they", "it", "its", "he", "she",
    "or", "why", "if", "whether", "but", "and", "still", "just", "really", "that", "me", "so", "yet",
    "probably", "maybe", "hopefully", "definitely", "certainly", "please", "pls", "youre", "theyre",
    "thats", "this", "whats", "wasnt", "isnt",  # "thats not what i asked" says the answer was wrong
})
# what "not" ending a clause never corrects: "not sure", "not yet", "not at all"
NOT_A_THING = frozenset({"sure", "yet", "at", "really", "able", "to", "going", "gonna", "much", "bad", "good",
                         "working", "clear", "possible", "free", "registered", "open"})
# a clause of nothing but courtesy in front of the question: "excuse me, sorry to bother you",
# "ბოდიშით რომ გაწუხებთ" / "bodishi ro gawuxebt" (sorry to trouble you)
COURTESY = frozenset({"excuse", "me", "sorry", "sory", "to", "bother", "bothering", "disturb", "disturbing", "for",
                      "you", "again", "bodishi", "bodishit", "rom", "ro", "gatsukhebt", "shegatsukhet",
                      "gatsukheb", "ukatsravad", "vtsukhvar"})
# ... with a word that says so (not "sorry" alone, which may open a correction)
TROUBLING = frozenset({"bother", "bothering", "disturb", "disturbing", "excuse", "gatsukhebt", "shegatsukhet",
                       "gatsukheb", "ukatsravad"})
# "no, sorry" opening a clause takes back everything before it: "ღონისძიება სად არის... არა
# ბოდიში, სასტუმრო მაინტერესებს" (where is the event... no, sorry, I mean the hotel)
TAKING_BACK = frozenset({"no", "nope", "ara"})
# ... and "no, wait" ("არა მოიცა", "no wait")
WAITING = frozenset({"wait", "moitsa", "moitsade", "mokhitsa", "daitsa", "daitsadet"})
# words that say how to answer, not what (shared spelling, English): "explain simple pls",
# "what does it mean", "მოკლედ მითხარი" (tell me in short), "კი ან არა" (yes or no)
MANNER_WORDS = frozenset({
    "explain", "simple", "simply", "simpler", "easy", "short", "shortly", "brief", "briefly", "please", "tell", "me",
    "us", "yes", "or", "no", "in", "words", "detail", "details", "more", "what", "means", "mean", "it", "that", "this",
    "does", "do", "quickly", "pls", "plz", "ki", "an", "ara", "mitkhari", "mitkharit", "mitkhrat", "amikhseni", "amikhsenit",
    "amikhsnat", "martivad", "mokled", "detalurad", "gtkhovt", "ubralod", "nishnavs", "es", "eg", "ras", "kho", "ho",
})
ONLY = frozenset({"only", "just", "mxolod", "mkholod", "ubralod"})
# words that ask to be told ("tell me", "მითხარი", "მაცნობეთ"): a question worded as a request
TELLING_WORDS = frozenset({"tell", "inform", "explain", "matsnobot", "matsnobet", "matsnobe", "mitkhrat",
                           "shematkobinet", "shematkobine", "mitkharit", "mitkhari", "amikhsenit", "amikhseni",
                           "ganmimartet", "ganmimarte"})
WANTING = frozenset({"want", "wanna", "need", "asking", "minda", "mchirdeba", "vapireb", "gvinda"})
WANT_NEGATIONS = frozenset({"dont", "not", "ar", "doesnt"})
_BOUNDARY = re.compile(r"[,.;:!?…\n]")
MAX_CORRECTED_WORDS = 4


def corrected(text: str, writing: Optional[str]) -> Optional[str]:
    """What the message asks once what it turns away from is gone; None if it corrects
    nothing (or nothing would be left). A "just tell me" in front of what is left goes too
    ("არ მინდა რეგისტრაცია უბრალოდ მითხარი უფასოა თუ ფულიანი", I don't want to register, just
    tell me whether it's free or paid: "უფასოა თუ ფულიანი")."""
    question = _corrected(text, writing)
    plain = _without_just_tell(question if question is not None else text, writing)
    return plain if plain != text else question


def _without_just_tell(text: str, writing: Optional[str]) -> str:
    """``text`` without a leading "just tell me" (`ONLY`, then `TELLING_WORDS`), when a
    question of at least two words follows."""
    tokens = normalise_tokens(text, writing)
    if len(tokens) < 4 or tokens[0][0] not in ONLY or tokens[1][0] not in TELLING_WORDS:
        return text
    k = 3 if tokens[2][0] in ("me", "us") else 2
    return text[tokens[k][1]:] if len(tokens) - k >= 2 else text


def _corrected(text: str, writing: Optional[str]) -> Optional[str]:
    tokens = normalise_tokens(text, writing)
    forms = [form for form, _, _ in tokens]
    if len(forms) < 2:
        return None
    clause = _clause_starts(text, tokens)
    manner = _manner_after(forms, clause)
    if manner is not None:
        # "რეგისტრაცია ჯერ ღიაა? კი ან არა მითხარი" (is registration still open? yes or no,
        # tell me): the question, without how to answer it
        question = text[:tokens[manner][1]].rstrip(" ,;:-")
        return corrected(question, writing) or question
    taken_back = _taken_back(forms, clause)
    if taken_back is not None:
        taken = _without_apology(text[tokens[taken_back + 1][1]:], writing)
        return corrected(taken, writing) or taken
    courtesy = _courtesy_in_front(forms, clause)
    if courtesy is not None:
        question = text[tokens[courtesy][1]:]
        return corrected(question, writing) or question
    said_first = _meant_first(forms, clause)
    if said_first is not None:
        # what was meant, and then what it turns away from, if said in a clause of its own
        rest = _rest(text, tokens, *said_first, writing)
        return (corrected(rest, writing) or rest) if rest else None
    cut = _cut(forms, clause)
    if cut is None:
        # "sorry i meant the hotel", "ვგულისხმობ სასტუმროს": what was meant
        meant = _without_apology(text, writing)
        return meant if meant != text and ("i" in forms[:3] or not MEANT_AFTER.isdisjoint(forms[:3])) else None
    # ... and what is left may correct itself again: "არა მოიცა, რეგისტრაცია არ მინდა, მხოლოდ
    # თარიღი მაინტერესებდა" (no wait, I don't want to register, only the date interested me)
    rest = _rest(text, tokens, *cut, writing)
    return (corrected(rest, writing) or rest) if rest else None


def _rest(text: str, tokens: Sequence[Tuple[str, int, int]], start: int, end: int,
          writing: Optional[str]) -> Optional[str]:
    """``text`` without its words from ``start`` up to ``end``, and without a leading apology."""
    head = text[:tokens[start][1]] if start > 0 else ""
    tail = text[tokens[end][1]:] if end < len(tokens) else ""
    # the clauses' boundary stays where the words between went: "სასტუმრო, შენობა კი არა"
    between = text[tokens[end - 1][2]:tokens[end][1]] if end < len(tokens) else ""
    joint = ", " if _BOUNDARY.search(between) and not _BOUNDARY.search(head.rstrip()[-1:]) else " "
    rest = (head.rstrip() + joint + tail.lstrip(" ,;:-")).strip(" ,;:-") if head.strip() else tail.strip()
    rest = _without_apology(rest, writing)
    return rest if rest and normalise_tokens(rest, writing) else None


def _clause_starts(text: str, tokens: Sequence[Tuple[str, int, int]]) -> List[bool]:
    """For each word: whether a clause starts there (the first word, or punctuation before it)."""
    return [i == 0 or bool(_BOUNDARY.search(text[tokens[i - 1][2]:start]))
            for i, (_, start, _) in enumerate(tokens)]


def _clause_of(i: int, clause: Sequence[bool]) -> Tuple[int, int]:
    """The word range of the clause word ``i`` is in."""
    start = max(k for k in range(i + 1) if clause[k])
    end = next((k for k in range(i + 1, len(clause)) if clause[k]), len(clause))
    return start, end


def _cut(forms: Sequence[str], clause: Sequence[bool]) -> Optional[Tuple[int, int]]:
    """The words to drop (from, up to but not including), if the message corrects itself."""
    n = len(forms)
    for i in range(n - 1):
        # "X კი არა (,) Y" / "Y, X კი არა"
        if forms[i] == "ki" and forms[i + 1] == "ara" and i > 0 and not clause[i]:
            start, end = _clause_of(i, clause)
            if i + 2 < end:  # "sastumro ki ara faber boxis misamarti": Y in the same clause
                return _keep_something(start, i + 2, n)
            return _keep_something(start, end, n)  # "sad, rodis ki ara" or "სასტუმრო კი არა, მისამართი"
    for i, form in enumerate(forms):
        # "არა X, არამედ Y" / "not X but Y"
        if form in ("aramed", "but") and i > 0 and any(f in ("ara", "not") for f in forms[:i]):
            first_not = next(k for k in range(i) if forms[k] in ("ara", "not"))
            start, _ = _clause_of(first_not, clause)
            if _leads_a_clause(forms, first_not, start) and i - first_not - 1 <= MAX_CORRECTED_WORDS:
                return _keep_something(start, i + 1, n)
    for i, form in enumerate(forms):
        if form not in ("not", "ara"):
            continue
        start, end = _clause_of(i, clause)
        corrected_words = end - i - 1
        if _leads_a_clause(forms, i, start) and 1 <= corrected_words <= MAX_CORRECTED_WORDS and end < n \
                and forms[i + 1] not in NOT_A_THING:
            # "not the price, the date", "no not when, where", "ara rodis, sad"
            return _keep_something(start, end, n)
        if form == "not" and i > start and forms[i - 1] not in ORDINARY_NOT and 1 <= corrected_words <= MAX_CORRECTED_WORDS \
                and forms[i + 1] not in NOT_A_THING and end == n:
            # "i meant the hotel not the venue"
            return _keep_something(i, end, n)
    # "i dont want to register i only want to know if its free"
    negated_want = [i for i in range(n - 1) if forms[i] in WANT_NEGATIONS and WANTING & set(forms[i + 1:i + 3])]
    if negated_want:
        only = next((k for k in range(negated_want[0] + 2, n) if forms[k] in ONLY), None)
        if only is not None and only + 1 < n:
            start = only - 1 if forms[only - 1] in ("i", "we", "me") else only
            return _keep_something(_clause_of(negated_want[0], clause)[0], start, n)
    return None


def _manner_after(forms: Sequence[str], clause: Sequence[bool]) -> Optional[int]:
    """Where a last clause that only says how to answer starts (see MANNER_WORDS), after a
    clause with a word of its own; None if there is none."""
    starts = [k for k in range(1, len(forms)) if clause[k]]
    if not starts or not MANNER_WORDS.issuperset(forms[starts[-1]:]) or MANNER_WORDS.issuperset(forms[:starts[-1]]):
        return None
    return starts[-1]


def _taken_back(forms: Sequence[str], clause: Sequence[bool]) -> Optional[int]:
    """Where a clause opened by "no, sorry" starts, after a clause it takes back (see
    TAKING_BACK); None if there is none, or nothing would be left."""
    for i in range(1, len(forms) - 2):
        # "no, sorry", "no wait", or "no," alone between two clauses ("როდის არის? არა, სად
        # არის?", when is it? no, where is it?)
        if clause[i] and forms[i] in TAKING_BACK and (forms[i + 1] in (APOLOGIES | WAITING) - TAKING_BACK
                                                      or clause[i + 1]):
            return i
    return None


def _courtesy_in_front(forms: Sequence[str], clause: Sequence[bool]) -> Optional[int]:
    """Where the question starts after a first clause of courtesy alone (see COURTESY)."""
    end = next((k for k in range(1, len(forms)) if clause[k]), None)
    if end is None or not COURTESY.issuperset(forms[:end]) or TROUBLING.isdisjoint(forms[:end]) \
            or (COURTESY | APOLOGIES).issuperset(forms[end:]):
        return None
    return end


def _meant_first(forms: Sequence[str], clause: Sequence[bool]) -> Optional[Tuple[int, int]]:
    """"X ვიგულისხმე, Y კი არა" / "sastumro vigulisxme ara shenoba": the clause from the
    verb on goes (with what it turns away from), X stays."""
    for i, form in enumerate(forms):
        if form in MEANT_AFTER:
            start, end = _clause_of(i, clause)
            before = [f for f in forms[start:i] if f not in APOLOGIES and f not in ("ra", "ras", "what")]
            if before:
                return _keep_something(i, end, len(forms))
    return None


def _leads_a_clause(forms: Sequence[str], i: int, start: int) -> bool:
    """Whether word ``i`` opens its clause, after nothing but "no", "sorry", "i mean"."""
    return all(form in APOLOGIES or form in I_MEANT or form == "i" for form in forms[start:i])


def _keep_something(start: int, end: int, n: int) -> Optional[Tuple[int, int]]:
    return (start, end) if end - start < n and start < end else None


def _without_apology(text: str, writing: Optional[str]) -> str:
    """``text`` without a leading "sorry", "wait", "i meant", "ბოდიში" (what is left is the
    question)."""
    tokens = normalise_tokens(text, writing)
    k = 0
    while k < len(tokens) - 1 and (tokens[k][0] in (APOLOGIES | WAITING) - TAKING_BACK or tokens[k][0] in I_MEANT
                                   or tokens[k][0] == "i" and tokens[k + 1][0] in I_MEANT
                                   # "no wait", "არა მოიცაა" (no, waaait); "no" alone may answer a question
                                   or tokens[k][0] in TAKING_BACK and _waits(tokens[k + 1][0])):
        k += 1
    return text[tokens[k][1]:] if k else text


def _waits(form: str) -> bool:
    """Whether the word says "wait", its letters drawn out or not ("moicaaa", "waaait")."""
    return form in WAITING or squeezed(form) in WAITING


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class CorrectionReader(GraphComponent):
    """Hands the pipeline the question a correction corrects to (module docstring)."""

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "CorrectionReader":
        return cls()

    def process(self, messages: List[Message], tracker: Optional[DialogueStateTracker] = None) -> List[Message]:
        if tracker is not None and tracker.active_loop_name:
            return messages
        for message in messages:
            text = message.get(TEXT) or ""
            if not text or text.startswith("/"):
                continue
            rest = corrected(text, message.get(WRITING))
            if rest is not None:
                # what was typed, before the language detector wrote Latin words in Georgian letters
                message.set(AS_TYPED, message.get(AS_TYPED) or text, add_to_output=True)
                message.set(TEXT, rest)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
