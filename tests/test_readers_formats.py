"""HTML, DOCX and PDF readers against files made by the real libraries, the same report in
every format, translation of library errors, and the real corpus."""

from __future__ import annotations

import random
import re

import pytest

from assistant.errors import CorruptFileError, EncryptedFileError, InputError, ScannedPdfError
from assistant.report import read_report_bytes
from assistant.report.cells import ALL_CELLS
from assistant.report.document import Document, Paragraph, Table
from assistant.report.readers import load_document, load_document_bytes

from .fixtures.readers.build import (
    encrypted_pdf,
    image_only_pdf,
    to_docx,
    to_html,
    to_markdown,
    to_pdf,
    to_text_dump,
)
from .grid import clean_cells, document

NUM = re.compile(r"^\d+(\.\d+)?$")


@pytest.fixture(scope="module")
def report() -> tuple[dict, Document]:
    cells = clean_cells(2)
    doc = document(cells, sections={"一": "本年度共主动公开政府信息1234条，其中规范性文件5件。", "五": "一是公开意识不强。"})
    return cells, doc


@pytest.fixture(scope="module")
def rendered(report) -> dict[str, bytes]:
    _, doc = report
    return {"html": to_html(doc).encode("utf-8"), "docx": to_docx(doc), "pdf": to_pdf(doc)}


def numbers(table: Table) -> list[list[str]]:
    return [[c for c in row if c and NUM.match(c)] for row in table.rows]


def data_tables(doc: Document) -> list[Table]:
    return [t for t in doc.tables if t.rows[0][0] != "索引号"]  # the HTML page's meta table


# ------------------------------------------------------------------ the same report, three forms
@pytest.mark.parametrize("form", ["html", "docx", "pdf"])
def test_same_report_same_grid(form, report, rendered):
    cells, source = report
    doc = load_document_bytes(rendered[form], f"青禾县人民政府_2024.{form}")
    assert doc.form == form
    got = data_tables(doc)
    assert [t.rows for t in got] == [t.rows for t in source.tables]  # merged positions are None
    assert [numbers(t) for t in got] == [numbers(t) for t in source.tables]
    texts = [p.text for p in doc.paragraphs]
    assert "本年度共主动公开政府信息1234条，其中规范性文件5件。" in texts
    assert texts.index("二、主动公开政府信息情况") < texts.index("三、收到和处理政府信息公开申请情况")
    # reading order: each table right after its section title
    order = [b.text if isinstance(b, Paragraph) else f"T{b.index}" for b in doc.blocks]
    t3 = next(t.index for t in got if t.rows[0][3] == "申请人情况")
    assert order.index("三、收到和处理政府信息公开申请情况") < order.index(f"T{t3}") < order.index(
        "四、政府信息公开行政复议、行政诉讼情况"
    )
    report_ = read_report_bytes(rendered[form], f"青禾县人民政府_2024.{form}")
    assert report_.cell_values() == {cid: cells[cid] for cid in ALL_CELLS}


def test_text_dump_rendering_reads_back(report):
    cells, source = report
    data = to_text_dump(source).encode("gb18030")
    doc = load_document_bytes(data, "x.txt")
    assert doc.form == "text"
    assert [numbers(t) for t in doc.tables] == [numbers(t) for t in source.tables]
    assert read_report_bytes(data, "青禾县人民政府_2024.txt").cell_values() == {cid: cells[cid] for cid in ALL_CELLS}


def test_markdown_rendering_reads_back(report):
    cells, source = report
    doc = load_document_bytes(to_markdown(source).encode(), "x.md")
    assert [numbers(t) for t in doc.tables] == [numbers(t) for t in source.tables]
    assert all(t.empty_is_unknown for t in doc.tables)


# ------------------------------------------------------------------ HTML details
def test_html_chrome_is_dropped_and_layout_tables_recursed(rendered):
    doc = load_document_bytes(rendered["html"], "page.html")
    text = doc.text()
    for gone in ("var menu", "不是内容", "隐藏的文字", "首页", "注释里的", ".nav"):
        assert gone not in text
    assert "栏目导航" in text and "信息公开年报" in text  # layout-table cell text → paragraphs
    meta = doc.tables[0]
    assert meta.rows == [["索引号", "000/2024-00001", "发布日期", "2024-01-20"]]
    assert [t.index for t in doc.tables] == list(range(len(doc.tables)))


def test_html_word_pasted_cells_and_spans():
    page = """<html><head><meta charset="gbk"></head><body><div>
    <table><tbody>
      <tr><td rowspan="2" colspan="2"><p>&nbsp;</p><p>三、本年度<br/>办理结果</p></td><td>商业<br>企业</td><td>总计</td></tr>
      <tr><td><p>&nbsp;</p><p>14</p><p>&nbsp;</p></td><td><p><span><o:p> </o:p></span></p></td></tr>
      <tr><td>（一）予以<span style="color:red">公开</span></td><td>１２</td><td rowspan="9">5</td><td colspan="0">x</td></tr>
    </tbody></table></div>
    <p>第一段<br/>第二段</p><h2>  二、主动公开  </h2><ul><li>甲</li><li>乙</li></ul>
    </body></html>"""
    doc = load_document_bytes(page.encode("gbk"), "a.html")
    (table,) = doc.tables
    assert table.rows == [
        ["三、本年度办理结果", None, "商业企业", "总计"],
        [None, None, "14", ""],
        ["（一）予以公开", "12", "5", "x"],  # rowspan past the end is trimmed, colspan="0" read as 1
    ]
    assert [p.text for p in doc.paragraphs] == ["第一段", "第二段", "二、主动公开", "甲", "乙"]


def test_html_hidden_or_non_content_inside_cells_is_not_read():
    # lxml joins a plain cell's text in C; a cell with something hidden or non-content below it
    # must still be walked, in whatever case the style is written
    page = """<html><body><table>
      <tr><td>规章<span style="DISPLAY: none">隐藏</span></td><td>1<script>var x = 9;</script></td></tr>
      <tr><td>行政<b hidden>不显示</b>规范性文件</td><td>2<!-- 7 --></td></tr>
      <tr><td>行政许可<span style="visibility:hidden">8</span></td><td><style>td{color:red}</style>3</td></tr>
      <tr><td rowspan="2">甲</td><td>4</td><td rowspan="2">乙</td></tr>
      <tr><td>5</td></tr>
      <tr><td>丙</td></tr>
    </table><p>正文<span style="display:none">隐藏段落</span>结束</p></body></html>"""
    doc = load_document_bytes(page.encode(), "hidden.html")
    (table,) = doc.tables
    assert table.rows == [
        ["规章", "1"],
        ["行政规范性文件", "2"],
        ["行政许可", "3"],
        ["甲", "4", "乙"],
        [None, "5", None],
        ["丙"],
    ]
    assert [p.text for p in doc.paragraphs] == ["正文结束"]


def test_html_hiding_written_with_character_references_or_after_a_quote():
    # the page is scanned for hiding words before the elements are; the parser decodes
    # ``display&#58;none`` and accepts ``class="x"hidden``, so neither may slip past that scan
    page = """<html><body><table>
      <tr><td>规章<span style="display&#58;none">9</span></td><td>1</td></tr>
      <tr><td>行政许可</td><td>2<b class="x"hidden>7</b></td></tr>
    </table><p>正文<span style="visibility&#x3A; hidden">隐藏</span>结束</p><div class='a'hidden>不显示</div></body></html>"""
    doc = load_document_bytes(page.encode(), "escaped.html")
    (table,) = doc.tables
    assert table.rows == [["规章", "1"], ["行政许可", "2"]]
    assert [p.text for p in doc.paragraphs] == ["正文结束"]


def test_html_span_from_above_leaves_an_empty_gap():
    page = """<html><body><table>
      <tr><td>a</td><td>b</td><td rowspan="2">c</td></tr>
      <tr><td>d</td></tr>
    </table></body></html>"""
    (table,) = load_document_bytes(page.encode(), "gap.html").tables
    assert table.rows == [["a", "b", "c"], ["d", "", None]]


def test_html_frame_tables_are_content():
    article = "".join(f"<p>（{n}）第{n}段正文，" + "全年主动公开政府信息若干条。" * 12 + "</p>" for n in "一二三")
    page = f"""<html><body>
    <table><tr><td><p>一、总体情况</p><p>本机关认真落实条例。</p></td></tr></table>
    <table><tr><td width="20%">栏目</td><td>{article}</td></tr></table>
    <table><tr><td>规章</td><td>0</td></tr></table>
    </body></html>"""
    doc = load_document_bytes(page.encode(), "frames.html")
    assert [t.rows for t in doc.tables] == [[["规章", "0"]]]
    texts = [p.text for p in doc.paragraphs]
    assert texts[:3] == ["一、总体情况", "本机关认真落实条例。", "栏目"]
    assert [t[:4] for t in texts[3:]] == ["（一）第", "（二）第", "（三）第"]


def test_html_xml_declaration_and_fragment():
    doc = load_document_bytes('<?xml version="1.0" encoding="utf-8"?><table><tr><td>规章</td><td>0</td></tr></table>'.encode(), "a.htm")
    assert doc.tables[0].rows == [["规章", "0"]]


# ------------------------------------------------------------------ DOCX details
def test_docx_merges_and_nested_tables(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("二、主动公开政府信息情况")
    t = d.add_table(rows=3, cols=4)
    t.cell(0, 0).merge(t.cell(0, 3)).text = "第二十条第（一）项"  # horizontal
    t.cell(1, 0).merge(t.cell(2, 0)).text = "规章"  # vertical
    t.cell(1, 1).text, t.cell(1, 2).text, t.cell(1, 3).text = "1", "０", ""
    t.cell(2, 1).text, t.cell(2, 2).text = "商业\n企业", "—"
    d.add_paragraph("三、收到和处理政府信息公开申请情况")
    layout = d.add_table(rows=1, cols=2)
    layout.cell(0, 0).text = "版面说明"
    inner = layout.cell(0, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "行政许可", "7"
    frame = d.add_table(rows=1, cols=1)
    frame.cell(0, 0).text = "六、其他需要报告的事项"
    p = tmp_path / "merged.docx"
    d.save(p)

    doc = load_document(p)
    assert doc.form == "docx"
    first, nested = doc.tables
    assert first.rows == [
        ["第二十条第（一）项", None, None, None],
        ["规章", "1", "0", ""],
        [None, "商业企业", "—", ""],
    ]
    assert nested.rows == [["行政许可", "7"]]  # the layout table around it is not a data table
    order = [b.text if isinstance(b, Paragraph) else f"T{b.index}" for b in doc.blocks]
    assert order == ["二、主动公开政府信息情况", "T0", "三、收到和处理政府信息公开申请情况", "版面说明", "T1", "六、其他需要报告的事项"]


# ------------------------------------------------------------------ PDF details
def test_pdf_pages_tables_and_text(rendered):
    doc = load_document_bytes(rendered["pdf"], "a.pdf")
    assert all(b.page for b in doc.blocks)
    assert [t.page for t in doc.tables] == [2, 3, 4]  # each table on its own page in this file
    assert doc.paragraphs[0].page == 1 and doc.paragraphs[0].text.startswith("青禾县人民政府2024年")
    assert doc.warnings == []


def test_pdf_framed_text_box_is_text_not_table():
    box = Document("x", "pdf", [Table([["本报告由某某人民政府办公室编制。"], ["统计期限自2024年1月1日起。"]])])
    doc = load_document_bytes(to_pdf(box, table_on_new_page=False), "box.pdf")
    assert doc.tables == []
    assert [p.text for p in doc.paragraphs] == ["本报告由某某人民政府办公室编制。", "统计期限自2024年1月1日起。"]


def test_pdf_without_text_layer_is_scanned():
    with pytest.raises(ScannedPdfError) as e:
        load_document_bytes(image_only_pdf(), "scan.pdf")
    assert "2 页" in e.value.message and "OCR" in e.value.hint


def test_pdf_with_an_image_only_page_warns():
    import io

    from reportlab.pdfgen import canvas

    from .fixtures.readers.build import cjk_font

    out = io.BytesIO()
    c = canvas.Canvas(out)
    c.setFont(cjk_font(), 12)
    c.drawString(72, 700, "一、总体情况")
    c.showPage()
    c.rect(72, 600, 300, 100, fill=1)  # a "scanned" page
    c.showPage()
    c.save()
    doc = load_document_bytes(out.getvalue(), "mixed.pdf")
    assert [(p.text, p.page) for p in doc.paragraphs] == [("一、总体情况", 1)]
    assert len(doc.warnings) == 1 and "第 2 页" in doc.warnings[0]


def test_encrypted_pdf(report):
    with pytest.raises(EncryptedFileError) as e:
        load_document_bytes(encrypted_pdf(report[1]), "locked.pdf")
    assert "加密" in e.value.message


def test_broken_pdf(rendered):
    for bad in (b"%PDF-1.4\n1 0 obj garbage\n%%EOF", rendered["pdf"][:600]):
        with pytest.raises(CorruptFileError) as e:
            load_document_bytes(bad, "broken.pdf")
        assert "PDF" in e.value.message


@pytest.mark.parametrize("form", ["html", "docx", "pdf"])
def test_damaged_files_never_leak_library_errors(form, rendered):
    """Flip bytes at random places: the reader either reads something or raises an InputError."""
    rnd = random.Random(form)
    base = rendered[form]
    for _ in range(12):
        data = bytearray(base)
        for _ in range(8):
            pos = rnd.randrange(len(data))
            data[pos] = rnd.randrange(256)
        try:
            doc = load_document_bytes(bytes(data), f"x.{form}")
        except InputError:
            continue
        assert isinstance(doc, Document)


def test_library_exception_is_translated(monkeypatch, rendered):
    import assistant.report.readers.pdf as pdf_reader

    def boom(page, number):
        raise KeyError("/Resources")  # what pdfminer raises on some malformed pages

    monkeypatch.setattr(pdf_reader, "_read_page", boom)
    with pytest.raises(CorruptFileError) as e:
        load_document_bytes(rendered["pdf"], "a.pdf")
    assert isinstance(e.value.__cause__, KeyError)


def _numbered_docx() -> bytes:
    """Section titles numbered by Word (一、 / （一）), table labels numbered 1. 2. in cells."""
    import io

    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    d = docx.Document()
    numbering = d.part.numbering_part.element
    numbering.append(parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
        "</w:abstractNum>"
    ))
    numbering.append(parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="91">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
        "</w:abstractNum>"
    ))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="91"><w:abstractNumId w:val="91"/></w:num>'))

    def number(paragraph, num_id: int, level: int = 0) -> None:
        paragraph._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
        ))

    for title, level in [("总体情况", 0), ("主动公开情况", 1), ("依申请公开情况", 1), ("主动公开政府信息情况", 0)]:
        number(d.add_paragraph(title), 90, level)
    table = d.add_table(rows=2, cols=2)
    for r, label in enumerate(["属于国家秘密", "其他法律行政法规禁止公开"]):
        table.cell(r, 0).text = label
        number(table.cell(r, 0).paragraphs[0], 91)
        table.cell(r, 1).text = str(r)
    number(d.add_paragraph("收到和处理政府信息公开申请情况"), 90)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def test_docx_automatic_numbering_is_drawn():
    doc = load_document_bytes(_numbered_docx(), "numbered.docx")
    assert [p.text for p in doc.paragraphs] == [
        "一、总体情况",
        "（一）主动公开情况",
        "（二）依申请公开情况",
        "二、主动公开政府信息情况",  # the sub-level counter restarts under a new top level
        "三、收到和处理政府信息公开申请情况",
    ]
    assert doc.tables[0].rows == [["1.属于国家秘密", "0"], ["2.其他法律行政法规禁止公开", "1"]]


def test_pdf_fake_bold_is_deduplicated():
    import io

    from reportlab.pdfgen import canvas

    from .fixtures.readers.build import cjk_font

    out = io.BytesIO()
    c = canvas.Canvas(out)
    c.setFont(cjk_font(), 14)
    for dx in (0, 0.3):  # the way some exporters draw bold: the same text twice, shifted
        c.drawString(72 + dx, 700, "一、总体情况")
    c.drawString(72, 680, "全年公开 12 件")
    c.showPage()
    c.save()
    doc = load_document_bytes(out.getvalue(), "bold.pdf")
    assert [p.text for p in doc.paragraphs] == ["一、总体情况", "全年公开12件"]


def test_docx_alt_chunk_html_is_read_in_place():
    """Some systems export .docx whose body is an embedded HTML page (w:altChunk)."""
    import io

    import docx
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    d = docx.Document()
    d.add_paragraph("前言")
    page = "<html><body><p>一、总体情况</p><table><tr><td>规章</td><td>0</td></tr></table></body></html>"
    part = Part(PackURI("/word/afchunk.htm"), "text/html", page.encode("utf-8"), d.part.package)
    rid = d.part.relate_to(part, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk")
    d.element.body.insert(1, parse_xml(f'<w:altChunk {nsdecls("w", "r")} r:id="{rid}"/>'))
    d.add_paragraph("结尾")
    out = io.BytesIO()
    d.save(out)
    doc = load_document_bytes(out.getvalue(), "alt.docx")
    order = [b.text if isinstance(b, Paragraph) else b.rows for b in doc.blocks]
    assert order == ["前言", "一、总体情况", [["规章", "0"]], "结尾"]


def test_html_nesting_too_deep():
    ok = "<html><body>" + "<div>" * 300 + "<p>一、总体情况</p>" + "</div>" * 300 + "</body></html>"
    assert load_document_bytes(ok.encode(), "deep.html").paragraphs[0].text == "一、总体情况"
    bad = "<html><body>" + "<div>" * 5000 + "<p>一、总体情况</p>" + "</div>" * 5000 + "</body></html>"
    with pytest.raises(InputError, match="嵌套过深"):
        load_document_bytes(bad.encode(), "deep.html")
