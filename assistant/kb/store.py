"""The Chroma vector store: embedded ``PersistentClient`` or a ``chroma run`` server (``chroma_url``).

Vectors are computed by our (cached) embedder and passed in; the collection still carries our
registered embedding function so Chroma never loads its own default model. Chroma errors are
translated here into :class:`KbError` with a Chinese next step.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from ..errors import XxgkError
from .chunk import Chunk

MAX_BATCH = 4000  # Chroma 1.5.9 accepts at most 5461 records per call


class KbError(XxgkError):
    default_hint = "运行 xxgk index 重建索引；仍有问题请设置 XXGK_DEBUG=1 查看详情"


class StoreUnavailableError(KbError):
    default_hint = "请确认 Chroma 服务已启动（chroma run --host 127.0.0.1 --port 8000 --path 数据目录）且 XXGK_KB__CHROMA_URL 正确"


def collection_name(base: str, model_id: str) -> str:
    """One collection per vector space, e.g. ``xxgk_kb_3fa2c1d0``."""
    return f"{base}_{hashlib.sha256(model_id.encode()).hexdigest()[:8]}"


def _clean_meta(meta: dict[str, Any]) -> dict[str, str | int | float | bool]:
    return {k: v for k, v in meta.items() if isinstance(v, (str, int, float, bool)) and v != ""}


def where_clause(filters: dict[str, str | int]) -> dict | None:
    if not filters:
        return None
    parts = [{k: {"$eq": v}} for k, v in filters.items()]
    return parts[0] if len(parts) == 1 else {"$and": parts}


class VectorStore:
    def __init__(self, client: Any, collection: Any):
        self.client = client
        self.collection = collection

    @classmethod
    def open(cls, *, path: Path | None, url: str | None, name: str, embedder: Any) -> VectorStore:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        from .embed import chroma_embedding_function

        cs = ChromaSettings(anonymized_telemetry=False)
        try:
            if url:
                u = urlparse(url if "://" in url else f"http://{url}")
                client = chromadb.HttpClient(
                    host=u.hostname or "127.0.0.1", port=u.port or 8000, ssl=u.scheme == "https", settings=cs
                )
                client.heartbeat()
            else:
                assert path is not None
                path.mkdir(parents=True, exist_ok=True)
                client = chromadb.PersistentClient(path=str(path), settings=cs)
            col = client.get_or_create_collection(
                name,
                embedding_function=chroma_embedding_function(embedder),
                metadata={"hnsw:space": "cosine"},
            )
        except Exception as e:  # chromadb raises many unrelated types: translate once, here
            if url:
                raise StoreUnavailableError(f"无法连接 Chroma 服务 {url}：{type(e).__name__}: {e}") from e
            raise KbError(f"无法打开本地索引 {path}：{type(e).__name__}: {e}") from e
        return cls(client, col)

    def count(self) -> int:
        return int(self.collection.count())

    def all_ids(self) -> set[str]:
        out: set[str] = set()
        offset = 0
        while True:
            got = self.collection.get(include=[], limit=5000, offset=offset)
            ids = got["ids"]
            out.update(ids)
            if len(ids) < 5000:
                return out
            offset += len(ids)

    def add(self, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        for i in range(0, len(chunks), MAX_BATCH):
            part = chunks[i : i + MAX_BATCH]
            self.collection.upsert(
                ids=[c.id for c in part],
                embeddings=np.asarray(vectors[i : i + MAX_BATCH], dtype=np.float32),
                documents=[c.text for c in part],
                metadatas=[_clean_meta({**c.metadata, "source": c.source, "citation": c.citation}) for c in part],
            )

    def delete(self, ids: Sequence[str]) -> None:
        ids = list(ids)
        for i in range(0, len(ids), MAX_BATCH):
            self.collection.delete(ids=ids[i : i + MAX_BATCH])

    def vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors of these chunk ids (missing ids are left out)."""
        if not ids:
            return {}
        got = self.collection.get(ids=list(ids), include=["embeddings"])
        embs = got.get("embeddings")
        if embs is None:
            return {}
        return {i: np.asarray(v, dtype=np.float32) for i, v in zip(got["ids"], embs)}

    def query(self, vector: np.ndarray, n: int, filters: dict[str, str | int] | None = None) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity), best first."""
        total = self.count()
        if total == 0:
            return []
        res = self.collection.query(
            query_embeddings=[np.asarray(vector, dtype=np.float32)],
            n_results=min(n, total),
            where=where_clause(filters or {}),
            include=["distances"],
        )
        ids = res["ids"][0]
        dists = res["distances"][0] if res.get("distances") else [0.0] * len(ids)
        return [(i, 1.0 - float(d)) for i, d in zip(ids, dists)]
