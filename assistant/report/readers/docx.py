"""Word (.docx) → blocks, walking the body XML in order (paragraphs and tables interleaved).

The grid is built from the XML itself rather than ``row.cells`` (which repeats a merged cell once
per grid column): ``w:gridBefore`` offsets, ``w:gridSpan`` → the origin keeps the text, covered
columns are ``None``; ``w:vMerge`` continuation → ``None``. A table that contains another table is
layout: its cells' content is read as ordinary blocks. Headers, footers, deleted text and the
fallback copies of text boxes are ignored.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from lxml import etree

from ...errors import CorruptFileError
from ..document import Block, Paragraph, Table
from .normalize import clean_text
from .sniff import check_zip_bomb

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_P, _TBL, _TR, _TC, _SDT = (f"{{{W}}}{n}" for n in ("p", "tbl", "tr", "tc", "sdt"))
_T, _TAB, _BR, _CR = (f"{{{W}}}{n}" for n in ("t", "tab", "br", "cr"))
_SKIP = {f"{{{MC}}}Fallback", f"{{{W}}}del", f"{{{W}}}instrText", f"{{{W}}}delText", f"{{{W}}}rPr", f"{{{W}}}pPr"}
_BLOCKS = {_P, _TBL, _SDT, f"{{{W}}}sdtContent", f"{{{W}}}customXml", f"{{{W}}}ins"}


def _attr(el: etree._Element | None, name: str) -> str | None:
    return None if el is None else el.get(f"{{{W}}}{name}")


def _text_pieces(el: etree._Element) -> Iterator[str]:
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
            yield from _text_pieces(child)
            yield "\n"
        else:
            yield from _text_pieces(child)


def _paragraph_text(p: etree._Element) -> str:
    return clean_text("".join(_text_pieces(p)))


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


def table_grid(tbl: etree._Element) -> list[list[str | None]]:
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
                row.append(_paragraph_text(tc))
            row.extend([None] * (span - 1))
        out.append(row)
    return out


class _Walker:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.paragraphs = 0

    def walk(self, parent: etree._Element) -> None:
        for el in parent:
            tag = el.tag
            if tag == _P:
                self.paragraphs += 1
                if text := _paragraph_text(el):
                    self.blocks.append(Paragraph(text, line=self.paragraphs))
            elif tag == _TBL:
                self.table(el)
            elif tag in _BLOCKS or tag == f"{{{MC}}}AlternateContent" or tag == f"{{{MC}}}Choice":
                self.walk(el)

    def table(self, tbl: etree._Element) -> None:
        if _has_nested_table(tbl):  # layout table
            for tr in _rows(tbl):
                for tc in _cells(tr):
                    self.walk(tc)
            return
        rows = [r for r in table_grid(tbl) if r]
        if rows:
            self.blocks.append(Table(rows=rows, line=self.paragraphs + 1))


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
    walker = _Walker()
    walker.walk(body)
    warnings = []
    if not walker.blocks:
        warnings.append("Word 文档正文为空（页眉页脚和图片中的文字不会被读取）")
    return walker.blocks, warnings
