"""Readers: content sniffing, encodings, text normalisation, the text dump and Markdown forms,
and every kind of bad input → the right InputError subclass with a Chinese message."""

from __future__ import annotations

import io
import random
import re
import time
import zipfile
from pathlib import Path

import pytest

from assistant.errors import (
    CorruptFileError,
    EmptyFileError,
    EncryptedFileError,
    FileTooLargeError,
    InputError,
    UnsupportedFormatError,
)
from assistant.report.document import Paragraph, Table
from assistant.report.readers import load_document, load_document_bytes
from assistant.report.readers.normalize import clean_text

_CJK = re.compile(r"[\u4e00-\u9fff]")


def assert_chinese(err: InputError) -> None:
    assert _CJK.search(err.message), err.message
    assert _CJK.search(err.hint), err.hint


# ------------------------------------------------------------------ normalisation
@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("１２３", "123"),
        ("ＡＢＣａｂｃ", "ABCabc"),
        ("\u3000\u3000（一）予以公开\u3000", "（一）予以公开"),
        ("商业\n企业", "商业企业"),
        ("三、\n本\n年\n度\n办\n理\n结\n果", "三、本年度办理结果"),
        ("4472\n28", "447228"),  # a number wrapped in a narrow cell
        ("2024 年", "2024年"),
        ("Segoe   UI", "Segoe UI"),
        ("année  été", "année été"),
        ("第二十条 第（一）项", "第二十条第（一）项"),
        ("1,234", "1,234"),
        ("—", "—"),
        ("危及“三安全一稳定”", "危及“三安全一稳定”"),
        ("\u200b\ufeff无\xa0", "无"),
        ("", ""),
    ],
)
def test_clean_text(raw, want):
    assert clean_text(raw) == want


# ------------------------------------------------------------------ text dump
DUMP = (
    "某镇人民政府2024年政府信息公开工作年度报告\n"
    "\n"
    "三、收到和处理政府信息公开申请情况\n"
    "\n"
    "\t（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\n"
    "\t申请人情况\n"
    "\n"
    "\t\n"
    "\t商业\n"
    "企业\n"
    "\t科研机构\n"
    "\n"
    "\t一、本年新收政府信息公开申请数量\n"
    "\t１２\n"
    "\t0\n"
    "\n"
    "\n"
    "\t\n"
    "\t（二）部分公开（区分处理的，只计这一情形，不计其他情形）\n"
    "\t3\n"
    "\t—\n"
    "\n"
    "四、政府信息公开行政复议、行政诉讼情况\n"
    "\t行政复议\t1\t0\n"
    "\n"
    "五、存在的主要问题及改进情况\n"
)


def test_text_dump_tables_rows_and_cells():
    doc = load_document_bytes(DUMP.encode("utf-8"), "dump.txt")
    assert doc.form == "text"
    first, second = doc.tables
    assert first.rows == [
        ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"],
        ["", "商业企业", "科研机构"],  # a lone TAB is an empty cell; "企业" continues "商业"
        ["一、本年新收政府信息公开申请数量", "12", "0"],
        ["", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "3", "—"],
    ]
    assert first.line == 5 and (first.index, second.index) == (0, 1)
    assert second.rows == [["行政复议", "1", "0"]]  # several TAB-separated cells on one line
    assert [(p.text, p.line) for p in doc.paragraphs] == [
        ("某镇人民政府2024年政府信息公开工作年度报告", 1),
        ("三、收到和处理政府信息公开申请情况", 3),
        ("四、政府信息公开行政复议、行政诉讼情况", 23),
        ("五、存在的主要问题及改进情况", 26),
    ]
    # reading order: title, section, table, section, table, section
    kinds = [type(b).__name__ for b in doc.blocks]
    assert kinds == ["Paragraph", "Paragraph", "Table", "Paragraph", "Table", "Paragraph"]


def test_text_dump_without_tabs_gives_paragraph_lines():
    text = "一、本年新收政府信息公开申请数量\n5\n\n0\n  \n二、上年结转政府信息公开申请数量\n１\n"
    doc = load_document_bytes(text.encode(), "flat.txt")
    assert doc.tables == []
    assert [(p.text, p.line) for p in doc.paragraphs] == [
        ("一、本年新收政府信息公开申请数量", 1),
        ("5", 2),
        ("0", 4),
        ("二、上年结转政府信息公开申请数量", 6),
        ("1", 7),
    ]


def test_tab_indented_text_is_paragraphs():
    text = "一、总体情况\n\t本机关认真贯彻落实条例。\n\t全年公开信息12条。\n\n\t二、主动公开政府信息情况\n"
    doc = load_document_bytes(text.encode(), "indented.txt")
    assert doc.tables == []
    assert [(p.text, p.line) for p in doc.paragraphs] == [
        ("一、总体情况", 1),
        ("本机关认真贯彻落实条例。", 2),
        ("全年公开信息12条。", 3),
        ("二、主动公开政府信息情况", 5),
    ]


@pytest.mark.parametrize(
    "encode",
    [
        lambda s: s.encode("utf-8"),
        lambda s: s.encode("utf-8-sig"),
        lambda s: s.encode("gbk"),
        lambda s: s.encode("gb18030"),
        lambda s: s.encode("utf-16"),  # with BOM
        lambda s: b"\xff\xfe" + s.encode("utf-16-le"),
        lambda s: b"\xfe\xff" + s.encode("utf-16-be"),
        lambda s: s.encode("utf-16-le"),  # no BOM: recognised by its NUL pattern
    ],
    ids=["utf8", "utf8-bom", "gbk", "gb18030", "utf16", "utf16le-bom", "utf16be-bom", "utf16le-nobom"],
)
def test_encodings_give_the_same_document(encode):
    want = load_document_bytes(DUMP.encode("utf-8"), "dump.txt")
    got = load_document_bytes(encode(DUMP.replace("\n", "\r\n")), "dump.txt")
    assert got.blocks == want.blocks


def test_gb18030_only_characters():
    doc = load_document_bytes("𠮷溪镇2024年报告\n\t规章\n\t0\n".encode("gb18030"), "x.txt")
    assert doc.paragraphs[0].text == "𠮷溪镇2024年报告"
    assert doc.tables[0].rows == [["规章", "0"]]


def test_guessed_encoding_is_read_with_a_warning():
    doc = load_document_bytes("\t政府資訊公開年報\n\t規章\n\t0\n\n".encode("big5"), "tw.txt")
    assert doc.tables[0].rows == [["政府資訊公開年報", "規章", "0"]]
    assert len(doc.warnings) == 1 and "big5" in doc.warnings[0]
    assert load_document_bytes(DUMP.encode("gbk"), "x.txt").warnings == []


# ------------------------------------------------------------------ markdown
MD = """# 某委员会 2024 年政府信息公开工作年度报告

## 表三：收到和处理政府信息公开申请情况 ##
| 信息内容 | 本年制发件数 | 本年废止件数 |
|---|:---:|---:|
| 规章 | 0 |  |
|---|---|---|
| 规范性文件 | １３ | 0 | 55 |
| a \\| b | x |
正文一行
| 不是表格 | 没有分隔行 |
"""


def test_markdown_tables_and_paragraphs():
    doc = load_document_bytes(MD.encode(), "report.md")
    assert doc.form == "markdown"
    (table,) = doc.tables
    assert table.rows == [
        ["信息内容", "本年制发件数", "本年废止件数"],  # the header row is kept as a row
        ["规章", "0", ""],
        ["规范性文件", "13", "0", "55"],  # the second separator was skipped
        ["a | b", "x"],
    ]
    assert table.empty_is_unknown is True
    assert table.line == 4
    texts = [p.text for p in doc.paragraphs]
    assert texts[:2] == ["某委员会2024年政府信息公开工作年度报告", "表三：收到和处理政府信息公开申请情况"]
    assert texts[2:] == ["正文一行", "|不是表格|没有分隔行|"]


def test_sniffing_is_by_content_not_extension():
    assert load_document_bytes(DUMP.encode(), "report.html").form == "text"
    assert load_document_bytes(b"<html><body><p>\xe4\xb8\x80</p></body></html>", "a.txt").form == "html"
    assert load_document_bytes(MD.encode(), "a.txt").form == "markdown"


# ------------------------------------------------------------------ bad input
def test_empty_and_whitespace_files(tmp_path):
    for name, data in [("empty.txt", b""), ("blank.txt", b" \r\n\t \n"), ("bom.txt", b"\xef\xbb\xbf  \n"),
                       ("u16.txt", " \n ".encode("utf-16"))]:
        p = tmp_path / name
        p.write_bytes(data)
        with pytest.raises(EmptyFileError) as e:
            load_document(p)
        assert_chinese(e.value)


def test_markup_without_text_is_empty():
    with pytest.raises(EmptyFileError):
        load_document_bytes(b"<html><head><script>var a=1;</script></head><body> </body></html>", "a.html")


def test_too_large_is_refused_before_reading(tmp_path, monkeypatch):
    big = tmp_path / "big.pdf"
    with open(big, "wb") as f:
        f.truncate(51 * 2**20)  # sparse: instant
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read a file that is over the limit"))
    with pytest.raises(FileTooLargeError) as e:
        load_document(big)
    assert "51.0 MB" in e.value.message
    assert_chinese(e.value)


def test_size_limit_is_a_parameter(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("一、总体情况\n" * 10, encoding="utf-8")
    assert load_document(p, max_bytes=10_000).paragraphs
    with pytest.raises(FileTooLargeError):
        load_document(p, max_bytes=50)
    with pytest.raises(FileTooLargeError):
        load_document_bytes(p.read_bytes(), "a.txt", max_bytes=50)


def test_random_binary_is_unsupported():
    data = random.Random(7).randbytes(8192)
    with pytest.raises(UnsupportedFormatError) as e:
        load_document_bytes(data, "report.txt")
    assert_chinese(e.value)


@pytest.mark.parametrize(
    ("data", "word"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + b"Word.Document.8", ".doc"),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "图片"),
        (b"\xff\xd8\xff\xe0" + bytes(100), "图片"),
        (b"\x7fELF\x02\x01\x01" + bytes(100), "程序"),
        (b"MZ\x90\x00" + bytes(100), "程序"),
        (b"\x1f\x8b\x08\x00" + bytes(50), "压缩包"),
        (b"{\\rtf1\\ansi report}", "RTF"),
    ],
    ids=["doc", "png", "jpeg", "elf", "exe", "gzip", "rtf"],
)
def test_refused_formats(data, word):
    with pytest.raises(UnsupportedFormatError) as e:
        load_document_bytes(data, "report.docx")
    assert word in e.value.message
    assert_chinese(e.value)


def test_encrypted_office_document():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1000) + "EncryptedPackage".encode("utf-16-le") + bytes(100)
    with pytest.raises(EncryptedFileError) as e:
        load_document_bytes(data, "report.docx")
    assert_chinese(e.value)


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_other_zips_are_unsupported():
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active["A1"] = "规章"
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(UnsupportedFormatError, match="Excel"):
        load_document_bytes(buf.getvalue(), "report.xlsx")
    with pytest.raises(UnsupportedFormatError, match="zip"):
        load_document_bytes(_zip({"a.txt": "报告".encode()}), "report.zip")


def test_corrupt_docx(tmp_path):
    from tests.fixtures.readers.build import to_docx
    from tests.grid import clean_cells, document

    good = to_docx(document(clean_cells()))
    for bad in (good[: len(good) // 2], good[:100] + bytes(len(good) - 100)):
        with pytest.raises(CorruptFileError) as e:
            load_document_bytes(bad, "report.docx")
        assert_chinese(e.value)
    broken_xml = _zip({"[Content_Types].xml": b"<Types", "word/document.xml": b"<w:document"})
    with pytest.raises(CorruptFileError):
        load_document_bytes(broken_xml, "report.docx")


def _bomb(size: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as f:
            chunk = bytes(4 * 2**20)
            for _ in range(size // len(chunk)):
                f.write(chunk)
    return buf.getvalue()


def test_docx_zip_bomb_total_size():
    data = _bomb(256 * 2**20)
    start = time.perf_counter()
    with pytest.raises(CorruptFileError) as e:
        load_document_bytes(data, "bomb.docx")
    assert time.perf_counter() - start < 1.0  # refused from the declared sizes, nothing inflated
    assert "压缩炸弹" in e.value.message
    assert_chinese(e.value)


def test_docx_zip_bomb_ratio():
    with pytest.raises(CorruptFileError, match="压缩比"):
        load_document_bytes(_bomb(20 * 2**20), "bomb.docx")


def test_path_problems(tmp_path):
    with pytest.raises(InputError, match="不存在"):
        load_document(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="文件夹"):
        load_document(tmp_path)


def test_read_report_names_the_file(tmp_path):
    from assistant.report import read_report

    p = tmp_path / "空文件.txt"
    p.write_bytes(b"")
    with pytest.raises(EmptyFileError) as e:
        read_report(p)
    assert e.value.path == str(p)
    assert str(p) in str(e.value)


def test_blocks_are_typed_and_frozen():
    doc = load_document_bytes(DUMP.encode(), "dump.txt")
    assert all(isinstance(b, Paragraph | Table) for b in doc.blocks)
    with pytest.raises(AttributeError):
        doc.blocks[0].text = "x"  # type: ignore[misc]


def test_public_api_and_light_import():
    import subprocess
    import sys

    import assistant.report.readers as readers

    assert readers.__all__ == ["MAX_BYTES", "load_document", "load_document_bytes"]
    code = (
        "import sys, assistant.report.readers as r; "
        "r.load_document_bytes('\\t规章\\n\\t0\\n'.encode(), 'a.txt'); "
        "print(sorted(m for m in ('pdfplumber', 'pdfminer', 'docx', 'lxml', 'charset_normalizer') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"  # a text report pulls in none of the heavy parsers


def test_mht_saved_as_doc_is_read_as_html():
    """What Word writes for "单个文件网页", and what many systems export as a ".doc"."""
    page = "<html><body><p>一、总体情况</p><table><tr><td>规章</td><td>０</td></tr></table></body></html>"
    import quopri

    body = quopri.encodestring(page.encode("gbk")).decode("ascii")
    mht = (
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/related; boundary="----=_NextPart_01"\r\n\r\n'
        "------=_NextPart_01\r\n"
        "Content-Location: file:///C:/report.htm\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n"
        'Content-Type: text/html; charset="gb2312"\r\n\r\n'
        f"{body}\r\n"
        "------=_NextPart_01--\r\n"
    )
    doc = load_document_bytes(mht.encode("ascii"), "report.doc")
    assert doc.form == "html"
    assert [p.text for p in doc.paragraphs] == ["一、总体情况"]
    assert doc.tables[0].rows == [["规章", "0"]]
    assert "MHT" in doc.warnings[0]
