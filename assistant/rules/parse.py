"""What the parser could not read with certainty: unknown, inferred and assumed cells; format version."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from ..report.cells import ALL_CELLS, T3_PARTS, cell_label
from ..report.model import FORMAT_2019
from .base import CheckContext, Finding, Rule, fmt_num

BASIS_FORMAT = "国办公开办函〔2021〕30号《中华人民共和国政府信息公开工作年度报告格式》"


def _row_of(cid: str) -> str:
    return cid.rsplit(".", 1)[0]


class ParseUnknown(Rule):
    id = "PARSE-UNKNOWN"
    group = "parse"
    severity = "warning"
    title = "表格中读不出的单元格记为未知（null），不猜测为0"
    basis = BASIS_FORMAT + "（表格各项均应填报）"
    bad_example = "| 四、结转下年度继续办理 | 1 | 0 | 0 | 0 | 0 | 0 |  |  ← 总计一格为空且无法确定"
    good_example = "| 四、结转下年度继续办理 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        r = ctx.report
        lacking = {cid for i in r.issues if i.kind in ("old_layout",) for cid in i.cells}
        reasons = {cid: i.message for i in r.issues if i.kind in ("row_shape", "cell_unknown") for cid in i.cells}
        rows: dict[str, list[str]] = defaultdict(list)
        for cid in ALL_CELLS:
            if r.value(cid) is not None:
                continue
            table = cid.split(".")[0]
            if r.tables_found.get(table) and cid not in lacking:
                if r.format_version == FORMAT_2019 and table == "t2":
                    continue
                rows[_row_of(cid)].append(cid)
        for row, cids in rows.items():
            hint = ""
            if row.startswith("t3.") and cids == [f"{row}.total"]:
                parts = [r.value(f"{row}.{c}") for c in T3_PARTS]
                if None not in parts:
                    hint = f"按行恒等式，总计应为 {fmt_num(sum(parts))}。"
            names = "、".join(cell_label(c) for c in cids[:7])
            why = next((reasons[c] for c in cids if c in reasons), "")
            why = f"（{why}）" if why else ""
            yield self.finding(
                f"未能读出 {names}{' 等' if len(cids) > 7 else ''}（共{len(cids)}格），记为未知，相关核对已跳过{why}。{hint}"
                "请对照原件核实该处数字；如原件确有遗漏，请补填。",
                cells=tuple(cids),
                expected="数字",
                actual=None,
                location=cell_label(cids[0]),
            )


class ParseInferred(Rule):
    id = "PARSE-INFERRED"
    group = "parse"
    severity = "info"
    title = "行名丢失的表三数据行按前后行位置推定（请人工确认）"
    basis = BASIS_FORMAT
    bad_example = "| 1.属于国家秘密 | 0 |…|\n| 0 | 0 | 0 | 0 | 0 | 0 | 0 |   ← 没有行名\n| 3.危及“三安全一稳定” | 0 |…|"
    good_example = "| 2.其他法律行政法规禁止公开 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        for issue in ctx.report.issues:
            if issue.kind == "row_inferred":
                yield self.finding(issue.message + "。请对照原件确认。", cells=issue.cells, location="表三")
            elif issue.kind == "row_unplaced":
                yield self.finding(issue.message + "。请对照原件核实。", location="表三", severity="warning")


class ParseText(Rule):
    id = "PARSE-TEXT"
    group = "parse"
    severity = "warning"
    title = "表格单元格应填数字，不应填文字"
    basis = BASIS_FORMAT
    bad_example = "行政处罚 本年处理决定数量：若干"
    good_example = "行政处罚 本年处理决定数量：12"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        for issue in ctx.report.issues:
            if issue.kind == "cell_text":
                cid = issue.cells[0]
                yield self.finding(
                    f"{cell_label(cid)} 写的是“{issue.detail.get('raw', '')}”，不是数字，记为未知。请填写具体数字（没有则填0）。",
                    cells=issue.cells,
                    expected="数字",
                    actual=issue.detail.get("raw"),
                    location=cell_label(cid),
                )


class ParseAssumed(Rule):
    id = "PARSE-ASSUMED"
    group = "parse"
    severity = "info"
    title = "空白、“—”、“/”、“无”的单元格按0处理（已注明）"
    basis = BASIS_FORMAT
    bad_example = "法人或其他组织各列留空，或填“—”"
    good_example = "没有发生的情形填 0"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        assumed = [c for c in ALL_CELLS if ctx.report.cells[c].assumed]
        if assumed:
            kinds = sorted({ctx.report.cells[c].written for c in assumed})
            words = {"blank": "空白", "dash": "“—”或“/”", "none": "“无”"}
            yield self.finding(
                f"有{len(assumed)}个单元格写为{'、'.join(words[k] for k in kinds)}，已按0处理"
                f"（如 {cell_label(assumed[0])}）。建议没有发生的情形一律填0，避免歧义。",
                cells=tuple(assumed),
                expected=0,
                actual="空白/—/无",
                location=cell_label(assumed[0]),
            )


class FormatVersion(Rule):
    id = "FMT-VERSION"
    group = "parse"
    severity = "warning"
    title = "报告应使用2021年格式（国办公开办函〔2021〕30号），不应沿用2019年试行格式"
    basis = "国办公开办函〔2021〕30号（取代国办公开办函〔2019〕60号试行格式）"
    bad_example = "表二列名为“本年新制作数量 / 本年新公开数量 / 对外公开总数量”，并有第二十条第（九）项 政府集中采购"
    good_example = "表二列名为“本年制发件数 / 本年废止件数 / 现行有效件数”"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        r = ctx.report
        for issue in r.issues:
            if issue.kind == "format_2019":
                cells = tuple(c for c in ALL_CELLS if c.startswith("t2.") and r.value(c) is None)
                yield self.finding(
                    issue.message + "。请按2021年格式重新填报表二。",
                    cells=cells,
                    expected="2021年格式",
                    actual="2019年试行格式",
                    location="表二",
                )
            elif issue.kind == "old_layout":
                yield self.finding(
                    issue.message + "。请按2021年格式将（六）其他处理分列1—3项。",
                    cells=issue.cells,
                    expected="（六）分1—3项",
                    actual="（六）一行",
                    location="表三 三（六）",
                )
