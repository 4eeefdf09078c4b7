"""Intent accuracy and macro-F1 per way of writing for one model, with scripts/evaluate.py's
own functions (load_examples, parse_all, score): the held-out figures only, no
cross-validation. Prints JSON: {model: {writing: {messages, accuracy, macro_f1}}}.

    .venv/bin/python bench/scripts/accuracy.py MODEL.tar.gz [MODEL.tar.gz ...]
"""

from __future__ import annotations

import json
import logging
import os
import sys
import warnings
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_DIR))
sys.path.insert(0, str(PROJECT_DIR / "scripts"))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
warnings.filterwarnings("ignore")


def main() -> int:
    logging.basicConfig(level=logging.ERROR)
    from evaluate import load_examples, parse_all, score

    examples = load_examples(PROJECT_DIR / "tests" / "evaluation")
    figures = {}
    for model in sys.argv[1:]:
        writings = score(examples, parse_all(Path(model), [e["text"] for e in examples]))["writings"]
        figures[model] = {w: {"messages": f["messages"], "accuracy": f["accuracy"], "macro_f1": f["macro_f1"]}
                          for w, f in writings.items()}
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
