"""审核意见 as Word documents: one memo per reporting agency, listing its confirmed findings.

Only findings a reviewer has 确认 go in (with the reviewer's note, if any); dismissed and
undecided ones stay out. Each memo names the report, then numbers the findings with where they
are, what is wrong, expected vs actual, and the basis, and ends with a line for the reviewing
office to sign.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..rules.base import SEVERITY_LABELS
from .detail import format_value
from .triage import Decision
from .uploads import safe_name
from .workspace import ReviewSession, Row

_CN_NUM = "一二三四五六七八九十"


def _cn_index(n: int) -> str:
    """1 → 一, 12 → 十二, 23 → 二十三 (findings per report stay well under 100)."""
    if n <= 10:
        return _CN_NUM[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_NUM[tens - 1]) + "十" + (_CN_NUM[ones - 1] if ones else "")


@dataclass(frozen=True)
class MemoResult:
    files: list[Path]
    skipped: list[str]  # reports without a confirmed finding (Chinese names)


def _groups(session: ReviewSession, decisions: dict[str, Decision]) -> dict[int, list[Row]]:
    out: dict[int, list[Row]] = {}
    for row in session.rows:
        d = decisions.get(row.fingerprint)
        if d is not None and d.status == "confirmed":
            out.setdefault(row.result, []).append(row)
    return out


def _set_fonts(doc, east_asian: str, size_pt: float) -> None:  # noqa: ANN001 - docx Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    normal = doc.styles["Normal"]
    normal.font.size = Pt(size_pt)
    rpr = normal.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)


def write_memo(session: ReviewSession, result: int, rows: Sequence[Row], decisions: dict[str, Decision], path: Path, *, reviewer: str = "", today: date | None = None) -> Path:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    res = session.results[result]
    r = res.report
    assert r is not None
    agency = r.agency or "（报送单位）"
    year = r.year or ""
    title = "《" + (r.title or f"{agency}{year}年政府信息公开工作年度报告") + "》"
    doc = Document()
    _set_fonts(doc, "仿宋_GB2312", 14)
    props = doc.core_properties
    props.title = f"关于{title}的审核意见"
    props.author = reviewer or "年报审核助手"

    head = doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = head.add_run(f"关于{title}的审核意见")
    run.bold = True
    run.font.size = Pt(18)
    doc.add_paragraph(f"{agency}：")
    intro = doc.add_paragraph(
        f"经审核，你单位报送的{title}存在以下 {len(rows)} 个问题，请对照《中华人民共和国政府信息公开条例》"
        "和国办公开办函〔2021〕30号规定的年度报告格式逐项核实修改，修改后重新报送。"
    )
    intro.paragraph_format.first_line_indent = Pt(28)
    for n, row in enumerate(rows, 1):
        f = row.finding
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(28)
        lead = p.add_run(f"{_cn_index(n)}、{f.location or '全文'}（{SEVERITY_LABELS[f.severity]}）。")
        lead.bold = True
        p.add_run(f.message)
        if f.expected is not None or f.actual is not None:
            p.add_run(f"（应为：{format_value(f.expected)}；实为：{format_value(f.actual)}）")
        basis = doc.add_paragraph(f"依据：{f.basis or '—'}")
        basis.paragraph_format.first_line_indent = Pt(28)
        d = decisions.get(row.fingerprint)
        if d is not None and d.note:
            note = doc.add_paragraph(f"审核意见：{d.note}")
            note.paragraph_format.first_line_indent = Pt(28)
    doc.add_paragraph()
    when = today or date.today()
    for line in ("审核单位：____________________", f"{when.year}年{when.month}月{when.day}日"):
        doc.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.save(str(path))
    return path


def write_memos(session: ReviewSession, decisions: dict[str, Decision], out_dir: Path, *, reviewer: str = "", today: date | None = None) -> MemoResult:
    """One ``审核意见_<单位>_<年度>.docx`` per report with at least one confirmed finding."""
    out_dir.mkdir(parents=True, exist_ok=True)
    groups = _groups(session, decisions)
    files: list[Path] = []
    skipped: list[str] = []
    for i, res in enumerate(session.results):
        if res.report is None:
            continue
        who = res.report.agency or re.sub(r"\.[^.]+$", "", Path(res.source).name)
        if i not in groups:
            skipped.append(who)
            continue
        name = safe_name(f"审核意见_{who}_{res.report.year or ''}.docx")
        path = out_dir / name
        n = 2
        while path.exists():
            path = out_dir / name.replace(".docx", f"（{n}）.docx")
            n += 1
        files.append(write_memo(session, i, groups[i], decisions, path, reviewer=reviewer, today=today))
    return MemoResult(files, skipped)


__all__ = ["MemoResult", "write_memo", "write_memos"]
