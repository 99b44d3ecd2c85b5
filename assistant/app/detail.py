"""One finding shown in context (HTML): the table row(s) of its cells with those cells marked, or
its sentence among its neighbours, with expected vs actual, the basis and the decision.

Everything that comes from a report is escaped: uploaded files are untrusted.
"""

from __future__ import annotations

import json
import re
from html import escape
from typing import Any

from ..report.cells import (
    T2_LABELS,
    T3_COLUMN_LABELS,
    T3_COLUMNS,
    T3_ROW_BY_KEY,
    T4_COLUMN_LABELS,
    T4_COLUMNS,
    T4_GROUP_LABELS,
    cell_label,
)
from ..report.model import Report
from ..rules._numbers import normalise
from ..rules._text import sentences
from ..rules.base import SEVERITY_LABELS, fmt_num
from .triage import STATUS_LABELS, Decision
from .workspace import ReviewSession, Row

_MAX_ROWS = 8
_ENUM = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.)")
_SEV_CLASS = {"error": "sev-error", "warning": "sev-warning", "info": "sev-info"}


def format_value(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, (int, float)):
        return fmt_num(v)
    if isinstance(v, str):
        return v
    return json.dumps(v, ensure_ascii=False)


def _rule_title(rule_id: str) -> str:
    from ..rules.registry import get_rule

    try:
        return get_rule(rule_id).title
    except KeyError:
        return ""


def _cell_text(report: Report, cid: str) -> str:
    c = report.cells.get(cid)
    if c is None or c.value is None:
        return "未知"
    v = fmt_num(c.value)
    return v if c.written == "number" else f"{v}（原文{'空白' if c.written == 'blank' else '“' + (c.source.raw if c.source else '') + '”'}，按 0 计）"


def _grid(title: str, cols: tuple[str, ...], labels: dict[str, str], rows: list[tuple[str, str]], report: Report, marked: set[str]) -> str:
    """rows: (row label, cell id prefix)."""
    head = "".join(f"<th>{escape(labels[c])}</th>" for c in cols)
    body = []
    for label, prefix in rows:
        tds = []
        for c in cols:
            cid = f"{prefix}.{c}"
            cls = ' class="hit"' if cid in marked else ""
            tds.append(f"<td{cls}>{escape(_cell_text(report, cid))}</td>")
        body.append(f"<tr><th class='rowhead'>{escape(label)}</th>{''.join(tds)}</tr>")
    return f"<div class='ctx-title'>{escape(title)}</div><table class='ctx'><tr><th></th>{head}</tr>{''.join(body)}</table>"


def cells_context(report: Report, cells: tuple[str, ...]) -> str:
    """The rows of tables 三/四 holding these cells (all columns, these marked); table 二 cells as a list."""
    marked = set(cells)
    out: list[str] = []
    t3_rows = list(dict.fromkeys(c.split(".")[1] for c in cells if c.startswith("t3.") and c.split(".")[1] in T3_ROW_BY_KEY))
    if t3_rows:
        shown = t3_rows[:_MAX_ROWS]
        rows = [(f"{T3_ROW_BY_KEY[k].short} {_ENUM.sub('', T3_ROW_BY_KEY[k].label)}", f"t3.{k}") for k in shown]
        out.append(_grid("表三 收到和处理政府信息公开申请情况", T3_COLUMNS, T3_COLUMN_LABELS, rows, report, marked))
        if len(t3_rows) > len(shown):
            out.append(f"<div class='muted'>另有 {len(t3_rows) - len(shown)} 行未列出。</div>")
    t4_groups = list(dict.fromkeys(c.split(".")[1] for c in cells if c.startswith("t4.") and c.split(".")[1] in T4_GROUP_LABELS))
    if t4_groups:
        rows = [(T4_GROUP_LABELS[g], f"t4.{g}") for g in t4_groups]
        out.append(_grid("表四 行政复议、行政诉讼情况", T4_COLUMNS, T4_COLUMN_LABELS, rows, report, marked))
    t2 = [c for c in cells if c in T2_LABELS]
    if t2:
        items = "".join(f"<li class='hit-item'>{escape(cell_label(c))}：{escape(_cell_text(report, c))}</li>" for c in t2)
        out.append(f"<div class='ctx-title'>表二 主动公开政府信息情况</div><ul>{items}</ul>")
    where = []
    for cid in cells[:6]:
        c = report.cells.get(cid)
        if c is not None and c.source is not None:
            raw = f"，原文“{c.source.raw}”" if c.source.raw else ""
            note = f"（{c.source.inferred}）" if c.source.inferred else ""
            where.append(f"{cell_label(cid)}：{c.source.describe()}{raw}{note}")
    if where:
        out.append("<div class='muted'>在文件中的位置：" + escape("；".join(where)) + "</div>")
    return "".join(out)


def sentence_context(report: Report, quote: str, location: str | None) -> str:
    """The quoted sentence with the one before and after, in its section."""
    want = normalise(quote)
    sections = sorted(report.sections, key=lambda s: s.title != location)  # its own section first
    for sec in sections:
        sents = sentences(sec.text)
        for i, s in enumerate(sents):
            if want and (want in s or s in want) and len(s) >= min(len(want), 6):
                before = escape("".join(sents[max(0, i - 1) : i]))
                after = escape("".join(sents[i + 1 : i + 2]))
                return (
                    f"<div class='ctx-title'>{escape(sec.title)}</div>"
                    f"<p class='ctx-text'>{before}<mark>{escape(s)}</mark>{after}</p>"
                )
    return f"<div class='ctx-title'>原文</div><p class='ctx-text'><mark>{escape(quote)}</mark></p>"


def section_context(report: Report, location: str | None, limit: int = 260) -> str:
    if not location:
        return ""
    for sec in report.sections:
        if sec.title == location or (sec.canonical and location.startswith(sec.canonical + "、")):
            text = " ".join(sec.text.split())
            body = escape(text[:limit] + ("…" if len(text) > limit else "")) or "（该部分没有正文）"
            return f"<div class='ctx-title'>{escape(sec.title)}</div><p class='ctx-text'>{body}</p>"
    return ""


def detail_html(session: ReviewSession, key: int | None, decision: Decision | None) -> str:
    """The finding numbered ``key`` in context; a hint when nothing is chosen."""
    row: Row | None = session.row(key)
    if row is None:
        return "<div class='detail muted'>在上面的表格中点一条问题，这里显示它在报告中的位置和依据。</div>"
    f = row.finding
    res = session.results[row.result]
    report = res.report
    assert report is not None
    title = _rule_title(f.rule)
    parts = [
        f"<div class='detail'><div class='detail-head'><span class='badge {_SEV_CLASS[f.severity]}'>{SEVERITY_LABELS[f.severity]}</span>"
        f" <b>#{row.key} {escape(f.rule)}</b> {escape(title)}</div>",
        f"<div class='muted'>{escape(row.name)} · {escape(row.agency or '（未识别单位）')} {escape(str(row.year or ''))}年"
        + (f" · 位置：{escape(f.location)}" if f.location else "")
        + (f" · 对照上年：{escape(res.previous_source)}" if res.previous_source else "")
        + "</div>",
        f"<p class='msg'>{escape(f.message)}</p>",
    ]
    if f.expected is not None or f.actual is not None:
        parts.append(
            "<table class='ea'><tr><th>应为</th><th>实为</th></tr>"
            f"<tr><td>{escape(format_value(f.expected))}</td><td>{escape(format_value(f.actual))}</td></tr></table>"
        )
    ctx = ""
    if f.quote:
        ctx += sentence_context(report, f.quote, f.location)
    if f.cells:
        ctx += cells_context(report, f.cells)
    if not ctx:
        ctx = section_context(report, f.location)
    if ctx:
        parts.append(f"<div class='ctx-box'>{ctx}</div>")
    parts.append(f"<div class='basis'><b>依据</b>：{escape(f.basis or '—')}</div>")
    status = STATUS_LABELS[decision.status if decision else None]
    who = f"（{escape(decision.updated_by)} {escape(decision.updated_at)}）" if decision and decision.updated_at else ""
    note = f"；备注：{escape(decision.note)}" if decision and decision.note else ""
    parts.append(f"<div class='triage'>处理：<b>{status}</b>{who}{note}</div></div>")
    return "".join(parts)


__all__ = ["cells_context", "detail_html", "format_value", "section_context", "sentence_context"]
