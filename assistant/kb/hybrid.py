"""Search: BM25 and dense candidates fused by reciprocal rank (RRF), with metadata filters.

After fusion a law-level prior (:mod:`.prior`) reorders the fused candidates: questions that use a
law's topic word (复议, 起诉, 档案 …) lean to that law, and the 政府信息公开条例 gets a mild lift.
``law_prior=False`` gives plain RRF (the evals report both).

Only chunks listed in the committed manifest are served (a vector written by an interrupted run
is ignored). ``mode`` picks "hybrid" (default), "bm25" or "dense" — the evals compare all three.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from .bm25 import Bm25Index
from .prior import CORE_WEIGHT, ROUTE_WEIGHT, apply_prior, law_prior
from .state import State, StoredChunk

Mode = Literal["hybrid", "bm25", "dense"]


@dataclass(frozen=True)
class Hit:
    citation: str
    source: str
    text: str
    score: float
    metadata: dict[str, Any] = field(default_factory=dict)
    id: str = ""
    # calibrated relevance (0–1) and whether it clears the threshold; None until a searcher sets them
    relevance: float | None = None
    relevant: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "citation": self.citation,
            "source": self.source,
            "text": self.text,
            "score": round(self.score, 6),
            "metadata": self.metadata,
        }
        if self.relevance is not None:
            d["relevance"] = round(self.relevance, 4)
        if self.relevant is not None:
            d["relevant"] = self.relevant
        return d


def parse_filters(items: Sequence[str]) -> dict[str, str | int]:
    """``["law=政府信息公开条例", "year=2023"]`` → ``{"law": ..., "year": 2023}``."""
    from ..errors import UsageError

    out: dict[str, str | int] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key or not value:
            raise UsageError(f"过滤条件格式不对：{item}", "请写成 键=值，例如 --filter law=政府信息公开条例 或 --filter year=2023")
        out[key] = int(value) if value.isdigit() else value
    return out


def matches(meta: dict[str, Any], filters: dict[str, str | int]) -> bool:
    for k, v in filters.items():
        have = meta.get(k)
        if have != v and str(have) != str(v):
            return False
    return True


class Searcher:
    """Loads the manifest and BM25 once; answers many queries (``--batch``, the chat)."""

    def __init__(self, index_dir: Path, store: Any, embedder: Any, tokenizer: Any, *, candidates: int = 50, rrf_k: int = 10, bm25_weight: float = 1.0, expand: bool = True, law_prior: bool = True, route_weight: float = ROUTE_WEIGHT, core_weight: float = CORE_WEIGHT):
        state = State(index_dir / "state.sqlite")
        try:
            self.chunks: dict[str, StoredChunk] = state.load_chunks()
            generation = state.generation
            bm25 = Bm25Index.load(index_dir / "bm25")
            if bm25 is None or Bm25Index.saved_generation(index_dir / "bm25") != generation:
                ids, toks = state.all_tokens()  # an interrupted run: rebuild in memory, serve the manifest
                bm25 = Bm25Index.build(ids, toks)
        finally:
            state.close()
        self.bm25 = bm25
        self.store = store
        self.embedder = embedder
        self.tokenizer = tokenizer
        self.candidates = candidates
        self.rrf_k = rrf_k
        self.bm25_weight = bm25_weight
        self.expand = expand
        self.law_prior = law_prior
        self.route_weight = route_weight
        self.core_weight = core_weight
        self._masks: dict[tuple, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self.chunks)

    def _mask(self, filters: dict[str, str | int]) -> np.ndarray | None:
        if not filters:
            return None
        key = tuple(sorted((k, str(v)) for k, v in filters.items()))
        if key not in self._masks:
            ok = np.zeros(len(self.bm25.ids), dtype=bool)
            for i, cid in enumerate(self.bm25.ids):
                c = self.chunks.get(cid)
                ok[i] = c is not None and matches({**c.metadata, "source": c.source}, filters)
            self._masks[key] = ok
        return self._masks[key]

    def bm25_ranked(self, query: str, n: int, filters: dict[str, str | int]) -> list[tuple[str, float]]:
        toks = self.tokenizer.query_tokens(query) if self.expand else self.tokenizer.tokens(query)
        return [(i, s) for i, s in self.bm25.top(toks, n, self._mask(filters)) if i in self.chunks]

    def dense_ranked(self, query: str, n: int, filters: dict[str, str | int]) -> list[tuple[str, float]]:
        if self.store is None or not self.chunks:
            return []
        vec = self.embedder.embed_query(self.tokenizer.expand(query) if self.expand else query)
        where = {k: v for k, v in filters.items() if k != "source"}
        got = self.store.query(vec, n + 10, where)
        out = [(i, s) for i, s in got if i in self.chunks and matches({**self.chunks[i].metadata, "source": self.chunks[i].source}, filters)]
        return out[:n]

    def search(self, query: str, k: int = 5, filters: dict[str, str | int] | None = None, mode: Mode = "hybrid") -> list[Hit]:
        filters = filters or {}
        query = query.strip()
        if not query:
            return []
        n = max(self.candidates, k)
        if mode == "bm25":
            ranked = self.bm25_ranked(query, k, filters)
        elif mode == "dense":
            ranked = self.dense_ranked(query, k, filters)
        else:
            ranked = self.fuse(self.dense_ranked(query, n, filters), self.bm25_ranked(query, n, filters), query)[:k]
        return [self._hit(cid, score) for cid, score in ranked[:k]]

    def fuse(self, dense: list[tuple[str, float]], lexical: list[tuple[str, float]], query: str = "") -> list[tuple[str, float]]:
        """Reciprocal rank fusion: Σ wᵢ / (k + rankᵢ), plus the law prior for ``query`` (when on);
        ties broken by the dense rank."""
        score: dict[str, float] = {}
        for rank, (cid, _) in enumerate(dense, 1):
            score[cid] = score.get(cid, 0.0) + 1.0 / (self.rrf_k + rank)
        for rank, (cid, _) in enumerate(lexical, 1):
            score[cid] = score.get(cid, 0.0) + self.bm25_weight / (self.rrf_k + rank)
        if self.law_prior and query:
            bonus = law_prior(query, self.route_weight, self.core_weight)
            laws = {cid: str(self.chunks[cid].metadata.get("law", "")) for cid in score if cid in self.chunks}
            score = apply_prior(score, laws, bonus, 1.0 / (self.rrf_k + 1))
        order = {cid: r for r, (cid, _) in enumerate(dense)}
        return sorted(score.items(), key=lambda kv: (-kv[1], order.get(kv[0], len(order))))

    def _hit(self, cid: str, score: float) -> Hit:
        c = self.chunks[cid]
        return Hit(citation=c.citation, source=c.source, text=c.text, score=float(score), metadata=dict(c.metadata), id=cid)
