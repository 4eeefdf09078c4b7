"""The maintainers' worked example (docs/maintainers.md), done for real on a copy of the
project: the snippets of the page are applied as written, the copy is checked, retrained,
evaluated against the accepted figures, and its servers answer the new question in
Georgian and English."""

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
NEW_INTENT = "ask_event_accessibility"
PYTHON = sys.executable
# not part of the project: environments, trained models, conversations, reports, caches
NOT_COPIED = {".git", ".venv", "models", "var", "reports", "results", "node_modules", ".rasa",
              ".pytest_cache", "__pycache__"}

SNIPPET = re.compile(r"<!-- worked example: (?P<instruction>.+?) -->\n(?:```\w*\n(?P<block>.*?)```)?", re.S)
APPEND = re.compile(r"append to (?P<path>\S+)")
AFTER = re.compile(r'in (?P<path>\S+), after the line "(?P<line>.+)"')
REPLACE = re.compile(r'in (?P<path>\S+), replace "(?P<old>.+)" with "(?P<new>.+)"')


def copy_project(target: Path) -> Path:
    shutil.copytree(PROJECT_DIR, target, ignore=lambda folder, names: [n for n in names if n in NOT_COPIED])
    # the same interpreter and packages: the scripts call .venv/bin/... relative to the project
    (target / ".venv").symlink_to(PROJECT_DIR / ".venv")
    return target


def apply_worked_example(project: Path) -> list[str]:
    """Does what docs/maintainers.md tells the maintainer to do; returns the instructions."""
    done = []
    for match in SNIPPET.finditer(GUIDE.read_text(encoding="utf-8")):
        instruction, block = match["instruction"], match["block"]
        if m := APPEND.fullmatch(instruction):
            path = project / m["path"]
            text = path.read_text(encoding="utf-8")
            path.write_text(text + ("" if text.endswith("\n") else "\n") + block, encoding="utf-8")
        elif m := AFTER.fullmatch(instruction):
            path = project / m["path"]
            lines = path.read_text(encoding="utf-8").split("\n")
            at = lines.index(m["line"]) + 1
            path.write_text("\n".join(lines[:at] + block.rstrip("\n").split("\n") + lines[at:]), encoding="utf-8")
        elif m := REPLACE.fullmatch(instruction):
            path = project / m["path"]
            text = path.read_text(encoding="utf-8")
            assert m["old"] in text, f"docs/maintainers.md: '{m['old']}' is not in {m['path']} any more"
            path.write_text(text.replace(m["old"], m["new"]), encoding="utf-8")
        else:
            raise AssertionError(f"docs/maintainers.md: unknown worked-example instruction '{instruction}'")
        done.append(instruction)
    return done


def run(project: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, *args], cwd=project, capture_output=True, text=True, timeout=timeout)


def texts(answers: list[dict]) -> str:
    return " ".join(a.get("text", "") for a in answers)


def test_a_maintainer_adds_an_intent_retrains_and_the_assistant_answers(tmp_path):
    project = copy_project(tmp_path / "project")
    instructions = apply_worked_example(project)
    assert len(instructions) >= 8, instructions

    checked = run(project, "scripts/check_data.py")
    assert checked.returncode == 0, checked.stdout + checked.stderr

    trained = run(project, "scripts/model.py", "train")
    assert trained.returncode == 0, trained.stdout[-3000:] + trained.stderr[-3000:]
    model = project / run(project, "scripts/model.py", "path").stdout.strip()
    assert model.exists()

    # the gate (held-out messages only, to keep the test short) runs while the servers start
    gate = subprocess.Popen([PYTHON, "scripts/evaluate.py", "--model", str(model), "--folds", "0"],
                            cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    (tmp_path / "servers").mkdir()
    servers = Servers(model, tmp_path / "servers", extra_env={"RASA_MODEL": str(model)}, project_dir=project)
    try:
        servers.start("actions")
        servers.start("rasa")
        georgian = servers.ask("ეტლით შესვლა შესაძლებელია ღონისძიებაზე?")
        english = servers.ask("Is the venue accessible by wheelchair?")
    finally:
        servers.stop_all()
        out, err = gate.communicate(timeout=600)
    assert "ეტლ" in texts(georgian) and georgian_share(texts(georgian)) > 0.3, georgian
    assert "wheelchair" in texts(english) and georgian_share(texts(english)) < 0.1, english

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
    refused = run(project, "scripts/evaluate.py", "--model", str(model), "--folds", "0",
                  "--accepted", str(stricter), "--accept")
    assert refused.returncode == 1
    assert "way of writing 'ka': macro-F1 fell from 1.000" in refused.stderr, refused.stderr
    assert "Using" in refused.stdout, "the fresh report was not reused"

    # accepting records the new model and its new intent
    accepted_now = run(project, "scripts/evaluate.py", "--model", str(model), "--folds", "0", "--accept")
    assert accepted_now.returncode == 0, accepted_now.stdout[-2000:] + accepted_now.stderr[-2000:]
    figures = json.loads((project / "tests" / "evaluation" / "accepted.json").read_text(encoding="utf-8"))
    assert figures["model"] == model.name[: -len(".tar.gz")]
    assert NEW_INTENT in figures["held_out"]["intent_f1"]
    listing = run(project, "scripts/model.py", "list").stdout
    assert f"{model.name[: -len('.tar.gz')]}" in listing
    assert "matches the current data; accepted" in listing
