"""Render a :class:`SynthReport` as DOCX (python-docx, real merged cells) or PDF (reportlab).

The PDF uses reportlab's built-in CID font ``STSong-Light`` (nothing embedded, nothing
downloaded) and ruled tables, so ``pdfplumber.extract_tables()`` finds them. reportlab is a
dev dependency: it is imported only when a PDF is written.
"""

from __future__ import annotations

import datetime as _dt
import io
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from .synth_render import section_parts, signature_lines
from .synth_tables import GRIDS, NCOLS, layout, text_of

if TYPE_CHECKING:
    from .synth_model import SynthReport

_FIXED_TIME = _dt.datetime(2025, 1, 1, 0, 0, 0)


# --------------------------------------------------------------------------- DOCX


def _set_east_asian_font(run, name: str) -> None:
    from docx.oxml.ns import qn

    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def _docx_table(doc, r: SynthReport, key: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    grid = GRIDS[key](r)
    pos, _ = layout(grid)
    table = doc.add_table(rows=len(pos), cols=NCOLS[key])
    table.style = "Table Grid"
    ncols = NCOLS[key]
    # table.cell() rescans the whole grid on every call; take the cells once, before merging
    # (merged areas are disjoint, so the corners fetched here stay valid)
    cells = table._cells
    for ri, row in enumerate(pos):
        for ci, p in enumerate(row):
            if p is None or p.row != ri or p.col != ci:
                continue
            cell = cells[ri * ncols + ci]
            if p.cell.rowspan > 1 or p.cell.colspan > 1:
                corner = cells[(ri + p.cell.rowspan - 1) * ncols + ci + p.cell.colspan - 1]
                cell = cell.merge(corner)
            lines = text_of(r, p.cell).split("\n")
            first = cell.paragraphs[0]
            for extra in cell.paragraphs[1:]:  # merging leaves one paragraph per merged cell
                extra._element.getparent().remove(extra._element)
            first.text = lines[0]
            first.alignment = WD_ALIGN_PARAGRAPH.CENTER
            for line in lines[1:]:
                para = cell.add_paragraph(line)
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER


def to_docx(r: SynthReport, path: str | Path) -> Path:
    """A Word draft: title, headings, body paragraphs, tables with real merged cells."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.size = Pt(12)
    props = doc.core_properties
    props.author, props.title = r.agency, r.title
    props.created = props.modified = _FIXED_TIME
    props.last_modified_by = r.agency
    props.revision = 1

    head = doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = head.add_run(r.title)
    run.bold = True
    run.font.size = Pt(18)
    _set_east_asian_font(run, "方正小标宋简体")
    for heading, key, _mode, paras in section_parts(r):
        run = doc.add_paragraph().add_run(heading)
        run.bold = True
        _set_east_asian_font(run, "黑体")
        if key is not None:
            _docx_table(doc, r, key)
        for text in paras:
            para = doc.add_paragraph()
            para.paragraph_format.first_line_indent = Pt(24)
            _set_east_asian_font(para.add_run(text), "仿宋_GB2312")
    for text in signature_lines(r):
        doc.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    path = Path(path)
    buf = io.BytesIO()
    doc.save(buf)
    path.write_bytes(_fixed_zip_times(buf.getvalue()))
    return path


def _fixed_zip_times(data: bytes) -> bytes:
    """Re-pack a .docx with fixed member timestamps so the same report gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


# --------------------------------------------------------------------------- PDF

_FONT = "STSong-Light"
# column widths (mm) per table; they add up to the 170 mm text width
_WIDTHS_MM = {"t2": [50, 40, 40, 40], "t3": [16, 20, 43] + [13] * 7, "t4": [170 / 15] * 15}


def _pdf_styles():
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle

    base = dict(fontName=_FONT, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", fontSize=16, leading=24, alignment=TA_CENTER, spaceAfter=12, **base),
        "head": ParagraphStyle("head", fontSize=12, leading=20, spaceBefore=8, spaceAfter=4, **base),
        "body": ParagraphStyle("body", fontSize=10.5, leading=17, firstLineIndent=21, **base),
        "right": ParagraphStyle("right", fontSize=10.5, leading=17, alignment=2, **base),
        "cell": ParagraphStyle("cell", fontSize=8, leading=10, alignment=TA_CENTER, **base),
        "cell_left": ParagraphStyle("cell_left", fontSize=8, leading=10, **base),
    }


def _pdf_table(r: SynthReport, key: str, styles):
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Table, TableStyle

    grid = GRIDS[key](r)
    pos, _ = layout(grid)
    data: list[list] = []
    commands: list[tuple] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("FONTNAME", (0, 0), (-1, -1), _FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
    ]
    for ri, row in enumerate(pos):
        out_row: list = []
        for ci, p in enumerate(row):
            if p is None or p.row != ri or p.col != ci:
                out_row.append("")
                continue
            text = text_of(r, p.cell)
            if p.cell.is_value:
                out_row.append(text)
            else:
                style = styles["cell_left"] if key == "t3" and ci < 3 and len(text) > 12 else styles["cell"]
                out_row.append(Paragraph(text.replace("\n", "<br/>"), style))
            if p.cell.rowspan > 1 or p.cell.colspan > 1:
                commands.append(("SPAN", (ci, ri), (ci + p.cell.colspan - 1, ri + p.cell.rowspan - 1)))
        data.append(out_row)
    widths = [w * mm for w in _WIDTHS_MM[key]]
    table = Table(data, colWidths=widths, repeatRows=0, splitByRow=1)
    table.setStyle(TableStyle(commands))
    return table


def to_pdf(r: SynthReport, path: str | Path) -> Path:
    """An exported PDF with a text layer: ruled tables, multi-page, Chinese via STSong-Light."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer

    if _FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(_FONT))
    styles = _pdf_styles()
    story: list = [Paragraph(r.title, styles["title"])]
    for heading, key, _mode, paras in section_parts(r):
        head = Paragraph(heading, styles["head"])
        if key is None:
            story.append(head)
        elif key == "t3":  # table 3 is long: it may break across pages, like real exports
            story += [head, _pdf_table(r, key, styles), Spacer(1, 4 * mm)]
        else:
            story += [KeepTogether([head, _pdf_table(r, key, styles)]), Spacer(1, 4 * mm)]
        story += [Paragraph(t, styles["body"]) for t in paras]
    story += [Paragraph(t, styles["right"]) for t in signature_lines(r)]
    path = Path(path)
    doc = SimpleDocTemplate(
        str(path), pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=22 * mm, bottomMargin=22 * mm,
        title=r.title, author=r.agency, invariant=1,
    )  # fmt: skip
    doc.build(story)
    return path
