"""PDF with a text layer → blocks, page by page, top to bottom (pdfplumber).

- A page's characters and ruling lines come from pdfium (:mod:`.pdf_fast`) wherever its reading
  is known to equal pdfminer's, else from pdfminer's interpreter as pdfplumber does; the tables
  and lines are then found by pdfplumber on either (``_find_tables`` / ``_table_rows`` are its
  ``find_tables`` / ``Table.extract`` with the same results, made fast).

- Ruled tables come from ``find_tables()``, run only on pages that have ruling lines/rects
  (without them pdfplumber finds no table anyway, and it is the slow part). A merged cell comes
  back as text + ``None``: kept. A "table" of one column is a framed text box: read as text.
- Characters drawn twice (fake bold) are de-duplicated.
- Text outside the tables' boxes becomes one paragraph per line, with ``page`` set.
- A table continuing on the next page stays a separate :class:`Table` (the mapper joins by labels).
- No text layer at all → :class:`ScannedPdfError` (never an empty document read as zeros);
  a password → :class:`EncryptedFileError`; anything pdfminer cannot parse → :class:`CorruptFileError`.
"""

from __future__ import annotations

import io
import re
from bisect import bisect_left
from contextlib import nullcontext
from typing import Any

from ...errors import CorruptFileError, EncryptedFileError, ScannedPdfError
from ..document import Block, Paragraph, Table
from .normalize import clean_text, is_layout

_CID = re.compile(r"\(cid:\d+\)")
MIN_PAGE_CHARS = 5  # fewer visible characters than this: the page has no usable text layer


def _open(data: bytes) -> Any:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except PdfminerException as e:
        raise _translate(e.args[0] if e.args else e) from e
    except (PDFPasswordIncorrect, PDFEncryptionError) as e:
        raise _translate(e) from e
    try:
        _ = pdf.pages  # forces the page tree: a broken file fails here, not later
    except Exception as e:
        pdf.close()
        raise _translate(e.args[0] if isinstance(e, PdfminerException) and e.args else e) from e
    return pdf


def _translate(cause: object) -> Exception:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError) or "password" in str(cause).lower():
        return EncryptedFileError("PDF 文件已加密（需要打开密码），无法读取")
    return CorruptFileError(f"PDF 文件已损坏，无法解析（{type(cause).__name__}）")


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    return clean_text(_CID.sub("", text))


def _has_doubled_chars(chars: list[dict[str, Any]], tolerance: float = 1.0) -> bool:
    """Cheap check before pdfplumber's (slow) ``dedupe_chars``: a character repeated in place.

    Copies of one character are sorted by height, so each is compared only with the few just
    below it (within ``tolerance``), not with every earlier copy on the page.
    """
    spots: dict[str, list[tuple[float, float]]] = {}
    for c in chars:
        text = c["text"]
        if text.strip():
            spots.setdefault(text, []).append((c["top"], c["x0"]))
    for places in spots.values():
        if len(places) < 2:
            continue
        places.sort()
        for i, (y, x) in enumerate(places):
            for y2, x2 in places[i + 1 :]:
                if y2 - y > tolerance:
                    break
                if abs(x2 - x) <= tolerance:
                    return True
    return False


def _find_tables(page: Any) -> list[Any]:
    """``page.find_tables()`` with the default settings, its cell search made fast.

    pdfplumber's ``intersections_to_cells`` rebuilds two sets of edge boxes for every pair of
    points it compares and scans every later point for each point (~40% of reading a page).
    The same search here keeps each point's sets and its column and row neighbours; the edges,
    intersections and the grouping of cells into tables are pdfplumber's own.
    """
    from pdfplumber.table import (
        Table,
        TableFinder,
        TableSettings,
        cells_to_tables,
        edges_to_intersections,
    )

    finder = TableFinder.__new__(TableFinder)  # its __init__ would run the slow search
    finder.page, finder.settings = page, TableSettings.resolve(None)
    settings = finder.settings
    edges = finder.get_edges()
    points = edges_to_intersections(edges, settings.intersection_x_tolerance, settings.intersection_y_tolerance)
    return [Table(page, cells) for cells in cells_to_tables(_intersections_to_cells(points))]


def _intersections_to_cells(intersections: dict[tuple[float, float], dict[str, list[dict[str, Any]]]]) -> list[Any]:
    """pdfplumber 0.11's ``intersections_to_cells``: the same cells, in the same order."""
    from pdfplumber.utils import obj_to_bbox

    vertical = {p: {obj_to_bbox(e) for e in edges["v"]} for p, edges in intersections.items()}
    horizontal = {p: {obj_to_bbox(e) for e in edges["h"]} for p, edges in intersections.items()}

    def connects(p1: tuple[float, float], p2: tuple[float, float]) -> bool:
        if p1[0] == p2[0] and not vertical[p1].isdisjoint(vertical[p2]):
            return True
        return p1[1] == p2[1] and not horizontal[p1].isdisjoint(horizontal[p2])

    points = sorted(intersections)
    columns: dict[float, list[tuple[float, float]]] = {}
    rows: dict[float, list[tuple[float, float]]] = {}
    for point in points:  # in sorted order: a column runs down, a row runs right
        columns.setdefault(point[0], []).append(point)
        rows.setdefault(point[1], []).append(point)
    cells = []
    for pt in points[:-1]:
        column, row = columns[pt[0]], rows[pt[1]]
        below = column[column.index(pt) + 1 :]
        right = row[row.index(pt) + 1 :]
        cell = None
        for below_pt in below:
            if not connects(pt, below_pt):
                continue
            for right_pt in right:
                if not connects(pt, right_pt):
                    continue
                corner = (right_pt[0], below_pt[1])
                if corner in intersections and connects(corner, right_pt) and connects(corner, below_pt):
                    cell = (pt[0], pt[1], corner[0], corner[1])
                    break
            if cell is not None:
                break
        if cell is not None:
            cells.append(cell)
    return cells


def _table_rows(table: Any, chars: list[dict[str, Any]], mids: list[tuple[float, float]]) -> list[list[str | None]]:
    """pdfplumber's ``Table.extract()`` without its cost: the same characters in the same cells.

    ``Table.extract`` tests every character of the page against every row (~50 000 calls of a
    nested function per page); here the characters are sorted by their vertical middle once
    (``mids``: (middle y, middle x) per character, as ``char_in_bbox`` computes them) and a row
    takes the run between its top and bottom. Cell text is pdfplumber's ``extract_text``.
    """
    from pdfplumber.utils import extract_text
    from pdfplumber.utils.text import LIGATURES

    order = sorted(range(len(chars)), key=lambda i: mids[i][0])
    middles = [mids[i][0] for i in order]
    rows: list[list[str | None]] = []
    for row in table.rows:
        x0, top, x1, bottom = row.bbox
        found = sorted(
            i for i in order[bisect_left(middles, top) : bisect_left(middles, bottom)] if x0 <= mids[i][1] < x1
        )
        cells: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                cells.append(None)
                continue
            cx0, ctop, cx1, cbottom = cell
            inside = [chars[i] for i in found if cx0 <= mids[i][1] < cx1 and ctop <= mids[i][0] < cbottom]
            if len(inside) == 1:  # most cells hold one digit: extract_text's result, without its cost
                text = inside[0]["text"]
                cells.append("" if text.isspace() else LIGATURES.get(text, text))
            else:
                cells.append(extract_text(inside) if inside else "")
        rows.append(cells)
    return rows


def _read_page(page: Any, number: int) -> tuple[list[tuple[float, Block]], int, int]:
    """(top, block) pairs for one page, the count of visible characters and of undecodable ones."""
    chars = page.chars
    visible = sum(1 for c in chars if c["text"].strip())
    cid = sum(1 for c in chars if c["text"].startswith("(cid:"))
    if visible - cid < MIN_PAGE_CHARS:
        return [], visible - cid, cid
    if _has_doubled_chars(chars):  # "fake bold": each character drawn twice, slightly offset
        page = page.dedupe_chars(tolerance=1)
        chars = page.chars
    placed: list[tuple[float, Block]] = []
    boxes: list[tuple[float, float, float, float]] = []
    if page.lines or page.rects:
        mids = [((c["top"] + c["bottom"]) / 2, (c["x0"] + c["x1"]) / 2) for c in chars]
        for found in _find_tables(page):
            rows = [[_clean(c) for c in row] for row in _table_rows(found, chars, mids)]
            if is_layout(rows):
                continue  # a framed text box: its lines are read as paragraphs below
            rows = [r for r in rows if any(c for c in r)] or rows
            boxes.append(found.bbox)
            placed.append((found.bbox[1], Table(rows=rows, page=number)))
    region = page
    if boxes:  # text outside the tables; only characters matter to extract_text_lines
        region = page.filter(lambda o: True)
        region._objects = {
            "char": [
                c
                for c, (cy, cx) in zip(chars, mids, strict=True)
                if not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)
            ]
        }
    for line in region.extract_text_lines(return_chars=False):
        if text := _clean(line["text"]):
            placed.append((line["top"], Paragraph(text, page=number)))
    placed.sort(key=lambda item: item[0])
    return placed, visible - cid, cid


def read_pdf(data: bytes, *, fast: bool = True) -> tuple[list[Block], list[str]]:
    """Blocks and warnings of a PDF.

    With ``fast`` each page's characters and lines come from pdfium (:mod:`.pdf_fast`, ~10×
    faster) wherever its reading is known to equal pdfminer's; every other page is interpreted
    by pdfminer as before. ``fast=False`` reads every page with pdfminer (tests compare the two).
    """
    from .pdf_fast import pdfium_pages

    pdf = _open(data)
    blocks: list[Block] = []
    warnings: list[str] = []
    empty_pages: list[int] = []
    total = cid_total = 0
    with pdf, pdfium_pages(data, pdf) if fast else nullcontext() as pdfium:
        if not pdf.pages:
            raise CorruptFileError("PDF 文件中没有页面")
        for number, page in enumerate(pdf.pages, 1):
            try:
                if pdfium is not None and (objects := pdfium.page_objects(page, MIN_PAGE_CHARS)) is not None:
                    page._objects = objects  # pdfplumber's Page.objects returns it: pdfminer is skipped
                placed, visible, cid = _read_page(page, number)
            finally:
                page.close()  # frees the page's parsed objects
            total += visible
            cid_total += cid
            if not placed:
                empty_pages.append(number)
            blocks.extend(block for _, block in placed)
        pages = len(pdf.pages)
    if not blocks:
        if cid_total:
            raise ScannedPdfError("PDF 的文字无法解码（字体缺少编码表，复制出来是乱码），无法读取内容")
        raise ScannedPdfError(f"PDF 共 {pages} 页，但没有文字层（可能是扫描件或图片），无法读取表格和数字")
    if empty_pages:
        listed = "、".join(str(n) for n in empty_pages[:20])
        warnings.append(f"PDF 第 {listed} 页没有可读的文字（可能是扫描图片或空白页），这些页的内容未读取")
    if cid_total > total:
        warnings.append("PDF 中有大量无法解码的文字（字体缺少编码表），读取结果可能不完整")
    return blocks, warnings
