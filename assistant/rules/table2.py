"""Table 2 (主动公开政府信息情况)."""

from __future__ import annotations

from collections.abc import Iterator

from .base import CheckContext, Finding, Rule, fmt_num
from .table3 import check_counts

BASIS_T2 = "国办公开办函〔2021〕30号《中华人民共和国政府信息公开工作年度报告格式》表二；《政府信息公开条例》第二十条"


class T2Integer(Rule):
    id = "T2-INT"
    group = "table2"
    severity = "error"
    title = "表二的件数（制发、废止、现行有效、处理决定数量）都是非负整数"
    basis = BASIS_T2
    bad_example = "行政规范性文件 现行有效件数 -3；行政处罚 本年处理决定数量 12.5"
    good_example = "行政规范性文件 现行有效件数 25；行政处罚 本年处理决定数量 12"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        yield from check_counts(self, ctx, "t2.")


class T2Fee(Rule):
    id = "T2-FEE"
    group = "table2"
    severity = "error"
    title = "表二 行政事业性收费 本年收费金额（万元）是非负数，可以有小数"
    basis = BASIS_T2 + "第（八）项"
    bad_example = "行政事业性收费 本年收费金额（单位：万元）-0.5"
    good_example = "行政事业性收费 本年收费金额（单位：万元）1.35"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        v = ctx.report.value("t2.fee.amount")
        if v is not None and v < 0:
            yield self.finding(
                f"表二 行政事业性收费 本年收费金额为 {fmt_num(v)} 万元：金额不能为负数。请填写实际收费金额（万元），未收费填0。",
                cells=("t2.fee.amount",),
                expected="≥0",
                actual=v,
                location="表二 第二十条第（八）项",
            )
