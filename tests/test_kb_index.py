"""Ingest: idempotent re-index, changed file replaces chunks, remove, crash repair, filters, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import InputError
from assistant.kb.base import KnowledgeBase
from assistant.kb.embed import HashEmbedder
from assistant.kb.ingest import Indexer
from assistant.kb.state import State
from assistant.settings import Settings

from .test_kb_data import write_corpus


@pytest.fixture
def kb(tmp_path):
    k = KnowledgeBase(Settings(home=tmp_path / "home"), embedder=HashEmbedder())
    yield k
    k.close()


def _fresh(kb: KnowledgeBase) -> KnowledgeBase:
    """A new process' view of the same index."""
    return KnowledgeBase(kb.settings, embedder=HashEmbedder())


def test_index_then_search_cites_the_article(kb, tmp_path):
    write_corpus(tmp_path / "c")
    rep = kb.index([tmp_path / "c"])
    assert len(rep.added) == 3 and not rep.failed
    hits = kb.search("申请人要求确认已经获取的信息", k=3)
    assert hits[0].citation == "《样例公开条例》第三条之一"
    d = hits[0].to_dict()
    assert set(d) == {"citation", "source", "text", "score", "metadata", "relevance", "relevant"}
    assert d["metadata"]["article"] == "第三条之一" and d["source"].endswith("样例公开条例(2020-01-01).md")


def test_second_run_does_nothing(kb, tmp_path):
    write_corpus(tmp_path / "c")
    kb.index([tmp_path / "c"])
    gen = kb.stats()["generation"]
    again = _fresh(kb)
    rep = again.index([tmp_path / "c"])
    assert not rep.changed and len(rep.unchanged) == 3 and rep.embedded == 0
    assert again.stats()["generation"] == gen
    assert again._store is None  # Chroma was not even opened
    again.close()


def test_changed_file_replaces_its_chunks(kb, tmp_path):
    files = write_corpus(tmp_path / "c")
    kb.index([tmp_path / "c"])
    before = kb.stats()["chunks"]
    text = files["law"].read_text(encoding="utf-8").replace("二十个工作日", "十五个工作日")
    files["law"].write_text(text, encoding="utf-8")
    rep = kb.index([tmp_path / "c"])
    assert rep.replaced == [str(files["law"].resolve())] and rep.chunks_added == 1 and rep.chunks_removed == 1
    assert rep.embedded == 1  # the other articles come from the vector cache
    assert kb.stats()["chunks"] == before
    hit = kb.search("收到公开申请多少个工作日内答复", k=1, filters={"law": "样例公开条例"})[0]
    assert "十五个工作日" in hit.text
    assert all("二十个工作日" not in h.text for h in kb.search("二十个工作日", k=20))
    # Chroma holds exactly what the manifest lists
    assert kb.store().all_ids() == set(kb.searcher().chunks)


def test_remove_and_pruning_a_deleted_file(kb, tmp_path):
    files = write_corpus(tmp_path / "c")
    kb.index([tmp_path / "c"])
    rep = kb.remove([files["law2"]])
    assert rep.removed == [str(files["law2"].resolve())] and rep.chunks_removed == 3
    assert not kb.search("档案开放", k=10, filters={"law": "样例档案办法"})
    files["guide"].unlink()  # deleted from a folder that is re-indexed: leaves the index
    rep = kb.index([tmp_path / "c"])
    assert rep.removed == [str(files["guide"].resolve())]
    assert rep.added == [str(files["law2"].resolve())]  # removed, but still in the folder: back in
    assert kb.stats()["files"] == 2
    assert kb.store().all_ids() == set(kb.searcher().chunks)


def test_filters_on_both_retrievers(kb, tmp_path):
    write_corpus(tmp_path / "c")
    kb.index([tmp_path / "c"])
    for mode in ("hybrid", "bm25", "dense"):
        hits = kb.search("公开 档案 信息", k=10, filters={"law": "样例档案办法"}, mode=mode)
        assert hits and all(h.metadata["law"] == "样例档案办法" for h in hits), mode
        guide = kb.search("公开 档案 信息 填写", k=10, filters={"doc_type": "guide"}, mode=mode)
        assert guide and all(h.metadata["doc_type"] == "guide" for h in guide), mode
    assert kb.search("档案", k=5, filters={"law": "没有这部法"}) == []


def test_corrupt_and_empty_files_are_reported_and_others_indexed(kb, tmp_path):
    write_corpus(tmp_path / "c")
    (tmp_path / "c" / "空文件.md").write_text("  \n", encoding="utf-8")
    (tmp_path / "c" / "坏文件.docx").write_bytes(b"PK\x03\x04" + b"\x00broken" * 40)  # a zip header, then junk
    rep = kb.index([tmp_path / "c"])
    failed = {Path(p).name: e for p, e in rep.failed}
    assert set(failed) == {"空文件.md", "坏文件.docx"}
    assert all(isinstance(e, InputError) for e in failed.values())
    assert "空" in str(failed["空文件.md"]) and "坏文件.docx" in str(failed["坏文件.docx"])
    assert len(rep.added) == 3 and kb.stats()["files"] == 3
    # a failed file is retried next time (not recorded as indexed)
    assert len(kb.index([tmp_path / "c"]).failed) == 2


def test_crash_before_manifest_commit_is_not_served_and_repaired(kb, tmp_path, monkeypatch):
    files = write_corpus(tmp_path / "c")
    kb.index([tmp_path / "c"])
    committed = set(kb.searcher().chunks)
    files["law2"].write_text(files["law2"].read_text(encoding="utf-8") + "\n第四条 新增的条文内容关于缩微复制。\n", encoding="utf-8")

    def boom(*a, **k):
        raise KeyboardInterrupt  # killed after the vectors were written, before the manifest

    monkeypatch.setattr(State, "commit_files", boom)
    with pytest.raises(KeyboardInterrupt):
        kb.index([tmp_path / "c"])
    monkeypatch.undo()
    after = _fresh(kb)
    assert set(after.searcher().chunks) == committed  # the half-written file is not served
    assert all("缩微复制" not in h.text for h in after.search("缩微复制", k=10))
    assert len(after.store().all_ids()) > len(committed)  # orphans are in Chroma...
    rep = after.index([tmp_path / "c"])
    assert rep.repaired and rep.replaced == [str(files["law2"].resolve())]
    assert after.store().all_ids() == set(after.searcher().chunks)  # ...and gone after the repair
    assert after.search("缩微复制", k=1)[0].citation == "《样例档案办法》第四条"
    after.close()


def test_crash_before_bm25_switch_serves_the_manifest(kb, tmp_path, monkeypatch):
    files = write_corpus(tmp_path / "c")
    kb.index([tmp_path / "c"])
    files["guide"].write_text("# 年报填写提示\n\n## 新节\n\n信息处理费按件计算。\n", encoding="utf-8")
    monkeypatch.setattr(Indexer, "_rebuild_bm25", lambda self, *a: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        kb.index([tmp_path / "c"])
    monkeypatch.undo()
    after = _fresh(kb)
    hits = after.search("信息处理费按件计算", k=3, mode="bm25")
    assert hits and hits[0].citation == "年报填写提示·新节"
    assert after.index([tmp_path / "c"]).repaired
    after.close()


def test_missing_path_is_a_failure_not_a_crash(kb, tmp_path):
    rep = kb.index([tmp_path / "nope.md"])
    assert rep.failed and "不存在" in str(rep.failed[0][1])


def test_unsupported_file_given_explicitly(kb, tmp_path):
    p = tmp_path / "a.xls"
    p.write_bytes(b"x")
    rep = kb.index([p])
    assert rep.failed and "不支持" in str(rep.failed[0][1])


def test_reports_are_indexed_by_section_and_table_with_filters(kb, tmp_path):
    from assistant.testing.synth import clean_report, render

    out = tmp_path / "reports"
    out.mkdir()
    for year in (2023, 2024):
        r = clean_report("青禾县人民政府", year, seed=year)
        render(r, "html", out)
    rep = kb.index([out])
    assert len(rep.added) == 2 and not rep.failed
    hits = kb.search("存在的主要问题及改进情况", k=5, filters={"year": 2024, "doc_type": "report"})
    assert hits and all(h.metadata["year"] == 2024 and h.metadata["agency"] == "青禾县人民政府" for h in hits)
    assert any(h.metadata["section_no"] == "五" for h in hits)
    assert hits[0].citation.startswith("青禾县人民政府2024年政府信息公开工作年度报告 ")
    facts = kb.search("本年新收政府信息公开申请数量", k=3, filters={"doc_type": "report_table", "year": 2023})
    assert facts and facts[0].metadata["table"].startswith("t3.")
    assert "自然人" in facts[0].text and "总计" in facts[0].text


def test_inventory_lists_laws_kinds_and_warns_without_the_core_regulation(kb, tmp_path):
    from assistant.kb.base import CORE_LAW_MISSING

    empty = kb.inventory()
    assert empty.chunks == 0 and empty.warnings() and "xxgk index" in empty.warnings()[0]
    write_corpus(tmp_path / "c")
    kb.index([tmp_path / "c"])
    inv = kb.inventory()
    assert inv.files == 3 and inv.chunks == kb.stats()["chunks"]
    assert inv.laws and "样例公开条例" in inv.laws and inv.laws["样例公开条例"] >= 3
    assert sum(inv.kinds.values()) == 3 and {s.kind for s in inv.sources} <= {"regulation", "report", "guide"}
    assert not inv.has_core_law and inv.warnings() == [CORE_LAW_MISSING]
    core = tmp_path / "c2" / "政府信息公开条例(2019-04-03).md"
    core.parent.mkdir()
    core.write_text("第一条 为了保障公民依法获取政府信息，制定本条例。\n第二条 本条例所称政府信息，是指行政机关记录的信息。\n第三条 各级人民政府应当加强组织领导。\n", encoding="utf-8")
    kb.index([tmp_path / "c2"])
    inv = kb.inventory()
    assert inv.has_core_law and inv.warnings() == [] and inv.laws["政府信息公开条例"] == 3
