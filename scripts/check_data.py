"""The checks `rasa data validate` lacks. Each failure names the file and the fix.

    python -m scripts.check_data

- every intent has training examples in all three ways of writing (minimum counts),
  each block tagged `metadata: {lang: ka | ka-Latn | en}` and written in its script;
- every response has a Georgian (default) and an English (`metadata: {language: en}`)
  variation, and is in one file of domain/ only;
- no example stands under two intents; no training example is in the evaluation set, nor
  nearly (a spelling variant or a one-word change of an evaluation message, which would
  make the held-out figures look better than the assistant is);
- the event and principle content files are valid; so is the knowledge base
  (content/knowledge/: both languages, example questions in all three ways of writing, no
  question in two entries, no id that is an intent, no question that is an intent's
  training example, every `fact` named in content/events.yml);
- no message of the long-tail set (tests/longtail/) or of the blind sets (tests/blind/) is
  a training example or a knowledge-base question, nor nearly one; no knowledge-base question is nearly an
  evaluation message;
- every question intent can interrupt the registration form (a rule and the slots'
  not_intent lists), so a question in the middle of the form is answered;
- every intent answered by an action instead of its response can be one of several
  answers to a message (actions/knowledge.py, FOLLOW_UP_ACTIONS).
"""

from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict
from difflib import SequenceMatcher
from pathlib import Path
from typing import Iterable, Optional

import yaml

from actions.content import ContentError, parse_events, parse_principles
from components import knowledge, places
from components.georgian import WRITINGS, georgian_share, normalised_forms
from components.responses import missing_languages

PROJECT_DIR = Path(__file__).resolve().parent.parent

MINIMUM = {"ka": 12, "ka-Latn": 8, "en": 10}
# Character similarity (difflib ratio) in the shared spelling from which a training example
# counts as a copy of an evaluation message: "whats the process to get registered" and
# "what's the procedure to get registered" (0.92); "kartulad tu sheidzleba" and
# "qarTulad Tu SeiZleba" (1.0).
NEAR = 0.9
# intents that are not questions: they do not need to interrupt the form
NOT_QUESTIONS = {"goodbye", "register", "affirm", "deny", "stop", "inform",
                 "check_registration", "cancel_registration", "leave_message", "add_comment"}


def fold(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def nlu_blocks(folder: Path):
    for path in sorted(folder.glob("*.yml")):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            if "intent" in block:
                examples = [line[2:].strip() for line in (block.get("examples") or "").splitlines()
                            if line.strip().startswith("- ")]
                yield path, block["intent"], (block.get("metadata") or {}).get("lang"), examples


def check_training_data(problems: list[str]) -> dict[str, str]:
    counts: dict[str, Counter] = defaultdict(Counter)
    seen: dict[str, tuple[str, Path]] = {}
    for path, intent, lang, examples in nlu_blocks(PROJECT_DIR / "data" / "nlu"):
        rel = path.relative_to(PROJECT_DIR)
        if lang not in WRITINGS:
            problems.append(f"{rel}: intent '{intent}' has a block without 'metadata: {{lang: ka | ka-Latn | en}}'")
            continue
        for text in examples:
            share = georgian_share(text) or 0.0
            # names like AVATAR may stay in Latin letters in Georgian text; translit and
            # English have no Georgian letters at all
            if (share == 0.0) == (lang == "ka"):
                problems.append(f"{rel}: '{text}' is not in the script of its block (lang: {lang}); move it")
            key = fold(text)
            if key in seen and seen[key][0] != intent:
                problems.append(f"{rel}: '{text}' stands under '{intent}' and under '{seen[key][0]}' "
                                f"({seen[key][1].relative_to(PROJECT_DIR)}); keep it in one")
            seen[key] = (intent, path)
        counts[intent][lang] += len(examples)
    for intent, by_lang in sorted(counts.items()):
        for lang, minimum in MINIMUM.items():
            if intent != "inform" and by_lang[lang] < minimum:
                problems.append(f"data/nlu: intent '{intent}' has {by_lang[lang]} '{lang}' examples; "
                                f"write at least {minimum}")
    return {key: intent for key, (intent, _) in seen.items()}


def near_copy(text: str, others: Iterable[str]) -> Optional[str]:
    """The first of ``others`` (shared spelling, space-joined) that ``text`` nearly repeats."""
    matcher = SequenceMatcher(autojunk=False)
    matcher.set_seq1(text)
    for other in others:
        matcher.set_seq2(other)
        if matcher.real_quick_ratio() >= NEAR and matcher.quick_ratio() >= NEAR and matcher.ratio() >= NEAR:
            return other
    return None


def check_evaluation(training: dict[str, str], knowledge_questions: list[tuple[str, str]],
                     problems: list[str]) -> None:
    """Evaluation messages that are training examples, then training examples and
    knowledge-base questions that are nearly evaluation messages (exact copies are
    reported once, by the first check)."""
    copies: set[str] = set()
    held_out: dict[str, list[str]] = defaultdict(list)
    for path, _, lang, examples in nlu_blocks(PROJECT_DIR / "tests" / "evaluation"):
        for text in examples:
            held_out[lang].append(" ".join(normalised_forms(text, lang)))
            if fold(text) in training:
                copies.add(fold(text))
                problems.append(f"{path.relative_to(PROJECT_DIR)}: '{text}' is also a training example; "
                                f"replace it with a new message")
    for path, intent, lang, examples in nlu_blocks(PROJECT_DIR / "data" / "nlu"):
        for text in examples:
            if fold(text) not in copies and near_copy(" ".join(normalised_forms(text, lang)), held_out.get(lang, ())):
                problems.append(f"{path.relative_to(PROJECT_DIR)}: '{text}' ({intent}) is nearly a message of "
                                f"tests/evaluation; remove it or write a different one")
    for writing, question in knowledge_questions:
        if near_copy(" ".join(normalised_forms(question, writing)), held_out.get(writing, ())):
            problems.append(f"content/knowledge: '{question}' is nearly a message of tests/evaluation; "
                            f"write a different question")


def domain_files() -> list[tuple[str, dict]]:
    """(path, content) of every file of domain/, one per topic."""
    return [(str(path.relative_to(PROJECT_DIR)), yaml.safe_load(path.read_text(encoding="utf-8")) or {})
            for path in sorted((PROJECT_DIR / "domain").glob("*.yml"))]


def merged_domain() -> dict:
    """The domain's intents, slots and responses as Rasa merges the files of domain/."""
    merged: dict = {"intents": [], "slots": {}, "responses": {}}
    for _, content in domain_files():
        merged["intents"] += content.get("intents") or []
        merged["slots"].update(content.get("slots") or {})
        merged["responses"].update(content.get("responses") or {})
    return merged


def check_domain(problems: list[str]) -> None:
    seen: dict[str, str] = {}
    for path, content in domain_files():
        for name, variations in (content.get("responses") or {}).items():
            if name in seen:
                problems.append(f"{path}: response '{name}' is also in {seen[name]}; keep one")
            seen[name] = path
            for language in missing_languages(variations or []):
                problems.append(f"{path}: response '{name}' has no variation in '{language}': every response "
                                f"has a Georgian one (no marker) and an English one (metadata: {{language: en}})")
    domain = merged_domain()
    questions = [i for i in domain["intents"] if i not in NOT_QUESTIONS]
    slots = domain.get("slots") or {}
    for slot in ("full_name", "email", "affiliation"):
        not_intent = set(slots[slot]["mappings"][-1].get("not_intent") or [])
        for intent in questions:
            if intent not in not_intent:
                problems.append(f"domain/registration.yml: add '{intent}' to the not_intent list of slot "
                                f"'{slot}', so that the question is answered during registration")
    rules = yaml.safe_load((PROJECT_DIR / "data" / "rules" / "registration.yml").read_text(encoding="utf-8"))
    interrupting = {step["intent"] for rule in rules["rules"]
                    if any(c.get("active_loop") == "registration_form" for c in rule.get("condition") or [])
                    for step in rule["steps"] if "intent" in step}
    for intent in questions:
        if intent not in interrupting:
            problems.append(f"data/rules/registration.yml: add a rule '{intent} during registration' "
                            f"(copy one of the others)")


def check_several_answers(problems: list[str]) -> None:
    """An intent answered by an action (not its utter_ response) is one action_answer can
    run after the other answers of a message (actions/knowledge.py, FOLLOW_UP_ACTIONS)."""
    from actions.knowledge import FOLLOW_UP_ACTIONS, NEVER_AMONG_SEVERAL, SAID_BY_ACTION_ANSWER

    for path in sorted((PROJECT_DIR / "data" / "rules").glob("*.yml")):
        rules = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for rule in rules.get("rules") or []:
            steps = rule.get("steps") or []
            if rule.get("condition") or len(steps) < 2 or "intent" not in steps[0] or "action" not in steps[1]:
                continue
            intent, action = steps[0]["intent"], steps[1]["action"]
            if action.startswith("utter_") or intent in SAID_BY_ACTION_ANSWER | NEVER_AMONG_SEVERAL:
                continue
            if FOLLOW_UP_ACTIONS.get(intent) != action:
                problems.append(f"{path.relative_to(PROJECT_DIR)}: '{intent}' is answered by '{action}': add "
                                f"\"{intent}\": \"{action}\" to FOLLOW_UP_ACTIONS in actions/knowledge.py, so "
                                f"that a message asking it beside another question runs it")


def check_content(problems: list[str]) -> None:
    for parse, name in ((parse_events, "events.yml"), (parse_principles, "principles.yml")):
        try:
            parse(PROJECT_DIR / "content" / name)
        except ContentError as error:
            problems.append(str(error))
    try:
        places.load(PROJECT_DIR / "content" / "places")
    except places.PlaceError as error:
        problems.append(str(error))


def check_knowledge(training: dict[str, str], problems: list[str]) -> list[tuple[str, str]]:
    """The knowledge base's entries; returns (writing, question) for the leakage check."""
    directory = PROJECT_DIR / "content" / "knowledge"
    try:
        entries = knowledge.load(directory)
    except knowledge.KnowledgeError as error:
        problems.append(f"content/knowledge/{error}")
        return []
    domain = merged_domain()
    try:
        events = parse_events(PROJECT_DIR / "content" / "events.yml")["current"]
        facts = set(events.facts)
    except ContentError:
        facts = set()
    questions = []
    for entry in entries.values():
        where = f"content/knowledge/{entry.source}, entry '{entry.id}'"
        if entry.id in domain["intents"]:
            problems.append(f"{where}: the id is also an intent; choose another")
        if entry.fact and entry.fact not in facts:
            problems.append(f"{where}: fact '{entry.fact}' is not under 'facts:' in content/events.yml; add it there "
                            f"(empty until it is published)")
        for writing, question in entry.all_questions():
            share = georgian_share(question) or 0.0
            if (share == 0.0) == (writing == "ka"):
                problems.append(f"{where}: '{question}' is not in the script of '{writing}'")
            if fold(question) in training:
                problems.append(f"{where}: '{question}' is also a training example of '{training[fold(question)]}': "
                                f"one question, one answer; remove it from one of them")
            questions.append((writing, question))
    return questions


def check_long_tail(training: dict[str, str], knowledge_questions: list[tuple[str, str]],
                    problems: list[str]) -> None:
    """Long-tail messages, and the blind sets' (tests/blind/), must be new: not a training
    example or a knowledge question, nor nearly."""
    tests = PROJECT_DIR / "tests"
    known: dict[str, list[str]] = defaultdict(list)
    for _, _, lang, examples in nlu_blocks(PROJECT_DIR / "data" / "nlu"):
        known[lang] += [" ".join(normalised_forms(t, lang)) for t in examples]
    for writing, question in knowledge_questions:
        known[writing].append(" ".join(normalised_forms(question, writing)))
    for path in sorted([*(tests / "longtail").glob("*.yml"), *(tests / "blind").glob("*/*.yml")]):
        name = path.relative_to(PROJECT_DIR)
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        file_writing = data.get("writing")
        for message in data.get("messages") or []:
            text = str(message.get("text", ""))
            if fold(text) in training:
                problems.append(f"{name}: '{text}' is a training example; write another")
                continue
            other = near_copy(" ".join(normalised_forms(text, file_writing)), known.get(str(file_writing), ()))
            if other:
                problems.append(f"{name}: '{text}' is nearly a training example or a "
                                f"knowledge-base question ('{other}'); write another")


def main() -> int:
    problems: list[str] = []
    training = check_training_data(problems)
    knowledge_questions = check_knowledge(training, problems)
    check_evaluation(training, knowledge_questions, problems)
    check_domain(problems)
    check_several_answers(problems)
    check_content(problems)
    check_long_tail(training, knowledge_questions, problems)
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s)" if problems else "Data, domain and content: all checks passed.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
