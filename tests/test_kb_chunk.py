"""Chunkers: article boundaries (incl. 第X条之一), 章/节 metadata, citations, reports, guides."""

from __future__ import annotations

from pathlib import Path

from assistant.kb.chunk import (
    DOC_REPORT,
    DOC_REPORT_TABLE,
    chunk_guide,
    chunk_regulation,
    chunk_report,
    law_from_filename,
    looks_like_regulation,
    short_law_name,
)
from assistant.report.model import Cell, Report, Section
from .test_kb_data import GUIDE, SAMPLE_LAW

from .conftest import shared_corpus


def test_articles_split_at_each_article_including_zhiyi():
    chunks = chunk_regulation(SAMPLE_LAW, "样例公开条例(2020-01-01).md")
    assert [c.metadata["article"] for c in chunks] == ["第一条", "第二条", "第三条", "第三条之一", "第四条", "第五条", "第六条"]
    by = {c.metadata["article"]: c for c in chunks}
    # 第三条之一 is its own chunk and 第三条 does not swallow it
    assert "确认已经获取" in by["第三条之一"].text
    assert "确认已经获取" not in by["第三条"].text
    # a multi-paragraph article keeps all its paragraphs, and nothing of the next article
    assert "以一定形式记录" in by["第二条"].text
    assert "(二)第三方不同意的" in by["第五条"].text
    assert "施行" not in by["第五条"].text


def test_chapter_and_section_metadata_and_citation():
    chunks = {c.metadata["article"]: c for c in chunk_regulation(SAMPLE_LAW, "/x/样例公开条例(2020-01-01).md")}
    assert chunks["第一条"].metadata["chapter"] == "第一章 总则"
    assert chunks["第三条"].metadata["chapter"] == "第二章 申请的处理"
    assert chunks["第三条"].metadata["section"] == "第一节 一般规定"
    assert chunks["第五条"].metadata["section"] == "第二节 特别规定"
    # a new chapter resets the section
    assert chunks["第六条"].metadata["chapter"] == "第三章 附则"
    assert chunks["第六条"].metadata["section"] == ""
    c = chunks["第三条之一"]
    assert c.citation == "《样例公开条例》第三条之一"
    assert c.metadata["law"] == "样例公开条例"
    assert c.metadata["version"] == "2020-01-01"
    assert c.metadata["doc_type"] == "regulation"


def test_law_name_from_title_drops_country_prefix_when_file_name_has_none():
    chunks = chunk_regulation(SAMPLE_LAW, "law.md")
    assert chunks[0].citation == "《样例公开条例》第一条"
    assert short_law_name("中华人民共和国行政复议法") == "行政复议法"
    assert law_from_filename("政府信息公开条例(2019-04-03).md") == ("政府信息公开条例", "2019-04-03")
    assert law_from_filename("随便.md") == (None, None)


def test_chunk_ids_are_stable_and_change_with_text():
    a = chunk_regulation(SAMPLE_LAW, "s.md")
    b = chunk_regulation(SAMPLE_LAW, "s.md")
    assert [c.id for c in a] == [c.id for c in b]
    changed = chunk_regulation(SAMPLE_LAW.replace("二十个工作日", "十五个工作日"), "s.md")
    diff = [x.metadata["article"] for x, y in zip(a, changed) if x.id != y.id]
    assert diff == ["第三条"]


def test_a_body_line_mentioning_an_article_does_not_start_a_new_one():
    text = "第一条 依照本法\n第二条规定的情形除外。\n第二条 正文。\n"
    chunks = chunk_regulation(text, "样例法(2020-01-01).md")
    assert [c.metadata["article"] for c in chunks] == ["第一条", "第二条"]
    assert "规定的情形除外" in chunks[0].text


def test_looks_like_regulation():
    assert looks_like_regulation(SAMPLE_LAW)
    assert not looks_like_regulation(GUIDE)


def test_real_regulations_split_into_all_their_articles():
    reg = shared_corpus() / "regulations"
    path = next(reg.glob("政府信息公开条例*.md"))
    chunks = chunk_regulation(path.read_text(encoding="utf-8"), str(path))
    arts = [c.metadata["article"] for c in chunks]
    assert arts[0] == "第一条" and arts[-1] == "第五十六条" and len(arts) == 56
    c36 = next(c for c in chunks if c.metadata["article"] == "第三十六条")
    assert c36.citation == "《政府信息公开条例》第三十六条"
    assert c36.metadata["chapter"].startswith("第四章")


def _report() -> Report:
    r = Report(source="r.txt", form="text", agency="样例县人民政府", year=2023)
    r.sections = [
        Section("一", "一、总体情况", "本年度主动公开信息100条。\n" + "段落。" * 250, canonical="一"),
        Section("五", "五、存在的主要问题及改进情况", "问题是公开不够及时。", canonical="五"),
    ]
    r.cells = {
        "t2.regulation.issued": Cell("t2.regulation.issued", 2),
        "t3.new.natural": Cell("t3.new.natural", 12),
        "t3.new.total": Cell("t3.new.total", 15),
        "t4.review.maintained": Cell("t4.review.maintained", 1),
    }
    return r


def test_report_sections_and_table_facts():
    chunks = chunk_report(_report(), "/r/样例县2023.txt", max_chars=300)
    secs = [c for c in chunks if c.metadata["doc_type"] == DOC_REPORT]
    tables = [c for c in chunks if c.metadata["doc_type"] == DOC_REPORT_TABLE]
    assert len([c for c in secs if c.metadata["section"] == "一、总体情况"]) >= 2  # long section split
    five = next(c for c in secs if c.metadata["section_no"] == "五")
    assert five.citation == "样例县人民政府2023年政府信息公开工作年度报告 五、存在的主要问题及改进情况"
    assert five.metadata["agency"] == "样例县人民政府" and five.metadata["year"] == 2023
    new_row = next(c for c in tables if c.metadata["table"] == "t3.new")
    assert "自然人12" in new_row.text and "总计15" in new_row.text
    assert any(c.metadata["table"] == "t2" and "2" in c.text for c in tables)


def test_guide_by_heading_with_ref():
    chunks = chunk_guide(GUIDE, str(Path("/k/填写提示.md")))
    assert [c.metadata["section"] for c in chunks] == ["表二", "空格与零"]
    assert chunks[1].citation == "年报填写提示·空格与零"
    assert chunks[1].metadata["ref"] == "kb:填写提示#空格与零"
