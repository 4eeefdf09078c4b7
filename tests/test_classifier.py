"""The intent classifier's rows (components/classifier.py): TF-IDF n-grams as sklearn's
TfidfTransformer makes them, then the sentence vector."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from sklearn.feature_extraction.text import TfidfTransformer

from components.classifier import TfidfLogisticRegressionClassifier

WIDTH, DEPTH = 50, 8


def _message(counts: sp.spmatrix | None, vector: np.ndarray | None) -> Message:
    message = Message({TEXT: "x"})
    if counts is not None:
        message.add_features(Features(counts, "sentence", TEXT, "counts"))
    if vector is not None:
        message.add_features(Features(vector.reshape(1, -1), "sentence", TEXT, "vectors"))
    return message


@pytest.mark.parametrize("sublinear", [True, False])
def test_rows_are_sklearns_tfidf_then_the_weighted_vector(tmp_path, sublinear):
    rng = np.random.default_rng(3)
    corpus = sp.random(40, WIDTH, density=0.2, format="csr", random_state=4)
    corpus.data = np.ceil(corpus.data * 3)
    config = {**TfidfLogisticRegressionClassifier.get_default_config(), "sublinear_tf": sublinear, "dense_weight": 0.7}
    classifier = TfidfLogisticRegressionClassifier.create(
        config, LocalModelStorage(tmp_path), Resource("classifier"), ExecutionContext(GraphSchema({}), "1"))
    classifier.tfidf.fit(corpus)
    reference = TfidfTransformer(sublinear_tf=sublinear).fit(corpus)

    counts = sp.coo_matrix(corpus[:3].toarray())  # as the count featurizer hands them over
    vectors = rng.normal(size=(3, DEPTH))
    messages = [_message(sp.coo_matrix(counts.tocsr()[i]), vectors[i]) for i in range(3)]
    messages.append(_message(sp.coo_matrix((1, WIDTH)), vectors[0]))  # no known n-gram
    messages.append(_message(sp.coo_matrix((1, WIDTH + 1)), None))  # another vocabulary, no vector

    rows = classifier._create_X(messages).toarray()

    expected_ngrams = reference.transform(counts.tocsr()).toarray()
    assert rows.shape == (5, WIDTH + DEPTH)
    np.testing.assert_allclose(rows[:3, :WIDTH], expected_ngrams)
    np.testing.assert_allclose(rows[:3, WIDTH:], vectors * 0.7)
    np.testing.assert_allclose(rows[3], np.r_[np.zeros(WIDTH), vectors[0] * 0.7])
    assert not rows[4].any()
