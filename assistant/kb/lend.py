"""Guide passages lend their weight to the articles they cite.

Our guides (``corpus/kb/``) explain the regulations in the words staff use and cite the articles
(``《政府信息公开条例》第三十二条``); :func:`.recipe.guide_citations` records those citations in
each guide chunk's ``metadata["cites"]`` at index time. At search time a guide chunk among the top
fused candidates adds ``weight × its fused score`` to the first article it cites and ``SECONDARY`` of
that to each further one — which may pull in an
article neither retriever found (the point: the article's own wording is unlike the question's). The
article then carries ``metadata["via"]`` = the guide passage that lent it the most; the guide
passage itself keeps its place in the list. (Sharing the loan among the cited articles, and
lowering the lending passage, were measured on the tuning questions and did not help:
``evals/retrieval/results.md``.)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

from .recipe import CITES_SEP

# A passage's first citation is the article it is about (the 问答 name it first; so do most guide
# sentences); the ones after it get this share of the loan (tune MRR 0.803 -> 0.810, both halves up;
# 0.25: 0.807).
SECONDARY = 0.5
FAQ_REF = "kb:faq-"  # the ref of every 问答 passage (corpus/kb/faq-*.md, one ### question each)


def is_faq(meta: Mapping[str, object]) -> bool:
    """Whether a chunk is a 问答 entry (one question of a ``faq-*.md`` file)."""
    return str(meta.get("ref", "")).startswith(FAQ_REF)


def cited(meta: Mapping[str, object]) -> list[str]:
    raw = meta.get("cites")
    return [c for c in str(raw).split(CITES_SEP) if c] if raw else []


def lend(
    fused: Mapping[str, float],
    order: Sequence[str],
    cites_of: Mapping[str, list[str]],
    ids_of: Mapping[str, list[str]],
    *,
    weight: float,
    depth: int,
    allowed: Callable[[str], bool] = lambda cid: True,
) -> tuple[dict[str, float], dict[str, str]]:
    """(new scores, ``{article chunk id: lending guide chunk id}``).

    ``order``: the fused candidates best first (only the first ``depth`` can lend);
    ``cites_of``: guide chunk id → cited citations; ``ids_of``: citation → article chunk ids;
    ``allowed``: whether an article may be added (the search's filters). A passage's citations after its
    first get :data:`SECONDARY` of the loan.
    """
    out = dict(fused)
    if weight <= 0:
        return out, {}
    best: dict[str, tuple[float, str]] = {}
    lenders = [g for g in order[:depth] if cites_of.get(g)]
    for g in lenders:
        for n, citation in enumerate(cites_of[g]):
            share = weight * fused[g] * (1.0 if n == 0 else SECONDARY)
            for aid in ids_of.get(citation, ()):
                if not allowed(aid):
                    continue
                out[aid] = out.get(aid, 0.0) + share
                if share > best.get(aid, (0.0, ""))[0]:
                    best[aid] = (share, g)
    return out, {aid: g for aid, (_, g) in best.items()}


def vote(
    ranked: Sequence[tuple[str, float]],
    cites_of: Mapping[str, list[str]],
    ids_of: Mapping[str, list[str]],
    *,
    depth: int,
    temp: float,
    relative: bool = False,
    allowed: Callable[[str], bool] = lambda cid: True,
) -> tuple[list[tuple[str, float]], dict[str, str]]:
    """The articles that the ``depth`` nearest citing passages of one retriever's list point to, best
    first, and ``{article id: the passage that voted for it the most}``.

    A k-nearest-neighbour vote: each passage votes ``exp((score − best) / temp)`` for the first article
    it cites and :data:`SECONDARY` of that for the others, so an article that several close 问答 speak of
    rises even when none of them made the fused top ``guide_depth``. ``relative``: scores are divided by
    the best one first (BM25 scores have no fixed scale; cosines do).
    """
    passages = [(g, s) for g, s in ranked if cites_of.get(g) and (s > 0 or not relative)][:depth]
    if not passages or temp <= 0:  # (a BM25 list where no word matched has nothing to say)
        return [], {}
    top = passages[0][1]
    total: dict[str, float] = {}
    best: dict[str, tuple[float, str]] = {}
    for g, s in passages:
        w = math.exp((s / top - 1.0 if relative else s - top) / temp)
        for n, citation in enumerate(cites_of[g]):
            share = w * (1.0 if n == 0 else SECONDARY)
            # one vote per article even when two sources hold it (each would take a rank of its own)
            aid = next((a for a in ids_of.get(citation, ()) if allowed(a)), None)
            if aid is None:
                continue
            total[aid] = total.get(aid, 0.0) + share
            if share > best.get(aid, (0.0, ""))[0]:
                best[aid] = (share, g)
    ranking = sorted(total.items(), key=lambda kv: -kv[1])
    return ranking, {aid: g for aid, (_, g) in best.items()}
