"""Review results as JSON, readable Chinese text, Markdown and an Excel workbook (a reviewer's batch view)."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path

from .report.cells import ALL_CELLS, cell_label
from .review import ReviewResult
from .rules.base import SEVERITY_LABELS
from .summary import FIGURE_KINDS, FIGURE_LABELS, FIGURES, BatchSummary, format_figure, summarize

_ICON = {"error": "✗", "warning": "!", "info": "·"}


def to_dict(results: Sequence[ReviewResult]) -> dict:
    """The ``--format json`` shape: ``{"reports": [...], "unreadable": [...], "summary": {...}}``."""
    reports, unreadable = [], []
    for res in results:
        if res.report is None:
            unreadable.append({"source": res.source, "message": str(res.error)})
            continue
        r = res.report
        reports.append(
            {
                "source": res.source,
                "agency": r.agency,
                "year": r.year,
                "agency_kind": r.agency_kind,
                "format_version": r.format_version,
                "form": r.form,
                "previous": res.previous_source,
                "cells": r.cell_values(),
                "cell_notes": {cid: c.to_dict() for cid, c in r.cells.items() if c.written != "number"},
                "sections": [
                    {"number": s.number, "title": s.title, "canonical": s.canonical} for s in r.sections
                ],
                "counts": res.counts(),
                "findings": [f.to_dict() for f in res.findings],
            }
        )
    return {"reports": reports, "unreadable": unreadable, "summary": summarize(results).to_dict()}


def to_json(results: Sequence[ReviewResult]) -> str:
    return json.dumps(to_dict(results), ensure_ascii=False, indent=2)


def _head(res: ReviewResult) -> str:
    r = res.report
    assert r is not None
    c = res.counts()
    who = f"{r.agency or '（未识别单位）'} {r.year or '（未识别年度）'}年"
    kind = f"，{r.agency_kind}" if r.agency_kind else ""
    prev = f"；对照上年报告：{res.previous_source}" if res.previous_source else ""
    return (
        f"{who}（{r.form}，{r.format_version}年格式{kind}{prev}）\n"
        f"  错误 {c['error']} 条，警告 {c['warning']} 条，提示 {c['info']} 条"
    )


def to_text(results: Sequence[ReviewResult]) -> str:
    out: list[str] = []
    for res in results:
        out.append(f"■ {res.source}")
        if res.report is None:
            out.append(f"  无法审核：{res.error}")
            out.append("")
            continue
        out.append("  " + _head(res))
        for f in res.findings:
            out.append(f"  {_ICON[f.severity]} [{SEVERITY_LABELS[f.severity]}] {f.rule}  {f.location or ''}".rstrip())
            out.append(f"    {f.message}")
            if f.quote:
                out.append(f"    原文：“{f.quote}”")
            if f.evidence:
                out.append(f"    表格佐证：{f.evidence}")
            out.append(f"    依据：{f.basis}")
        if not res.findings:
            out.append("  未发现问题。")
        out.append("")
    table = summary_text(summarize(results))
    if table:
        out += [table, ""]
    out.append(_summary(results))
    return "\n".join(out)


# the text table leaves out 新收/上年结转 (收到申请 is their sum) to stay readable in a terminal
_TEXT_FIGURES = tuple(k for k in FIGURES if k not in ("new", "carried_over"))
_TEXT_HEAD = {"received": "收到申请", "public_share": "予以公开", "withheld_share": "不予公开", "unable_share": "无法提供",
              "review": "复议", "review_corrected_share": "复议纠正", "suit": "诉讼", "suit_corrected_share": "诉讼纠正",
              "errors": "错误", "warnings": "警告", "infos": "提示"}  # fmt: skip


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, *, right: bool = False) -> str:
    gap = " " * max(0, width - _width(text))
    return gap + text if right else text + gap


def _clip(text: str, width: int) -> str:
    while _width(text) > width:
        text = text[:-2] + "…"
    return text


def summary_text(summary: BatchSummary) -> str:
    """The batch figures as a short aligned table (one line per report, then the median); "" for fewer than 2 reports."""
    if len(summary.rows) < 2:
        return ""
    name_w = 20  # display columns for the agency's name; the year is kept whole
    cells = [["单位（年度）", *(_TEXT_HEAD[k] for k in _TEXT_FIGURES)]]
    for row in summary.rows:
        who = _clip(row.agency or Path(row.source).name, name_w) + (f"（{row.year}）" if row.year else "")
        cells.append([who, *(format_figure(k, row.values.get(k)) + ("*" if k in row.outliers else "") for k in _TEXT_FIGURES)])
    cells.append(["本批中位数", *(format_figure(k, summary.median.get(k)) for k in _TEXT_FIGURES)])
    widths = [max(_width(line[i]) for line in cells) for i in range(len(cells[0]))]
    lines = ["本批汇总（占比为占三（七）总计或复议、诉讼总计的比例；“—”为未知或无分母；* 明显偏离本批中位数）："]
    for line in cells:
        lines.append("  " + "  ".join(_pad(c, widths[i], right=i > 0) for i, c in enumerate(line)))
    return "\n".join(lines)


def _summary(results: Sequence[ReviewResult]) -> str:
    n_err = sum(1 for r in results if r.has_errors)
    n_bad = sum(1 for r in results if r.error is not None)
    n_ok = len(results) - n_err - n_bad
    return f"共 {len(results)} 份：{n_ok} 份无错误，{n_err} 份有错误，{n_bad} 份无法读取。"


def _md_cell(text: object) -> str:
    return str(text if text is not None else "").replace("|", "\\|").replace("\n", " ")


def _with_evidence(f) -> str:
    return f.message + (f"（表格佐证：{f.evidence}）" if f.evidence else "")


def to_markdown(results: Sequence[ReviewResult]) -> str:
    out = ["# 审核意见", ""]
    for res in results:
        out.append(f"## {res.source}")
        out.append("")
        if res.report is None:
            out.append(f"无法审核：{res.error}")
            out.append("")
            continue
        out.append(_head(res).replace("\n  ", "  \n"))
        out.append("")
        if not res.findings:
            out.append("未发现问题。")
            out.append("")
            continue
        out.append("| 级别 | 规则 | 位置 | 问题 | 应为 | 实为 | 依据 |")
        out.append("|---|---|---|---|---|---|---|")
        for f in res.findings:
            out.append(
                "| "
                + " | ".join(
                    _md_cell(x)
                    for x in (SEVERITY_LABELS[f.severity], f.rule, f.location, _with_evidence(f), f.expected, f.actual, f.basis)
                )
                + " |"
            )
        out.append("")
    out.append(_summary(results))
    return "\n".join(out)


def write_xlsx(
    results: Sequence[ReviewResult],
    path: str | Path,
    triage: Callable[[int, int], tuple[str, str]] | None = None,
) -> None:
    """Sheet 审核意见 (one row per finding) and sheet 单元格 (one row per report, one column per cell).

    ``triage(result_index, finding_index) -> (处理, 备注)`` adds the reviewer's decision and note
    to each finding (the app passes the decisions it keeps)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "审核意见"
    head = ["文件", "单位", "年度", "级别", "规则", "位置", "涉及单元格", "问题", "应为", "实为", "依据", "表格佐证"]
    ws.append(head + (["处理", "备注"] if triage else []))
    fills = {"error": "FFC7CE", "warning": "FFEB9C", "info": "DDEBF7"}
    for ri, res in enumerate(results):
        r = res.report
        if r is None:
            ws.append([res.source, None, None, "无法读取", None, None, None, str(res.error), None, None, None])
            continue
        for fi, f in enumerate(res.findings):
            ws.append(
                [
                    res.source,
                    r.agency,
                    r.year,
                    SEVERITY_LABELS[f.severity],
                    f.rule,
                    f.location,
                    "、".join(f.cells[:12]) + (" 等" if len(f.cells) > 12 else ""),
                    f.message,
                    _xl(f.expected),
                    _xl(f.actual),
                    f.basis,
                    f.evidence,
                    *(triage(ri, fi) if triage else ()),
                ]
            )
            ws.cell(ws.max_row, 4).fill = PatternFill("solid", fgColor=fills[f.severity])
    for i, w in enumerate([28, 18, 6, 6, 14, 18, 24, 70, 10, 10, 40, 40, 8, 40], 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    for c in ws[1]:
        c.font = Font(bold=True)
    for row in ws.iter_rows(min_row=2):
        row[7].alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"

    cs = wb.create_sheet("单元格")
    cs.append(["文件", "单位", "年度", "格式", *ALL_CELLS])
    cs.append(["", "", "", "", *(cell_label(c) for c in ALL_CELLS)])
    for res in results:
        r = res.report
        if r is None:
            continue
        cs.append([res.source, r.agency, r.year, r.format_version, *(r.value(c) for c in ALL_CELLS)])
    cs.freeze_panes = "E3"
    _summary_sheet(wb, summarize(results))
    wb.save(path)


def _summary_sheet(wb, summary: BatchSummary) -> None:
    """Sheet 汇总: one row per report, the key figures (shares as percentages), outliers shaded, then the median."""
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet("汇总")
    ws.append(["文件", "单位", "年度", *(FIGURE_LABELS[k] for k in FIGURES), "明显偏离本批中位数"])
    shade = PatternFill("solid", fgColor="FFEB9C")
    for row in summary.rows:
        ws.append([row.source, row.agency, row.year, *(row.values.get(k) for k in FIGURES),
                   "、".join(FIGURE_LABELS[k] for k in row.outliers) or None])  # fmt: skip
        for k in row.outliers:
            ws.cell(ws.max_row, 4 + FIGURES.index(k)).fill = shade
    ws.append(["本批中位数", None, None, *(summary.median.get(k) for k in FIGURES), None])
    for c in ws[ws.max_row]:
        c.font = Font(bold=True)
    for i, k in enumerate(FIGURES, 4):
        if FIGURE_KINDS[k] == "share":
            for (c,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                c.number_format = "0.0%"
        ws.column_dimensions[get_column_letter(i)].width = 12
    for c in ws[1]:
        c.font = Font(bold=True)
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 18
    ws.column_dimensions[get_column_letter(len(FIGURES) + 4)].width = 30
    ws.freeze_panes = "D2"


def _xl(v: object) -> object:
    if v is None or isinstance(v, (int, float, str)):
        return v
    return json.dumps(v, ensure_ascii=False)
