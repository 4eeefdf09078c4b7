"""The long tail: what citizens really ask, scored as answers, not as intents.

tests/longtail/<writing>.yml holds messages written the way citizens type (typos, no
punctuation, two questions at once, greetings in front, follow-ups), none of them in the
training data or among the knowledge base's questions (scripts/check_data.py checks).
Each item has ``expect``: the ordered answers it needs, each an intent, a knowledge
entry id, ``abstain`` (out of domain) or alternatives joined by "|"; ``after``: an
earlier message of the same conversation, for follow-ups.

A message counts as right when the assistant's answers (the router's ``answers``, or
the intent) are exactly the expected ones, in order. Also counted per way of writing:
- wrong-topic answers: a confident answer about something else (not asking back, not
  abstaining);
- forms started by a question: register / check / cancel where none was asked for;
- answers in the wrong language.

Used by scripts/evaluate.py; on its own: ``python -m scripts.longtail --model M``.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any, Dict, List, Optional, Set

import yaml

PROJECT_DIR = Path(__file__).resolve().parent.parent

LONG_TAIL = PROJECT_DIR / "tests" / "longtail"
ABSTAIN = "abstain"
ASK_BACK = "ask_back"
FALLBACK = "nlu_fallback"
# on nlu_fallback, the topics asking back offers (actions/fallback.py); none: "I don't know"
OFFERED = "offered_topics"
FORM_INTENTS = {"register", "check_registration", "cancel_registration"}
NOT_AN_ANSWER = {"nlu_fallback", "out_of_scope"}


def load_items(folder: Path = LONG_TAIL) -> List[Dict[str, Any]]:
    items = []
    for path in sorted(folder.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for message in data.get("messages") or []:
            items.append({"writing": data["writing"], "text": str(message["text"]),
                          "after": message.get("after"), "expect": [str(e) for e in message["expect"]],
                          "file": path.name})
    return items


def offered_topics(parsed: Dict[str, Any], topic_intents: Set[str]) -> List[str]:
    """The topics the assistant offers when it asks back (``action_clarify``): none when
    nothing fits, or when its best guess is "none of the topics"; then it says it does
    not know."""
    from actions.fallback import topics_to_offer

    if parsed.get("answers") == []:
        return []
    return topics_to_offer(parsed.get("intent_ranking") or [], topic_intents)


def mark_asking_back(parses: List[Dict[str, Any]], domain: Any) -> None:
    """Records, on each ``nlu_fallback``, what the reply offers (see ``offered_topics``)."""
    from actions.fallback import topic_intents

    topics = topic_intents(domain.responses)
    for parsed in parses:
        if (parsed.get("intent") or {}).get("name") == FALLBACK:
            parsed[OFFERED] = offered_topics(parsed, topics)


def answers_of(parsed: Dict[str, Any]) -> List[str]:
    """What the assistant answers, as labels: intents, entry ids, ["abstain"], or
    ["ask_back"] when it is unsure and offers topics to choose from."""
    answers = parsed.get("answers")
    intent = (parsed.get("intent") or {}).get("name")
    if intent == FALLBACK and parsed.get(OFFERED):
        return [ASK_BACK]
    if answers is None:
        return [ABSTAIN] if intent in NOT_AN_ANSWER or not intent else [intent]
    if intent == FALLBACK and len(answers) == 1:
        return [ABSTAIN]  # unsure of its one answer, and nothing to offer: "I don't know"
    labels = []
    for answer in answers:
        if answer.get("abstain"):
            labels.append(ABSTAIN)
        else:
            labels.append(answer.get("entry") or answer.get("intent"))
    labels = [ABSTAIN if label in NOT_AN_ANSWER else label for label in labels]
    return labels or [ABSTAIN]


def matches(expected: List[str], got: List[str]) -> bool:
    return len(expected) == len(got) and all(g in e.split("|") for e, g in zip(expected, got, strict=True))


def parse_items(model: Path, items: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Each message parsed as the server would: after its ``after`` message, if any."""
    from rasa.core.agent import Agent
    from rasa.core.channels.channel import UserMessage
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    agent = Agent.load(str(model))
    processor = agent.processor

    async def parse() -> List[Dict[str, Any]]:
        results = []
        for item in items:
            sender = uuid.uuid4().hex
            tracker = await processor.fetch_tracker_and_update_session(sender)
            if item["after"]:
                earlier = await processor.parse_message(UserMessage(item["after"], sender_id=sender), tracker)
                tracker.update(UserUttered(item["after"], earlier.get("intent"), earlier.get("entities"), earlier))
                tracker.update(ActionExecuted("action_listen"))
            results.append(await processor.parse_message(UserMessage(item["text"], sender_id=sender), tracker))
        return results

    parses = asyncio.run(parse())
    mark_asking_back(parses, agent.domain)
    return parses


def score(items: List[Dict[str, Any]], parses: List[Dict[str, Any]]) -> Dict[str, Any]:
    from components.georgian import LANGUAGE_OF_WRITING

    groups: Dict[str, List[int]] = defaultdict(list)
    for index, item in enumerate(items):
        groups[item["writing"]].append(index)
    result: Dict[str, Any] = {"writings": {}, "errors": []}
    for writing, indices in groups.items():
        right = wrong_topic = forms = language_wrong = 0
        for i in indices:
            item, parsed = items[i], parses[i]
            got = answers_of(parsed)
            ok = matches(item["expect"], got)
            right += ok
            asked_form = any(label in FORM_INTENTS for e in item["expect"] for label in e.split("|"))
            started_form = any(label in FORM_INTENTS for label in got)
            forms += started_form and not asked_form
            if not ok and any(label not in (ABSTAIN, ASK_BACK) for label in got):
                wrong_topic += 1
            language = parsed.get("language") or (LANGUAGE_OF_WRITING[writing] if not item["after"] else None)
            # the language of the message's writing, or the one it asks for ("... in Georgian?")
            if language is not None and language != LANGUAGE_OF_WRITING[writing] and not parsed.get("language_requested"):
                language_wrong += 1
            if not ok:
                result["errors"].append({"writing": writing, "text": item["text"], "after": item["after"],
                                         "expected": item["expect"], "got": got,
                                         "confidence": round((parsed.get("intent") or {}).get("confidence") or 0, 3)})
        n = len(indices)
        result["writings"][writing] = {
            "messages": n,
            "right": round(right / n, 4),
            "wrong_topic": wrong_topic,
            "forms_started_by_a_question": forms,
            "wrong_language": language_wrong,
        }
    return result


def markdown(result: Dict[str, Any]) -> str:
    lines = ["| way of writing | messages | right | wrong-topic answers | forms started by a question "
             "| wrong language |", "|---|---|---|---|---|---|"]
    for writing, f in result["writings"].items():
        lines.append(f"| {writing} | {f['messages']} | {f['right']:.3f} | {f['wrong_topic']} | "
                     f"{f['forms_started_by_a_question']} | {f['wrong_language']} |")
    return "\n".join(lines)


def evaluate(model: Path, folder: Path = LONG_TAIL) -> Optional[Dict[str, Any]]:
    items = load_items(folder)
    if not items:
        return None
    return score(items, parse_items(model, items))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True, type=Path)
    parser.add_argument("--data", default=LONG_TAIL, type=Path)
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    result = evaluate(args.model, args.data)
    if result is None:
        print("no long-tail messages")
        return 1
    print(markdown(result))
    if args.show_errors:
        for e in result["errors"]:
            after = f" (after {e['after']!r})" if e["after"] else ""
            print(f"  [{e['writing']}] {e['text']!r}{after}: {e['expected']} -> {e['got']} ({e['confidence']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
