"""Rasa's logistic-regression intent classifier on TF-IDF-weighted n-grams.

Rasa's LogisticRegressionClassifier fits raw counts with a fixed C=1. On this data,
weighting the n-grams by TF-IDF (sublinear) and regularising less is right more often in
every way of writing, in 5-fold cross-validation on the training data and on the held-out
set, and its confidences separate gibberish from questions better, so the fallback
threshold does its job. C itself (config.yml: 100) was chosen by 3-fold cross-validation
with two fold seeds (docs/evaluation.md).

Dense sentence features (the multilingual sentence vector of
``components.sentence_vectors``) go beside the TF-IDF n-grams, scaled by ``dense_weight``;
``features`` chooses what the classifier sees (``[ngrams, vectors]``; the ablation in
docs/evaluation.md trains it with one of the two).

A message with no features at all (only emoji or punctuation: the tokenizer keeps no
word) counts as an all-zero row; Rasa's classifier fails on it ("Found array with 0
feature(s)"), which would end the turn without an answer.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Text

import numpy as np
from scipy.sparse import csr_matrix, hstack, vstack
from sklearn.feature_extraction.text import TfidfTransformer

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

IDF_FILE = "idf.json"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class TfidfLogisticRegressionClassifier(LogisticRegressionClassifier):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**LogisticRegressionClassifier.get_default_config(), "C": 100.0, "sublinear_tf": True,
                "dense_weight": 1.0, "features": ["ngrams", "vectors"]}

    def __init__(self, config: Dict[Text, Any], name: Text, model_storage: ModelStorage,
                 resource: Resource) -> None:
        super().__init__(config, name, model_storage, resource)
        self.clf.set_params(C=self.config["C"])
        self.tfidf = TfidfTransformer(sublinear_tf=self.config["sublinear_tf"])

    def _sparse(self, message: Message) -> csr_matrix:
        features = message.get_sparse_features(attribute=TEXT)[1]
        return csr_matrix(features.features) if features is not None else csr_matrix((1, 0))

    def _dense(self, message: Message) -> np.ndarray:
        features = message.get_dense_features(attribute=TEXT)[1]
        return np.asarray(features.features).reshape(1, -1) if features is not None else np.zeros((1, 0))

    def _create_X(self, messages: List[Message]) -> csr_matrix:
        blocks = []
        if "ngrams" in self.config["features"]:
            width = len(self.tfidf.idf_)
            rows = [self._sparse(message) for message in messages]
            rows = [row if row.shape[1] == width else csr_matrix((1, width)) for row in rows]
            blocks.append(self.tfidf.transform(vstack(rows, format="csr") if rows else csr_matrix((0, width))))
        if "vectors" in self.config["features"]:
            dense = [self._dense(message) for message in messages]
            width = max((d.shape[1] for d in dense), default=0)
            dense = [d if d.shape[1] == width else np.zeros((1, width)) for d in dense]
            matrix = np.vstack(dense) if dense else np.zeros((0, width))
            blocks.append(csr_matrix(matrix * self.config["dense_weight"]))
        return hstack(blocks, format="csr")

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get("intent") and e.get("text")]
        if not examples:
            return self._resource
        self.tfidf.fit(vstack([self._sparse(e) for e in examples], format="csr"))
        resource = super().train(training_data)
        column_major(self.clf)
        return resource

    def persist(self) -> None:
        super().persist()
        with self._model_storage.write_to(self._resource) as model_dir:
            (model_dir / IDF_FILE).write_text(json.dumps(self.tfidf.idf_.tolist()), encoding="utf-8")

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "TfidfLogisticRegressionClassifier":
        component = super().load(config, model_storage, resource, execution_context, **kwargs)
        try:
            with model_storage.read_from(resource) as model_dir:
                component.tfidf.idf_ = np.array(json.loads((model_dir / IDF_FILE).read_text(encoding="utf-8")))
        except (ValueError, FileNotFoundError):
            pass  # untrained: super().load made an empty component
        column_major(component.clf)
        return component


def column_major(classifier: Any) -> None:
    """Stores a fitted linear model's weights column by column. Predicting computes
    features @ coef_.T; with row-major weights scipy copies the whole transposed matrix
    (n-grams x intents) for every message, about 5 ms; column-major, it copies nothing."""
    if getattr(classifier, "coef_", None) is not None:
        classifier.coef_ = np.asfortranarray(classifier.coef_)
