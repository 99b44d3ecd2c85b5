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
cells ("label\\t0\\t0") is one row's cells. A "table" without a single value-like cell (no
number, no "—") is TAB-indented running text: its cells become paragraphs. Dumps with no TAB at
all (one cell per line) become paragraphs, one per non-empty line: the mapper reads "label line +
number lines" sequences.
"""

from __future__ import annotations

import re

from ..document import Block, Paragraph, Table
from .normalize import clean_text

_VALUE = re.compile(r"^[\d,.\s]+$|^[—–\-/／\\、…无]+$")


def read_text(text: str) -> list[Block]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not any("\t" in line for line in lines):
        return [Paragraph(t, line=i) for i, line in enumerate(lines, 1) if (t := clean_text(line))]
    return _TabReader().run(lines)


class _TabReader:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.rows: list[list[tuple[str, int]]] = []  # cells as (text, first line)
        self.row: list[tuple[str, int]] = []

    def end_row(self) -> None:
        if self.row:
            self.rows.append([(clean_text(c), line) for c, line in self.row])
            self.row = []

    def end_table(self) -> None:
        self.end_row()
        if not self.rows:
            return
        if any(_VALUE.match(c) for row in self.rows for c, _ in row):
            self.blocks.append(Table(rows=[[c for c, _ in row] for row in self.rows], line=self.rows[0][0][1]))
        else:  # TAB-indented paragraphs (or a label-only fragment): keep them as text
            self.blocks.extend(Paragraph(c, line=line) for row in self.rows for c, line in row if c)
        self.rows = []

    def run(self, lines: list[str]) -> list[Block]:
        after_cell = False  # the previous line was a cell line
        for number, line in enumerate(lines, 1):
            if "\t" in line:
                cells = line.split("\t")
                if line.startswith("\t"):
                    cells = cells[1:]
                self.row.extend((c, number) for c in cells)
                after_cell = True
            elif not line.strip():
                self.end_row()
                after_cell = False
            elif after_cell and self.row:
                text, first = self.row[-1]
                self.row[-1] = (f"{text}\n{line}", first)
            else:
                self.end_table()
                self.blocks.append(Paragraph(clean_text(line), line=number))
                after_cell = False
        self.end_table()
        return self.blocks
