"""Cross-year checks against last year's report of the same agency (``--previous`` or found in the batch)."""

from __future__ import annotations

from collections.abc import Iterator

from ..report.cells import T3_COLUMN_LABELS, T3_COLUMNS, t3
from ..report.model import Report
from .base import CheckContext, Finding, Rule, fmt_num

BASIS_XY = "国办公开办函〔2021〕30号《中华人民共和国政府信息公开工作年度报告格式》表三、表二；《政府信息公开条例》第五十条"


def _comparable(ctx: CheckContext) -> Report | None:
    """Last year's report when it is really last year's (years unknown count as comparable)."""
    prev = ctx.previous
    if prev is None:
        return None
    if prev.year is not None and ctx.report.year is not None and prev.year != ctx.report.year - 1:
        return None
    return prev


def _year_of(r: Report, fallback: str) -> str:
    return f"{r.year}年度报告" if r.year is not None else fallback


class CrossYearCarry(Rule):
    id = "XY-CARRY"
    group = "cross_year"
    severity = "error"
    title = "表三“二、上年结转”本年数 = 上一年度报告“四、结转下年度继续办理”（7列逐列相等）"
    basis = BASIS_XY + "（表三第二项与上年度第四项衔接）"
    bad_example = "2023年度报告 四、结转下年度继续办理 总计 3；2024年度报告 二、上年结转政府信息公开申请数量 总计 1"
    good_example = "2023年度报告 四、结转下年度继续办理 总计 3；2024年度报告 二、上年结转政府信息公开申请数量 总计 3"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        prev = _comparable(ctx)
        if prev is None:
            return
        r = ctx.report
        for col in T3_COLUMNS:
            now, before = r.value(t3("carried_over", col)), prev.value(t3("carry_forward", col))
            if now is None or before is None or now == before:
                continue
            yield self.finding(
                f"表三“二、上年结转政府信息公开申请数量”“{T3_COLUMN_LABELS[col]}”列为{fmt_num(now)}，"
                f"但{_year_of(prev, '上一年度报告')}“四、结转下年度继续办理”同列为{fmt_num(before)}：两者应相等。"
                f"请核对，如上年结转确为{fmt_num(before)}件，请改为{fmt_num(before)}并相应调整办理结果。",
                cells=(t3("carried_over", col),),
                expected=before,
                actual=now,
                location="表三 二、上年结转政府信息公开申请数量",
            )


_IN_FORCE_ROWS = (("regulation", "规章"), ("normative_doc", "行政规范性文件"))


class CrossYearInForce(Rule):
    id = "XY-INFORCE"
    group = "cross_year"
    severity = "warning"
    title = "表二 现行有效件数 = 上一年度现行有效件数 + 本年制发 − 本年废止（规章、行政规范性文件）"
    basis = "国办公开办函〔2021〕30号《中华人民共和国政府信息公开工作年度报告格式》表二；《政府信息公开条例》第二十条第（一）项"
    bad_example = "2023年 行政规范性文件 现行有效 40；2024年 制发 5、废止 2、现行有效 30（应为 43）"
    good_example = "2023年 行政规范性文件 现行有效 40；2024年 制发 5、废止 2、现行有效 43"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        prev = _comparable(ctx)
        if prev is None:
            return
        r = ctx.report
        for row, label in _IN_FORCE_ROWS:
            ids = [f"t2.{row}.{c}" for c in ("issued", "repealed", "in_force")]
            issued, repealed, in_force = (r.value(i) for i in ids)
            before = prev.value(f"t2.{row}.in_force")
            if None in (issued, repealed, in_force, before):
                continue
            expected = before + issued - repealed
            if expected == in_force:
                continue
            yield self.finding(
                f"表二“{label} 现行有效件数”为{fmt_num(in_force)}，但按{_year_of(prev, '上一年度报告')}现行有效"
                f"{fmt_num(before)}件 + 本年制发{fmt_num(issued)}件 − 本年废止{fmt_num(repealed)}件，应为{fmt_num(expected)}件。"
                "请核对现行有效件数；如有文件因有效期届满等原因失效，请在报告中说明。",
                cells=(ids[2], ids[0], ids[1]),
                expected=expected,
                actual=in_force,
                location=f"表二 {label}",
            )


class CrossYearYear(Rule):
    id = "XY-YEAR"
    group = "cross_year"
    severity = "warning"
    title = "用于跨年度核对的上一年度报告，年度应为本报告年度减一，且为同一机关"
    basis = BASIS_XY
    bad_example = "本报告为2024年度，作为“上一年度”提供的报告却是2022年度报告"
    good_example = "本报告为2024年度，上一年度报告为同一机关的2023年度报告"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        prev, r = ctx.previous, ctx.report
        if prev is None:
            return
        if prev.year is not None and r.year is not None and prev.year != r.year - 1:
            yield self.finding(
                f"本报告为{r.year}年度，提供的上一年度报告却是{prev.year}年度：跨年度核对（上年结转、现行有效）已跳过。"
                f"请提供{r.year - 1}年度报告，或核对两份报告标题中的年度是否写错。",
                expected=r.year - 1,
                actual=prev.year,
                location="标题",
            )
        if prev.agency and r.agency and _core(prev.agency) != _core(r.agency):
            yield self.finding(
                f"上一年度报告的机关为“{prev.agency}”，与本报告“{r.agency}”不同：跨年度核对可能没有意义。"
                "请确认提供的是同一机关的上一年度报告。",
                expected=r.agency,
                actual=prev.agency,
                location="标题",
                severity="info",
            )


def _core(agency: str) -> str:
    return agency.replace("人民政府", "").replace("政府", "").strip()
