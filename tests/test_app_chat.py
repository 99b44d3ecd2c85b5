"""问答 and 起草 handlers of the app, without a browser: streaming turns, sources, report slots,
drafts with the guard's marks, re-check after editing, downloads, the model's status line."""

from __future__ import annotations

import time
from pathlib import Path

import docx
import pytest

from assistant.app import chat as ch
from assistant.app import drafting as dr
from assistant.app.context import AppContext
from assistant.app.status import status_for
from assistant.settings import Settings
from assistant.testing.llm_stub import LlmStub

from .conftest import ROOT
from .llm_helpers import by_task
from .test_kb_data import write_corpus

SAMPLES = ROOT / "corpus" / "samples"


@pytest.fixture
def ctx(tmp_path, monkeypatch):
    monkeypatch.setenv("XXGK_KB__EMBEDDING__BACKEND", "hash")
    c = AppContext(Settings(home=tmp_path / "home"))
    write_corpus(tmp_path / "c")
    c.index([tmp_path / "c"], "测试语料")
    yield c
    c.close()


@pytest.fixture
def stub():
    with LlmStub(model="stub-qwen") as s:
        yield s


def with_model(ctx: AppContext, stub: LlmStub) -> AppContext:
    ctx.settings.llm.base_url, ctx.settings.llm.api_key, ctx.settings.llm.max_retries = stub.base_url, "k", 0
    ctx.settings.llm.model = "stub-qwen"
    return ctx


def test_offline_turn_shows_the_article_beside_the_answer(ctx):
    steps = list(ch.chat_turn(ctx, "申请人要求确认已经获取的样例信息怎么办", []))
    msgs, html = steps[-1]
    assert [m["role"] for m in msgs] == ["user", "assistant"]
    assert "离线模式" in msgs[-1]["content"] and "〔离线模式〕" in msgs[-1]["content"]
    assert "《样例公开条例》第三条之一" in html and "获取的途径" in html and "离线模式" in html


def test_turn_streams_with_a_model_and_follow_ups_use_the_conversation(ctx, stub):
    with_model(ctx, stub)
    stub.responder = by_task(condense="申请人是企业时要求确认已获取的样例信息怎么办", rewrite="", ask="可以告知其获取的途径[1]，无需重新出具。")
    first = [{"role": "user", "content": [{"type": "text", "text": "申请人要求确认已经获取的样例信息怎么办"}]}, {"role": "assistant", "content": "可以告知其获取的途径[1]。"}]
    steps = list(ch.chat_turn(ctx, "那如果申请人是企业呢？", first))
    assert len(steps) > 3  # a waiting step, the streamed pieces, the final answer
    msgs, html = steps[-1]
    assert msgs[0]["content"] == "申请人要求确认已经获取的样例信息怎么办"  # Gradio's content parts flattened
    assert msgs[-1]["content"].startswith("可以告知其获取的途径[1]") and "〔大模型 stub-qwen〕" in msgs[-1]["content"]
    assert "按上下文理解为：申请人是企业时要求确认已获取的样例信息怎么办" in html and "[1] 《样例公开条例》" in html


def test_report_slot_from_an_upload_and_the_sample(ctx, tmp_path):
    slot, note = ch.load_slot(ctx, SAMPLES / "青禾县人民政府_2024.html", SAMPLES / "青禾县人民政府_2023.html")
    assert slot is not None and slot.report.agency == "青禾县人民政府" and slot.previous is not None
    assert "青禾县人民政府 2024年度" in note and "上年报告" in note
    sample, note2 = ch.sample_slot(ROOT / "corpus")
    assert sample is not None and sample.previous is not None and sample.previous.year == 2023
    bad = tmp_path / "随笔.txt"
    bad.write_text("今天天气很好。", encoding="utf-8")
    none, why = ch.load_slot(ctx, bad)
    assert none is None and "年度报告" in why
    msgs, html = list(ch.chat_turn(ctx, "本报告予以公开的比例是多少？", [], slot))[-1]
    assert "予以公开占办结总数的比例：50%" in msgs[-1]["content"] and "报告数据" in html


def test_offline_draft_and_its_verdict(ctx):
    slot, _ = ch.sample_slot(ROOT / "corpus")
    steps = list(dr.draft_events(ctx, slot, "五"))
    text, html, d = steps[-1]
    assert d is not None and d.mode == "offline" and d.flags == [] and "（三）改进措施" in text
    assert "校验通过" in html and "模板草稿" in html
    assert dr.draft_events(ctx, None, "五").__next__()[1].count("请先上传报告") == 1


def test_model_draft_with_a_wrong_number_is_marked_and_an_edit_can_fix_it(ctx, stub):
    with_model(ctx, stub)
    slot, _ = ch.sample_slot(ROOT / "corpus")
    wrong = "（二）存在的主要问题\n2024年，全年共收到政府信息公开申请99件。政策解读还不够深入。"
    stub.responder = by_task(draft=wrong, fix=wrong)
    text, html, d = list(dr.draft_events(ctx, slot, "五"))[-1]
    assert d.mode == "llm" and d.attempts == 2 and text == wrong
    assert "<mark class='draft-flag'" in html and "99件" in html and "NAR-APPLY" in html
    fixed = wrong.replace("99件", "39件")
    html2, d2 = dr.recheck(ctx, slot, "五", fixed, "llm")
    assert d2 is not None and d2.edited and not [f for f in d2.flags if f.get("rule") == "NAR-APPLY"]
    assert "<mark" not in html2 or "99件" not in html2


def test_draft_downloads_as_word_and_text(ctx):
    slot, _ = ch.sample_slot(ROOT / "corpus")
    text = list(dr.draft_events(ctx, slot, "一"))[-1][0]
    path = dr.export_draft(ctx, slot, "一", text + "\n（补充）本单位另开展培训。", "docx")
    assert path is not None and path.suffix == ".docx" and path.is_relative_to(ctx.exports_dir)
    paras = [p.text for p in docx.Document(str(path)).paragraphs]
    assert "一、总体情况" in paras and any("人工修改" in p for p in paras)
    txt = dr.export_draft(ctx, slot, "一", text, "txt")
    assert txt is not None and "一、总体情况" in Path(txt).read_text(encoding="utf-8")
    assert dr.export_draft(ctx, slot, "一", "  ", "docx") is None


def test_status_line_pings_the_model_in_the_background(ctx, stub):
    with_model(ctx, stub)
    assert "正在检查" in status_for(ctx)
    deadline = time.monotonic() + 10
    while "可用" not in status_for(ctx) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "stub-qwen 可用" in status_for(ctx)
    dead = AppContext(Settings(home=ctx.settings.home / "h2", llm={"base_url": "http://127.0.0.1:9/v1", "max_retries": 0}))
    try:
        dead.llm_ping()
        deadline = time.monotonic() + 10
        while "不可用" not in status_for(dead) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "现在不可用" in status_for(dead) and "离线模式" in status_for(dead)
    finally:
        dead.close()
