"""Intent accuracy and macro-F1 per way of writing for one model, with scripts/evaluate.py's
own functions (load_examples, parse_all, score): the held-out figures only, no
cross-validation. Prints JSON: {model: {writing: {messages, accuracy, macro_f1}}}.

    .venv/bin/python bench/scripts/accuracy.py MODEL.tar.gz [MODEL.tar.gz ...]
    .venv/bin/python bench/scripts/accuracy.py --project /tmp/previous --shared-with /tmp/previous/domain.yml M

--project: the project whose scripts/evaluate.py and components/ load and parse (another
design's folder, e.g. the previous commit's); the messages are still this project's
tests/evaluation (--examples). --shared-with DOMAIN: also score only the messages whose intent
that domain has, under the model's key "_shared" (a design that lacks an intent cannot get
its messages right).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import warnings
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
warnings.filterwarnings("ignore")


def domain_intents(domain: Path) -> set:
    """The intents of a domain: one file (domain.yml, as older commits have it) or a
    folder of them (domain/)."""
    import yaml

    files = sorted(domain.glob("*.yml")) if domain.is_dir() else [domain]
    intents = [i for f in files for i in (yaml.safe_load(f.read_text(encoding="utf-8")) or {}).get("intents") or []]
    return {next(iter(i)) if isinstance(i, dict) else str(i) for i in intents}


def figures_of(result: dict) -> dict:
    return {w: {"messages": f["messages"], "accuracy": f["accuracy"], "macro_f1": f["macro_f1"]}
            for w, f in result["writings"].items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("models", nargs="+", type=Path)
    parser.add_argument("--project", type=Path, default=PROJECT_DIR)
    parser.add_argument("--examples", type=Path, default=PROJECT_DIR / "tests" / "evaluation")
    parser.add_argument("--shared-with", type=Path)
    args = parser.parse_args()
    project = args.project.resolve()
    # that project's evaluate.py and components, not this one's
    sys.path[:0] = [str(project), str(project / "scripts")]
    os.chdir(project)
    logging.basicConfig(level=logging.ERROR)
    from evaluate import load_examples, parse_all, score

    examples = load_examples(args.examples.resolve())
    known = domain_intents(args.shared_with) if args.shared_with else None
    figures = {}
    for model in args.models:
        parses = parse_all(model.resolve(), [e["text"] for e in examples])
        figures[str(model)] = figures_of(score(examples, parses))
        if known is not None:
            kept = [i for i, e in enumerate(examples) if e["intent"] in known]
            figures[str(model)]["_shared"] = figures_of(score([examples[i] for i in kept], [parses[i] for i in kept]))
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
