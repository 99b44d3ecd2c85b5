"""HTML pages (crawled report pages with site chrome, Word-pasted tables) → blocks.

- script/style/nav and other non-content elements, comments and ``display:none`` parts are dropped;
- block elements (p, div, h1–h6, li, br ...) end a paragraph; inline elements join without a gap;
- a layout table (one containing another table, a single column, or a cell holding a whole
  article) is read as ordinary content (text → paragraphs, inner tables → tables); every other
  table becomes a :class:`Table` with the full
  grid: rowspan/colspan expanded, the origin cell holds the text, covered positions hold ``None``;
- all text inside a data cell (several ``<p>``, ``<br/>``, spans, ``&nbsp;``) is that cell's text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import lxml.html
from lxml import etree

from ...errors import CorruptFileError
from ..document import Block, Paragraph, Table
from .normalize import clean_text, is_layout

_SKIP = frozenset(
    {"script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed", "head",
     "nav", "select", "option", "button", "input", "textarea", "canvas", "video", "audio", "map", "title"}
)
_BLOCK = frozenset(
    {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "br", "hr",
     "section", "article", "main", "aside", "header", "footer", "blockquote", "pre", "center", "address",
     "figure", "figcaption", "caption", "form", "fieldset", "legend", "tr", "td", "th", "tbody", "thead",
     "tfoot", "table", "body", "html", "details", "summary"}
)
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
MAX_SPAN = 200  # a colspan="1000" must not blow up the grid


def _tag(el: etree._Element) -> str | None:
    tag = el.tag
    if not isinstance(tag, str):  # comment, processing instruction, entity
        return None
    return tag.rsplit("}", 1)[-1].lower()


def _skipped(el: etree._Element, tag: str | None) -> bool:
    if tag is None or tag in _SKIP:
        return True
    if el.get("hidden") is not None:
        return True
    style = el.get("style")
    return bool(style and _HIDDEN.search(style))


def _own_rows(table: etree._Element) -> list[etree._Element]:
    rows = []
    for child in table:
        t = _tag(child)
        if t == "tr":
            rows.append(child)
        elif t in ("thead", "tbody", "tfoot"):
            rows.extend(c for c in child if _tag(c) == "tr")
    return rows


def _own_cells(row: etree._Element) -> list[etree._Element]:
    return [c for c in row if _tag(c) in ("td", "th")]


def _has_nested_table(table: etree._Element) -> bool:
    return any(True for _ in table.iterdescendants("table"))


def _span(el: etree._Element, name: str) -> int:
    raw = el.get(name)
    if raw is None or raw == "1":
        return 1
    m = _DIGITS.match(raw.strip())
    n = int(m.group()) if m else 1
    return min(max(n, 1), MAX_SPAN)


def _spaces(text: str) -> str:
    """Newlines in HTML source are just whitespace."""
    return text.replace("\r", " ").replace("\n", " ")


def _texts(el: etree._Element) -> Iterator[str]:
    """All text under ``el`` with a space at block boundaries, skipping non-content elements."""
    tag = _tag(el)
    if _skipped(el, tag):
        return
    block = tag in _BLOCK
    if block:
        yield "\n"  # a line break inside the cell: the pieces join without a gap
    if el.text:
        yield _spaces(el.text)
    for child in el:
        yield from _texts(child)
        if child.tail:
            yield _spaces(child.tail)
    if block:
        yield "\n"


# anything that needs the careful walk: non-content elements, hidden ones, comments
_NEEDS_WALK = etree.XPath(
    "|".join(f".//{t}" for t in sorted(_SKIP))
    + "|.//*[@hidden]|.//*[contains(@style,'none') or contains(@style,'hidden')]|.//comment()|.//processing-instruction()"
)


def cell_text(cell: etree._Element, plain: bool | None = None) -> str:
    """The cell's text; ``plain`` (nothing hidden or non-content inside) lets lxml join it in C."""
    if plain if plain is not None else not _NEEDS_WALK(cell):
        return clean_text(_spaces("".join(cell.itertext())))
    return clean_text("".join(_texts(cell)))


def table_grid(table: etree._Element) -> list[list[str | None]]:
    """The table's full grid: origin cells hold text, positions covered by a span hold None."""
    grid: dict[tuple[int, int], str | None] = {}
    rows = _own_rows(table)
    plain = True if not _NEEDS_WALK(table) else None  # one check for the whole (common, plain) table
    for r, row in enumerate(rows):
        c = 0
        for cell in _own_cells(row):
            while (r, c) in grid:
                c += 1
            rowspan, colspan = _span(cell, "rowspan"), _span(cell, "colspan")
            rowspan = min(rowspan, len(rows) - r)
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid[(r + dr, c + dc)] = None
            grid[(r, c)] = cell_text(cell, plain)
            c += colspan
    widths = [0] * len(rows)
    for r, c in grid:
        widths[r] = max(widths[r], c + 1)
    return [[grid.get((r, c), "") for c in range(width)] for r, width in enumerate(widths)]


class _Walker:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.buf: list[str] = []
        self.paragraphs = 0

    def flush(self) -> None:
        if self.buf:
            text = clean_text("".join(self.buf))
            self.buf = []
            if text:
                self.paragraphs += 1
                self.blocks.append(Paragraph(text, line=self.paragraphs))

    def walk(self, el: etree._Element) -> None:
        tag = _tag(el)
        if _skipped(el, tag):
            return
        if tag == "table":
            self.flush()
            self.table(el)
            return
        block = tag in _BLOCK
        if block:
            self.flush()
        if el.text:
            self.buf.append(_spaces(el.text))
        for child in el:
            self.walk(child)
            if child.tail:
                self.buf.append(_spaces(child.tail))
        if block:
            self.flush()

    def table(self, table: etree._Element) -> None:
        grid = None if _has_nested_table(table) else table_grid(table)
        if grid is None or is_layout(grid):  # read its cells as ordinary content
            for row in _own_rows(table):
                for cell in _own_cells(row):
                    self.walk(cell)
            for child in table:  # a caption or stray content outside rows
                if _tag(child) not in ("tr", "thead", "tbody", "tfoot"):
                    self.walk(child)
            self.flush()
            return
        for child in table:
            if _tag(child) == "caption":
                self.walk(child)
        rows = [r for r in grid if r]
        if rows:
            self.blocks.append(Table(rows=rows, line=self.paragraphs + 1))


def read_html(text: str) -> list[Block]:
    text = _XML_DECL.sub("", text, count=1)
    if not text.strip():
        return []
    try:
        parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=True)
        root = lxml.html.document_fromstring(text.encode("utf-8", "surrogatepass"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as e:
        raise CorruptFileError(f"HTML 无法解析（{type(e).__name__}）") from e
    walker = _Walker()
    title = root.find("head/title")
    if title is not None and (text := clean_text(title.text_content())):
        walker.paragraphs = 1
        walker.blocks.append(Paragraph(text, line=1))  # crawled pages often carry the report title here
    body = root.find("body")
    walker.walk(body if body is not None else root)
    walker.flush()
    return walker.blocks
