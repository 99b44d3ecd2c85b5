"""The 问答 questions as questions: their vectors, for a question-to-question vote.

Each 问答 passage (``corpus/kb/faq-*.md``, and a user's own) is indexed as a passage: its question
heading and answer together, embedded the way articles are. A staff question is often closer to
another question than to any passage, and e5 embeds both sides of such a pair as queries (its
symmetric task). So when the index is written, every 问答 question that cites an article is also
embedded on its own as a query; at search time the nearest of them vote for the articles they cite
(:func:`.lend.vote`), as one more fused list (:attr:`.hybrid.Searcher.asked_weight`).

That list brings the right article into the first five more often than it puts it first (tuning part:
regulation R@5 0.898 → 0.966 with R@1 unchanged; letting it decide the first result too: R@1 0.841 →
0.807), so the search keeps the first result of the fusion without it and lets it order the rest. On
the held-out part R@1 and R@5 did not move (MRR 0.785 → 0.792): ``evals/retrieval/results.md``.

The vectors are saved with the BM25 generation (``asked.npy``, ``asked.json``) and embedded again only
when the questions change (``asked.key``: a digest of the ids and texts); unchanged questions come
from the embedder's cache anyway.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from .embed import embed_queries
from .lend import cited, is_faq


def questions(ids: Sequence[str], chunks: Mapping[str, object]) -> list[tuple[str, str]]:
    """``(chunk id, question)`` for every 问答 passage that cites something, in id order; the
    question is the passage's ``###`` heading (its ``section``)."""
    out = []
    for cid in sorted(ids):
        ch = chunks.get(cid)
        if ch is None or not is_faq(ch.metadata) or not cited(ch.metadata):
            continue
        text = str(ch.metadata.get("section") or "").strip()
        if text:
            out.append((cid, text))
    return out


def key_of(pairs: Sequence[tuple[str, str]], model_id: str) -> str:
    h = hashlib.sha256(model_id.encode())
    for cid, text in pairs:
        h.update(f"\x00{cid}\x01{text}".encode())
    return h.hexdigest()[:32]


def embed(
    ids: Sequence[str], chunks: Mapping[str, object], embedder: object,
    previous: tuple[str, list[str], np.ndarray] | None = None, progress: Callable[[int, int], None] | None = None,
) -> tuple[str, list[str], np.ndarray] | None:
    """``(key, question chunk ids, their query vectors)`` for an index, or None when it holds no
    问答 question. A ``previous`` triple with the same key is returned as is. ``progress(advance,
    total)`` follows the embedding."""
    pairs = questions(ids, chunks)
    if not pairs:
        return None
    key = key_of(pairs, str(getattr(embedder, "model_id", "")))
    if previous is not None and previous[0] == key:
        return previous
    total = len(pairs)
    matrix = embed_queries(embedder, [t for _, t in pairs], (lambda k: progress(k, total)) if progress else None)  # type: ignore[arg-type]
    return key, [cid for cid, _ in pairs], np.asarray(matrix, dtype=np.float32)

