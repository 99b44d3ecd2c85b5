"""The readers on real published reports (../shared/corpus; skipped when absent, failing under CI=true)."""

from __future__ import annotations

import pytest

from assistant.report.document import Table
from assistant.report.readers import load_document

REPORTS = [
    ("湍东镇人民政府_2024.txt", "text"),
    ("淮安市人民政府_2024.pdf", "pdf"),
    ("沭阳县发展和改革局_2023.html", "html"),
    ("上海市科学技术委员会_2024.md", "markdown"),
    ("平潭综合实验区交通与建设局_2023.html", "html"),
]


def _row(doc, startswith: str) -> list[str | None]:
    for t in doc.tables:
        for row in t.rows:
            if any(c and c.startswith(startswith) for c in row):
                return row
    raise AssertionError(f"no row with {startswith}")


@pytest.mark.parametrize(("name", "form"), REPORTS)
def test_corpus_reports_load(corpus_dir, name, form):
    doc = load_document(corpus_dir / "reports" / name)
    assert doc.form == form
    assert doc.tables and doc.paragraphs
    assert doc.warnings == []
    assert all(isinstance(c, str | None) for t in doc.tables for r in t.rows for c in r)
    assert any("主动公开政府信息情况" in p.text for p in doc.paragraphs)


def test_text_dump_rows(corpus_dir):
    doc = load_document(corpus_dir / "reports" / "湍东镇人民政府_2024.txt")
    t3 = next(t for t in doc.tables if any(r[0].startswith("一、本年新收") for r in t.rows if r))
    assert ["", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", *["0"] * 7] in t3.rows
    assert ["", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""] in t3.rows
    assert ["行政处罚", "12"] in doc.tables[0].rows
    assert next(p for p in doc.paragraphs if p.text.startswith("四、")).line == 345


def test_html_blank_legal_person_columns(corpus_dir):
    doc = load_document(corpus_dir / "reports" / "沭阳县发展和改革局_2023.html")
    row = _row(doc, "一、本年新收")
    assert row == ["一、本年新收政府信息公开申请数量", None, None, "26", "", "", "", "", "", "26"]
    t3 = next(t for t in doc.tables if row in t.rows)
    blank = [r[4:9] for r in t3.rows[3:]]
    assert all(cells == [""] * 5 for cells in blank)  # the <o:p> </o:p> cells of the 法人 columns
    assert "索引号" in doc.tables[0].rows[1]  # the page's meta table comes first
    assert not any("function(" in p.text or "{" in p.text for p in doc.paragraphs)


def test_long_crawled_page(corpus_dir):
    doc = load_document(corpus_dir / "reports" / "平潭综合实验区交通与建设局_2023.html")
    assert _row(doc, "（四）无法提供")[3:] == ["5", "0", "0", "0", "0", "0", "5"]
    assert not any("window." in p.text or "var " in p.text for p in doc.paragraphs)


def test_pdf_tables_on_pages_4_and_5(corpus_dir):
    doc = load_document(corpus_dir / "reports" / "淮安市人民政府_2024.pdf")
    pages = {t.page for t in doc.tables}
    assert {3, 4, 5} <= pages
    first = _row(doc, "一、本年新收")
    assert first == ["一、本年新收政府信息公开申请数量", None, None, "3001", "53", "0", "0", "61", "4", "3119"]
    assert next(t for t in doc.tables if first in t.rows).page == 4
    carry = _row(doc, "四、结转下年度")
    assert carry[3:] == ["103", "0", "0", "0", "0", "0", "103"]
    assert next(t for t in doc.tables if carry in t.rows).page == 5
    t4 = next(t for t in doc.tables if t.rows[0][0] == "行政复议")
    assert t4.rows[-1] == ["72", "64", "178", "37", "351", "13", "4", "8", "1", "26", "12", "1", "1", "6", "20"]
    # framed text boxes on pages 1 and 3 are text, not one-column tables
    assert all(max(len(r) for r in t.rows) >= 2 for t in doc.tables)
    assert any(p.text.startswith("本报告由淮安市人民政府办公室") and p.page == 1 for p in doc.paragraphs)


def test_markdown_scrambled_tables(corpus_dir):
    doc = load_document(corpus_dir / "reports" / "上海市科学技术委员会_2024.md")
    assert all(isinstance(t, Table) and t.empty_is_unknown for t in doc.tables)
    assert ["（七）总计", "33", "2", "0", "0", "0", "0", "35"] in [r for t in doc.tables for r in t.rows]
    assert ["规范性文件", "13", "0", "55"] in doc.tables[0].rows
