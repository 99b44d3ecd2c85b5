"""The 200 canonical cells of the 2021 national format (our data contract).

Ids are flat, ``t<table>.<row>.<column>``, exactly as in the domain guide:
table 2 has 10 cells, table 3 has 25 rows x 7 columns = 175, table 4 has 3 groups x 5 = 15.
"""

from __future__ import annotations

from dataclasses import dataclass

T2_CELLS: tuple[str, ...] = (
    "t2.regulation.issued",
    "t2.regulation.repealed",
    "t2.regulation.in_force",
    "t2.normative_doc.issued",
    "t2.normative_doc.repealed",
    "t2.normative_doc.in_force",
    "t2.license.decisions",
    "t2.penalty.decisions",
    "t2.coercion.decisions",
    "t2.fee.amount",
)

T3_COLUMNS: tuple[str, ...] = (
    "natural",
    "commercial",
    "research",
    "public_interest",
    "legal_service",
    "other",
    "total",
)
T3_PARTS: tuple[str, ...] = T3_COLUMNS[:-1]  # the six columns that add up to 总计

T3_COLUMN_LABELS: dict[str, str] = {
    "natural": "自然人",
    "commercial": "商业企业",
    "research": "科研机构",
    "public_interest": "社会公益组织",
    "legal_service": "法律服务机构",
    "other": "其他",
    "total": "总计",
}


@dataclass(frozen=True)
class T3Row:
    key: str
    label: str  # the format's own label, shown in messages
    short: str  # how a reviewer names it: 三（三）4


T3_ROWS: tuple[T3Row, ...] = (
    T3Row("new", "一、本年新收政府信息公开申请数量", "一"),
    T3Row("carried_over", "二、上年结转政府信息公开申请数量", "二"),
    T3Row("public", "（一）予以公开", "三（一）"),
    T3Row("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "三（二）"),
    T3Row("withheld_1", "1.属于国家秘密", "三（三）1"),
    T3Row("withheld_2", "2.其他法律行政法规禁止公开", "三（三）2"),
    T3Row("withheld_3", "3.危及“三安全一稳定”", "三（三）3"),
    T3Row("withheld_4", "4.保护第三方合法权益", "三（三）4"),
    T3Row("withheld_5", "5.属于三类内部事务信息", "三（三）5"),
    T3Row("withheld_6", "6.属于四类过程性信息", "三（三）6"),
    T3Row("withheld_7", "7.属于行政执法案卷", "三（三）7"),
    T3Row("withheld_8", "8.属于行政查询事项", "三（三）8"),
    T3Row("unable_1", "1.本机关不掌握相关政府信息", "三（四）1"),
    T3Row("unable_2", "2.没有现成信息需要另行制作", "三（四）2"),
    T3Row("unable_3", "3.补正后申请内容仍不明确", "三（四）3"),
    T3Row("not_processed_1", "1.信访举报投诉类申请", "三（五）1"),
    T3Row("not_processed_2", "2.重复申请", "三（五）2"),
    T3Row("not_processed_3", "3.要求提供公开出版物", "三（五）3"),
    T3Row("not_processed_4", "4.无正当理由大量反复申请", "三（五）4"),
    T3Row("not_processed_5", "5.要求行政机关确认或重新出具已获取信息", "三（五）5"),
    T3Row(
        "other_1",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "三（六）1",
    ),
    T3Row(
        "other_2",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "三（六）2",
    ),
    T3Row("other_3", "3.其他", "三（六）3"),
    T3Row("result_total", "（七）总计", "三（七）"),
    T3Row("carry_forward", "四、结转下年度继续办理", "四"),
)
T3_ROW_KEYS: tuple[str, ...] = tuple(r.key for r in T3_ROWS)
T3_ROW_BY_KEY: dict[str, T3Row] = {r.key: r for r in T3_ROWS}
# rows that add up to （七）总计
T3_RESULT_PARTS: tuple[str, ...] = T3_ROW_KEYS[2:23]

T4_GROUPS: tuple[str, ...] = ("review", "suit_direct", "suit_after_review")
T4_GROUP_LABELS: dict[str, str] = {
    "review": "行政复议",
    "suit_direct": "行政诉讼（未经复议直接起诉）",
    "suit_after_review": "行政诉讼（复议后起诉）",
}
T4_COLUMNS: tuple[str, ...] = ("upheld", "corrected", "other", "pending", "total")
T4_COLUMN_LABELS: dict[str, str] = {
    "upheld": "结果维持",
    "corrected": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
    "total": "总计",
}

T2_LABELS: dict[str, str] = {
    "t2.regulation.issued": "规章 本年制发件数",
    "t2.regulation.repealed": "规章 本年废止件数",
    "t2.regulation.in_force": "规章 现行有效件数",
    "t2.normative_doc.issued": "行政规范性文件 本年制发件数",
    "t2.normative_doc.repealed": "行政规范性文件 本年废止件数",
    "t2.normative_doc.in_force": "行政规范性文件 现行有效件数",
    "t2.license.decisions": "行政许可 本年处理决定数量",
    "t2.penalty.decisions": "行政处罚 本年处理决定数量",
    "t2.coercion.decisions": "行政强制 本年处理决定数量",
    "t2.fee.amount": "行政事业性收费 本年收费金额（万元）",
}

T3_CELLS: tuple[str, ...] = tuple(f"t3.{r}.{c}" for r in T3_ROW_KEYS for c in T3_COLUMNS)
T4_CELLS: tuple[str, ...] = tuple(f"t4.{g}.{c}" for g in T4_GROUPS for c in T4_COLUMNS)
ALL_CELLS: tuple[str, ...] = T2_CELLS + T3_CELLS + T4_CELLS
assert len(ALL_CELLS) == 200, len(ALL_CELLS)

DECIMAL_CELLS: frozenset[str] = frozenset({"t2.fee.amount"})


def t3(row: str, col: str) -> str:
    return f"t3.{row}.{col}"


def t4(group: str, col: str) -> str:
    return f"t4.{group}.{col}"


def cell_label(cell_id: str) -> str:
    """A Chinese name a reviewer recognises, e.g. ``表三 三（三）4 商业企业``."""
    parts = cell_id.split(".")
    if parts[0] == "t2":
        return "表二 " + T2_LABELS.get(cell_id, cell_id)
    if parts[0] == "t3" and len(parts) == 3 and parts[1] in T3_ROW_BY_KEY:
        return f"表三 {T3_ROW_BY_KEY[parts[1]].short} {T3_COLUMN_LABELS.get(parts[2], parts[2])}"
    if parts[0] == "t4" and len(parts) == 3:
        return f"表四 {T4_GROUP_LABELS.get(parts[1], parts[1])} {T4_COLUMN_LABELS.get(parts[2], parts[2])}"
    return cell_id
