"""The maintainers' worked example of an intent (docs/maintainers.md, section 3), done for
real on a copy of the project: the snippets of the page are applied as written, the copy
is checked, retrained, evaluated against the accepted figures, and its servers answer the
new question in Georgian and English.

The snippet machinery here (copy_project, apply_snippets) also serves the knowledge-base
example (tests/test_knowledge_workflow.py), which has a marker of its own."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from components.georgian import georgian_share
from tests.conftest import PROJECT_DIR, Servers

pytestmark = pytest.mark.e2e

GUIDE = PROJECT_DIR / "docs" / "maintainers.md"
NEW_INTENT = "ask_event_food"
PYTHON = sys.executable
# not part of the project: environments, trained models, conversations, reports, caches
NOT_COPIED = {".git", ".venv", "models", "var", "reports", "results", "node_modules", ".rasa",
              ".pytest_cache", "__pycache__"}

APPEND = re.compile(r"append to (?P<path>\S+)")
AFTER = re.compile(r'in (?P<path>\S+), after the line "(?P<line>.+)"')
REPLACE = re.compile(r'in (?P<path>\S+), replace "(?P<old>.+)" with "(?P<new>.+)"')
REPLACE_LINE = re.compile(r'in (?P<path>\S+), replace the line "(?P<line>.+)"')


def copy_project(target: Path) -> Path:
    shutil.copytree(PROJECT_DIR, target, ignore=lambda folder, names: [n for n in names if n in NOT_COPIED])
    # the same interpreter and packages: the scripts call .venv/bin/... relative to the project
    (target / ".venv").symlink_to(PROJECT_DIR / ".venv")
    return target


def snippets(marker: str) -> list[tuple[str, str | None]]:
    """(instruction, block) of every `<!-- marker: instruction -->` of docs/maintainers.md,
    with the fenced block right below it, if any. Each worked example has its own marker."""
    pattern = re.compile(rf"<!-- {re.escape(marker)}: (?P<instruction>.+?) -->\n(?:```\w*\n(?P<block>.*?)```)?", re.S)
    return [(m["instruction"], m["block"]) for m in pattern.finditer(GUIDE.read_text(encoding="utf-8"))]


def _line_index(lines: list[str], line: str, path: str, marker: str) -> int:
    assert line in lines, f"docs/maintainers.md ({marker}): the line '{line}' is not in {path} any more"
    return lines.index(line)


def apply_snippets(project: Path, marker: str) -> list[str]:
    """Does what the snippets of docs/maintainers.md marked `marker` tell the maintainer to
    do, to the files of `project`; returns the instructions."""
    done = []
    for instruction, block in snippets(marker):
        if m := APPEND.fullmatch(instruction):  # a new file is created
            path = project / m["path"]
            text = path.read_text(encoding="utf-8") if path.exists() else ""
            path.write_text(text + ("" if not text or text.endswith("\n") else "\n") + block, encoding="utf-8")
        elif m := AFTER.fullmatch(instruction):
            path = project / m["path"]
            lines = path.read_text(encoding="utf-8").split("\n")
            at = _line_index(lines, m["line"], m["path"], marker) + 1
            path.write_text("\n".join(lines[:at] + block.rstrip("\n").split("\n") + lines[at:]), encoding="utf-8")
        elif m := REPLACE_LINE.fullmatch(instruction):
            path = project / m["path"]
            lines = path.read_text(encoding="utf-8").split("\n")
            at = _line_index(lines, m["line"], m["path"], marker)
            path.write_text("\n".join(lines[:at] + block.rstrip("\n").split("\n") + lines[at + 1:]), encoding="utf-8")
        elif m := REPLACE.fullmatch(instruction):
            path = project / m["path"]
            text = path.read_text(encoding="utf-8")
            assert m["old"] in text, f"docs/maintainers.md ({marker}): '{m['old']}' is not in {m['path']} any more"
            path.write_text(text.replace(m["old"], m["new"]), encoding="utf-8")
        else:
            raise AssertionError(f"docs/maintainers.md: unknown {marker} instruction '{instruction}'")
        done.append(instruction)
    return done


def apply_worked_example(project: Path) -> list[str]:
    """Does what docs/maintainers.md tells the maintainer to do to add an intent."""
    return apply_snippets(project, "worked example")


def run(project: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, *args], cwd=project, capture_output=True, text=True, timeout=timeout)


def texts(answers: list[dict]) -> str:
    return " ".join(a.get("text", "") for a in answers)


def test_a_maintainer_adds_an_intent_retrains_and_the_assistant_answers(tmp_path):
    project = copy_project(tmp_path / "project")
    instructions = apply_worked_example(project)
    assert len(instructions) >= 8, instructions

    checked = run(project, "-m", "scripts.check_data")
    assert checked.returncode == 0, checked.stdout + checked.stderr

    trained = run(project, "-m", "scripts.model", "train")
    assert trained.returncode == 0, trained.stdout[-3000:] + trained.stderr[-3000:]
    model = project / run(project, "-m", "scripts.model", "path").stdout.strip()
    assert model.exists()

    # the gate (held-out messages only, to keep the test short) runs while the servers start
    gate = subprocess.Popen([PYTHON, "-m", "scripts.evaluate", "--model", str(model), "--folds", "0"],
                            cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    (tmp_path / "servers").mkdir()
    servers = Servers(model, tmp_path / "servers", extra_env={"RASA_MODEL": str(model)}, project_dir=project)
    try:
        servers.start("actions")
        servers.start("rasa")
        # new sentences: neither training examples nor evaluation messages
        georgian = servers.ask("ღონისძიების დღეებში სადილი გვექნება?")
        english = servers.ask("Is lunch included for people attending the conference?")
    finally:
        servers.stop_all()
        out, err = gate.communicate(timeout=600)
    # the new answer (utter_ask_event_food), in the citizen's language
    assert "კვებ" in texts(georgian) and georgian_share(texts(georgian)) > 0.3, georgian
    assert "food" in texts(english) and "organisers" in texts(english), english
    assert georgian_share(texts(english)) < 0.1, english

    assert gate.returncode == 0, out[-4000:] + err[-4000:]
    assert "QUALITY GATE PASSED" in out
    report = json.loads((project / "reports" / "evaluation.json").read_text(encoding="utf-8"))
    assert report["intents"][NEW_INTENT]["support"] == 9
    assert report["intents"][NEW_INTENT]["f1"] >= 0.5
    assert (project / "reports" / "summary.md").read_text(encoding="utf-8").count(NEW_INTENT) >= 1
    assert (project / "reports" / "confusion.png").stat().st_size > 10_000

    # a model worse than the accepted figures is refused, naming what fell
    accepted = json.loads((project / "tests" / "evaluation" / "accepted.json").read_text(encoding="utf-8"))
    accepted["held_out"]["macro_f1"]["ka"] = 1.0
    stricter = tmp_path / "stricter.json"
    stricter.write_text(json.dumps(accepted), encoding="utf-8")
    refused = run(project, "-m", "scripts.evaluate", "--model", str(model), "--folds", "0",
                  "--accepted", str(stricter), "--accept")
    assert refused.returncode == 1
    assert "way of writing 'ka': macro-F1 fell from 1.000" in refused.stderr, refused.stderr
    assert "Using" in refused.stdout, "the fresh report was not reused"

    # accepting records the new model and its new intent
    accepted_now = run(project, "-m", "scripts.evaluate", "--model", str(model), "--folds", "0", "--accept")
    assert accepted_now.returncode == 0, accepted_now.stdout[-2000:] + accepted_now.stderr[-2000:]
    figures = json.loads((project / "tests" / "evaluation" / "accepted.json").read_text(encoding="utf-8"))
    assert figures["model"] == model.name[: -len(".tar.gz")]
    assert NEW_INTENT in figures["held_out"]["intent_f1"]
    listing = run(project, "-m", "scripts.model", "list").stdout
    assert f"{model.name[: -len('.tar.gz')]}" in listing
    assert "matches the current data; accepted" in listing
