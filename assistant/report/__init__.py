"""Reading reports: ``read_report(path)`` → :class:`Report` with all 200 cells (unknown = ``None``)."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError, NotAReportError
from .cells import ALL_CELLS, cell_label
from .document import Document
from .mapper import map_document
from .model import Cell, CellSource, ParseIssue, Report, Section

__all__ = [
    "ALL_CELLS",
    "Cell",
    "CellSource",
    "Document",
    "ParseIssue",
    "Report",
    "Section",
    "cell_label",
    "read_report",
    "read_report_bytes",
    "report_from_document",
]


def report_from_document(doc: Document) -> Report:
    """Map a read document; raise :class:`NotAReportError` when nothing of the format is in it."""
    report = map_document(doc)
    if not any(report.tables_found.values()) and not any(s.canonical for s in report.sections):
        raise NotAReportError("未找到年度报告的章节标题或统计表，看起来不是政府信息公开工作年度报告", path=doc.source)
    return report


def read_report(path: str | Path) -> Report:
    """Read one report file (text dump, HTML, DOCX, PDF, Markdown; chosen by content)."""
    from .readers import load_document

    try:
        doc = load_document(path)
    except InputError as e:
        if e.path is None:
            e.path = str(path)
        raise
    return report_from_document(doc)


def read_report_bytes(data: bytes, name: str) -> Report:
    """Same as :func:`read_report` for an upload held in memory."""
    from .readers import load_document_bytes

    try:
        doc = load_document_bytes(data, name)
    except InputError as e:
        if e.path is None:
            e.path = name
        raise
    return report_from_document(doc)
