"""Facts about one report, computed from its parsed cells: what ask and draft give the model as data.

Every fact names the cells it comes from, so a number in an answer or a draft can be traced back
to a cell or to a figure computed from cells (a share of 予以公开, a sum of rows). Unknown cells
(``None``) make the fact unknown; it is listed as 未读出 and never counted as 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..report.cells import T3_PARTS, t3, t4
from ..report.model import Number, Report
from ..rules.base import SEVERITY_LABELS, Finding, fmt_num
from ..summary import sum_known

_GROUPS = {
    "withheld": tuple(f"withheld_{i}" for i in range(1, 9)),
    "unable": ("unable_1", "unable_2", "unable_3"),
    "not_processed": tuple(f"not_processed_{i}" for i in range(1, 6)),
    "other_result": ("other_1", "other_2", "other_3"),
}


@dataclass(frozen=True)
class Fact:
    key: str
    label: str  # Chinese: what it is
    value: Number | None  # None = a cell it needs could not be read
    unit: str  # 件 | % | 万元
    cells: tuple[str, ...]
    how: str = ""  # Chinese: where it comes from (表三“一”总计; 予以公开÷办结总数)
    words: str = ""  # how people ask about it (收到申请, 受理), for matching questions offline

    def line(self) -> str:
        v = "未读出" if self.value is None else f"{fmt_num(self.value)}{self.unit}"
        how = f"（{self.how}）" if self.how else ""
        return f"- {self.label}：{v}{how}"


_WORDS = {  # staff wording of the main figures (matching only; never shown)
    "new": "今年收到多少申请 受理申请 新收申请数量 申请量",
    "received": "收到申请总数 需要办理的申请 申请量",
    "result_total": "办结多少 办理完成 答复了多少 已办结",
    "carry_forward": "结转下年 未办结 没办完 还在办理 明年接着办 下一年继续",
    "carried_over": "上年结转 去年转过来",
    "public_share": "公开率 公开比例",
    "fee_amount": "收费金额 收了多少钱",
    "fee_unpaid": "信息处理费 收费通知 不缴费",
    "suit_total": "被起诉 打官司 行政诉讼多少",
    "corrected_total": "被纠正 纠错 败诉",
    "review_total": "行政复议多少 被申请复议",
}


def _row_total(r: Report, row: str) -> Number | None:
    return r.value_or_sum(t3(row, "total"))


def _share(part: Number | None, whole: Number | None) -> float | None:
    """A percentage with one decimal (as reports write it); None when unknown or nothing to divide by."""
    if part is None or not whole:
        return None
    return round(100.0 * part / whole, 1)


def report_facts(report: Report) -> list[Fact]:
    """The figures a reader asks about, in the order of the report's tables."""
    r = report
    out: list[Fact] = []

    def add(key: str, label: str, value: Number | None, cells: Sequence[str], how: str = "", unit: str = "件") -> None:
        out.append(Fact(key, label, value, unit, tuple(cells), how, _WORDS.get(key, "")))

    # 表二
    t2 = (
        ("regulation", "规章"),
        ("normative_doc", "行政规范性文件"),
    )
    for row, name in t2:
        for col, what in (("issued", "本年制发"), ("repealed", "本年废止"), ("in_force", "现行有效")):
            cid = f"t2.{row}.{col}"
            add(f"{row}_{col}", f"{name}{what}", r.value(cid), (cid,), "表二")
    for row, name in (("license", "行政许可"), ("penalty", "行政处罚"), ("coercion", "行政强制")):
        cid = f"t2.{row}.decisions"
        add(f"{row}_decisions", f"{name}本年处理决定", r.value(cid), (cid,), "表二")
    add("fee_amount", "行政事业性收费本年收费金额", r.value("t2.fee.amount"), ("t2.fee.amount",), "表二", unit="万元")

    # 表三
    new, carried = _row_total(r, "new"), _row_total(r, "carried_over")
    add("new", "本年新收政府信息公开申请", new, (t3("new", "total"),), "表三 一 总计")
    natural = r.value(t3("new", "natural"))
    legal_ids = tuple(t3("new", c) for c in T3_PARTS[1:])
    add("new_natural", "其中自然人提出", natural, (t3("new", "natural"),), "表三 一 自然人")
    add("new_legal", "其中法人或其他组织提出", sum_known([r.value(c) for c in legal_ids]), legal_ids, "表三 一 法人或其他组织五列之和")
    add("carried_over", "上年结转政府信息公开申请", carried, (t3("carried_over", "total"),), "表三 二 总计")
    received = sum_known([new, carried])
    add("received", "本年需办理的申请（新收+上年结转）", received, (t3("new", "total"), t3("carried_over", "total")), "表三 一+二")
    done = _row_total(r, "result_total")
    add("result_total", "本年度办理结果总计（办结）", done, (t3("result_total", "total"),), "表三 三（七）总计")
    rows = {
        "public": ("予以公开", ("public",), "三（一）总计"),
        "partial": ("部分公开", ("partial",), "三（二）总计"),
        "withheld": ("不予公开", _GROUPS["withheld"], "三（三）1–8 总计之和"),
        "unable": ("无法提供", _GROUPS["unable"], "三（四）1–3 总计之和"),
        "not_processed": ("不予处理", _GROUPS["not_processed"], "三（五）1–5 总计之和"),
        "other_result": ("其他处理", _GROUPS["other_result"], "三（六）1–3 总计之和"),
    }
    for key, (name, rws, where) in rows.items():
        value = sum_known([_row_total(r, x) for x in rws])
        cells = tuple(t3(x, "total") for x in rws)
        add(key, name, value, cells, f"表三 {where}")
        add(f"{key}_share", f"{name}占办结总数的比例", _share(value, done), cells + (t3("result_total", "total"),), f"{name}÷办结总数", unit="%")
    fee_unpaid = _row_total(r, "other_2")
    add("fee_unpaid", "申请人逾期未按收费通知缴费、不再处理的申请", fee_unpaid, (t3("other_2", "total"),), "表三 三（六）2 总计")
    add("carry_forward", "结转下年度继续办理", _row_total(r, "carry_forward"), (t3("carry_forward", "total"),), "表三 四 总计")

    # 表四
    names = {"review": "政府信息公开行政复议", "suit_direct": "未经复议直接提起的行政诉讼", "suit_after_review": "复议后提起的行政诉讼"}
    for g, name in names.items():
        for col, what in (("total", "总计"), ("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结")):
            cid = t4(g, col)
            add(f"{g}_{col}", f"{name}{what}", r.value(cid), (cid,), "表四")
    suit_ids = (t4("suit_direct", "total"), t4("suit_after_review", "total"))
    suit = sum_known([r.value(c) for c in suit_ids])
    add("suit_total", "政府信息公开行政诉讼合计", suit, suit_ids, "表四 直接起诉+复议后起诉")
    corr_ids = tuple(t4(g, "corrected") for g in names)
    add("corrected_total", "行政复议、行政诉讼结果纠正合计", sum_known([r.value(c) for c in corr_ids]), corr_ids, "表四 三组“结果纠正”之和")
    add(
        "review_corrected_share",
        "行政复议结果纠正占复议总数的比例",
        _share(r.value(t4("review", "corrected")), r.value(t4("review", "total"))),
        (t4("review", "corrected"), t4("review", "total")),
        "结果纠正÷复议总计",
        unit="%",
    )
    return out


def facts_text(report: Report, facts: Sequence[Fact] | None = None) -> str:
    """The facts as the model sees them: a heading line, then one ``- 名称：值（来源）`` line each."""
    facts = report_facts(report) if facts is None else facts
    head = f"报告：{report.agency or '（未读出机关名称）'} {report.year or '（未读出年度）'}年度政府信息公开工作年度报告"
    return "\n".join([head, *(f.line() for f in facts)])


def findings_text(findings: Sequence[Finding], limit: int = 20) -> str:
    """Review findings as numbered lines (errors first), for the model and for offline drafts."""
    if not findings:
        return "（审核未发现问题）"
    lines = [f"{i}. [{SEVERITY_LABELS[f.severity]}] {f.rule}：{f.message}" for i, f in enumerate(findings[:limit], 1)]
    if len(findings) > limit:
        lines.append(f"……另有 {len(findings) - limit} 条")
    return "\n".join(lines)
