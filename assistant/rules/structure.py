"""Required structure: the six sections (present, in order, titled per format) and the three tables."""

from __future__ import annotations

from collections.abc import Iterator

from ..report.cells import ALL_CELLS
from ..report.meta import FORMAT_TITLES
from ..report.values import norm_label
from .base import CheckContext, Finding, Rule

BASIS_STRUCT = "《政府信息公开条例》第五十条；国办公开办函〔2021〕30号《中华人民共和国政府信息公开工作年度报告格式》"
_TABLES = {
    "t2": ("表二", "二、主动公开政府信息情况"),
    "t3": ("表三", "三、收到和处理政府信息公开申请情况"),
    "t4": ("表四", "四、政府信息公开行政复议、行政诉讼情况"),
}


class RequiredTable(Rule):
    id = "REQ-TABLE"
    group = "required"
    severity = "error"
    title = "表二、表三、表四必须以表格形式给出（缺表或以文字代替表格都不行）"
    basis = BASIS_STRUCT
    bad_example = "四、政府信息公开行政复议、行政诉讼情况\n本年度未发生行政复议、行政诉讼。（没有表四）"
    good_example = "四、政府信息公开行政复议、行政诉讼情况\n（按格式列出表四，各项填0）"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        r = ctx.report
        for t, (name, section) in _TABLES.items():
            if r.tables_found.get(t):
                continue
            sec = r.section({"t2": "二", "t3": "三", "t4": "四"}[t])
            how = "该部分只有文字，没有表格" if sec is not None and sec.text.strip() else "未找到该表"
            yield self.finding(
                f"{name}缺失：{how}，其单元格全部记为未知。请在“{section}”下按2021年格式列出{name}，没有发生的事项填0。",
                cells=tuple(c for c in ALL_CELLS if c.startswith(t + ".")),
                expected=f"{name}（格式表格）",
                actual=how,
                location=section,
            )


class RequiredSections(Rule):
    id = "REQ-SECTION"
    group = "required"
    severity = "warning"
    title = "六个部分齐全、顺序正确、标题符合格式"
    basis = BASIS_STRUCT
    bad_example = "五、存在的主要问题及整改措施（标题与格式不符）；或缺少“六、其他需要报告的事项”"
    good_example = "五、存在的主要问题及改进情况\n六、其他需要报告的事项"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        r = ctx.report
        found = [s for s in r.sections if s.canonical]
        for num, title in FORMAT_TITLES.items():
            sec = r.section(num)
            if sec is None:
                yield self.finding(
                    f"缺少“{num}、{title}”部分（未找到该标题）。请按格式补充该部分，标题写作“{num}、{title}”。",
                    expected=f"{num}、{title}",
                    actual=None,
                    location=f"{num}、{title}",
                )
            elif norm_label(sec.title.split("、", 1)[-1].split(".", 1)[-1]) != norm_label(title) or sec.number != num:
                yield self.finding(
                    f"标题“{sec.title}”与格式不符，应为“{num}、{title}”。",
                    expected=f"{num}、{title}",
                    actual=sec.title,
                    location=sec.title,
                )
        order = [s.canonical for s in found]
        if order != sorted(order, key=list(FORMAT_TITLES).index):
            yield self.finding(
                f"各部分顺序与格式不一致：实际为 {'、'.join(order)}，应为 一、二、三、四、五、六。请调整顺序。",
                expected="一、二、三、四、五、六",
                actual="、".join(order),
                location="全文",
            )
