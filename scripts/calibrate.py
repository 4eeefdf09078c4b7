"""Chooses the question router's thresholds on data that is not an evaluation set.

    python -m scripts.calibrate --model models/avatar-<hash>.tar.gz

In-domain: every training example and knowledge-base question, compared with the others
leaving itself out (its own vector would be a perfect match), so the similarities are
those of a new message worded like it. Out of domain: tests/calibration/out_of_domain.yml.
Free-text form answers: tests/calibration/form_answers.yml. Neither evaluation set
(tests/evaluation, tests/longtail) is read.

Prints, for candidate thresholds, how many in-domain messages would be wrongly refused
and how many out-of-domain messages wrongly answered; the thresholds in config.yml
(QuestionRouter) were chosen from this table (docs/evaluation.md).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Dict, List

import numpy as np
import yaml

PROJECT_DIR = Path(__file__).resolve().parent.parent

CALIBRATION = PROJECT_DIR / "tests" / "calibration"


def router_of(agent: Any) -> Any:
    from components.router import QuestionRouter

    for node in agent.processor.graph_runner._instantiated_nodes.values():
        component = getattr(node, "_component", None)
        if isinstance(component, QuestionRouter):
            return component
    raise RuntimeError("the model has no QuestionRouter")


def leave_one_out(vectors: np.ndarray, labels: np.ndarray) -> List[Dict[str, float]]:
    """For each row: its own label's best similarity without itself, and the best other label's."""
    sims = vectors @ vectors.T
    np.fill_diagonal(sims, -1.0)
    out = []
    for i in range(len(labels)):
        same = sims[i][labels == labels[i]].max(initial=-1.0)
        other = sims[i][labels != labels[i]].max(initial=-1.0)
        out.append({"own": float(same), "other": float(other)})
    return out


def entry_cross_validation(router: Any, folds: int = 5) -> List[Dict[str, Any]]:
    """Held-out knowledge questions: the entry classifier trained on the other folds."""
    from sklearn.model_selection import StratifiedKFold

    from components import knowledge
    from components.georgian import normalised_forms
    from components.router import EntryClassifier, LabelledVectors
    from components.sentence_vectors import text_for_model

    entries = router.knowledge.entries()
    questions = knowledge.questions_of(list(entries.values()))
    ids = np.array([e for e, _, _ in questions])
    vectors = router.encoder.embed([text_for_model(q, w, router.converter) for _, w, q in questions], use_disk=True)
    shared = [" ".join(normalised_forms(q, w)) for _, w, q in questions]
    out: List[Dict[str, Any]] = []
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=0).split(ids, ids):
        classifier = EntryClassifier.fit(vectors[train], [shared[i] for i in train], ids[train])
        assert classifier is not None, "every fold has entries of two or more kinds"
        trained = LabelledVectors(vectors[train], ids[train])
        for i in test:
            probabilities = classifier.probabilities(vectors[i], shared[i])
            best = max(probabilities, key=lambda label: probabilities[label])
            sims = trained.best_per_label(vectors[i])
            out.append({"right": best == ids[i], "p": probabilities[best], "s": sims.get(best, 0.0)})
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True, type=Path)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    agent = Agent.load(str(args.model))
    router = router_of(agent)
    questions = router._knowledge_vectors()
    kb = leave_one_out(questions.vectors, questions.labels)
    intents = leave_one_out(router.examples.vectors, router.examples.labels)
    print(f"knowledge questions, leave-one-out: {len(kb)}; own entry best similarity "
          f"p5/p25/p50 = {np.percentile([k['own'] for k in kb], [5, 25, 50]).round(3).tolist()}; "
          f"right entry first: {np.mean([k['own'] > k['other'] for k in kb]):.3f}")
    print(f"intent examples, leave-one-out: {len(intents)}; own intent best similarity "
          f"p5/p25/p50 = {np.percentile([k['own'] for k in intents], [5, 25, 50]).round(3).tolist()}")

    ood = yaml.safe_load((CALIBRATION / "out_of_domain.yml").read_text(encoding="utf-8"))["messages"]
    texts = [(w, t) for w, items in ood.items() for t in items]

    async def parse(messages: List[str]) -> List[Dict[str, Any]]:
        return [await agent.parse_message(m) for m in messages]

    parses = asyncio.run(parse([t for _, t in texts]))
    kinds: Counter[tuple[str, bool]] = Counter()
    rows = []
    for (writing, text), parsed in zip(texts, parses, strict=True):
        debug = parsed.get("router") or {}
        answered = parsed["intent"]["name"] not in ("nlu_fallback", "out_of_scope")
        kinds[(writing, answered)] += 1
        rows.append((writing, text, parsed["intent"]["name"], debug))
    print("\nout of domain: answered (should be 0) per way of writing:",
          {w: kinds[(w, True)] for w in ood})
    for writing, text, intent, debug in rows:
        if intent not in ("nlu_fallback", "out_of_scope"):
            print(f"  [{writing}] {text!r} -> {intent} {debug}")

    print("\nthresholds: knowledge_min_similarity t -> (in-domain knowledge refused, OOD answered as knowledge)")
    ood_kb = [d.get("entry_similarity", 0) for _, _, _, d in rows if d.get("classifier") == "ask_knowledge"]
    for t in (0.84, 0.85, 0.86, 0.87, 0.88, 0.89, 0.90):
        refused = np.mean([k["own"] < t for k in kb])
        print(f"  {t:.2f}: refused {refused:.3f}, OOD answered {sum(s >= t for s in ood_kb)}/{len(ood_kb)} (of {len(rows)})")
    print("\nentry classifier, 5-fold CV over the knowledge questions -> (p, s) thresholds:")
    print("  in-domain: right entry and accepted / accepted wrong entry; OOD (classified ask_knowledge): accepted")
    cv = entry_cross_validation(router)
    for p in (0.2, 0.3, 0.4, 0.5):
        for t in (0.84, 0.86, 0.88):
            right = np.mean([c["right"] and c["p"] >= p and c["s"] >= t for c in cv])
            wrong = np.mean([not c["right"] and c["p"] >= p and c["s"] >= t for c in cv])
            ood_in = sum(d.get("entry_probability", 0) >= p and d.get("entry_similarity", 0) >= t
                         for _, _, _, d in rows if d.get("classifier") == "ask_knowledge")
            print(f"  p>={p:.1f} s>={t:.2f}: right {right:.3f}, wrong {wrong:.3f}; OOD answered {ood_in}/{len(ood_kb)}")
    print("\nabstain_similarity s (with confidence < abstain_confidence) -> in-domain intent examples refused")
    ood_intent = [d for _, _, _, d in rows if d.get("classifier") not in (None, "ask_knowledge")]
    for t in (0.82, 0.84, 0.86, 0.88):
        refused = np.mean([k["own"] < t for k in intents])
        print(f"  {t:.2f}: intent examples below {refused:.3f}; OOD with an intent and similarity >= t: "
              f"{sum(d.get('intent_similarity', 0) >= t for d in ood_intent)}/{len(ood_intent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
