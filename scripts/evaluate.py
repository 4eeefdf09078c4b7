"""How well the assistant understands citizens, and whether a model may go into service.

    python -m scripts.evaluate --model models/avatar-<hash>.tar.gz [--data tests/evaluation]
        [--folds 3] [--seed 42] [--tolerance 0.02] [--floor 0.5] [--accept [--force]]

1. Held-out messages (tests/evaluation, written apart from the training data): intent
   accuracy and macro-F1 for each way of writing (every block carries
   `metadata: {lang: ka | ka-Latn | en}` like the training data), and how often the
   detected answer language is right.
2. Cross-validation on the training data (data/nlu): the examples are split into
   --folds parts (stratified by intent and way of writing); for each part an NLU-only
   model is trained on the others with config.yml and predicts it. --folds 0 skips it.
3. Per intent: precision, recall, F1 and support; the most confused pairs; a confusion
   matrix picture (reports/confusion.png held-out, reports/confusion_cv.png
   cross-validation).
4. The quality gate: compared with the accepted figures (tests/evaluation/accepted.json),
   it fails (exit code 1, naming what fell) when a way of writing loses more than
   --tolerance of macro-F1 (held-out or cross-validation), or an intent's F1 is below
   --floor. No accepted figures: nothing to compare, it passes.

--accept records the figures as accepted. It reuses reports/evaluation.json when that
report is for this model, these evaluation messages and this number of folds (else it
evaluates first), and refuses a model that fails the gate unless --force is given.

Writes reports/evaluation.json, reports/summary.md and the pictures; prints the summary.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import hashlib
import io
import json
import logging
import os
import sys
import tempfile
import time
import warnings
from collections import defaultdict
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from scripts import longtail

PROJECT_DIR = Path(__file__).resolve().parent.parent

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")

DEFAULT_FOLDS = 3
DEFAULT_SEED = 42
DEFAULT_TOLERANCE = 0.02
DEFAULT_FLOOR = 0.5
ACCEPTED = PROJECT_DIR / "tests" / "evaluation" / "accepted.json"
FALLBACK = "nlu_fallback"
OUT_OF_SCOPE = "out_of_scope"
FORM_INTENTS = {"register", "check_registration", "cancel_registration"}
TOP_PAIRS = 10


# --- reading the data -------------------------------------------------------------------

def load_examples(data_dir: Path) -> List[Dict[str, str]]:
    from rasa.shared.nlu.training_data.loading import load_data

    from components.language_detector import writing_label

    from rasa.shared.nlu.training_data.training_data import TrainingData

    # only the YAML files: accepted.json lives beside them, and Rasa would read it as data
    files = sorted(data_dir.rglob("*.yml")) if data_dir.is_dir() else [data_dir]
    examples = []
    for message in TrainingData().merge(*(load_data(str(f)) for f in files)).intent_examples:
        examples.append(
            {"text": message.get("text"), "intent": message.get("intent"), "writing": writing_label(message)}
        )
    return examples


def files_digest(folder: Path) -> str:
    """A short hash of the files in ``folder`` (is a report still about these messages?)."""
    digest = hashlib.sha256()
    for file in sorted(p for p in folder.rglob("*.yml") if p.is_file() and p.name != ACCEPTED.name):
        digest.update(file.name.encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


# --- predicting -------------------------------------------------------------------------

def parse_all(model: Path, texts: List[str]) -> List[Dict[str, Any]]:
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)

    agent = Agent.load(str(model))

    async def parse() -> List[Dict[str, Any]]:
        return [await agent.parse_message(text) for text in texts]

    parses = asyncio.run(parse())
    longtail.mark_asking_back(parses, agent.domain)
    return parses


def answered_intent(parsed: Dict[str, Any]) -> str:
    """The intent the answer is that of. ``nlu_fallback`` with no topic to offer (the
    router's "nothing fits", or a best guess of "none of the topics": ``action_clarify``)
    says it does not know, as ``out_of_scope`` does: the same answer, scored as such, as
    the long tail scores it. ``nlu_fallback`` is left for asking back with topics."""
    name = parsed["intent"]["name"]
    if name == FALLBACK and (parsed.get("answers") == [] or parsed.get(longtail.OFFERED) == []):
        return OUT_OF_SCOPE
    return name


def top_intent(parsed: Dict[str, Any]) -> str:
    ranking = [r["name"] for r in parsed.get("intent_ranking") or [] if r["name"] != FALLBACK]
    return ranking[0] if ranking else parsed["intent"]["name"]


# --- figures ----------------------------------------------------------------------------

def score(examples: List[Dict[str, str]], parses: List[Dict[str, Any]]) -> Dict[str, Any]:
    from sklearn.metrics import accuracy_score, f1_score

    from components.georgian import LANGUAGE_OF_WRITING, WRITINGS

    groups: Dict[Optional[str], List[int]] = defaultdict(list)
    for index, example in enumerate(examples):
        groups[example["writing"]].append(index)
    result: Dict[str, Any] = {"writings": {}, "errors": []}
    for writing in [*WRITINGS, None]:
        indices = groups.get(writing)
        if not indices:
            continue
        gold = [examples[i]["intent"] for i in indices]
        predicted = [answered_intent(parses[i]) for i in indices]
        best_guess = [top_intent(parses[i]) for i in indices]
        expected_language = LANGUAGE_OF_WRITING.get(writing) if writing else None
        # the language the message is written in, or the one it asks for ("English please")
        languages_right = sum(parses[i].get("language") in (expected_language, None) or bool(parses[i].get("language_requested"))
                              for i in indices)
        result["writings"][writing or "untagged"] = {
            "messages": len(indices),
            "accuracy": round(accuracy_score(gold, predicted), 4),
            "macro_f1": round(f1_score(gold, predicted, average="macro", labels=sorted(set(gold)), zero_division=0), 4),
            "answer_language_right": round(languages_right / len(indices), 4),
            # what the classifier ranked first, had the fallback threshold not applied
            "accuracy_without_fallback": round(accuracy_score(gold, best_guess), 4),
            # a confident answer about something else; a form nobody asked for
            # ("I don't know" and asking back are not answers about something else)
            "wrong_topic": sum(p != g and p not in (FALLBACK, OUT_OF_SCOPE) for p, g in zip(predicted, gold, strict=True)),
            "forms_started_by_a_question": sum(p in FORM_INTENTS and g not in FORM_INTENTS
                                               for p, g in zip(predicted, gold, strict=True)),
            "wrong_language": len(indices) - languages_right,
        }
    for example, parsed in zip(examples, parses, strict=True):
        if answered_intent(parsed) != example["intent"]:
            result["errors"].append({
                "text": example["text"], "writing": example["writing"], "expected": example["intent"],
                "predicted": answered_intent(parsed),
                "confidence": round(parsed["intent"].get("confidence") or 0.0, 3),
            })
    return result


def per_intent(gold: Sequence[str], predicted: Sequence[str]) -> Dict[str, Dict[str, float]]:
    """Precision, recall, F1 and support of every intent that has messages."""
    from sklearn.metrics import precision_recall_fscore_support

    labels = sorted(set(gold))
    precision, recall, f1, support = precision_recall_fscore_support(
        gold, predicted, labels=labels, zero_division=0)
    return {label: {"precision": round(float(p), 4), "recall": round(float(r), 4),
                    "f1": round(float(f), 4), "support": int(s)}
            for label, p, r, f, s in zip(labels, precision, recall, f1, support, strict=True)}


def confused_pairs(examples: Sequence[Dict[str, str]], predicted: Sequence[str]) -> List[Dict[str, Any]]:
    """(expected, understood as) pairs, most frequent first, with a few of their messages."""
    pairs: Dict[Tuple[str, str], List[str]] = defaultdict(list)
    for example, guess in zip(examples, predicted, strict=True):
        if guess != example["intent"]:
            pairs[(example["intent"], guess)].append(example["text"])
    ranked = sorted(pairs.items(), key=lambda item: (-len(item[1]), item[0]))
    return [{"expected": expected, "predicted": guess, "count": len(texts), "examples": texts[:3]}
            for (expected, guess), texts in ranked]


def by_writing(examples: Sequence[Dict[str, str]], predicted: Sequence[str]) -> Dict[str, Dict[str, Any]]:
    from sklearn.metrics import accuracy_score, f1_score

    from components.georgian import WRITINGS

    figures = {}
    for writing in [*WRITINGS, None]:
        indices = [i for i, e in enumerate(examples) if e["writing"] == writing]
        if not indices:
            continue
        gold = [examples[i]["intent"] for i in indices]
        guess = [predicted[i] for i in indices]
        figures[writing or "untagged"] = {
            "messages": len(indices),
            "accuracy": round(accuracy_score(gold, guess), 4),
            "macro_f1": round(f1_score(gold, guess, average="macro", labels=sorted(set(gold)), zero_division=0), 4),
        }
    return figures


# --- cross-validation -------------------------------------------------------------------

def fold_yaml(examples: Sequence[Dict[str, str]]) -> str:
    """Training data in Rasa's YAML, one block per intent and way of writing."""
    blocks: Dict[Tuple[str, Optional[str]], List[str]] = defaultdict(list)
    for example in examples:
        blocks[(example["intent"], example["writing"])].append(example["text"])
    lines = ['version: "3.1"', "nlu:"]
    for (intent, writing), texts in blocks.items():
        lines.append(f"- intent: {intent}")
        if writing:
            lines += ["  metadata:", f"    lang: {writing}"]
        lines.append("  examples: |")
        lines += [f"    - {' '.join(text.split())}" for text in texts]
    return "\n".join(lines) + "\n"


def cross_validate(folds: int, seed: int, jobs: int = 0, project: Path = PROJECT_DIR,
                   config: Optional[Path] = None) -> Dict[str, Any]:
    """Out-of-fold predictions for every training example, from NLU-only models trained
    with config.yml on the other folds; ``jobs`` folds at a time (0: all at once)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from sklearn.model_selection import StratifiedKFold

    examples = load_examples(project / "data" / "nlu")
    # each stratum (intent and way of writing) spread evenly over the folds
    strata = [f"{e['intent']}|{e['writing']}" for e in examples]
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    splits = list(splitter.split(examples, strata))
    predicted: List[str] = [""] * len(examples)
    # fold models are thrown away: keep them out of Rasa's training cache
    os.environ["RASA_MAX_CACHE_SIZE"] = "0"
    # all at once by default: on 2 processors 3 folds end sooner together than 2 + 1
    jobs = max(1, min(folds, jobs or folds))
    print(f"Cross-validation: {folds} folds, {jobs} at a time ...", file=sys.stderr, flush=True)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="avatar-cv-") as tmp:
        tasks = []
        for number, (train_index, test_index) in enumerate(splits, start=1):
            data = Path(tmp) / f"fold{number}.yml"
            data.write_text(fold_yaml([examples[i] for i in train_index]), encoding="utf-8")
            tasks.append((str(project), str(data), tmp, f"fold{number}", [examples[i]["text"] for i in test_index],
                          str(config or project / "config.yml")))
        if jobs == 1:
            results = [run_fold(*task) for task in tasks]
        else:
            # a fresh interpreter per worker: Rasa and TensorFlow do not survive fork
            with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
                results = list(pool.map(run_fold, *zip(*tasks, strict=True)))
        for (_, test_index), intents in zip(splits, results, strict=True):
            for i, intent in zip(test_index, intents, strict=True):
                predicted[i] = intent
    gold = [e["intent"] for e in examples]
    return {
        "folds": folds,
        "seed": seed,
        "examples": len(examples),
        "seconds": round(time.monotonic() - started, 1),
        "writings": by_writing(examples, predicted),
        "intents": per_intent(gold, predicted),
        "confused_pairs": confused_pairs(examples, predicted),
        "errors": [{"text": e["text"], "writing": e["writing"], "expected": e["intent"], "predicted": p}
                   for e, p in zip(examples, predicted, strict=True) if p != e["intent"]],
        "_gold": gold,
        "_predicted": predicted,
    }


def run_fold(project: str, data: str, out: str, name: str, texts: List[str], config: str = "") -> List[str]:
    """Trains one fold's NLU model and returns the intents it gives the held-back texts."""
    logging.basicConfig(level=logging.WARNING)
    started = time.monotonic()
    model = train_quietly(Path(project), Path(data), Path(out), name, Path(config) if config else None)
    intents = [answered_intent(parsed) for parsed in parse_all(model, texts)]
    print(f"  {name}: trained and tested in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    return intents


def train_quietly(project: Path, data: Path, out: Path, name: str, config: Optional[Path] = None) -> Path:
    from rasa.model_training import train_nlu

    log = io.StringIO()
    with warnings.catch_warnings(), contextlib.redirect_stdout(log):
        warnings.simplefilter("ignore")
        path = train_nlu(str(config or project / "config.yml"), str(data), str(out), fixed_model_name=name,
                         domain=str(project / "domain"))
    if not path:
        raise RuntimeError(f"training the cross-validation model {name} failed:\n{log.getvalue()[-3000:]}")
    return Path(path)


# --- the picture ------------------------------------------------------------------------

def plot_confusion(gold: Sequence[str], predicted: Sequence[str], path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from sklearn.metrics import confusion_matrix

    rows = sorted(set(gold))
    columns = rows + sorted(set(predicted) - set(rows))  # e.g. nlu_fallback: asked back
    matrix = confusion_matrix(gold, predicted, labels=columns)[: len(rows)]
    share = matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1)
    size = max(8.0, 0.32 * len(columns) + 3)
    figure, axes = plt.subplots(figsize=(size + 1.5, size))
    image = axes.imshow(share, cmap="Blues", vmin=0, vmax=1)
    axes.set_xticks(range(len(columns)))
    axes.set_xticklabels(columns, rotation=90, fontsize=7)
    axes.set_yticks(range(len(rows)))
    axes.set_yticklabels(rows, fontsize=7)
    axes.set_xlabel("understood as")
    axes.set_ylabel("meant (expected intent)")
    axes.set_title(title, fontsize=10)
    for r in range(len(rows)):
        for c in range(len(columns)):
            if matrix[r, c]:
                axes.text(c, r, str(matrix[r, c]), ha="center", va="center", fontsize=6,
                          color="white" if share[r, c] > 0.6 else ("black" if r == c else "darkred"))
    figure.colorbar(image, ax=axes, fraction=0.03, label="share of the intent's messages")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


# --- the gate ---------------------------------------------------------------------------

def accepted_figures(result: Dict[str, Any]) -> Dict[str, Any]:
    """What `--accept` records: enough to compare a later model with this one."""
    figures: Dict[str, Any] = {
        "model": result["model"],
        "accepted_at": datetime.datetime.now().isoformat(timespec="seconds"),
        "evaluation_data": result["evaluation_data"],
        "held_out": {
            "macro_f1": {w: f["macro_f1"] for w, f in result["writings"].items()},
            "intent_f1": {i: f["f1"] for i, f in result["intents"].items()},
        },
    }
    if result.get("long_tail"):
        figures["long_tail"] = {"right": {w: f["right"] for w, f in result["long_tail"]["writings"].items()}}
    cv = result.get("cross_validation")
    if cv:
        figures["cross_validation"] = {
            "folds": cv["folds"], "seed": cv["seed"],
            "macro_f1": {w: f["macro_f1"] for w, f in cv["writings"].items()},
            "intent_f1": {i: f["f1"] for i, f in cv["intents"].items()},
        }
    return figures


SOURCES = (("held_out", "held-out messages"), ("cross_validation", "cross-validation"))


def current_figures(result: Dict[str, Any], source: str) -> Optional[Dict[str, Any]]:
    if source == "held_out":
        return {"macro_f1": {w: f["macro_f1"] for w, f in result["writings"].items()},
                "intent_f1": {i: f["f1"] for i, f in result["intents"].items()}}
    cv = result.get("cross_validation")
    if not cv:
        return None
    return {"folds": cv["folds"], "seed": cv["seed"],
            "macro_f1": {w: f["macro_f1"] for w, f in cv["writings"].items()},
            "intent_f1": {i: f["f1"] for i, f in cv["intents"].items()}}


def gate(result: Dict[str, Any], accepted: Optional[Dict[str, Any]], tolerance: float,
         floor: float) -> Dict[str, Any]:
    """Failures (each names what fell) and notes (what could not be compared)."""
    failures: List[str] = []
    notes: List[str] = []
    if accepted is None:
        notes.append("no accepted figures yet: nothing to compare with (`make accept` records them)")
    for source, label in SOURCES:
        now = current_figures(result, source)
        before = (accepted or {}).get(source)
        if now is None:
            if before:
                notes.append(f"{label}: not run this time (--folds 0), so not compared")
            continue
        if before and source == "cross_validation" and (before.get("folds"), before.get("seed")) != (
                now["folds"], now["seed"]):
            notes.append(f"{label}: accepted with {before.get('folds')} folds (seed {before.get('seed')}), "
                         f"run with {now['folds']} (seed {now['seed']}); macro-F1 not compared")
            before = dict(before, macro_f1={})
        for writing, value in (before or {}).get("macro_f1", {}).items():
            if writing not in now["macro_f1"]:
                notes.append(f"{label}: no '{writing}' messages any more")
            elif now["macro_f1"][writing] < value - tolerance - 1e-9:
                failures.append(
                    f"{label}, way of writing '{writing}': macro-F1 fell from {value:.3f} to "
                    f"{now['macro_f1'][writing]:.3f} ({now['macro_f1'][writing] - value:+.3f}; "
                    f"tolerance {tolerance})")
        for intent, value in sorted(now["intent_f1"].items()):
            if value < floor:
                was = (before or {}).get("intent_f1", {}).get(intent)
                since = f", accepted {was:.2f}" if was is not None else ", new intent"
                failures.append(f"{label}, intent '{intent}': F1 {value:.2f} is below the floor {floor}{since}")
    long_tail = result.get("long_tail")
    if long_tail:
        before = (accepted or {}).get("long_tail", {}).get("right", {})
        for writing, figures in long_tail["writings"].items():
            if figures["forms_started_by_a_question"]:
                failures.append(f"long tail, way of writing '{writing}': {figures['forms_started_by_a_question']} "
                                f"form(s) started by a question")
            if writing in before and figures["right"] < before[writing] - tolerance - 1e-9:
                failures.append(f"long tail, way of writing '{writing}': right answers fell from "
                                f"{before[writing]:.3f} to {figures['right']:.3f} (tolerance {tolerance})")
    for writing, figures in result["writings"].items():
        if figures.get("forms_started_by_a_question"):
            failures.append(f"held-out messages, way of writing '{writing}': "
                            f"{figures['forms_started_by_a_question']} form(s) started by a question")
    held_out_intents = set(result["intents"])
    for intent in sorted(set((result.get("cross_validation") or {}).get("intents", {})) - held_out_intents):
        notes.append(f"intent '{intent}' has no held-out messages: add a few to tests/evaluation/")
    return {"passed": not failures, "failures": failures, "notes": notes,
            "tolerance": tolerance, "floor": floor}


# --- the summary ------------------------------------------------------------------------

def markdown(result: Dict[str, Any]) -> str:
    lines = ["Held-out messages (tests/evaluation):", "",
             "| way of writing | messages | right | macro-F1 | wrong-topic answers | forms started by a question "
             "| wrong language | right without fallback |",
             "|---|---|---|---|---|---|---|---|"]
    for writing, figures in result["writings"].items():
        lines.append(f"| {writing} | {figures['messages']} | {figures['accuracy']:.3f} | "
                     f"{figures['macro_f1']:.3f} | {figures.get('wrong_topic', '–')} | "
                     f"{figures.get('forms_started_by_a_question', '–')} | {figures.get('wrong_language', '–')} | "
                     f"{figures['accuracy_without_fallback']:.3f} |")
    if result.get("long_tail"):
        lines += ["", "The long tail (tests/longtail: answers, in order, incl. knowledge entries and abstention):", "",
                  longtail.markdown(result["long_tail"])]
    return "\n".join(lines)


def _fmt(value: Optional[float]) -> str:
    return "–" if value is None else f"{value:.3f}"


def _change(now: Optional[float], before: Optional[float]) -> str:
    if now is None or before is None:
        return "–"
    return f"{now - before:+.3f}"


def writings_table(result: Dict[str, Any], accepted: Optional[Dict[str, Any]]) -> str:
    cv = result.get("cross_validation") or {}
    held = (accepted or {}).get("held_out", {}).get("macro_f1", {})
    cv_before = (accepted or {}).get("cross_validation", {}).get("macro_f1", {})
    lines = ["| way of writing | held-out accuracy | held-out macro-F1 | accepted | change "
             "| CV accuracy | CV macro-F1 | accepted | change |",
             "|---|---|---|---|---|---|---|---|---|"]
    for writing, figures in result["writings"].items():
        cv_figures = cv.get("writings", {}).get(writing, {})
        lines.append(
            f"| {writing} | {figures['accuracy']:.3f} | {figures['macro_f1']:.3f} | {_fmt(held.get(writing))} | "
            f"{_change(figures['macro_f1'], held.get(writing))} | {_fmt(cv_figures.get('accuracy'))} | "
            f"{_fmt(cv_figures.get('macro_f1'))} | {_fmt(cv_before.get(writing))} | "
            f"{_change(cv_figures.get('macro_f1'), cv_before.get(writing))} |")
    return "\n".join(lines)


def intents_table(result: Dict[str, Any], accepted: Optional[Dict[str, Any]], floor: float) -> str:
    cv = (result.get("cross_validation") or {}).get("intents", {})
    held = (accepted or {}).get("held_out", {}).get("intent_f1", {})
    lines = ["| intent | precision | recall | F1 | support | change | CV precision | CV recall | CV F1 "
             "| CV support |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for intent in sorted(set(result["intents"]) | set(cv)):
        h = result["intents"].get(intent, {})
        c = cv.get(intent, {})
        low = any(x is not None and x < floor for x in (h.get("f1"), c.get("f1")))
        name = f"**{intent}** ⚠" if low else intent
        lines.append(
            f"| {name} | {_fmt(h.get('precision'))} | {_fmt(h.get('recall'))} | {_fmt(h.get('f1'))} | "
            f"{h.get('support', 0)} | {_change(h.get('f1'), held.get(intent))} | {_fmt(c.get('precision'))} | "
            f"{_fmt(c.get('recall'))} | {_fmt(c.get('f1'))} | {c.get('support', 0)} |")
    return "\n".join(lines)


def pairs_table(result: Dict[str, Any]) -> str:
    held = {(p["expected"], p["predicted"]): p for p in result["confused_pairs"]}
    cv = {(p["expected"], p["predicted"]): p for p in (result.get("cross_validation") or {}).get("confused_pairs", [])}
    def count(key: Tuple[str, str]) -> int:
        return held.get(key, {}).get("count", 0) + cv.get(key, {}).get("count", 0)

    ranked = sorted(set(held) | set(cv), key=lambda key: (-count(key), key))
    lines = ["| meant | understood as | held-out | CV | for example |", "|---|---|---|---|---|"]
    for key in ranked[:TOP_PAIRS]:
        example = (held.get(key) or cv[key])["examples"][0].replace("|", "\\|")
        lines.append(f"| {key[0]} | {key[1]} | {held.get(key, {}).get('count', 0)} | "
                     f"{cv.get(key, {}).get('count', 0)} | {example} |")
    return "\n".join(lines)


def summary(result: Dict[str, Any], accepted: Optional[Dict[str, Any]], verdict: Dict[str, Any]) -> str:
    cv = result.get("cross_validation")
    cv_text = (f"{cv['folds']}-fold cross-validation on the {cv['examples']} training examples "
               f"(seed {cv['seed']}, {cv['seconds']:.0f} s)" if cv else "no cross-validation (--folds 0)")
    accepted_text = (f"compared with the accepted figures of {accepted.get('model')} ({accepted.get('accepted_at')})"
                     if accepted else "no accepted figures to compare with yet")
    parts = [
        f"# Evaluation of {result['model']}",
        "",
        f"{result['evaluated_at']}: {sum(f['messages'] for f in result['writings'].values())} held-out "
        f"messages from tests/evaluation; {cv_text}; {accepted_text}.",
        "",
        "## Verdict",
        "",
        ("**PASSED**: no way of writing lost more than "
         f"{verdict['tolerance']} macro-F1 and every intent has F1 of at least {verdict['floor']}."
         if verdict["passed"] else "**FAILED**:"),
    ]
    parts += [f"- {failure}" for failure in verdict["failures"]]
    parts += [f"- note: {note}" for note in verdict["notes"]]
    parts += [
        "",
        "## Per way of writing",
        "",
        writings_table(result, accepted),
        "",
        "## The long tail",
        "",
        "tests/longtail: messages written the way citizens ask (typos, two questions at once, "
        "greetings, follow-ups, out-of-domain questions), scored as answers: right only when every "
        "part is answered, in order, by the right topic or knowledge entry (or, out of domain, "
        "by saying so).",
        "",
        longtail.markdown(result["long_tail"]) if result.get("long_tail") else "(no long-tail messages)",
        "",
        "Macro-F1 is the average over intents of F1 (the balance of precision and recall), so a "
        "rare intent counts as much as a common one. \"change\" is against the accepted figures.",
        "",
        "## Per intent",
        "",
        "Precision: of the messages understood as this intent, the share that meant it. Recall: of "
        "the messages that meant it, the share understood. Support: how many messages meant it. "
        f"⚠: F1 below the floor {verdict['floor']}.",
        "",
        intents_table(result, accepted, verdict["floor"]),
        "",
        "## Most confused pairs",
        "",
        f"`{FALLBACK}`: the assistant was unsure and asked back. `{OUT_OF_SCOPE}`: it said it does not know "
        "(also when nothing it knows fit the message: the same answer).",
        "",
        pairs_table(result),
        "",
        "## Confusion matrix",
        "",
        "Rows: what the message meant; columns: what the assistant understood; off the diagonal "
        "are the mistakes.",
        "",
        "![held-out messages](confusion.png)" + ("  ![cross-validation](confusion_cv.png)" if cv else ""),
        "",
    ]
    return "\n".join(parts)


# --- putting it together ----------------------------------------------------------------

def evaluate(model: Path, data: Path, out: Path, folds: int, seed: int, jobs: int = 0) -> Dict[str, Any]:
    examples = load_examples(data)
    parses = parse_all(model, [e["text"] for e in examples])
    result = score(examples, parses)
    predicted = [answered_intent(p) for p in parses]
    gold = [e["intent"] for e in examples]
    result.update({
        "model": model.name.replace(".tar.gz", ""),
        "evaluated_at": datetime.datetime.now().isoformat(timespec="seconds"),
        "evaluation_data": files_digest(data),
        "intents": per_intent(gold, predicted),
        "confused_pairs": confused_pairs(examples, predicted),
        "cross_validation": None,
        "long_tail": longtail.evaluate(model),
        "long_tail_data": files_digest(longtail.LONG_TAIL),
    })
    out.mkdir(parents=True, exist_ok=True)
    plot_confusion(gold, predicted, out / "confusion.png", f"{result['model']}: held-out messages")
    if folds:
        cv = cross_validate(folds, seed, jobs)
        plot_confusion(cv.pop("_gold"), cv.pop("_predicted"), out / "confusion_cv.png",
                       f"{result['model']}: {folds}-fold cross-validation on the training data")
        result["cross_validation"] = cv
    return result


def is_fresh(report: Dict[str, Any], model: Path, data: Path, folds: int, seed: int) -> bool:
    """Is this report about this model, these held-out messages and this cross-validation?"""
    cv = report.get("cross_validation") or {}
    return (report.get("model") == model.name.replace(".tar.gz", "")
            and report.get("evaluation_data") == files_digest(data)
            and report.get("long_tail_data") == files_digest(longtail.LONG_TAIL)
            and cv.get("folds", 0) == folds and (not folds or cv.get("seed") == seed))


def load_json(path: Path) -> Optional[Dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True, type=Path)
    parser.add_argument("--data", default=PROJECT_DIR / "tests" / "evaluation", type=Path)
    parser.add_argument("--out", default=PROJECT_DIR / "reports", type=Path)
    parser.add_argument("--folds", type=int, default=DEFAULT_FOLDS,
                        help=f"cross-validation folds (default {DEFAULT_FOLDS}; 0 skips it)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="how the folds are drawn")
    parser.add_argument("--jobs", type=int, default=0,
                        help="folds trained at the same time (default: all; each takes about 1 GB)")
    parser.add_argument("--accepted", type=Path, default=ACCEPTED, help="the accepted figures")
    parser.add_argument("--tolerance", type=float, default=DEFAULT_TOLERANCE,
                        help=f"macro-F1 a way of writing may lose (default {DEFAULT_TOLERANCE})")
    parser.add_argument("--floor", type=float, default=DEFAULT_FLOOR,
                        help=f"lowest F1 an intent may have (default {DEFAULT_FLOOR})")
    parser.add_argument("--accept", action="store_true", help="record the figures as accepted")
    parser.add_argument("--force", action="store_true", help="with --accept: even when the gate fails")
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.folds == 1 or args.folds < 0:
        parser.error("--folds must be 0 (no cross-validation) or at least 2")
    if not args.model.exists():
        print(f"error: no model at {args.model}; run 'make train' first.", file=sys.stderr)
        return 2

    report_path = args.out / "evaluation.json"
    report = load_json(report_path) if args.accept else None
    if report and is_fresh(report, args.model, args.data, args.folds, args.seed):
        print(f"Using {report_path}: it is for {report['model']} and the current evaluation messages.")
        result = report
    else:
        result = evaluate(args.model, args.data, args.out, args.folds, args.seed, args.jobs)
    accepted = load_json(args.accepted)
    verdict = gate(result, accepted, args.tolerance, args.floor)
    result["gate"] = verdict
    args.out.mkdir(parents=True, exist_ok=True)
    report_path.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    text = summary(result, accepted, verdict)
    (args.out / "summary.md").write_text(text, encoding="utf-8")

    print(markdown(result))
    if args.show_errors:
        for error in result["errors"]:
            print(f"  [{error['writing']}] {error['text']!r}: {error['expected']} -> {error['predicted']} "
                  f"({error['confidence']})")
        for error in (result.get("long_tail") or {}).get("errors", []):
            after = f" (after {error['after']!r})" if error["after"] else ""
            print(f"  long tail [{error['writing']}] {error['text']!r}{after}: {error['expected']} -> {error['got']}")
    print(f"\n{len(result['errors'])} misclassified; details in {report_path}")
    print(f"Summary: {args.out / 'summary.md'}; confusion matrix: {args.out / 'confusion.png'}\n")
    print(text)

    if not args.accept:
        if verdict["passed"]:
            print("\n".join(["QUALITY GATE PASSED"] + [f"  note: {n}" for n in verdict["notes"]]))
            return 0
        print("\n".join(["QUALITY GATE FAILED: do not put this model into service."]
                        + [f"  - {f}" for f in verdict["failures"]]
                        + [f"  note: {n}" for n in verdict["notes"]]
                        + ["Fix the training data (see docs/maintainers.md), or, if the drop is "
                           "deliberate, record these figures with `make accept FORCE=1`."]), file=sys.stderr)
        return 1
    if not verdict["passed"] and not args.force:
        print("\n".join(["NOT ACCEPTED: the model fails the quality gate."]
                        + [f"  - {f}" for f in verdict["failures"]]
                        + ["Accept it anyway with `make accept FORCE=1` (say why in the commit)."]),
              file=sys.stderr)
        return 1
    args.accepted.write_text(json.dumps(accepted_figures(result), ensure_ascii=False, indent=2) + "\n",
                             encoding="utf-8")
    shown = args.accepted.relative_to(PROJECT_DIR) if args.accepted.is_relative_to(PROJECT_DIR) else args.accepted
    print(f"Accepted: the figures of {result['model']} are in {shown}; commit that file with the data.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
