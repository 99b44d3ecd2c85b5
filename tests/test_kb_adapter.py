"""The question→article map learned from the 问答 at index time (assistant/kb/adapter.py): it is
fitted, saved with the index, loaded by search, and moves a new question towards the article that
questions like it are answered by."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np

from assistant.kb import adapter
from assistant.kb.base import KnowledgeBase
from assistant.kb.embed import HashEmbedder
from assistant.settings import Settings

LAW = """# 样例公开条例

第一条 为了规范样例信息的管理，制定本条例。

第二条 行政机关对申请内容不明确的，应当给予指导和释明。

第三条 行政机关收取信息处理费的具体办法，由价格主管部门会同财政部门制定。

第四条 多个机关共同制作的样例信息，由牵头机关负责答复。
"""
ASKERS = ("群众", "老乡", "同事", "领导", "窗口来人", "律师", "记者", "村干部", "企业", "老人", "学生", "网民", "乡镇文书")
TOPICS = {  # staff words that the articles' own text does not use
    "第二条": "表格填不明白看不懂",
    "第三条": "要不要交钱多少钱",
    "第四条": "几个局一起发的文谁回",
    "第一条": "这个规定为啥要定",
}


def _faq() -> str:
    out = ["# 问答：样例", ""]
    for article, words in TOPICS.items():
        out += [f"## {article}", ""]
        for asker in ASKERS:
            out += [f"### {asker}问{words}？", f"按规定办（《样例公开条例》{article}）。", ""]
    return "\n".join(out)


def _index(tmp_path: Path, faq: bool = True) -> KnowledgeBase:
    corpus = tmp_path / "c"
    corpus.mkdir(parents=True, exist_ok=True)
    (corpus / "样例公开条例(2020-01-01).md").write_text(LAW, encoding="utf-8")
    if faq:
        (corpus / "faq-sample.md").write_text(_faq(), encoding="utf-8")
    kb = KnowledgeBase(Settings(home=tmp_path / "home"), embedder=HashEmbedder())
    kb.index([corpus])
    return kb


def test_fit_learns_a_map_that_carries_over_to_new_questions():
    rng = np.random.default_rng(0)
    d, k = 16, 8
    classes = rng.normal(size=(k, d)).astype(np.float32)
    classes /= np.linalg.norm(classes, axis=1, keepdims=True)
    turn, _ = np.linalg.qr(rng.normal(size=(d, d)))  # questions live in a turned copy of the space

    def questions(n: int) -> tuple[np.ndarray, np.ndarray]:
        y = rng.integers(0, k, n)
        q = classes[y] @ turn.T + rng.normal(0, 0.1, (n, d))
        return (q / np.linalg.norm(q, axis=1, keepdims=True)).astype(np.float32), y

    def top1(q: np.ndarray, y: np.ndarray, a: np.ndarray) -> float:
        return float(((q + q @ a.T) @ classes.T).argmax(axis=1).__eq__(y).mean())

    train_q, train_y = questions(200)
    new_q, new_y = questions(100)
    a = adapter.fit(train_q, train_y, classes, scale=10.0, epochs=300, lr=0.01)
    assert top1(new_q, new_y, np.zeros((d, d), np.float32)) < 0.5 < 0.9 < top1(new_q, new_y, a)
    assert np.array_equal(a, adapter.fit(train_q, train_y, classes, scale=10.0, epochs=300, lr=0.01))  # deterministic


def test_learn_pairs_each_faq_entry_with_its_first_article_and_needs_enough_of_them():
    rng = np.random.default_rng(1)

    def chunk(citation: str, **meta: str) -> SimpleNamespace:
        return SimpleNamespace(citation=citation, metadata=meta)

    chunks = {"a1": chunk("《法》第一条", doc_type="regulation"), "a2": chunk("《法》第二条", doc_type="regulation"),
              "g": chunk("指南·一节", doc_type="guide", ref="kb:guide#一节", cites="《法》第一条")}
    for i in range(adapter.MIN_PAIRS):
        chunks[f"f{i}"] = chunk(f"问答·{i}", doc_type="guide", ref=f"kb:faq-x#{i}", cites="《法》第二条" if i % 2 else "《法》第一条")
    ids = sorted(chunks)
    vectors = rng.normal(size=(len(ids), 8)).astype(np.float32)
    key, a = adapter.learn(ids, vectors, chunks)
    assert a.shape == (8, 8) and np.abs(a).sum() > 0
    assert adapter.learn(ids, vectors, chunks, (key, "kept")) == (key, "kept")  # nothing the fit sees changed
    vectors[ids.index("f1")] += 0.1  # one 问答 entry's vector changed: a new fit
    again = adapter.learn(ids, vectors, chunks, (key, "kept"))
    assert again[0] != key and again[1].shape == (8, 8)
    wide = rng.normal(size=(len(ids), adapter.MAX_DIM + 1)).astype(np.float32)
    assert adapter.learn(ids, wide, chunks) is None  # a hosted model's wide vectors: no map (the fit grows with d²)
    del chunks["f0"]  # one entry fewer than the minimum: no map
    ids = sorted(chunks)
    assert adapter.learn(ids, vectors[: len(ids)], chunks) is None
    chunks.pop("a2")
    chunks["f0"] = chunk("问答·0", doc_type="guide", ref="kb:faq-x#0", cites="《法》第一条")
    ids = sorted(chunks)  # half the entries cite an article the index does not hold: too few pairs
    assert adapter.learn(ids, vectors[: len(ids)], chunks) is None


def test_the_index_saves_the_map_and_search_uses_it(tmp_path):
    kb = _index(tmp_path)
    s = kb.searcher()
    assert s.bm25.adapter is not None and s.bm25.adapter.shape == (256, 256)
    # new askers with each topic's words: the articles' own text does not use them
    cases = [(f"{asker}说{words}", article) for asker in ("游客", "外地人", "办事员", "退休干部", "个体户") for article, words in TOPICS.items()]

    def right(ranked: list[tuple[str, float]], article: str) -> bool:
        return s.chunks[ranked[0][0]].citation == f"《样例公开条例》{article}"

    moved = sum(right(s.adapted_ranked(q, 4, {}), a) for q, a in cases)
    plain = sum(right(s.dense_ranked(q, 4, {"doc_type": "regulation"}), a) for q, a in cases)
    assert moved == len(cases) > plain
    q = cases[0][0]
    assert all(s.chunks[cid].metadata["doc_type"] == "regulation" for cid, _ in s.adapted_ranked(q, 10, {}))
    assert s.adapted_ranked(q, 4, {"law": "别的法"}) == []  # filters apply
    s.adapter_weight = 0.0  # the switch: the list is not asked for
    calls = []
    s.adapted_ranked = lambda *a: calls.append(a) or []  # type: ignore[method-assign]
    s.search(q, k=3)
    assert calls == []
    s.adapter_weight = 0.15
    s.search(q, k=3)
    assert len(calls) == 1
    kb.close()
    again = KnowledgeBase(Settings(home=tmp_path / "home"), embedder=HashEmbedder())  # loaded, not refitted
    assert np.array_equal(again.searcher().bm25.adapter, s.bm25.adapter)
    again.close()


def test_without_enough_faq_there_is_no_map_and_search_still_works(tmp_path):
    kb = _index(tmp_path, faq=False)
    s = kb.searcher()
    assert s.bm25.adapter is None and s.adapted_ranked("要不要交钱", 4, {}) == []
    assert kb.search("信息处理费", k=1)[0].citation == "《样例公开条例》第三条"
    kb.close()


def test_an_index_written_before_the_map_gets_it_at_the_next_index_run(tmp_path):
    kb = _index(tmp_path)
    fitted = kb.searcher().bm25.adapter.copy()
    gen = next(p for p in (kb.index_dir / "bm25").iterdir() if p.is_dir())
    (gen / "adapter.npy").unlink()  # as an older version wrote it
    kb.close()
    old = KnowledgeBase(Settings(home=tmp_path / "home"), embedder=HashEmbedder())
    assert old.searcher().bm25.adapter is None  # searching an old index still works, without the list
    rep = old.index([tmp_path / "c"])
    assert rep.learned and not (rep.added or rep.replaced)
    assert np.array_equal(old.searcher().bm25.adapter, fitted)
    old.close()
    # too few 问答: a note that there is nothing to learn, so an unchanged re-index does not try again
    bare = _index(tmp_path / "bare", faq=False)
    gen = next(p for p in (bare.index_dir / "bm25").iterdir() if p.is_dir())
    assert (gen / "adapter.none").is_file() and not (gen / "adapter.npy").exists()
    bare.close()


def test_an_index_write_that_changes_no_faq_does_not_fit_again(tmp_path, monkeypatch):
    kb = _index(tmp_path)
    fitted = kb.searcher().bm25.adapter.copy()
    fits = []
    real = adapter.fit
    monkeypatch.setattr(adapter, "fit", lambda *a, **k: fits.append(1) or real(*a, **k))
    (tmp_path / "c" / "handbook.md").write_text("# 办件手册\n\n## 来电登记\n\n电话咨询要登记来电人、时间和问题。\n", encoding="utf-8")
    assert kb.index([tmp_path / "c"]).added
    assert fits == [] and np.array_equal(kb.searcher().bm25.adapter, fitted)  # the map is carried over
    faq = tmp_path / "c" / "faq-sample.md"
    faq.write_text(faq.read_text(encoding="utf-8").replace("群众问", "群众来电问"), encoding="utf-8")
    assert kb.index([tmp_path / "c"]).replaced
    assert fits == [1]
    kb.close()
