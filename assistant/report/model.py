"""Typed values for a parsed report: cells with provenance, sections, the report itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from .cells import ALL_CELLS, T3_PARTS, T4_COLUMNS
from .document import Document

Number = int | float

# How a cell was written in the report.
#   number  : a number was printed
#   blank   : the cell exists but is empty (assumed 0)
#   dash    : "—", "-", "/", "／" (assumed 0)
#   none    : "无" / "0件" style words meaning zero (assumed 0)
#   text    : something that is not a number (value None)
#   missing : the cell was not found at all (value None)
Written = Literal["number", "blank", "dash", "none", "text", "missing"]

FORMAT_2021 = "2021"
FORMAT_2019 = "2019"
FORMAT_UNKNOWN = "unknown"


class CellSource(NamedTuple):
    """Where a cell's value came from, in terms a reviewer can find in the document.

    Immutable like the other values here; a NamedTuple because a report makes 200 of these and
    a frozen dataclass costs three times as much to build."""

    form: str
    table: int | None = None  # 0-based table index in the document
    row: int | None = None  # 0-based row in that table
    col: int | None = None  # 0-based column in that row
    line: int | None = None  # 1-based line (text forms)
    page: int | None = None  # 1-based page (PDF)
    raw: str = ""  # the text as written
    inferred: str | None = None  # how the row was placed when its label was lost (Chinese note)

    def describe(self) -> str:
        parts: list[str] = []
        if self.page is not None:
            parts.append(f"第{self.page}页")
        if self.table is not None:
            parts.append(f"第{self.table + 1}个表格")
        if self.row is not None:
            parts.append(f"第{self.row + 1}行")
        if self.col is not None:
            parts.append(f"第{self.col + 1}列")
        if self.line is not None and self.table is None:
            parts.append(f"第{self.line}行")
        return "".join(parts) or self.form


class Cell(NamedTuple):
    """One canonical cell: its value (``None`` = unknown), how it was written, where it came from."""

    id: str
    value: Number | None
    written: Written = "number"
    source: CellSource | None = None

    @property
    def assumed(self) -> bool:
        """True when the value 0 was assumed from a blank/dash/无."""
        return self.written in ("blank", "dash", "none")

    def to_dict(self) -> dict:
        d: dict = {"value": self.value, "written": self.written}
        if self.source is not None:
            d["source"] = self.source.describe()
            if self.source.raw:
                d["raw"] = self.source.raw
            if self.source.inferred:
                d["inferred"] = self.source.inferred
        return d


@dataclass(frozen=True)
class Section:
    number: str  # "一" … "六" (format position), or the report's own numbering if off-format
    title: str  # the heading as written, e.g. "五、存在的主要问题及改进情况"
    text: str  # body text (without the heading)
    line: int | None = None
    canonical: str | None = None  # the format section it maps onto: "一" … "六", or None


@dataclass(frozen=True)
class ParseIssue:
    """Something the parser could not read with certainty; rules turn these into findings."""

    kind: str  # e.g. "table_missing", "cell_unknown", "row_inferred", "format_2019", "not_a_report"
    message: str  # Chinese
    cells: tuple[str, ...] = ()
    detail: dict = field(default_factory=dict)


@dataclass
class Report:
    source: str
    form: str
    agency: str | None = None
    year: int | None = None
    agency_kind: str | None = None  # 人民政府 | 乡镇 | 街道 | 部门 | 其他
    format_version: str = FORMAT_UNKNOWN
    title: str | None = None
    sections: list[Section] = field(default_factory=list)
    cells: dict[str, Cell] = field(default_factory=dict)
    tables_found: dict[str, bool] = field(default_factory=dict)  # "t2"/"t3"/"t4" -> found as a table
    issues: list[ParseIssue] = field(default_factory=list)
    document: Document | None = None

    # Batches send reports between processes (``review.review_paths``). Pickled as they are, the 400
    # NamedTuples of the cells cost a Python-level reduce each: sent as plain tuples instead, a report is
    # pickled 3–4× faster (0.28 → 0.08 ms) and read back a little faster too.
    def __reduce__(self) -> tuple:
        state = dict(self.__dict__)
        cells = state.pop("cells")
        packed = [(c[0], c[1], c[2], None if c[3] is None else tuple(c[3])) for c in cells.values()]
        return _unpickle_report, (state, packed)

    def __copy__(self) -> Report:
        new = object.__new__(Report)
        new.__dict__.update(self.__dict__)
        return new

    def value(self, cell_id: str) -> Number | None:
        c = self.cells.get(cell_id)
        return None if c is None else c.value

    def value_or_sum(self, cell_id: str) -> Number | None:
        """A cell's value; a table-3/4 总计 that could not be read counts as the sum of its row when every
        part was read (the row identity), so one unreadable total does not make the row unknown."""
        v = self.value(cell_id)
        if v is not None or not cell_id.endswith(".total") or not cell_id.startswith(("t3.", "t4.")):
            return v
        table, row, _ = cell_id.split(".")
        cols = T3_PARTS if table == "t3" else T4_COLUMNS[:-1]
        parts = [self.value(f"{table}.{row}.{c}") for c in cols]
        return None if any(p is None for p in parts) else sum(parts)  # type: ignore[arg-type]

    def cell_values(self) -> dict[str, Number | None]:
        """All 200 ids, in canonical order; ``None`` for a cell that could not be read."""
        return {cid: self.value(cid) for cid in ALL_CELLS}

    def section(self, canonical: str) -> Section | None:
        for s in self.sections:
            if s.canonical == canonical:
                return s
        return None

    @property
    def is_government(self) -> bool:
        """各级人民政府 incl. 乡镇/街道 (第五十条 asks more of them)."""
        return self.agency_kind in ("人民政府", "乡镇", "街道")


def _unpickle_report(state: dict, packed: list[tuple]) -> Report:
    new = tuple.__new__
    report = object.__new__(Report)
    report.__dict__.update(state)
    report.cells = {
        c[0]: new(Cell, (c[0], c[1], c[2], None if c[3] is None else new(CellSource, c[3]))) for c in packed
    }
    return report
