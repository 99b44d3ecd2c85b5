"""The levers measured and not kept (evals/retrieval/variants.py): the rows in results.md measure what
they say. Small corpus written here, hashing embedder."""

from __future__ import annotations

import pytest

from assistant.kb.base import KnowledgeBase
from assistant.kb.embed import HashEmbedder
from assistant.kb.hybrid import Searcher
from assistant.settings import Settings
from evals.retrieval import variants

LAW = """# 样例办事条例

第一条 为了规范样例事项，制定本条例。

第二条 行政机关应当主动公开本机关的下列信息：

（一）机构设置和办公地址；

（二）收费项目及其依据和标准；

（三）办事指南和办理时限。

前款规定的信息应当在形成后二十个工作日内公开。

第三条 申请人可以书面提出申请。
"""


def test_article_parts_are_kuan_and_items_with_their_lead_in():
    text = "《样例办事条例》第二条\n行政机关应当主动公开下列信息：\n（一）机构设置；\n(二)收费标准。\n前款信息按时公开。"
    assert variants.article_parts(text) == [
        "行政机关应当主动公开下列信息：",
        "行政机关应当主动公开下列信息：（一）机构设置；",
        "行政机关应当主动公开下列信息：(二)收费标准。",
        "前款信息按时公开。",
    ]
    assert variants.article_parts("《样例办事条例》第一条\n只有一款。") == []  # the article itself is the unit


def test_split_question_on_sentence_ends_and_connectives():
    assert variants.split_question("延期需要谁批？延多久？") == []  # 延多久 is too short to stand alone
    assert variants.split_question("申请人要的文件不存在怎么答复？他还起诉的话法院怎么判？") == [
        "申请人要的文件不存在怎么答复？", "他还起诉的话法院怎么判？"]
    assert variants.split_question("年报什么时候交，另外第五部分写什么") == ["年报什么时候交", "另外第五部分写什么"]
    assert variants.split_question("我们准备发布的数据跟统计局的对不上，该怎么办？") == []


@pytest.fixture
def searcher(tmp_path):
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "样例办事条例(2020-01-01).md").write_text(LAW, encoding="utf-8")
    kb = KnowledgeBase(Settings(home=tmp_path / "home"), embedder=HashEmbedder())
    kb.index([tmp_path / "c"])
    yield Searcher(kb.index_dir, kb.store, kb.embedder, kb.tokenizer)
    kb.close()


def test_parts_score_an_article_by_its_best_unit_and_return_it_once(searcher):
    query = "收费项目及其依据和标准"
    plain = dict(searcher.dense_ranked(query, 10, {}))
    assert variants.install_parts_dense(searcher, how="max") == 5  # 第二条: one 款, three 项, the closing 款
    got = searcher.dense_ranked(query, 10, {})
    ids = [cid for cid, _ in got]
    assert len(ids) == len(set(ids)) == 3
    second = next(cid for cid in ids if searcher.chunks[cid].citation.endswith("第二条"))
    assert dict(got)[second] > plain[second]  # the item matches better than the whole article
    hits = searcher.search(query, k=3)
    assert [h.citation for h in hits].count("《样例办事条例》第二条") == 1


def test_parts_for_bm25_keep_one_entry_per_article(searcher):
    assert variants.install_parts_bm25(searcher) == 5
    got = searcher.bm25_ranked("办公地址", 10, {})
    assert got and searcher.chunks[got[0][0]].citation == "《样例办事条例》第二条"
    assert len({cid for cid, _ in got}) == len(got)


def test_split_passes_the_parts_as_rewrites_at_their_weight(searcher):
    seen = []
    real = searcher.search

    def spy(query, k=5, filters=None, mode="hybrid", rewrites=()):  # noqa: ANN001, ANN202
        seen.append((list(rewrites), searcher.rewrite_weight))
        return real(query, k=k, filters=filters, mode=mode, rewrites=rewrites)

    searcher.search = spy
    variants.install_split(searcher, weight=0.5)
    searcher.search("收费标准要不要公开？办事指南多久内公开？", k=3)
    searcher.search("收费标准要不要公开", k=3)
    assert seen == [(["收费标准要不要公开？", "办事指南多久内公开？"], 0.5), ([], 1.0)]
    assert searcher.rewrite_weight == 1.0
