"""Hand-built reports for the reviewer-rule unit tests (no parser involved)."""

from __future__ import annotations

from assistant.report.cells import ALL_CELLS
from assistant.report.model import Cell, CellSource, Report, Section
from assistant.report.meta import FORMAT_TITLES


def make_report(
    *,
    agency: str = "青禾县人民政府",
    kind: str = "人民政府",
    year: int = 2024,
    sections: dict[str, str] | None = None,
    cells: dict[str, int | float | None] | None = None,
    raw: dict[str, str] | None = None,
) -> Report:
    """A report with all 200 cells 0 (unless given) and the six sections (body text per number)."""
    r = Report(source=f"{agency}_{year}.txt", form="text", agency=agency, year=year, agency_kind=kind)
    bodies = sections or {}
    r.sections = [
        Section(num, f"{num}、{title}", bodies.get(num, ""), i * 10 + 1, num) for i, (num, title) in enumerate(FORMAT_TITLES.items())
    ]
    r.cells = {cid: Cell(cid, 0) for cid in ALL_CELLS}
    for cid, v in (cells or {}).items():
        r.cells[cid] = Cell(cid, v, "number" if v is not None else "missing")
    for cid, text in (raw or {}).items():
        r.cells[cid] = Cell(cid, r.cells[cid].value, "number", CellSource(form="text", raw=text))
    return r
