"""Rasa's file importer, plus the knowledge base's questions as the intent ``ask_knowledge``.

The knowledge base answers without retraining: the question router finds entries by
sentence vectors, whatever the model was trained on. Training on the entries' questions
as one more intent adds what the n-gram classifier can learn from them ("is this one of
the practical questions?"), and `rasa data validate` sees them beside the intents' own
examples, so a knowledge question that is also an intent's example is reported as a
duplicate. The model's name (scripts/model.py) does not depend on content/: editing the
knowledge base does not make `make run` retrain.

config.yml: ``importers: [{name: components.knowledge_importer.KnowledgeImporter}]``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional, Text

from rasa.shared.importers.rasa import RasaFileImporter
from rasa.shared.nlu.constants import METADATA, METADATA_EXAMPLE, METADATA_INTENT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components import knowledge

from components.knowledge import knowledge_dir

KNOWLEDGE_INTENT = "ask_knowledge"


def knowledge_training_data(directory: Optional[Path] = None) -> TrainingData:
    entries = knowledge.load(directory or knowledge_dir())
    messages = []
    for entry in entries.values():
        for writing, question in entry.all_questions():
            message = Message.build(text=question, intent=KNOWLEDGE_INTENT)
            message.set(METADATA, {METADATA_INTENT: {"lang": writing}, METADATA_EXAMPLE: {"entry": entry.id}})
            messages.append(message)
    return TrainingData(training_examples=messages)


class KnowledgeImporter(RasaFileImporter):
    """The project's files, and the knowledge base's example questions."""

    def get_nlu_data(self, language: Optional[Text] = "en") -> TrainingData:
        data = super().get_nlu_data(language)
        if not data.training_examples:  # core-only uses: nothing to add
            return data
        return data.merge(knowledge_training_data())
