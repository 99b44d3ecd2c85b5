"""The intermediate form every reader produces: paragraphs and tables in reading order.

Readers (text dump, HTML, DOCX, PDF, Markdown) only turn bytes into a :class:`Document`;
mapping labels onto the canonical cells happens once, in :mod:`assistant.report.mapper`.

Table grid conventions (the contract between readers and the mapper):
- ``Table.rows`` is a list of rows, each a list of cells in column order.
- A cell is the cell's text (whitespace-normalised, line breaks inside a cell removed), ``""`` for
  a cell that exists but is empty (``&nbsp;``, ``<o:p> </o:p>``, nothing), or ``None`` for a grid
  position covered by a merged cell (rowspan/colspan) whose text sits in its origin cell.
- Header rows are kept as ordinary rows (a Markdown table's first row included).
- ``Table.empty_is_unknown`` is True when an empty cell cannot be trusted to mean "written blank"
  (e.g. Markdown produced by a PDF converter, where empty cells are often padding or lost text).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Paragraph:
    text: str
    line: int | None = None  # 1-based line (text forms) or paragraph number (DOCX/HTML)
    page: int | None = None  # 1-based page (PDF)


@dataclass(frozen=True)
class Table:
    rows: list[list[str | None]]
    index: int = 0  # 0-based position among the document's tables
    line: int | None = None  # first line/paragraph where it starts, when known
    page: int | None = None
    empty_is_unknown: bool = False


Block = Paragraph | Table


@dataclass
class Document:
    source: str
    form: str  # "text" | "html" | "docx" | "pdf" | "markdown"
    blocks: list[Block] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # Chinese notes about the reading itself

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    def text(self) -> str:
        """The document's running text (paragraphs only), one paragraph per line."""
        return "\n".join(p.text for p in self.paragraphs)
