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

from lxml import etree

from ...errors import CorruptFileError
from ..document import Block, Paragraph, Table
from .normalize import clean_inline, clean_text, is_layout

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
    if "}" in tag:  # a namespaced tag (XHTML read as XML); the HTML parser gives bare lower-case names
        tag = tag.rsplit("}", 1)[1]
    return tag.lower()


def _skipped_tag(el: etree._Element, tag: str | None) -> bool:
    """Non-content by its tag alone: all of :func:`_skipped` on a page where nothing can be hidden
    (see :func:`_may_hide`)."""
    return tag is None or tag in _SKIP


def _skipped(el: etree._Element, tag: str | None) -> bool:
    """Non-content, or hidden by the ``hidden`` attribute or a style."""
    if _skipped_tag(el, tag) or el.get("hidden") is not None:
        return True
    style = el.get("style")
    return bool(style and _HIDDEN.search(style))


def _own_rows(table: etree._Element) -> list[etree._Element]:
    rows = []
    for child in table.iterchildren("tr", "thead", "tbody", "tfoot"):
        if child.tag == "tr":
            rows.append(child)
        else:
            rows.extend(child.iterchildren("tr"))
    return rows


def _own_cells(row: etree._Element) -> list[etree._Element]:
    return list(row.iterchildren("td", "th"))


def _has_nested_table(table: etree._Element) -> bool:
    return any(True for _ in table.iterdescendants("table"))


def _span(raw: str | None) -> int:
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


# what may hide an element: a style or the ``hidden`` attribute (checked where the word occurs)
_HIDING = ((b"display", re.compile(rb"display\s*:\s*none")), (b"visibility", re.compile(rb"visibility\s*:\s*hidden")),
           (b"hidden", re.compile(rb"(?<=[\s\"'])hidden[\s>=/]")))  # fmt: skip


def _may_hide(source: bytes) -> bool:
    """False when no element of the page can be hidden (most pages): the element scan is skipped.

    ``find`` + an anchored match per occurrence: a regex search over a whole 70 KB page is slower
    than the parse itself. A page with character references may spell a style as
    ``display&#58;none``, which the parser decodes: such a page is checked element by element."""
    low = source.lower()
    if b"&#" in low:
        return True
    for word, pattern in _HIDING:
        at = low.find(word)
        while at >= 0:
            if pattern.match(low, at):
                return True
            at = low.find(word, at + 1)
    return False


def _tainted(root: etree._Element, may_hide: bool) -> set[etree._Element]:
    """Elements with a non-content or hidden element somewhere below them.

    Text under any other element is all content, so lxml can join it in C (one call per cell,
    instead of a Python walk): that is most of the time spent on a crawled page's tables.
    """
    found: list[etree._Element] = list(root.iter(*_SKIP))
    if may_hide:
        found.extend(el for el in root.iter() if _skipped(el, _tag(el)))
    tainted: set[etree._Element] = set()
    for el in found:
        for parent in el.iterancestors():
            if parent in tainted:
                break
            tainted.add(parent)
    return tainted


def cell_text(cell: etree._Element, plain: bool) -> str:
    """The cell's text; ``plain`` (nothing hidden or non-content inside) lets lxml join it in C."""
    if plain:
        return clean_inline(etree.tostring(cell, method="text", encoding=str, with_tail=False))
    return clean_text("".join(_texts(cell)))


def table_grid(table: etree._Element, tainted: set[etree._Element]) -> list[list[str | None]]:
    """The table's full grid: origin cells hold text, positions covered by a span hold None."""
    rows = _own_rows(table)
    covered: dict[int, set[int]] = {}  # row → columns taken by a rowspan from a row above
    grid: list[list[str | None]] = []
    plain = table not in tainted  # one check for the whole (common, plain) table
    for r, row in enumerate(rows):
        taken = covered.get(r, ())
        line: list[str | None] = []
        for cell in row.iterchildren("td", "th"):
            while len(line) in taken:
                line.append(None)
            c = len(line)
            line.append(cell_text(cell, plain or cell not in tainted))
            rowspan, colspan = cell.get("rowspan"), cell.get("colspan")
            if rowspan is not None or colspan is not None:
                rows_down, cols = min(_span(rowspan), len(rows) - r), _span(colspan)
                for dr in range(1, rows_down):
                    covered.setdefault(r + dr, set()).update(range(c, c + cols))
                line.extend([None] * (cols - 1))
        if taken:  # spans from above to the right of this row's own cells; a gap between is empty
            line.extend(None if c in taken else "" for c in range(len(line), max(taken) + 1))
        grid.append(line)
    return grid


class _Walker:
    def __init__(self, tainted: set[etree._Element], may_hide: bool) -> None:
        self.tainted = tainted
        self.skipped = _skipped if may_hide else _skipped_tag
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
        if self.skipped(el, tag):
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
        grid = None if _has_nested_table(table) else table_grid(table, self.tainted)
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
        # plain etree elements: lxml.html's element classes cost a lookup per element and are not used
        parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=True)
        data = text.encode("utf-8", "surrogatepass")
        root = etree.fromstring(data, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as e:
        raise CorruptFileError(f"HTML 无法解析（{type(e).__name__}）") from e
    if root is None:
        return []
    may_hide = _may_hide(data)
    walker = _Walker(_tainted(root, may_hide), may_hide)
    title = root.find("head/title")
    if title is not None and (text := clean_text("".join(title.itertext()))):
        walker.paragraphs = 1
        walker.blocks.append(Paragraph(text, line=1))  # crawled pages often carry the report title here
    body = root.find("body")
    walker.walk(body if body is not None else root)
    walker.flush()
    return walker.blocks
