"""Law-level prior after rank fusion: topic words route to their law, the 条例 gets a mild lift."""

from __future__ import annotations

import pytest

from assistant.kb.base import KnowledgeBase
from assistant.kb.embed import HashEmbedder
from assistant.kb.prior import CORE_LAW, apply_prior, law_prior, routed_laws
from assistant.settings import Settings

LAWS = {
    "政府信息公开条例(2019-04-03).md": ["行政机关收到申请后应当答复。", "公开申请应当采用书面形式。", "行政机关不得收取费用。"],
    "行政复议法(2023-09-01).md": ["申请人可以在六十日内提出行政复议申请。", "复议机关应当审查。", "复议机关作出决定。"],
    "行政许可法(2019-04-23).md": ["行政许可应当依照法定的权限实施。", "许可申请可以书面提出。", "行政机关应当受理。"],
}
NUM = ["第一条", "第二条", "第三条"]


def test_routed_laws_follow_topic_words():
    assert routed_laws("对答复不服能不能申请复议") == {"行政复议法", "行政复议法实施条例"}
    assert "行政诉讼法" in routed_laws("申请人去法院起诉我们") and "最高人民法院关于审理政府信息公开行政案件若干问题的规定" in routed_laws("打官司")
    assert routed_laws("这份文件能不能定个密级") == {"保守国家秘密法", "保守国家秘密法实施条例"}
    assert routed_laws("涉及商业秘密怎么办") == set()  # 商业秘密 is the 条例's own topic, not the secrets law
    assert routed_laws("信息处理费怎么收") == set()


def test_law_prior_weights():
    assert law_prior("信息处理费怎么收", route_weight=0.3, core_weight=0.5) == {CORE_LAW: 0.5}
    got = law_prior("档案馆里的文件怎么查", route_weight=0.3, core_weight=0.5)
    assert got == {"档案法": 0.3, CORE_LAW: 0.5}
    assert law_prior("复议", route_weight=0.0, core_weight=0.0) == {}


def test_apply_prior_only_touches_candidates_of_boosted_laws():
    fused = {"a": 0.2, "b": 0.1, "c": 0.05}
    laws = {"a": "行政许可法", "b": CORE_LAW, "c": ""}
    out = apply_prior(fused, laws, {CORE_LAW: 0.5}, unit=0.2)
    assert out == {"a": 0.2, "b": pytest.approx(0.2), "c": 0.05}
    assert set(out) == set(fused)  # nothing is pulled in


@pytest.fixture
def searcher(tmp_path):
    root = tmp_path / "laws"
    root.mkdir()
    for name, bodies in LAWS.items():
        text = "\n".join(f"{n}　{b}" for n, b in zip(NUM, bodies))
        (root / name).write_text(f"# {name.split('(')[0]}\n\n{text}\n", encoding="utf-8")
    kb = KnowledgeBase(Settings(home=tmp_path / "home"), embedder=HashEmbedder())
    kb.index([root])
    s = kb.searcher()
    yield s
    kb.close()


def _id(s, citation: str) -> str:
    return next(cid for cid, c in s.chunks.items() if c.citation == citation)


def test_core_prior_lifts_the_tiaoli_over_a_slightly_better_ranked_lookalike(searcher):
    s = searcher
    xk, tl = _id(s, "《行政许可法》第三条"), _id(s, "《政府信息公开条例》第一条")
    ranked = [(xk, 0.9), (tl, 0.8)]
    s.law_prior = False
    assert [c for c, _ in s.fuse(ranked, ranked, "收到申请后要不要受理")] == [xk, tl]
    s.law_prior = True
    assert [c for c, _ in s.fuse(ranked, ranked, "收到申请后要不要受理")] == [tl, xk]


def test_routing_moves_the_named_law_ahead_of_other_laws(searcher):
    s = searcher
    xk, fy = _id(s, "《行政许可法》第二条"), _id(s, "《行政复议法》第一条")
    ranked = [(xk, 0.9), (fy, 0.8)]
    s.law_prior = True
    assert [c for c, _ in s.fuse(ranked, ranked, "申请书面提出的要求")] == [xk, fy]
    assert [c for c, _ in s.fuse(ranked, ranked, "复议申请书面提出的要求")] == [fy, xk]


def test_prior_never_adds_chunks_neither_retriever_found(searcher):
    s = searcher
    xk = _id(s, "《行政许可法》第一条")
    s.law_prior = True
    assert [c for c, _ in s.fuse([(xk, 0.9)], [], "收到申请后要不要受理")] == [xk]
    hits = s.search("行政许可应当依照法定的权限实施", k=3, filters={"law": "行政许可法"})
    assert hits and all(h.metadata["law"] == "行政许可法" for h in hits)
