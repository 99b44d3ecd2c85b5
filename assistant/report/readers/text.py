"""Plain text, typically copied from a report's web page.

Browsers flatten a table like this (see ``cat -A`` of a real dump)::

    \\t信息内容            ← a cell: a line starting with TAB
    \\t本年制发件数
    (blank line)           ← ends the row
    \\t                    ← a line that is only a TAB: an empty cell (often a merged placeholder)
    \\t商业                ← a header broken across lines:
    企业                   ← a line without TAB right after a cell line continues that cell

Consecutive rows form one table until a non-empty line without TAB that does not continue a cell
(a section title such as "四、政府信息公开行政复议..."). A line holding several TAB-separated
cells ("label\\t0\\t0") is one row's cells. Dumps with no TAB at all (one cell per line) become
paragraphs, one per non-empty line: the mapper reads "label line + number lines" sequences.
"""

from __future__ import annotations

from ..document import Block, Paragraph, Table
from .normalize import clean_text


def read_text(text: str) -> list[Block]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not any("\t" in line for line in lines):
        return [Paragraph(t, line=i) for i, line in enumerate(lines, 1) if (t := clean_text(line))]
    return _TabReader().run(lines)


class _TabReader:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.rows: list[list[str | None]] = []
        self.row: list[str] = []
        self.table_line: int | None = None

    def end_row(self) -> None:
        if self.row:
            self.rows.append([clean_text(c) for c in self.row])
            self.row = []

    def end_table(self) -> None:
        self.end_row()
        if self.rows:
            self.blocks.append(Table(rows=self.rows, line=self.table_line))
        self.rows = []
        self.table_line = None

    def run(self, lines: list[str]) -> list[Block]:
        after_cell = False  # the previous line was a cell line
        for number, line in enumerate(lines, 1):
            if "\t" in line:
                cells = line.split("\t")
                if line.startswith("\t"):
                    cells = cells[1:]
                if self.table_line is None:
                    self.table_line = number
                self.row.extend(cells)
                after_cell = True
            elif not line.strip():
                self.end_row()
                after_cell = False
            elif after_cell and self.row:
                self.row[-1] = f"{self.row[-1]}\n{line}"
            else:
                self.end_table()
                self.blocks.append(Paragraph(clean_text(line), line=number))
                after_cell = False
        self.end_table()
        return self.blocks
