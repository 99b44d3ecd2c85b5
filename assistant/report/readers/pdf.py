"""PDF with a text layer → blocks, page by page, top to bottom (pdfplumber).

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


def _inside(obj: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
    cx = (obj["x0"] + obj["x1"]) / 2
    cy = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    return clean_text(_CID.sub("", text))


def _has_doubled_chars(chars: list[dict[str, Any]], tolerance: float = 1.0) -> bool:
    """Cheap check before pdfplumber's (slow) ``dedupe_chars``: a character repeated in place."""
    seen: dict[str, list[tuple[float, float]]] = {}
    for c in chars:
        text = c["text"]
        if not text.strip():
            continue
        x, y = c["x0"], c["top"]
        spots = seen.setdefault(text, [])
        if any(abs(x - sx) <= tolerance and abs(y - sy) <= tolerance for sx, sy in spots):
            return True
        spots.append((x, y))
    return False


def _read_page(page: Any, number: int) -> tuple[list[tuple[float, Block]], int, int]:
    """(top, block) pairs for one page, the count of visible characters and of undecodable ones."""
    chars = page.chars
    visible = sum(1 for c in chars if c["text"].strip())
    cid = sum(1 for c in chars if c["text"].startswith("(cid:"))
    if visible - cid < MIN_PAGE_CHARS:
        return [], visible - cid, cid
    if _has_doubled_chars(chars):  # "fake bold": each character drawn twice, slightly offset
        page = page.dedupe_chars(tolerance=1)
    placed: list[tuple[float, Block]] = []
    boxes: list[tuple[float, float, float, float]] = []
    if page.lines or page.rects:
        for found in page.find_tables():
            rows = [[_clean(c) for c in row] for row in found.extract()]
            if is_layout(rows):
                continue  # a framed text box: its lines are read as paragraphs below
            rows = [r for r in rows if any(c for c in r)] or rows
            boxes.append(found.bbox)
            placed.append((found.bbox[1], Table(rows=rows, page=number)))
    region = page.filter(lambda o: not _inside(o, boxes)) if boxes else page
    for line in region.extract_text_lines(return_chars=False):
        if text := _clean(line["text"]):
            placed.append((line["top"], Paragraph(text, page=number)))
    placed.sort(key=lambda item: item[0])
    return placed, visible - cid, cid


def read_pdf(data: bytes) -> tuple[list[Block], list[str]]:
    pdf = _open(data)
    blocks: list[Block] = []
    warnings: list[str] = []
    empty_pages: list[int] = []
    total = cid_total = 0
    with pdf:
        if not pdf.pages:
            raise CorruptFileError("PDF 文件中没有页面")
        for number, page in enumerate(pdf.pages, 1):
            try:
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
