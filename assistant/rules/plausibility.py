"""Plausibility: numbers that are possible arithmetically but unlikely for the agency (reviewer's eye)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..report.cells import t3
from ..report.model import Report
from .base import CheckContext, Finding, Rule, fmt_num

BASIS_T2 = "国办公开办函〔2021〕30号《中华人民共和国政府信息公开工作年度报告格式》表二"

def level(r: Report) -> str | None:
    """province | city | county | township | None — the level of the agency (or of its government)."""
    a = (r.agency or "").strip()
    if not a:
        return None
    if r.agency_kind in ("乡镇", "街道") or re.search(r"(镇|乡|街道)(人民政府|政府|办事处)?$", a):
        return "township"
    head = re.sub(r"(人民政府|政府)$", "", a) if r.agency_kind == "人民政府" else a
    m = re.match(r"^(.*?(?:自治区|省|自治州|市|州|盟|自治县|县|旗|区))", head)
    place = m.group(1) if m else ""
    if re.search(r"(县|旗|区)$", place) and not re.search(r"(实验区|开发区|新区|自治区)$", place):
        return "county"
    if re.search(r"(省|自治区)$", place):
        return "province"
    if re.search(r"(市|州|盟)$", place):
        return "city"
    return None


class PlausibleRegulation(Rule):
    id = "PLAUS-REGULATION"
    group = "plausibility"
    severity = "warning"
    title = "县级、乡镇（街道）人民政府及其部门一般无权制定规章，表二“规章 本年制发”应为0"
    basis = "《中华人民共和国立法法》（部门规章由国务院部门制定，地方政府规章由省、自治区、直辖市和设区的市、自治州人民政府制定）；" + BASIS_T2
    bad_example = "青禾县交通运输局：表二 规章 本年制发件数 2"
    good_example = "青禾县交通运输局：表二 规章 本年制发件数 0（本年制发的文件计入“行政规范性文件”）"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        r = ctx.report
        issued = r.value("t2.regulation.issued")
        lv = level(r)
        if not issued or lv not in ("county", "township"):
            return
        who = {"county": "县级", "township": "乡镇（街道）"}[lv]
        yield self.finding(
            f"表二“规章 本年制发件数”为{fmt_num(issued)}，但{r.agency}属于{who}机关，无权制定规章"
            "（只有国务院部门和省、设区的市人民政府可以制定规章）。请核对：本年制发的文件应计入“行政规范性文件”，规章一行填0。",
            cells=("t2.regulation.issued",),
            expected=0,
            actual=issued,
            location="表二 第二十条第（一）项 规章",
        )


_COUNT_UNIT = re.compile(r"(件|项|个|次|笔|宗|张)\s*$")


class PlausibleFeeCount(Rule):
    id = "PLAUS-FEE-COUNT"
    group = "plausibility"
    severity = "warning"
    title = "表二“行政事业性收费 本年收费金额”应填金额（万元），不应填件数"
    basis = BASIS_T2 + "第二十条第（八）项（单位：万元）"
    bad_example = "第二十条第（八）项 行政事业性收费 本年收费金额（单位：万元）12件"
    good_example = "第二十条第（八）项 行政事业性收费 本年收费金额（单位：万元）3.46"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        cell = ctx.report.cells.get("t2.fee.amount")
        if cell is None or cell.value is None or cell.source is None:
            return
        raw = (cell.source.raw or "").strip()
        if _COUNT_UNIT.search(raw):
            yield self.finding(
                f"表二“行政事业性收费 本年收费金额（单位：万元）”写为“{raw}”，是件数而不是金额。"
                "请填写本年收费金额（以万元为单位，可保留小数）；没有收费的填0。",
                cells=("t2.fee.amount",),
                expected="金额（万元）",
                actual=raw,
                location="表二 第二十条第（八）项 行政事业性收费",
            )


class PlausibleSecret(Rule):
    id = "PLAUS-SECRET"
    group = "plausibility"
    severity = "info"
    title = "县级、乡镇（街道）机关以“属于国家秘密”不予公开的情形较少见，请确认分类"
    basis = "《政府信息公开条例》第十四条；国办公开办函〔2021〕30号 表三（三）1"
    bad_example = "白沙镇人民政府：表三 三（三）1 属于国家秘密 总计 3"
    good_example = "白沙镇人民政府：表三 三（三）1 属于国家秘密 总计 0（涉及个人隐私的计入（三）4 保护第三方合法权益）"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        r = ctx.report
        n = r.value(t3("withheld_1", "total"))
        lv = level(r)
        if not n or lv not in ("county", "township"):
            return
        who = {"county": "县级", "township": "乡镇（街道）"}[lv]
        yield self.finding(
            f"表三“三（三）1 属于国家秘密”为{fmt_num(n)}件，{who}机关较少掌握国家秘密。"
            "请确认这些申请确属国家秘密（有定密依据）；若是个人隐私、商业秘密或内部事务，应分别计入（三）4、（三）5 等项。",
            cells=(t3("withheld_1", "total"),),
            expected=0,
            actual=n,
            location="表三 三（三）1",
        )
