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
from typing import Any, Dict, List, Sequence, Text, Tuple

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix, vstack
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

    def _ngrams(self, message: Message, width: int) -> Tuple[np.ndarray, np.ndarray]:
        """(columns, TF-IDF weights) of the message's n-grams: what TfidfTransformer.transform
        makes of the row (sublinear counts, times the IDF, unit length), without building a
        matrix per message."""
        features = message.get_sparse_features(attribute=TEXT)[1]
        if features is None or features.features.shape[1] != width:
            return np.zeros(0, np.int64), np.zeros(0)
        row = coo_matrix(features.features)
        columns, at = np.unique(row.col, return_inverse=True)  # a column given twice counts once, summed
        counts = np.bincount(at, weights=row.data, minlength=len(columns)).astype(np.float64)
        columns, counts = columns[counts != 0], counts[counts != 0]
        weights = (np.log(counts) + 1.0 if self.tfidf.sublinear_tf else counts) * self.tfidf.idf_[columns]
        norm = np.sqrt(weights @ weights)
        return columns.astype(np.int64), weights / norm if norm else weights

    def _dense(self, message: Message) -> np.ndarray:
        features = message.get_dense_features(attribute=TEXT)[1]
        return np.asarray(features.features, dtype=np.float64).reshape(-1) if features is not None else np.zeros(0)

    def _create_X(self, messages: List[Message]) -> csr_matrix:
        """One row per message: its TF-IDF n-grams, then its sentence vector times
        ``dense_weight`` (a message with none counts as zeros)."""
        ngrams = "ngrams" in self.config["features"]
        width = len(self.tfidf.idf_) if ngrams else 0
        dense = [self._dense(m) for m in messages] if "vectors" in self.config["features"] else [np.zeros(0)] * len(messages)
        depth = max((d.shape[0] for d in dense), default=0)
        none = (np.zeros(0, np.int64), np.zeros(0))
        return stacked_rows([(*(self._ngrams(message, width) if ngrams else none), vector * self.config["dense_weight"])
                             for message, vector in zip(messages, dense, strict=True)], width, depth)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get("intent") and e.get("text")]
        if not examples:
            return self._resource
        rows = [e.get_sparse_features(attribute=TEXT)[1] for e in examples]
        self.tfidf.fit(vstack([csr_matrix(r.features) for r in rows if r is not None], format="csr"))
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


def stacked_rows(rows: Sequence[Tuple[np.ndarray, np.ndarray, np.ndarray]], width: int, depth: int) -> csr_matrix:
    """One sparse row per (n-gram columns, n-gram weights, dense vector): the n-grams in the
    first ``width`` columns, then the vector in the next ``depth`` (a vector of another
    length counts as zeros). Built directly: scipy's ``hstack`` of a sparse and a dense
    block costs more than the prediction it feeds."""
    indices, data, indptr = [], [], [0]
    for columns, weights, vector in rows:
        if vector.shape[0] == depth and depth:
            columns = np.concatenate([columns, width + np.arange(depth)])
            weights = np.concatenate([weights, vector])
        indices.append(columns)
        data.append(weights)
        indptr.append(indptr[-1] + len(columns))
    return csr_matrix((np.concatenate(data) if data else np.zeros(0),
                       np.concatenate(indices) if indices else np.zeros(0, np.int64), np.array(indptr)),
                      shape=(len(rows), width + depth))


def column_major(classifier: Any) -> None:
    """Stores a fitted linear model's weights column by column. Predicting computes
    features @ coef_.T; with row-major weights scipy copies the whole transposed matrix
    (n-grams x intents) for every message, about 5 ms; column-major, it copies nothing."""
    if getattr(classifier, "coef_", None) is not None:
        classifier.coef_ = np.asfortranarray(classifier.coef_)
