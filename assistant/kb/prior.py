"""A law-level prior for hybrid search: which law a question is most likely about.

Staff questions rarely name the law, and articles of different laws share most of their words
(答复, 期限, 申请, 行政机关 …), so pure rank fusion often fills the top five with look-alike
articles of a neighbouring law. Two domain rules, applied after fusion to the fused candidates
only (they can reorder candidates, never pull in a chunk neither retriever found):

* **routing** — a question that uses a law's own topic word (复议, 起诉/法院, 国家秘密/定密,
  档案, 个人信息, 数据安全, 信访, 处罚, 许可, 强制) leans towards that law (and its
  implementing rules / the 最高法 judicial interpretation for 信息公开 cases);
* **core prior** — the 政府信息公开条例 is the regulation this product is about, so its articles
  get a mild lift in every question.

Weights are in units of the best single-list RRF contribution ``1/(k+1)``; they were chosen on
questions q001–q080 of ``evals/retrieval/questions.jsonl`` (q081+ stay held out), see
``evals/retrieval/results.md``. The topic words are the laws' own subject terms, not phrases
taken from eval questions.
"""

from __future__ import annotations

from collections.abc import Mapping

CORE_LAW = "政府信息公开条例"

_REVIEW = ("行政复议法", "行政复议法实施条例")
_LITIGATION = ("行政诉讼法", "最高人民法院关于审理政府信息公开行政案件若干问题的规定")
_SECRETS = ("保守国家秘密法", "保守国家秘密法实施条例")

# topic word in the question → laws (short names, as in chunk metadata ``law``) it points to
LAW_ROUTES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("复议", _REVIEW),
    ("诉讼", _LITIGATION), ("起诉", _LITIGATION), ("法院", _LITIGATION), ("打官司", _LITIGATION),
    ("国家秘密", _SECRETS), ("密级", _SECRETS), ("定密", _SECRETS), ("保密", _SECRETS), ("涉密", _SECRETS),
    ("档案", ("档案法",)),
    ("个人信息", ("个人信息保护法",)),
    ("数据安全", ("数据安全法",)), ("重要数据", ("数据安全法",)),
    ("信访", ("信访工作条例",)),
    ("处罚", ("行政处罚法",)),
    ("许可", ("行政许可法",)),
    ("强制", ("行政强制法",)),
)

ROUTE_WEIGHT = 0.3
CORE_WEIGHT = 0.5


def routed_laws(query: str) -> set[str]:
    """The laws whose topic words the query uses (empty when none)."""
    out: set[str] = set()
    for word, laws in LAW_ROUTES:
        if word in query:
            out.update(laws)
    return out


def law_prior(query: str, route_weight: float = ROUTE_WEIGHT, core_weight: float = CORE_WEIGHT) -> dict[str, float]:
    """``{law: bonus}`` for this query (bonus in units of the top RRF contribution)."""
    bonus: dict[str, float] = {law: route_weight for law in routed_laws(query)} if route_weight else {}
    if core_weight:
        bonus[CORE_LAW] = bonus.get(CORE_LAW, 0.0) + core_weight
    return bonus


def apply_prior(
    fused: Mapping[str, float], laws: Mapping[str, str], bonus: Mapping[str, float], unit: float
) -> dict[str, float]:
    """Add ``bonus[law] * unit`` to each fused candidate's score (``laws``: chunk id → law)."""
    if not bonus:
        return dict(fused)
    return {cid: s + bonus.get(laws.get(cid, ""), 0.0) * unit for cid, s in fused.items()}
