"""Table 3 (收到和处理政府信息公开申请情况): the identities that must hold exactly."""

from __future__ import annotations

from collections.abc import Iterator

from ..report.cells import T3_COLUMN_LABELS, T3_COLUMNS, T3_PARTS, T3_RESULT_PARTS, T3_ROW_BY_KEY, T3_ROWS, t3
from .base import CheckContext, Finding, Rule, fmt_num

BASIS_T3 = "国办公开办函〔2021〕30号《中华人民共和国政府信息公开工作年度报告格式》表三；《政府信息公开条例》第五十条第（二）项"


# the cell ids each identity reads, built once (the rules run on every report of a batch)
_ROW_IDS = tuple((row, t3(row.key, "total"), tuple(t3(row.key, c) for c in T3_PARTS)) for row in T3_ROWS)
_COLUMN_IDS = tuple((col, t3("result_total", col), tuple(t3(k, col) for k in T3_RESULT_PARTS)) for col in T3_COLUMNS)
_BALANCE_IDS = tuple((col, tuple(t3(k, col) for k in ("new", "carried_over", "result_total", "carry_forward"))) for col in T3_COLUMNS)


def _num_sum(values: list) -> int | float:
    total = sum(values)
    return round(total, 6) if isinstance(total, float) else total


class T3Row(Rule):
    id = "T3-ROW"
    group = "table3"
    severity = "error"
    title = "表三每一行：总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他"
    basis = BASIS_T3
    bad_example = "一、本年新收政府信息公开申请数量：自然人 5，商业企业 2，其余 0，总计 8（5+2=7，不是 8）"
    good_example = "一、本年新收政府信息公开申请数量：自然人 5，商业企业 2，其余 0，总计 7"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        r = ctx.report
        for row, total_id, part_ids in _ROW_IDS:
            parts = [r.value(i) for i in part_ids]
            total = r.value(total_id)
            if total is None or any(v is None for v in parts):
                continue
            expected = _num_sum(parts)
            if expected != total:
                shown = "+".join(fmt_num(v) for v in parts)
                yield self.finding(
                    f"表三“{row.short} {row.label}”一行：总计应为各类申请人之和 {shown}={fmt_num(expected)}，"
                    f"表中总计为{fmt_num(total)}。请核对该行各列，使总计等于各列之和。",
                    cells=(total_id, *part_ids),
                    expected=expected,
                    actual=total,
                    location=f"表三 {row.short}",
                )


class T3Total(Rule):
    id = "T3-TOTAL"
    group = "table3"
    severity = "error"
    title = "表三每一列：（七）总计 = （一）+（二）+（三）1–8 +（四）1–3 +（五）1–5 +（六）1–3"
    basis = BASIS_T3
    bad_example = "自然人列：予以公开 3，无法提供1 2，其余 0；（七）总计 0（应为 5）"
    good_example = "自然人列：予以公开 3，无法提供1 2，其余 0；（七）总计 5"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        r = ctx.report
        for col, total_id, part_ids in _COLUMN_IDS:
            parts = [r.value(i) for i in part_ids]
            total = r.value(total_id)
            if total is None or any(v is None for v in parts):
                continue
            expected = _num_sum(parts)
            if expected != total:
                nonzero = [
                    f"{T3_ROW_BY_KEY[k].short}={fmt_num(v)}" for k, v in zip(T3_RESULT_PARTS, parts) if v
                ]
                detail = "、".join(nonzero) if nonzero else "各项均为0"
                yield self.finding(
                    f"表三“{T3_COLUMN_LABELS[col]}”列：（七）总计应为各办理结果之和 {fmt_num(expected)}（{detail}），"
                    f"表中为{fmt_num(total)}。请核对该列的办理结果或总计。",
                    cells=(total_id, *part_ids),
                    expected=expected,
                    actual=total,
                    location="表三 三（七）总计",
                )


class T3Balance(Rule):
    id = "T3-BALANCE"
    group = "table3"
    severity = "error"
    title = "表三每一列：一（本年新收）+ 二（上年结转）= 三（七）总计 + 四（结转下年度继续办理）"
    basis = BASIS_T3 + "（表内注明“第一项加第二项之和，等于第三项加第四项之和”）"
    bad_example = "总计列：本年新收 10，上年结转 2，办理结果总计 9，结转下年度 1（10+2=12 ≠ 9+1=10）"
    good_example = "总计列：本年新收 10，上年结转 2，办理结果总计 9，结转下年度 3"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        r = ctx.report
        for col, ids in _BALANCE_IDS:
            new, carried, done, forward = (r.value(i) for i in ids)
            if None in (new, carried, done, forward):
                continue
            left, right = new + carried, done + forward
            if left != right:
                yield self.finding(
                    f"表三“{T3_COLUMN_LABELS[col]}”列不平衡：一（本年新收{fmt_num(new)}）+ 二（上年结转{fmt_num(carried)}）"
                    f"= {fmt_num(left)}，而三（七）总计{fmt_num(done)} + 四（结转下年度{fmt_num(forward)}）= {fmt_num(right)}。"
                    "请核对这四项，使收到的申请都有办理结果或结转下年度。",
                    cells=tuple(ids),
                    expected=left,
                    actual=right,
                    location="表三 一、二、三（七）、四",
                )


class T3Integer(Rule):
    id = "T3-INT"
    group = "table3"
    severity = "error"
    title = "表三所有单元格都是非负整数（件数）"
    basis = BASIS_T3
    bad_example = "（二）部分公开 自然人 1.5；或 四、结转下年度继续办理 总计 -2"
    good_example = "（二）部分公开 自然人 2；结转下年度继续办理 总计 0"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        yield from check_counts(self, ctx, "t3.")


def check_counts(rule: Rule, ctx: CheckContext, prefix: str) -> Iterator[Finding]:
    """Shared by the count rules of tables 2, 3 and 4: every value a non-negative integer."""
    from ..report.cells import DECIMAL_CELLS, cell_label

    for cid, cell in ctx.report.cells.items():
        v = cell.value
        if v is None or (type(v) is int and v >= 0):  # the usual cell: nothing to say, whatever its table
            continue
        if not cid.startswith(prefix) or cid in DECIMAL_CELLS:
            continue
        if isinstance(v, float) and not v.is_integer():
            yield rule.finding(
                f"{cell_label(cid)} 写为 {fmt_num(v)}：件数必须是整数。请填写实际件数。",
                cells=(cid,),
                expected="非负整数",
                actual=v,
                location=cell_label(cid),
            )
        elif v < 0:
            yield rule.finding(
                f"{cell_label(cid)} 写为 {fmt_num(v)}：件数不能为负数。请填写实际件数（没有则填0）。",
                cells=(cid,),
                expected="非负整数",
                actual=v,
                location=cell_label(cid),
            )
