"""The 问答 questions embedded as questions (assistant/kb/asked.py): embedded at index time, saved with
the index, carried over when no question changed, and the question-to-question vote in search, which
orders the results after the first and leaves the first as the fusion without it ranks it."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from assistant.kb import asked
from assistant.kb.base import KnowledgeBase
from assistant.kb.embed import CachedEmbedder, HashEmbedder
from assistant.kb.hybrid import nearest
from assistant.settings import Settings

from tests.test_kb_adapter import TOPICS, _index


class PrefixedHash(HashEmbedder):
    """Queries and passages embedded differently, as e5 does ("query: " / "passage: ")."""

    def embed_documents(self, texts):  # noqa: ANN001, ANN201
        return super().embed_documents([f"passage: {t}" for t in texts])

    def embed_query(self, text):  # noqa: ANN001, ANN201
        return super().embed_query(f"query: {text}")


def test_questions_are_the_headings_of_faq_entries_that_cite_an_article():
    def chunk(**meta: str) -> SimpleNamespace:
        return SimpleNamespace(citation="", metadata=meta)

    chunks = {
        "f2": chunk(doc_type="guide", ref="kb:faq-x#b", section="外地人能申请吗？", cites="《法》第二条"),
        "f1": chunk(doc_type="guide", ref="kb:faq-x#a", section="要交钱吗？", cites="《法》第三条"),
        "intro": chunk(doc_type="guide", ref="kb:faq-x", section="问答：样例"),  # the file's opening: cites nothing
        "g": chunk(doc_type="guide", ref="kb:guide#一节", section="一节", cites="《法》第一条"),  # a guide, not a 问答
        "a": chunk(doc_type="regulation", ref="", section=""),
    }
    assert asked.questions(sorted(chunks), chunks) == [("f1", "要交钱吗？"), ("f2", "外地人能申请吗？")]
    assert asked.questions(["a", "g"], chunks) == []
    emb = PrefixedHash()
    assert asked.embed(["a", "g"], chunks, emb) is None
    key, ids, m = asked.embed(sorted(chunks), chunks, emb)
    assert ids == ["f1", "f2"] and m.shape == (2, emb.dim)
    assert np.allclose(m[0], emb.embed_query("要交钱吗？"))  # embedded as a query, not as a passage
    assert not np.allclose(m[0], emb.embed_documents(["要交钱吗？"])[0])
    kept = (key, ids, "kept")
    assert asked.embed(sorted(chunks), chunks, emb, (key, ids, m))[2] is m  # nothing changed: not embedded again
    chunks["f1"].metadata["section"] = "要不要交钱？"
    assert asked.embed(sorted(chunks), chunks, emb, kept)[0] != key


def test_nearest_ranks_by_cosine_and_skips_what_is_not_allowed():
    m = np.array([[1, 0], [0.8, 0.6], [0, 1]], dtype=np.float32)
    q = np.array([1, 0], dtype=np.float32)
    assert [c for c, _ in nearest(["x", "y", "z"], m, q, 2)] == ["x", "y"]
    assert [c for c, _ in nearest(["x", "y", "z"], m, q, 3, np.array([False, True, True]))] == ["y", "z"]
    assert nearest([], np.zeros((0, 2), np.float32), q, 5) == []


def test_cached_queries_share_the_single_query_cache(tmp_path):
    emb = CachedEmbedder(PrefixedHash(), tmp_path / "v.sqlite", batch_size=2)
    texts = ["律师来要材料", "外地人能申请吗", "律师来要材料"]
    seen = []
    m = emb.embed_queries(texts, progress=seen.append)
    assert sum(seen) == 3 and emb.stats["misses"] == 2  # the same text twice is embedded once
    assert np.allclose(m[1], PrefixedHash().embed_query("外地人能申请吗"))
    before = emb.stats["misses"]
    assert np.allclose(emb.embed_query("律师来要材料"), m[0]) and emb.stats["misses"] == before  # same key as one query
    emb.close()


def test_the_index_saves_the_question_vectors_and_the_vote_finds_the_article(tmp_path):
    kb = _index(tmp_path)
    s = kb.searcher()
    key, ids, m = s.bm25.asked
    assert len(ids) == 13 * len(TOPICS) and m.shape == (len(ids), 256)
    # a new asker with one topic's words: its nearest 问答 questions cite that topic's article
    for article, words in TOPICS.items():
        near = s.asked_ranked(f"游客说{words}")
        got = s._vote(near, s.asked_temp, False, {}, s.asked_depth)[0]
        assert s.chunks[got[0][0]].citation == f"《样例公开条例》{article}"
    assert s._vote(s.asked_ranked("游客说要不要交钱多少钱"), s.asked_temp, False, {"law": "别的法"}, 30)[0] == []  # filters
    kb.close()
    again = KnowledgeBase(Settings(home=tmp_path / "home"), embedder=HashEmbedder())  # loaded, not embedded again
    assert again.searcher().bm25.asked[0] == key and np.array_equal(again.searcher().bm25.asked[2], m)
    again.close()


def test_the_vote_orders_the_results_after_the_first(tmp_path):
    kb = _index(tmp_path)
    s = kb.searcher()
    q = "窗口来人问表格填不明白看不懂"
    plain_weight = s.asked_weight
    s.asked_weight = 0.0
    calls = []
    real = s.asked_ranked
    s.asked_ranked = lambda *a: calls.append(a) or real(*a)  # type: ignore[method-assign]
    plain = s.search(q, k=4)
    assert calls == []  # switched off: not asked for
    first = plain[0].citation
    # a vote that (strongly) names another article, 第三条, through one of its 问答
    other = next(cid for cid in s.bm25.asked[1] if "第三条" in s.chunks[cid].metadata["cites"])
    s.asked_ranked = lambda *a: [(other, 0.99)]  # type: ignore[method-assign]
    s.asked_weight = 5.0
    head_kept = s.search(q, k=4)
    assert head_kept[0].citation == first != "《样例公开条例》第三条"  # the first result is the fusion's without it
    assert head_kept[1].citation == "《样例公开条例》第三条"  # the rest follow the vote
    assert head_kept[1].metadata["via"].startswith("问答·")  # and show the 问答 that brought it
    assert [h.score for h in head_kept] == sorted((h.score for h in head_kept), reverse=True)
    s.asked_head = 0
    assert s.search(q, k=4)[0].citation == "《样例公开条例》第三条"  # without the kept head the vote may take first place
    s.asked_weight = plain_weight
    kb.close()


def test_an_index_without_questions_notes_it_and_an_old_index_gets_them(tmp_path):
    bare = _index(tmp_path / "bare", faq=False)
    assert bare.searcher().bm25.asked is None and bare.searcher().asked_ranked("要交钱吗") == []
    gen = next(p for p in (bare.index_dir / "bm25").iterdir() if p.is_dir())
    assert (gen / "asked.none").is_file() and not (gen / "asked.npy").exists()
    assert bare.index([tmp_path / "bare" / "c"]).learned is False  # nothing to derive: an unchanged re-index stays instant
    bare.close()
    kb = _index(tmp_path)
    saved = kb.searcher().bm25.asked[2].copy()
    gen = next(p for p in (kb.index_dir / "bm25").iterdir() if p.is_dir())
    (gen / "asked.npy").unlink()  # as a version before the question vectors wrote it
    kb.close()
    old = KnowledgeBase(Settings(home=tmp_path / "home"), embedder=HashEmbedder())
    assert old.searcher().bm25.asked is None and old.search("要不要交钱", k=2)  # searching it still works
    rep = old.index([tmp_path / "c"])
    assert rep.learned and not (rep.added or rep.replaced)
    assert np.array_equal(old.searcher().bm25.asked[2], saved)
    old.close()


def test_index_progress_names_the_question_step(tmp_path):
    corpus = tmp_path / "c"
    _index(tmp_path / "first").close()  # (builds the sample corpus files under first/c)
    corpus.mkdir()
    for f in (tmp_path / "first" / "c").iterdir():
        (corpus / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    kb = KnowledgeBase(Settings(home=tmp_path / "home"), embedder=HashEmbedder())
    stages: dict[str, int] = {}
    kb.index([corpus], progress=lambda stage, k, n: stages.__setitem__(stage, stages.get(stage, 0) + k))
    assert stages.get("问答问法向量化") == 13 * len(TOPICS)
    kb.close()


def test_an_index_write_that_changes_no_question_does_not_embed_them_again(tmp_path, monkeypatch):
    kb = _index(tmp_path)
    key = kb.searcher().bm25.asked[0]
    calls = []
    real = asked.embed_queries
    monkeypatch.setattr(asked, "embed_queries", lambda *a, **k: calls.append(1) or real(*a, **k))
    (tmp_path / "c" / "handbook.md").write_text("# 办件手册\n\n## 来电登记\n\n电话咨询要登记来电人、时间和问题。\n", encoding="utf-8")
    assert kb.index([tmp_path / "c"]).added
    assert calls == [] and kb.searcher().bm25.asked[0] == key  # carried over
    faq = tmp_path / "c" / "faq-sample.md"
    faq.write_text(faq.read_text(encoding="utf-8").replace("群众问", "群众来电问"), encoding="utf-8")
    assert kb.index([tmp_path / "c"]).replaced
    assert calls == [1] and kb.searcher().bm25.asked[0] != key
    kb.close()
