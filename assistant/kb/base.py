"""``KnowledgeBase``: builds the embedder, store, indexer and searcher from :class:`Settings`.

This is the API the CLI, the chat and the tests use::

    kb = KnowledgeBase(Settings())
    kb.index([Path("corpus")])
    hits = kb.search("申请人要求确认已获取信息怎么处理", k=5)
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .embed import CachedEmbedder, Embedder, build_embedder, cache_file_name
from .hybrid import Hit, Mode, Searcher
from .ingest import Indexer, IndexReport, ProgressFn
from .tokenize import Tokenizer

if TYPE_CHECKING:
    from ..settings import Settings
    from .store import VectorStore


class KnowledgeBase:
    def __init__(self, settings: Settings, embedder: Embedder | None = None, vector_cache_dir: Path | None = None):
        """``embedder`` overrides the one the settings name (tests use a fake); ``vector_cache_dir``
        moves the vector cache (evals share one cache across throw-away indexes)."""
        self.settings = settings
        kb = settings.kb
        inner = embedder or build_embedder(kb)
        cache_dir = vector_cache_dir or settings.kb_dir
        self.embedder = CachedEmbedder(inner, cache_dir / cache_file_name(inner.model_id), batch_size=kb.embedding.batch_size)
        self.tokenizer = Tokenizer()
        from .store import collection_name  # light: store imports chromadb lazily

        self.collection = collection_name(kb.collection, inner.model_id)
        where = kb.chroma_url or "local"
        slug = hashlib.sha256(f"{where}\x00{self.collection}".encode()).hexdigest()[:10]
        self.index_dir = settings.kb_dir / f"index-{slug}"
        self._store: VectorStore | None = None
        self._searcher: Searcher | None = None

    # -- parts -----------------------------------------------------------------------------
    def store(self) -> VectorStore:
        if self._store is None:
            from .store import VectorStore

            self._store = VectorStore.open(
                path=self.settings.kb_dir / "chroma",
                url=self.settings.kb.chroma_url,
                name=self.collection,
                embedder=self.embedder,
            )
        return self._store

    def _indexer(self) -> Indexer:
        return Indexer(self.index_dir, self.store, self.embedder, self.tokenizer, max_chars=self.settings.kb.chunk_chars)

    # -- operations ------------------------------------------------------------------------
    def index(self, paths: Iterable[Path], progress: ProgressFn | None = None, prune: bool = True) -> IndexReport:
        ix = self._indexer()
        try:
            rep = ix.index(paths, progress=progress, prune=prune)
        finally:
            ix.close()
        if rep.changed:
            self._searcher = None
        return rep

    def remove(self, paths: Iterable[Path]) -> IndexReport:
        ix = self._indexer()
        try:
            rep = ix.remove(paths)
        finally:
            ix.close()
        self._searcher = None
        return rep

    def searcher(self) -> Searcher:
        if self._searcher is None:
            kb = self.settings.kb
            self._searcher = Searcher(
                self.index_dir,
                self.store(),
                self.embedder,
                self.tokenizer,
                candidates=kb.candidates,
                rrf_k=kb.rrf_k,
                bm25_weight=kb.bm25_weight,
                expand=kb.expand_queries,
            )
        return self._searcher

    def search(self, query: str, k: int = 5, filters: dict[str, Any] | None = None, mode: Mode = "hybrid") -> list[Hit]:
        return self.searcher().search(query, k=k, filters=filters, mode=mode)

    def stats(self) -> dict[str, int]:
        from .state import State

        st = State(self.index_dir / "state.sqlite")
        try:
            return st.stats()
        finally:
            st.close()

    def close(self) -> None:
        self.embedder.close()
