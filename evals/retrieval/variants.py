"""Levers measured on the tuning part and *not* kept: their eval-side implementations, so that
``run.py`` can still show their rows (``results.md``) without the product carrying dead code.

Each ``install_*`` function changes one :class:`~assistant.kb.hybrid.Searcher` in place (its
``dense_ranked`` / ``bm25_ranked`` / ``search``); ``run.py`` builds a fresh searcher for each row.

* **Sub-article passages** (:func:`article_parts`): every 款 of an article and every 项
  ((一)…, prefixed with the 款 that introduces the list) becomes an extra retrieval unit carrying its
  article's id; an article is scored by its own vector and its best unit (``max``, or
  ``mix`` = half the article's cosine plus half the best of both), and one hit per article is returned
  (the article stays the citation and the text shown). ``install_parts_bm25`` does the same for
  BM25 (articles and units in one BM25 index, an article keeps its best score).
* **Two-part questions** (:func:`split_question`): a question with two sentences (…？…？) or a
  connective (，另外 / 此外 / 还有 …) is searched as a whole and as each part; the parts' lists are
  fused with the whole's at ``weight`` (the searcher's ``rewrites`` path).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from assistant.kb.bm25 import Bm25Index
from assistant.kb.chunk import DOC_GUIDE, DOC_REGULATION
from assistant.kb.hybrid import Searcher

ITEM = re.compile(r"^[（(][一二三四五六七八九十]+[)）]")
SENTENCE_END = re.compile(r"(?<=[？?！!。；;])")
CONNECTIVE = re.compile(r"[，,](?=另外|此外|还有|再就是|顺便问|同时)")


def article_parts(text: str) -> list[str]:
    """The 款 and 项 of an article chunk's text (first line = citation), each 项 prefixed with the
    款 that introduces it; empty when the article has only one part."""
    out: list[str] = []
    lead = ""
    for line in (x.strip() for x in text.split("\n")[1:]):
        if not line:
            continue
        if ITEM.match(line):
            out.append(lead + line)
        else:
            lead = line
            out.append(line)
    return out if len(out) > 1 else []


def guide_parts(text: str) -> list[str]:
    """The paragraphs of a guide chunk (first line = its heading); empty for a single paragraph."""
    out = [x.strip() for x in text.split("\n")[1:] if x.strip()]
    return out if len(out) > 1 else []


def split_question(question: str, min_chars: int = 4) -> list[str]:
    """The parts of a two-part question (sentence ends, then connectives); [] for a single one."""
    parts = [p.strip() for p in SENTENCE_END.split(question) if p.strip()]
    parts = [x.strip() for p in parts for x in CONNECTIVE.split(p) if x.strip()]
    parts = [p for p in parts if len(re.sub(r"\W", "", p)) >= min_chars]
    return parts if len(parts) > 1 else []


def _units(s: Searcher, guides: bool) -> tuple[list[str], list[str]]:
    """(owner chunk id, unit text) for every article (and guide passage) with more than one part."""
    owners: list[str] = []
    texts: list[str] = []
    for cid, c in s.chunks.items():
        kind = c.metadata.get("doc_type")
        parts = article_parts(c.text) if kind == DOC_REGULATION else guide_parts(c.text) if guides and kind == DOC_GUIDE else []
        owners += [cid] * len(parts)
        texts += parts
    return owners, texts


def _best_per_owner(pairs, n: int) -> list[tuple[str, float]]:  # noqa: ANN001 - iterable of (id, score), best first
    seen: set[str] = set()
    out = []
    for cid, score in pairs:
        if cid not in seen:
            seen.add(cid)
            out.append((cid, score))
            if len(out) >= n:
                break
    return out


def install_parts_dense(s: Searcher, how: str = "max", guides: bool = False) -> int:
    """Dense scores from articles and their units (see the module doc); returns the number of units.
    Needs the vectors saved with the index (a local index) and no filters (the evals use none)."""
    owners, texts = _units(s, guides)
    units = np.asarray(s.embedder.embed_documents(texts), dtype=np.float32)
    rows = np.array([s.bm25.position(cid) for cid in owners], dtype=np.int64)
    articles = np.asarray(s.bm25.vectors, dtype=np.float32)
    plain = s.dense_ranked

    def dense_ranked(query: str, n: int, filters: dict, lend_from_guides: bool = False) -> list[tuple[str, float]]:
        if filters:
            return plain(query, n, filters, lend_from_guides)
        vec = np.asarray(s.embedder.embed_query(s._query_text(query)), dtype=np.float32)
        own = articles @ vec
        best = np.full(len(own), -np.inf, dtype=np.float32)
        np.maximum.at(best, rows, units @ vec)
        top = np.maximum(own, best)
        total = top if how == "max" else np.where(np.isfinite(best), 0.5 * own + 0.5 * top, own)
        idx = np.argsort(-total, kind="stable")[:n]
        return [(s.bm25.ids[i], float(total[i])) for i in idx if s.bm25.ids[i] in s.chunks]

    s.dense_ranked = dense_ranked  # type: ignore[method-assign]
    return len(texts)


def install_parts_bm25(s: Searcher) -> int:
    """BM25 over articles and their units together, an article keeping its best score."""
    owners, texts = _units(s, guides=False)
    ids = list(s.bm25.ids)
    from assistant.kb.recipe import Recipe, prepare
    from assistant.kb.chunk import Chunk

    whole = [prepare(Chunk(cid, s.chunks[cid].text, s.chunks[cid].citation, s.chunks[cid].source, dict(s.chunks[cid].metadata)), Recipe()).lexical
             for cid in ids]
    index = Bm25Index.build(list(range(len(ids) + len(texts))), s.tokenizer.tokens_many(whole + texts))
    owner = ids + owners
    plain = s.bm25_ranked

    def bm25_ranked(query: str, n: int, filters: dict, lend_from_guides: bool = False) -> list[tuple[str, float]]:
        if filters:
            return plain(query, n, filters, lend_from_guides)
        got = index.top(s._query_tokens(query), 4 * n + 50)
        return _best_per_owner(((owner[i], sc) for i, sc in got), n)

    s.bm25_ranked = bm25_ranked  # type: ignore[method-assign]
    return len(texts)


def install_split(s: Searcher, weight: float = 0.5) -> None:
    """Search a two-part question as a whole and as each part (parts fused at ``weight``)."""
    plain: Callable = s.search

    def search(query: str, k: int = 5, filters=None, mode="hybrid", rewrites=()):  # noqa: ANN001, ANN202
        parts = split_question(query) if mode == "hybrid" else []
        if not parts:
            return plain(query, k=k, filters=filters, mode=mode, rewrites=rewrites)
        old, s.rewrite_weight = s.rewrite_weight, weight
        try:
            return plain(query, k=k, filters=filters, mode=mode, rewrites=[*rewrites, *parts])
        finally:
            s.rewrite_weight = old

    s.search = search  # type: ignore[method-assign]
