"""The PDF reader's pdfium path (``readers/pdf_fast.py``) against pdfminer's, on PDFs made here.

pdfium must give exactly what pdfminer gives, page for page, or hand the page back to pdfminer:
the documents read both ways are compared block for block, the page objects key for key.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from assistant.report.readers import pdf_fast
from assistant.report.readers.pdf import (
    MIN_PAGE_CHARS,
    _find_tables,
    _table_rows,
    read_pdf,
)
from assistant.testing.synth import clean_report, render

from .fixtures.readers.build import cjk_font, image_only_pdf, to_pdf
from .grid import clean_cells, document


# ---------------------------------------------------------------------- PDFs
def _canvas(draw: Callable[[Any], None], **kwargs: Any) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=kwargs.pop("pagesize", A4), **kwargs)
    c.setFont(cjk_font(), 12)
    draw(c)
    c.save()
    return out.getvalue()


def _narrow_cells(c: Any) -> None:
    """A ruled table whose narrow label cell stacks its text, the last character alone on a line."""
    c.drawString(72, 780, "三、收到和处理政府信息公开申请情况")
    xs, ys = [72, 110, 300, 400], [740, 700, 660, 620]
    for x in xs:
        c.line(x, ys[0], x, ys[-1])
    for y in ys:
        c.line(xs[0], y, xs[-1], y)
    c.setFont(cjk_font(), 8)
    for k, piece in enumerate(("办理结", "果")):  # stacked: one object per line
        c.drawString(76, 725 - 10 * k, piece)
    for r, (label, value) in enumerate((("予以公开", "12"), ("部分公开", "3"), ("不予公开", "0"))):
        c.drawString(115, 715 - 40 * r, label)
        c.drawString(305, 715 - 40 * r, value)
    c.showPage()


def _merged_report() -> bytes:
    cells = clean_cells(2)
    doc = document(cells, sections={"一": "本年度共主动公开政府信息1234条。", "五": "一是公开意识不强。"})
    return to_pdf(doc)


def _synth_report(tmp: Path) -> bytes:
    return render(clean_report(seed=7), "pdf", tmp / "r.pdf").read_bytes()


def _fake_bold(c: Any) -> None:
    c.setFont(cjk_font(), 14)
    for dx in (0, 0.3):
        c.drawString(72 + dx, 700, "一、总体情况")
    c.drawString(72, 680, "全年公开 12 件")
    c.showPage()


def _rotated(c: Any) -> None:
    c.setPageRotation(90)
    c.drawString(72, 700, "二、主动公开政府信息情况")
    c.showPage()


def _char_spacing(c: Any) -> None:
    """``Tc`` carried from one text operator to the next, where pdfminer leaves it out."""
    text = c.beginText(72, 700)
    text.setFont(cjk_font(), 10.5)
    text.setCharSpace(1.5)
    text.textOut("字间距 12 34 ")
    text.textOut("续写 56")
    c.drawText(text)
    c.drawString(72, 680, "下一行 78")
    c.showPage()


def _dingbats(c: Any) -> None:
    """A symbolic font without ToUnicode: pdfium reads ZapfDingbats "n" as "■", pdfminer as "n"."""
    c.drawString(72, 700, "一、总体情况")
    c.setFont("ZapfDingbats", 12)
    c.drawString(72, 680, "nnn")
    c.showPage()


def _truetype(c: Any) -> None:
    """reportlab embeds TrueType widths with decimals: pdfium rounds them, pdfminer does not."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "Vera" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Vera", "Vera.ttf"))
    c.setFont("Vera", 11)
    c.drawString(72, 700, "Total 1234 items, 56.7% more")
    c.showPage()


def _forms_and_paths(c: Any) -> None:
    c.beginForm("cell")
    c.setFont(cjk_font(), 9)
    c.drawString(5, 5, "表单里的字 42")
    c.rect(0, 0, 120, 20)
    c.line(60, 0, 60, 20)
    c.endForm()
    c.drawString(72, 780, "表单与路径")
    for i in range(3):
        c.saveState()
        c.translate(72, 600 - i * 40)
        c.scale(1 + i * 0.2, 1)
        c.doForm("cell")
        c.restoreState()
    path = c.beginPath()  # one path, many subpaths: a grid
    for y in (400, 380, 360):
        path.moveTo(72, y)
        path.lineTo(372, y)
    for x in (72, 222, 372):
        path.moveTo(x, 400)
        path.lineTo(x, 360)
    c.drawPath(path, stroke=1, fill=0)
    c.drawString(80, 385, "左 1")
    c.drawString(230, 385, "右 2")
    c.rect(72, 300, 300, 0.5, stroke=0, fill=1)  # a rule drawn as a thin filled rectangle
    c.bezier(72, 250, 150, 300, 250, 200, 330, 250)
    c.saveState()
    c.translate(300, 150)
    c.rotate(30)
    c.drawString(0, 0, "旋转的字 7")
    c.restoreState()
    c.showPage()


def _text_and_image_pages(c: Any) -> None:
    c.drawString(72, 700, "一、总体情况")
    c.showPage()
    c.rect(72, 600, 300, 100, fill=1)
    c.showPage()


def _shift_mediabox(data: bytes) -> bytes:
    """The page's MediaBox moved off the origin, same length (the xref offsets stay right)."""
    old = b"/MediaBox [ 0 0 595.2756 841.8898 ]"
    new = b"/MediaBox [40 30 635.2756 871.8898]"
    assert old in data and len(new) == len(old)
    return data.replace(old, new)


def _shifted_mediabox(c: Any) -> None:
    c.drawString(150, 700, "偏移的页面 100")
    c.rect(150, 600, 200, 40)
    c.line(250, 600, 250, 640)
    c.drawString(160, 615, "左格 1")
    c.drawString(260, 615, "右格 2")
    c.showPage()


CASES: dict[str, Callable[[Path], bytes]] = {
    "merged report": lambda tmp: _merged_report(),
    "synthetic report": _synth_report,
    "narrow cells": lambda tmp: _canvas(_narrow_cells),
    "fake bold": lambda tmp: _canvas(_fake_bold),
    "rotated page": lambda tmp: _canvas(_rotated),
    "char spacing": lambda tmp: _canvas(_char_spacing),
    "forms and paths": lambda tmp: _canvas(_forms_and_paths),
    "image-only page": lambda tmp: _canvas(_text_and_image_pages),
    "dingbats": lambda tmp: _canvas(_dingbats),
    "truetype widths": lambda tmp: _canvas(_truetype),
    "shifted media box": lambda tmp: _shift_mediabox(_canvas(_shifted_mediabox)),
}


def _blocks(data: bytes, fast: bool) -> tuple[list[tuple[Any, ...]], list[str]]:
    blocks, warnings = read_pdf(data, fast=fast)
    return [(type(b).__name__, getattr(b, "text", None), getattr(b, "rows", None), b.page) for b in blocks], warnings


def _page_objects(data: bytes) -> list[dict[str, list[dict[str, Any]]] | None]:
    with pdfplumber.open(io.BytesIO(data)) as pdf, pdf_fast.pdfium_pages(data, pdf) as pdfium:
        assert pdfium is not None
        return [pdfium.page_objects(page, MIN_PAGE_CHARS) for page in pdf.pages]


# ---------------------------------------------------------------------- same document
@pytest.mark.parametrize("case", CASES)
def test_pdfium_reads_the_same_document_as_pdfminer(case, tmp_path):
    data = CASES[case](tmp_path)
    assert _blocks(data, fast=True) == _blocks(data, fast=False)


@pytest.mark.parametrize(
    "case", ["merged report", "synthetic report", "narrow cells", "forms and paths", "shifted media box"]
)
def test_pdfium_objects_are_pdfminers(case, tmp_path):
    """Key for key what pdfplumber builds from pdfminer, within pdfium's float precision."""
    data = CASES[case](tmp_path)
    fast = _page_objects(data)
    assert all(objects is not None for objects in fast)  # every page read by pdfium
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page, ours in zip(pdf.pages, fast, strict=True):
            theirs = page.objects
            assert set(theirs) - {"image"} <= set(ours)
            for kind in ("char", "line", "rect", "curve"):
                want, got = theirs.get(kind, []), ours[kind]
                assert len(got) == len(want), kind
                for a, b in zip(want, got, strict=True):
                    assert set(a) <= set(b), kind
                    for key in ("x0", "x1", "top", "bottom", "doctop", "y0", "y1", "width", "height"):
                        assert b[key] == pytest.approx(a[key], abs=1e-3), (kind, key)
                    if kind == "char":
                        assert (b["text"], b["fontname"], b["upright"]) == (a["text"], a["fontname"], a["upright"])
                        assert b["size"] == pytest.approx(a["size"], abs=1e-3)
                    else:
                        assert (b["stroke"], b["fill"], b["evenodd"]) == (a["stroke"], a["fill"], a["evenodd"])
                        flat = [v for point in a["pts"] for v in point]
                        assert [v for point in b["pts"] for v in point] == pytest.approx(flat, abs=1e-3)


def test_lone_character_in_a_narrow_cell_is_kept(tmp_path):
    """pdfium's text page drops a text object without width (here: "果" alone on its line, its
    non-embedded font without a glyph on this machine); the reader widens it and keeps it."""
    data = CASES["narrow cells"](tmp_path)
    (objects,) = _page_objects(data)
    assert objects is not None and "果" in "".join(c["text"] for c in objects["char"])
    blocks, _ = _blocks(data, fast=True)
    assert any(rows and rows[0][0] == "办理结果" for _, _, rows, _ in blocks)


def test_synthetic_report_never_reaches_pdfminers_interpreter(monkeypatch, tmp_path):
    data = CASES["synthetic report"](tmp_path)
    expected = _blocks(data, fast=False)

    def interpret(page: Any) -> None:
        raise AssertionError("pdfminer interpreted a page")

    monkeypatch.setattr(pdfplumber.page.Page, "layout", property(interpret))
    assert _blocks(data, fast=True) == expected


# ---------------------------------------------------------------------- falling back to pdfminer
@pytest.mark.parametrize(
    ("case", "pages"),
    [
        ("fake bold", [None]),  # pdfium drops the second copy of the line
        ("rotated page", [None]),
        ("char spacing", [None]),  # pdfminer leaves out Tc between text operators
        ("image-only page", ["fast", None]),  # no text: the old code writes the warning
        ("dingbats", [None]),
        ("truetype widths", [None]),
    ],
)
def test_pages_pdfium_cannot_stand_in_for(case, pages, tmp_path):
    got = _page_objects(CASES[case](tmp_path))
    assert ["fast" if objects is not None else None for objects in got] == pages


def test_scanned_pdf_is_judged_by_the_old_code():
    data = image_only_pdf()
    assert _page_objects(data) == [None, None]
    from assistant.errors import ScannedPdfError

    messages = []
    for fast in (True, False):
        with pytest.raises(ScannedPdfError) as e:
            read_pdf(data, fast=fast)
        messages.append(e.value.message)
    assert messages[0] == messages[1]


def test_any_pdfium_error_falls_back(monkeypatch, tmp_path):
    data = CASES["merged report"](tmp_path)
    expected = _blocks(data, fast=False)

    def broken(*args: Any) -> None:
        raise RuntimeError("pdfium broke")

    monkeypatch.setattr(pdf_fast, "_page_objects", broken)
    assert _blocks(data, fast=True) == expected


def test_pdfium_that_cannot_open_the_file_falls_back(monkeypatch, tmp_path):
    import pypdfium2

    data = CASES["merged report"](tmp_path)
    expected = _blocks(data, fast=False)

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise pypdfium2.PdfiumError("cannot open")

    monkeypatch.setattr(pypdfium2, "PdfDocument", refuse)
    assert _blocks(data, fast=True) == expected


# ---------------------------------------------------------------------- the pdfplumber contract
def test_pdfplumber_reads_prefilled_objects(monkeypatch, tmp_path):
    """What pdf_fast relies on: ``Page.objects`` returns ``page._objects`` when set, and every
    method the reader calls goes through it. A pdfplumber upgrade that changes this fails here."""
    data = CASES["merged report"](tmp_path)
    (objects, *_) = _page_objects(data)
    assert objects is not None

    def interpret(page: Any) -> None:
        raise AssertionError("pdfminer interpreted the page")

    monkeypatch.setattr(pdfplumber.page.Page, "layout", property(interpret))
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        page._objects = objects
        assert page.chars is objects["char"] and page.lines is objects["line"] and page.rects is objects["rect"]
        assert page.find_tables() is not None and page.extract_text_lines()
        assert page.filter(lambda o: True).chars == objects["char"]
        assert page.dedupe_chars(tolerance=1).chars
        assert page.crop(page.bbox).chars
        page.close()
        assert not hasattr(page, "_objects")  # close() frees them


def test_fast_table_search_is_pdfplumbers(tmp_path):
    for case in ("merged report", "synthetic report", "narrow cells", "forms and paths"):
        with pdfplumber.open(io.BytesIO(CASES[case](tmp_path))) as pdf:
            for page in pdf.pages:
                theirs, ours = page.find_tables(), _find_tables(page)
                assert [t.cells for t in ours] == [t.cells for t in theirs]
                chars = page.chars
                mids = [((c["top"] + c["bottom"]) / 2, (c["x0"] + c["x1"]) / 2) for c in chars]
                assert [_table_rows(t, chars, mids) for t in ours] == [t.extract() for t in theirs]


def test_reading_text_does_not_load_pdfium():
    import subprocess
    import sys

    code = (
        "import sys, assistant.report.readers as r; "
        "r.load_document_bytes('\\t规章\\n\\t0\\n'.encode(), 'a.txt'); "
        "print(sorted(m for m in ('pypdfium2', 'assistant.report.readers.pdf_fast') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
