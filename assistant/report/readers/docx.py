"""Word (.docx) → blocks, walking the body XML in order (paragraphs and tables interleaved).

The grid is built from the XML itself rather than ``row.cells`` (which repeats a merged cell once
per grid column): ``w:gridBefore`` offsets, ``w:gridSpan`` → the origin keeps the text, covered
columns are ``None``; ``w:vMerge`` continuation → ``None``. A layout table (one containing another
table, a single column, or a cell holding running text) is read as ordinary blocks. Word's
automatic numbering ("一、", "（二）", "3.") is drawn into the text (:mod:`.numbering`). Headers,
footers, deleted text and the fallback copies of text boxes are ignored.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator

from lxml import etree

from ...errors import CorruptFileError
from ..document import Block, Paragraph, Table
from .encoding import decode_text
from .mht import html_of_mht, is_mht
from .normalize import clean_text, is_layout
from .numbering import Numbering
from .sniff import check_zip_bomb

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_P, _TBL, _TR, _TC, _SDT = (f"{{{W}}}{n}" for n in ("p", "tbl", "tr", "tc", "sdt"))
_T, _TAB, _BR, _CR = (f"{{{W}}}{n}" for n in ("t", "tab", "br", "cr"))
_SKIP = {f"{{{MC}}}Fallback", f"{{{W}}}del", f"{{{W}}}instrText", f"{{{W}}}delText", f"{{{W}}}rPr", f"{{{W}}}pPr"}
_ALT_CHUNK = f"{{{W}}}altChunk"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_BLOCKS = {_P, _TBL, _SDT, f"{{{W}}}sdtContent", f"{{{W}}}customXml", f"{{{W}}}ins"}


def _attr(el: etree._Element | None, name: str) -> str | None:
    return None if el is None else el.get(f"{{{W}}}{name}")


def _text_pieces(el: etree._Element, numbering: Numbering | None) -> Iterator[str]:
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == _T:
            yield child.text or ""
        elif tag == _TAB:
            yield " "
        elif tag in (_BR, _CR):
            yield "\n"
        elif tag == _P:  # a paragraph inside a cell or text box: a line break
            yield "\n"
            if numbering is not None:
                yield numbering.prefix(child)
            yield from _text_pieces(child, numbering)
            yield "\n"
        else:
            yield from _text_pieces(child, numbering)


def _paragraph_text(p: etree._Element, numbering: Numbering | None = None) -> str:
    """A paragraph's text with its automatic number drawn ("一、" + "总体情况")."""
    head = numbering.prefix(p) if numbering is not None else ""
    return clean_text(head + "".join(_text_pieces(p, numbering)))


def _cell_text(tc: etree._Element, numbering: Numbering | None = None) -> str:
    return clean_text("".join(_text_pieces(tc, numbering)))


def _has_nested_table(tbl: etree._Element) -> bool:
    return any(True for _ in tbl.iterdescendants(_TBL))


def _rows(tbl: etree._Element) -> list[etree._Element]:
    rows = []
    for child in tbl:
        if child.tag == _TR:
            rows.append(child)
        elif child.tag in (_SDT, f"{{{W}}}customXml"):  # rows wrapped in content controls
            rows.extend(child.iter(_TR))
    return rows


def _cells(tr: etree._Element) -> list[etree._Element]:
    cells = []
    for child in tr:
        if child.tag == _TC:
            cells.append(child)
        elif child.tag in (_SDT, f"{{{W}}}customXml"):
            cells.extend(c for c in child.iter(_TC))
    return cells


def _int(value: str | None, default: int) -> int:
    try:
        return max(int(value), 0) if value is not None else default
    except ValueError:
        return default


def table_grid(tbl: etree._Element, numbering: Numbering | None = None) -> list[list[str | None]]:
    out: list[list[str | None]] = []
    for tr in _rows(tbl):
        tr_pr = tr.find(f"{{{W}}}trPr")
        before = _int(_attr(tr_pr.find(f"{{{W}}}gridBefore") if tr_pr is not None else None, "val"), 0)
        row: list[str | None] = [""] * min(before, 64)
        for tc in _cells(tr):
            tc_pr = tc.find(f"{{{W}}}tcPr")
            span = min(_int(_attr(tc_pr.find(f"{{{W}}}gridSpan") if tc_pr is not None else None, "val"), 1), 64)
            span = max(span, 1)
            vmerge = tc_pr.find(f"{{{W}}}vMerge") if tc_pr is not None else None
            continued = vmerge is not None and _attr(vmerge, "val") in (None, "continue")
            if continued:
                row.append(None)
            else:
                row.append(_cell_text(tc, numbering))
            row.extend([None] * (span - 1))
        out.append(row)
    return out


class _Walker:
    def __init__(self, numbering: Numbering | None = None, chunks: Callable[[str], list[Block]] | None = None) -> None:
        self.blocks: list[Block] = []
        self.paragraphs = 0
        self.numbering = numbering
        self.chunks = chunks  # reads a w:altChunk (HTML/MHT/text embedded by the exporting system)

    def walk(self, parent: etree._Element) -> None:
        for el in parent:
            tag = el.tag
            if tag == _P:
                self.paragraphs += 1
                if text := _paragraph_text(el, self.numbering):
                    self.blocks.append(Paragraph(text, line=self.paragraphs))
            elif tag == _TBL:
                self.table(el)
            elif tag == _ALT_CHUNK and self.chunks is not None:
                self.blocks.extend(self.chunks(el.get(_R_ID) or ""))
            elif tag in _BLOCKS or tag == f"{{{MC}}}AlternateContent" or tag == f"{{{MC}}}Choice":
                self.walk(el)

    def table(self, tbl: etree._Element) -> None:
        grid = None if _has_nested_table(tbl) else table_grid(tbl, self.numbering)
        if grid is None or is_layout(grid):  # a frame around content: read its cells as blocks
            for tr in _rows(tbl):
                for tc in _cells(tr):
                    self.walk(tc)
            return
        rows = [r for r in grid if r]
        if rows:
            self.blocks.append(Table(rows=rows, line=self.paragraphs + 1))


def _numbering(document: object) -> Numbering | None:
    """Automatic numbering definitions; a document without (or with broken) ones has none."""
    part = document.part  # type: ignore[attr-defined]
    numbering_xml = styles_xml = None
    try:
        numbering_xml = part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError, ValueError):
        pass
    try:
        styles_xml = part.styles.element
    except (KeyError, NotImplementedError, AttributeError, ValueError):
        pass
    if numbering_xml is None:
        return None
    return Numbering(numbering_xml, styles_xml)


def _alt_chunk(document: object, rid: str) -> list[Block]:
    """Blocks of an embedded alternative-format chunk; unknown or unreadable chunks give none."""
    part = document.part.related_parts.get(rid)  # type: ignore[attr-defined]
    if part is None:
        return []
    content_type, blob = part.content_type, part.blob
    if "html" in content_type:
        from .html import read_html

        return read_html(decode_text(blob)[0])
    if content_type == "message/rfc822" or is_mht(blob):
        from .html import read_html

        return read_html(html_of_mht(blob))
    if content_type == "text/plain":
        from .text import read_text

        return read_text(decode_text(blob)[0])
    return []


def read_docx(data: bytes) -> tuple[list[Block], list[str]]:
    check_zip_bomb(data)
    import docx  # python-docx: opens the package, resolves the main part
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except PackageNotFoundError as e:
        raise CorruptFileError("Word 文档结构不完整，无法打开") from e
    except (KeyError, ValueError, etree.XMLSyntaxError) as e:
        raise CorruptFileError(f"Word 文档内容损坏，无法解析（{type(e).__name__}）") from e
    body = document.element.body
    walker = _Walker(_numbering(document), lambda rid: _alt_chunk(document, rid))
    walker.walk(body)
    warnings = []
    if not walker.blocks:
        warnings.append("Word 文档正文为空（页眉页脚和图片中的文字不会被读取）")
    return walker.blocks, warnings
