"""The three tables of the 2021 format as span grids, shared by every renderer.

A table is a list of rows; a row lists its *origin* cells (as in HTML: cells covered by an
earlier rowspan are not listed). ``layout()`` places them on the full grid. Header texts may
contain ``"\\n"`` where published tables break a header over two lines (``商业\\n企业``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..report.cells import T3_COLUMNS, T3_ROW_BY_KEY, T4_COLUMNS, T4_GROUPS, t3, t4

if TYPE_CHECKING:
    from .synth_model import SynthReport


@dataclass(frozen=True)
class GCell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    cell_id: str | None = None  # set for value cells

    @property
    def is_value(self) -> bool:
        return self.cell_id is not None


Grid = list[list[GCell]]

T3_GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    "withheld": ("（三）不予公开", tuple(f"withheld_{i}" for i in range(1, 9))),
    "unable": ("（四）无法提供", ("unable_1", "unable_2", "unable_3")),
    "not_processed": ("（五）不予处理", tuple(f"not_processed_{i}" for i in range(1, 6))),
    "other": ("（六）其他处理", ("other_1", "other_2", "other_3")),
}


def fmt_number(v: int | float | None) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return repr(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    return str(v)


def cell_text(r: SynthReport, cell_id: str) -> str:
    """The cell as printed: number, ``""`` (blank or not printed) or ``"—"``."""
    v = r.cells.get(cell_id)
    if v is None or cell_id in r.blank:
        return ""
    if cell_id in r.dash:
        return "—"
    return fmt_number(v)


def _row_printed(r: SynthReport, ids: list[str]) -> bool:
    return any(r.cells.get(cid) is not None for cid in ids)


def _v(cid: str, colspan: int = 1) -> GCell:
    return GCell("", colspan=colspan, cell_id=cid)


def t2_grid(r: SynthReport) -> Grid:
    rows: Grid = []
    blocks = [
        ("第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"],
         [("规章", "regulation"), ("行政规范性文件", "normative_doc")], ("issued", "repealed", "in_force")),
        ("第二十条第（五）项", ["本年处理决定数量"], [("行政许可", "license")], ("decisions",)),
        ("第二十条第（六）项", ["本年处理决定数量"], [("行政处罚", "penalty"), ("行政强制", "coercion")], ("decisions",)),
        ("第二十条第（八）项", ["本年收费金额（单位：万元）"], [("行政事业性收费", "fee")], ("amount",)),
    ]  # fmt: skip
    for head, cols, items, keys in blocks:
        rows.append([GCell(head, colspan=4)])
        span = 3 // len(cols)  # single-value blocks: the value spans the three columns
        rows.append([GCell("信息内容")] + [GCell(c, colspan=span) for c in cols])
        for label, key in items:
            ids = [f"t2.{key}.{k}" for k in keys]
            if _row_printed(r, ids):
                rows.append([GCell(label)] + [_v(cid, span) for cid in ids])
    return rows


def t3_grid(r: SynthReport) -> Grid:
    label = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    rows: Grid = [
        [GCell(label, rowspan=3, colspan=3), GCell("申请人情况", colspan=7)],
        [GCell("自然人", rowspan=2), GCell("法人或其他组织", colspan=5), GCell("总计", rowspan=2)],
        [GCell("商业\n企业"), GCell("科研\n机构"), GCell("社会公益组织"), GCell("法律服务机构"), GCell("其他")],
    ]

    def values(key: str) -> list[GCell]:
        return [_v(t3(key, c)) for c in T3_COLUMNS]

    def printed(key: str) -> bool:
        return _row_printed(r, [t3(key, c) for c in T3_COLUMNS])

    for key in ("new", "carried_over"):
        if printed(key):
            rows.append([GCell(T3_ROW_BY_KEY[key].label, colspan=3)] + values(key))
    result: Grid = []
    for key in ("public", "partial"):
        if printed(key):
            result.append([GCell(T3_ROW_BY_KEY[key].label, colspan=2)] + values(key))
    for head, keys in T3_GROUPS.values():
        sub = [k for k in keys if printed(k)]
        for i, key in enumerate(sub):
            lead = [GCell(head, rowspan=len(sub))] if i == 0 else []
            result.append(lead + [GCell(T3_ROW_BY_KEY[key].label)] + values(key))
    if printed("result_total"):
        result.append([GCell("（七）总计", colspan=2)] + values("result_total"))
    if result:
        result[0] = [GCell("三、本年度办理结果", rowspan=len(result))] + result[0]
    rows += result
    if printed("carry_forward"):
        rows.append([GCell(T3_ROW_BY_KEY["carry_forward"].label, colspan=3)] + values("carry_forward"))
    return rows


T4_HEAD_1 = {"upheld": "结果维持", "corrected": "结果\n纠正", "other": "其他\n结果", "pending": "尚未\n审结", "total": "总计"}
T4_HEAD_2 = {"upheld": "结果\n维持", "corrected": "结果\n纠正", "other": "其他\n结果", "pending": "尚未\n审结", "total": "总计"}


def t4_grid(r: SynthReport) -> Grid:
    return [
        [GCell("行政复议", colspan=5), GCell("行政诉讼", colspan=10)],
        [GCell(T4_HEAD_1[c], rowspan=2) for c in T4_COLUMNS]
        + [GCell("未经复议直接起诉", colspan=5), GCell("复议后起诉", colspan=5)],
        [GCell(T4_HEAD_2[c]) for c in T4_COLUMNS] * 2,
        [_v(t4(g, c)) for g in T4_GROUPS for c in T4_COLUMNS],
    ]


GRIDS = {"t2": t2_grid, "t3": t3_grid, "t4": t4_grid}
NCOLS = {"t2": 4, "t3": 10, "t4": 15}


def text_of(r: SynthReport, g: GCell) -> str:
    return cell_text(r, g.cell_id) if g.cell_id is not None else g.text


@dataclass(frozen=True)
class Placed:
    cell: GCell
    row: int
    col: int


def layout(grid: Grid) -> tuple[list[list[Placed | None]], list[list[Placed]]]:
    """Place origin cells on the full grid.

    Returns ``(positions, covers)``: ``positions[r][c]`` is the Placed origin whose area covers
    (r, c) (the origin itself at its own corner); ``covers[r]`` lists, in column order, the
    distinct cells from earlier rows that reach down into row r (rowspan coverage).
    """
    ncols = max(sum(c.colspan for c in row) for row in grid[:1] or [[]])
    pos: list[list[Placed | None]] = [[None] * ncols for _ in grid]
    for ri, row in enumerate(grid):
        ci = 0
        for cell in row:
            while ci < ncols and pos[ri][ci] is not None:
                ci += 1
            p = Placed(cell, ri, ci)
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    pos[ri + dr][ci + dc] = p
            ci += cell.colspan
    covers: list[list[Placed]] = []
    for ri in range(len(grid)):
        seen: list[Placed] = []
        for ci in range(ncols):
            p = pos[ri][ci]
            if p is not None and p.row < ri and p not in seen:
                seen.append(p)
        covers.append(seen)
    return pos, covers


def prose(r: SynthReport, table: str) -> str:
    """A table written as sentences (what some reports do instead of the table)."""
    n = lambda cid: fmt_number(r.cells.get(cid) or 0)  # noqa: E731
    if table == "t2":
        return (
            f"本年度制发规章{n('t2.regulation.issued')}件、废止{n('t2.regulation.repealed')}件，现行有效规章"
            f"{n('t2.regulation.in_force')}件；制发行政规范性文件{n('t2.normative_doc.issued')}件、废止"
            f"{n('t2.normative_doc.repealed')}件，现行有效{n('t2.normative_doc.in_force')}件。行政许可处理决定"
            f"{n('t2.license.decisions')}件，行政处罚处理决定{n('t2.penalty.decisions')}件，行政强制处理决定"
            f"{n('t2.coercion.decisions')}件，行政事业性收费{n('t2.fee.amount')}万元。"
        )
    if table == "t3":
        return (
            f"本年新收政府信息公开申请{n('t3.new.total')}件，上年结转{n('t3.carried_over.total')}件；"
            f"予以公开{n('t3.public.total')}件，部分公开{n('t3.partial.total')}件，共办结"
            f"{n('t3.result_total.total')}件，结转下年度继续办理{n('t3.carry_forward.total')}件。"
        )
    parts = []
    for g in T4_GROUPS:
        name = {"review": "行政复议", "suit_direct": "未经复议直接起诉的行政诉讼", "suit_after_review": "复议后起诉的行政诉讼"}[g]
        parts.append(
            f"{name}{n(t4(g, 'total'))}件（结果维持{n(t4(g, 'upheld'))}件、结果纠正{n(t4(g, 'corrected'))}件、"
            f"其他结果{n(t4(g, 'other'))}件、尚未审结{n(t4(g, 'pending'))}件）"
        )
    return "本年度发生" + "，".join(parts) + "。"
