"""Table 4 (政府信息公开行政复议、行政诉讼情况)."""

from __future__ import annotations

from collections.abc import Iterator

from ..report.cells import T4_COLUMNS, T4_GROUP_LABELS, T4_GROUPS, t4
from .base import CheckContext, Finding, Rule, fmt_num
from .table3 import check_counts

BASIS_T4 = "国办公开办函〔2021〕30号《中华人民共和国政府信息公开工作年度报告格式》表四；《政府信息公开条例》第五十条第（三）项"


class T4Sum(Rule):
    id = "T4-SUM"
    group = "table4"
    severity = "error"
    title = "表四每组（行政复议、未经复议直接起诉、复议后起诉）：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结"
    basis = BASIS_T4
    bad_example = "行政复议：结果维持 2，结果纠正 1，其他结果 0，尚未审结 1，总计 3（应为 4）"
    good_example = "行政复议：结果维持 2，结果纠正 1，其他结果 0，尚未审结 1，总计 4"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        r = ctx.report
        for g in T4_GROUPS:
            parts = [r.value(t4(g, c)) for c in T4_COLUMNS[:-1]]
            total = r.value(t4(g, "total"))
            if total is None or any(v is None for v in parts):
                continue
            expected = sum(parts)
            if expected != total:
                shown = "+".join(fmt_num(v) for v in parts)
                yield self.finding(
                    f"表四“{T4_GROUP_LABELS[g]}”：总计应为 维持+纠正+其他+尚未审结 = {shown} = {fmt_num(expected)}，"
                    f"表中为{fmt_num(total)}。请核对该组各项或总计。",
                    cells=(t4(g, "total"),) + tuple(t4(g, c) for c in T4_COLUMNS[:-1]),
                    expected=expected,
                    actual=total,
                    location=f"表四 {T4_GROUP_LABELS[g]}",
                )


class T4Integer(Rule):
    id = "T4-INT"
    group = "table4"
    severity = "error"
    title = "表四所有单元格都是非负整数（件数）"
    basis = BASIS_T4
    bad_example = "行政诉讼（复议后起诉）结果维持 -1"
    good_example = "行政诉讼（复议后起诉）结果维持 1"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        yield from check_counts(self, ctx, "t4.")
