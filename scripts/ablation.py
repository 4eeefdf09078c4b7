"""What the sentence vectors are worth: the intent classifier with n-grams only, vectors
only, and both, per way of writing, on both evaluation sets and in cross-validation.

    python -m scripts.ablation [--folds 3] [--out reports/ablation]

Each variant is config.yml with the classifier's ``features`` changed; everything else
(the question router, the knowledge base) is the same. Writes reports/ablation/ablation.json
and prints a Markdown table (docs/evaluation.md has the latest).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict

import yaml

from scripts import evaluate, longtail

PROJECT_DIR = Path(__file__).resolve().parent.parent

VARIANTS = {"n-grams only": ["ngrams"], "vectors only": ["vectors"], "both": ["ngrams", "vectors"]}


def variant_config(features: list, folder: Path) -> Path:
    config = yaml.safe_load((PROJECT_DIR / "config.yml").read_text(encoding="utf-8"))
    for component in config["pipeline"]:
        if component["name"].endswith("TfidfLogisticRegressionClassifier"):
            component["features"] = features
    path = folder / f"config-{'-'.join(features)}.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=evaluate.DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=PROJECT_DIR / "reports" / "ablation")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    args.out.mkdir(parents=True, exist_ok=True)
    results: Dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="avatar-ablation-") as tmp:
        for label, features in VARIANTS.items():
            started = time.monotonic()
            config = variant_config(features, Path(tmp))
            model = evaluate.train_quietly(PROJECT_DIR, PROJECT_DIR / "data" / "nlu", Path(tmp), label.replace(" ", "-"),
                                           config)
            examples = evaluate.load_examples(PROJECT_DIR / "tests" / "evaluation")
            held_out = evaluate.score(examples, evaluate.parse_all(model, [e["text"] for e in examples]))
            tail = longtail.evaluate(model)
            cv = evaluate.cross_validate(args.folds, args.seed, project=PROJECT_DIR, config=config) if args.folds else None
            results[label] = {
                "held_out": {w: f["accuracy"] for w, f in held_out["writings"].items()},
                "long_tail": {w: f["right"] for w, f in (tail or {}).get("writings", {}).items()},
                "cross_validation": {w: f["accuracy"] for w, f in (cv or {}).get("writings", {}).items()},
                "seconds": round(time.monotonic() - started),
            }
            (args.out / "ablation.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
            print(f"{label}: {results[label]}", flush=True)
    lines = ["| classifier features | held-out ka / ka-Latn / en | long tail ka / ka-Latn / en | "
             f"{args.folds}-fold CV ka / ka-Latn / en |", "|---|---|---|---|"]
    for label, r in results.items():
        cell = lambda d: " / ".join(f"{d.get(w, float('nan')):.3f}" for w in ("ka", "ka-Latn", "en"))  # noqa: E731
        lines.append(f"| {label} | {cell(r['held_out'])} | {cell(r['long_tail'])} | {cell(r['cross_validation'])} |")
    table = "\n".join(lines)
    (args.out / "ablation.md").write_text(table + "\n", encoding="utf-8")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
