"""The maintainers' worked example of the knowledge base (docs/maintainers.md, section 2),
done for real on a copy of the project: the snippets of the page are applied as written
(a new entry in content/knowledge/ and an empty fact in content/events.yml), the copy is
checked, and its servers, started with the model trained for the main project (no
retraining: the model does not depend on content/), answer the new question in the three
ways of writing with the entry's "not published" answer. Publishing the fact while the
servers run changes the answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from actions.content import Event, parse_events
from components import knowledge
from tests.conftest import Servers
from tests.test_maintainer_workflow import apply_snippets, copy_project, run

pytestmark = pytest.mark.e2e

MARKER = "knowledge example"
PUBLISHED = "knowledge example, once published"
ENTRY = "event-parking"
FACT = "parking"
# new sentences, not questions of the entry; the answer's language for each way of writing
QUESTIONS = {
    "ka": ("ფაბერ ბოქსთან მანქანის გაჩერება თუ შეიძლება?", "ka"),
    "ka-Latn": ("sad davayeno manqana konferenciaze?", "ka"),
    "en": ("Where do I park when I drive to the conference?", "en"),
}


def current_event(project: Path) -> Event:
    return parse_events(project / "content" / "events.yml")["current"]


def rendered(template: str, event: Event, language: str, fact: str = "") -> str:
    """The entry's text as the action server fills it in (components/knowledge.py lists
    the placeholders)."""
    return template.format(title=event.title[language], dates=event.dates(language), venue=event.venue[language],
                           ask=event.where_to_ask(language), fact=fact, registration_status="")


def answers(servers: Servers) -> dict[str, list[str]]:
    return {writing: [a.get("text", "") for a in servers.ask(question)]
            for writing, (question, _) in QUESTIONS.items()}


def test_a_maintainer_adds_a_knowledge_entry_and_the_running_assistant_answers(model_path, tmp_path):
    project = copy_project(tmp_path / "project")
    instructions = apply_snippets(project, MARKER)
    assert len(instructions) >= 2, instructions
    assert (project / "content" / "knowledge" / "parking.yml").exists()

    checked = run(project, "-m", "scripts.check_data")
    assert checked.returncode == 0, checked.stdout + checked.stderr

    entry = knowledge.load(project / "content" / "knowledge")[ENTRY]
    assert entry.fact == FACT and entry.unknown is not None
    for writing, (question, _) in QUESTIONS.items():
        assert question not in entry.questions[writing], f"'{question}' is an example of the entry: ask a new one"
    event = current_event(project)
    assert event.fact(FACT, "en") is None, "the fact starts out empty (not published)"

    (tmp_path / "servers").mkdir()
    servers = Servers(model_path, tmp_path / "servers", extra_env={"RASA_MODEL": str(model_path)},
                      project_dir=project)
    try:
        servers.start("actions")
        servers.start("rasa")
        before = answers(servers)

        # the organisers publish the fact: the running servers answer with it, no restart
        published = apply_snippets(project, PUBLISHED)
        assert published, f"docs/maintainers.md has no '{PUBLISHED}' snippet"
        checked_again = run(project, "-m", "scripts.check_data")
        after = answers(servers)
    finally:
        servers.stop_all()

    # not published yet: the entry's `unknown`, in Georgian script for Georgian in Latin letters too
    for writing, (_, language) in QUESTIONS.items():
        assert before[writing] == [rendered(entry.unknown[language], event, language)], (writing, before[writing])

    assert checked_again.returncode == 0, checked_again.stdout + checked_again.stderr
    event = current_event(project)
    for writing, (_, language) in QUESTIONS.items():
        fact = event.fact(FACT, language)
        assert fact, f"the published snippet does not fill '{FACT}' in {language}"
        assert after[writing] == [rendered(entry.answer[language], event, language, fact)], (writing, after[writing])
        assert fact in after[writing][0]
