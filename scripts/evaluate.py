"""Intent accuracy and macro-F1 for each way of writing, on held-out messages.

    python scripts/evaluate.py --model models/avatar-<hash>.tar.gz [--data tests/evaluation]

Every evaluation block carries `metadata: {lang: ka | ka-Latn | en}` like the training
data. Also reports how often the detected answer language is right. Writes
reports/evaluation.json and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any, Dict, List

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def load_examples(data_dir: Path) -> List[Dict[str, str]]:
    from rasa.shared.nlu.training_data.loading import load_data

    from components.language_detector import writing_label

    examples = []
    for message in load_data(str(data_dir)).intent_examples:
        examples.append(
            {"text": message.get("text"), "intent": message.get("intent"), "writing": writing_label(message)}
        )
    return examples


def parse_all(model: Path, texts: List[str]) -> List[Dict[str, Any]]:
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)

    agent = Agent.load(str(model))

    async def parse() -> List[Dict[str, Any]]:
        return [await agent.parse_message(text) for text in texts]

    return asyncio.run(parse())


def top_intent(parsed: Dict[str, Any]) -> str:
    ranking = [r["name"] for r in parsed.get("intent_ranking") or [] if r["name"] != "nlu_fallback"]
    return ranking[0] if ranking else parsed["intent"]["name"]


def score(examples: List[Dict[str, str]], parses: List[Dict[str, Any]]) -> Dict[str, Any]:
    from sklearn.metrics import accuracy_score, f1_score

    from components.georgian import LANGUAGE_OF_WRITING, WRITINGS

    groups: Dict[str, List[int]] = defaultdict(list)
    for index, example in enumerate(examples):
        groups[example["writing"]].append(index)
    result: Dict[str, Any] = {"writings": {}, "errors": []}
    for writing in [*WRITINGS, None]:
        indices = groups.get(writing)
        if not indices:
            continue
        gold = [examples[i]["intent"] for i in indices]
        predicted = [parses[i]["intent"]["name"] for i in indices]
        best_guess = [top_intent(parses[i]) for i in indices]
        expected_language = LANGUAGE_OF_WRITING.get(writing)
        languages_right = sum(parses[i].get("language") in (expected_language, None) for i in indices)
        result["writings"][writing or "untagged"] = {
            "messages": len(indices),
            "accuracy": round(accuracy_score(gold, predicted), 4),
            "macro_f1": round(f1_score(gold, predicted, average="macro", labels=sorted(set(gold)), zero_division=0), 4),
            "answer_language_right": round(languages_right / len(indices), 4),
            # what the classifier ranked first, had the fallback threshold not applied
            "accuracy_without_fallback": round(accuracy_score(gold, best_guess), 4),
        }
    for example, parsed in zip(examples, parses):
        if parsed["intent"]["name"] != example["intent"]:
            result["errors"].append({
                "text": example["text"], "writing": example["writing"], "expected": example["intent"],
                "predicted": parsed["intent"]["name"],
                "confidence": round(parsed["intent"].get("confidence") or 0.0, 3),
            })
    return result


def markdown(result: Dict[str, Any]) -> str:
    lines = ["| way of writing | messages | intent accuracy | macro-F1 | answer language right | accuracy without fallback |",
             "|---|---|---|---|---|---|"]
    for writing, figures in result["writings"].items():
        lines.append(f"| {writing} | {figures['messages']} | {figures['accuracy']:.3f} | "
                     f"{figures['macro_f1']:.3f} | {figures['answer_language_right']:.3f} | "
                     f"{figures['accuracy_without_fallback']:.3f} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True, type=Path)
    parser.add_argument("--data", default=PROJECT_DIR / "tests" / "evaluation", type=Path)
    parser.add_argument("--out", default=PROJECT_DIR / "reports", type=Path)
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    examples = load_examples(args.data)
    result = score(examples, parse_all(args.model, [e["text"] for e in examples]))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "evaluation.json").write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(markdown(result))
    if args.show_errors:
        for error in result["errors"]:
            print(f"  [{error['writing']}] {error['text']!r}: {error['expected']} -> {error['predicted']} ({error['confidence']})")
    print(f"\n{len(result['errors'])} misclassified; details in {args.out / 'evaluation.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
