"""Required content: 工作考核、社会评议和责任追究 (governments), 信息处理费 in 六, the five topics of 一.

(Sections present/in order/titled and tables present are ``REQ-SECTION``/``REQ-TABLE`` in structure.py.)
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..report.cells import T2_LABELS, t3
from ..report.model import Report
from ._numbers import normalise
from ._text import narrative_text, sentences, short
from .base import CheckContext, Finding, Rule, fmt_num

BASIS_FORMAT = "国办公开办函〔2021〕30号《中华人民共和国政府信息公开工作年度报告格式》"

_ASSESS_PARTS = (
    ("工作考核", re.compile(r"考核|考评|绩效")),
    ("社会评议", re.compile(r"评议|社会评价|满意度|满意率|好差评|问卷")),
    ("责任追究", re.compile(r"责任追究|追究责任|追责|问责|被追究")),
)


class RequiredAssessment(Rule):
    id = "REQ-ASSESS"
    group = "required"
    severity = "warning"
    title = "人民政府（含乡镇、街道）的报告须写明工作考核、社会评议和责任追究结果情况"
    basis = "《政府信息公开条例》第五十条、第四十六条；" + BASIS_FORMAT + "（一、总体情况 监督保障）"
    bad_example = "（五）监督保障。调整充实政务公开领导小组，全年组织培训3次。（未提考核、评议、追究）"
    good_example = (
        "（五）监督保障。……工作考核、社会评议和责任追究结果情况：将政务公开纳入年度绩效考核，"
        "通过“好差评”开展社会评议，评价良好；全年未发生责任追究情况。"
    )

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        r = ctx.report
        if not r.is_government or not r.sections:
            return
        text = normalise(narrative_text(r))
        missing = [name for name, pat in _ASSESS_PARTS if not pat.search(text)]
        if not missing:
            return
        yield self.finding(
            f"本报告为人民政府报告，但全文未见{'、'.join(missing)}的结果情况。"
            "请在“一、总体情况”的监督保障部分写明“工作考核、社会评议和责任追究结果情况”"
            "（如：纳入绩效考核情况、社会评议结果、是否发生责任追究），没有发生的也应写明。",
            expected="工作考核、社会评议和责任追究结果情况",
            actual="未提及" + "、".join(missing),
            location="一、总体情况",
        )


_FEE_WORDS = re.compile(r"处理费|收费|收取|缴费|费用")
_NONE_CHARGED = re.compile(
    r"(未|没有|无|不|免)[^，。；]{0,10}?(收取|收费|产生|发生|征收|发出|计收)[^，。；]{0,12}?费|"
    r"(未|没有|无|不|免)[^，。；]{0,4}?(收取|收)[^，。；]{0,12}?处理费|"
    r"(未|没有|无)(发生|产生)?[^，。；]{0,6}?收费|零收费|均为免费|免费提供"
)
_UNPAID = re.compile(r"(逾期)?(未|没有)(按|按照)?[^，。；]{0,8}?(缴纳|缴费|交纳|支付)[^，。；]{0,4}")


def _fee_text(r: Report) -> tuple[str | None, str]:
    """(text of 六 or None, location) — 六 is where the format asks for 信息处理费."""
    sec = r.section("六")
    if sec is None:
        return None, "六、其他需要报告的事项"
    return sec.text, sec.title


def _without_signature(text: str, r: Report) -> str:
    """The section's text without the agency/date lines that close a report."""
    lines = [normalise(ln).strip() for ln in text.splitlines()]
    keep = [
        ln
        for ln in lines
        if ln and ln != (r.agency or "") and not re.fullmatch(r"(19|20)\d\d年\d{1,2}月\d{1,2}日", ln)
    ]
    return "".join(keep)


def fee_notice_evidence(r: Report) -> tuple[str, int | float] | None:
    """(Chinese statement, count) when table 3 shows fee notices were issued: 三（六）2 > 0."""
    unpaid = r.value_or_sum(t3("other_2", "total"))
    if not unpaid:
        return None
    return (
        f"表三“三（六）2 申请人逾期未按收费通知要求缴纳费用”为{fmt_num(unpaid)}件，即本年度向申请人发出过收费通知",
        unpaid,
    )


class RequiredFee(Rule):
    id = "REQ-FEE"
    group = "required"
    severity = "warning"
    title = (
        "“六、其他需要报告的事项”须报告信息处理费的收取情况（发出收费通知、通知收取和实际收取金额，未收取也要写明）；"
        "表三（六）2 大于0时可以确定发出过收费通知"
    )
    basis = "《政府信息公开条例》第四十二条；《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）；" + BASIS_FORMAT
    bad_example = "六、其他需要报告的事项\n无。"
    good_example = "六、其他需要报告的事项\n本年度未向申请人发出收费通知，未收取信息处理费。"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        r = ctx.report
        if not r.sections:
            return
        text, where = _fee_text(r)
        if text is not None and _FEE_WORDS.search(text):
            return
        if text is None and "处理费" in narrative_text(r):
            return
        body = _without_signature(text or "", r)
        said = f"该部分仅写“{short(body, 30)}”" if body else "该部分没有内容"
        if text is None:
            said = "报告没有该部分，全文也未提及信息处理费"
        evidence = fee_notice_evidence(r)
        if evidence is None:
            yield self.finding(
                f"“六、其他需要报告的事项”未报告信息处理费情况（{said}）。请写明本年度发出收费通知的件数、"
                "通知收取和实际收取的信息处理费金额；未收取的，写明“本年度未收取信息处理费”。",
                expected="信息处理费收取情况",
                actual=short(body, 30) or None,
                location=where,
            )
            return
        yield self.finding(
            f"“六、其他需要报告的事项”未报告信息处理费情况（{said}），而{evidence[0]}，"
            "这部分内容确定遗漏。请写明本年度发出收费通知的件数、通知收取和实际收取的信息处理费金额，"
            f"以及因逾期未缴费不再处理的{fmt_num(evidence[1])}件申请。",
            cells=(t3("other_2", "total"),),
            expected="信息处理费收取情况（发出过收费通知）",
            actual=short(body, 30) or None,
            location=where,
            evidence=evidence[0],
            certain=True,
        )


class RequiredFeeConflict(Rule):
    id = "REQ-FEE-CONFLICT"
    group = "required"
    severity = "warning"
    title = "六称未收取信息处理费（未发出收费通知），表三（六）2“逾期未按收费通知要求缴纳费用”却大于0"
    basis = "《政府信息公开条例》第四十二条；" + BASIS_FORMAT + "表三（六）2"
    bad_example = "六、其他需要报告的事项：本年度未收取信息处理费。（表三 三（六）2 总计 2）"
    good_example = "六：本年度发出收费通知3件，通知收取信息处理费600元，实际收取200元；2件因逾期未缴费不再处理。（表三 三（六）2 总计 2）"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        r = ctx.report
        evidence = fee_notice_evidence(r)
        if evidence is None:
            return
        unpaid = evidence[1]
        text, where = _fee_text(r)
        if not text:
            return
        for s in sentences(text):
            if _NONE_CHARGED.search(_UNPAID.sub("", s)):
                yield self.finding(
                    f"{where}称“{short(s)}”，但表三“三（六）2 申请人逾期未按收费通知要求缴纳费用”为{fmt_num(unpaid)}件，"
                    "说明本年度发出过收费通知。请如实写明发出收费通知件数、通知收取和实际收取的金额，或核对表三该项。",
                    cells=(t3("other_2", "total"),),
                    expected="发出过收费通知（表三（六）2 > 0）",
                    actual=s,
                    location=where,
                    quote=s,
                    evidence=evidence[0],
                    certain=True,
                )
                return


_TOPICS = (
    ("主动公开", re.compile(r"主动公开|公开(政府)?信息\d|发布(各类)?(政府|政务)?信息|信息发布")),
    ("依申请公开", re.compile(r"依申请|公开申请|申请公开|信息公开申请")),
    ("政府信息管理", re.compile(r"信息管理|公开属性|保密审查|发布审核|审核|清理|公开指南|公开目录|有效性")),
    ("政府信息公开平台建设", re.compile(r"平台|网站|专栏|新媒体|公众号|查阅点|查阅场所|专区")),
    ("监督保障", re.compile(r"监督|考核|培训|领导小组|责任追究|工作机制|组织保障|制度保障|队伍建设")),
)


class RequiredTopics(Rule):
    id = "REQ-TOPICS"
    group = "required"
    severity = "info"
    title = "“一、总体情况”应覆盖主动公开、依申请公开、政府信息管理、平台建设、监督保障五个方面（表二、表三有数字而未写的，确定遗漏）"
    basis = BASIS_FORMAT + "（一、总体情况）；《政府信息公开条例》第五十条"
    bad_example = "一、总体情况\n全年发布政务信息700余篇，在公示栏张贴政策明白卡。（未涉及依申请公开、信息管理、监督保障）"
    good_example = "一、总体情况\n（一）主动公开……（二）依申请公开……（三）政府信息管理……（四）平台建设……（五）监督保障……"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        r = ctx.report
        sec = r.section("一")
        if sec is None or not sec.text.strip():
            return
        # reports that give each topic its own (off-format) section cover them there
        extra = [f"{s.title}\n{s.text}" for s in r.sections if s.canonical is None]
        text = normalise("\n".join([sec.text, *extra]))
        missing = [name for name, pat in _TOPICS if not pat.search(text)]
        if not missing:
            return
        shown = [(topic, ev) for topic in missing if (ev := _topic_evidence(r, topic)) is not None]
        evidence = "；".join(f"{ev[0]}，本年度有{topic}工作可写" for topic, ev in shown)
        yield self.finding(
            f"“{sec.title}”未涉及{'、'.join(missing)}方面的内容。请按格式在总体情况中分别概述主动公开、依申请公开、"
            "政府信息管理、政府信息公开平台建设、监督保障五个方面的工作。"
            + (f"其中{evidence}，这部分内容确定遗漏。" if shown else ""),
            cells=tuple(c for _t, ev in shown for c in ev[1]),
            expected="主动公开、依申请公开、政府信息管理、平台建设、监督保障",
            actual="缺少" + "、".join(missing),
            location=sec.title,
            evidence=evidence or None,
            certain=bool(shown),
        )


_T2_ACTIVE = ("t2.regulation.issued", "t2.normative_doc.issued", "t2.license.decisions", "t2.penalty.decisions", "t2.coercion.decisions")


def _topic_evidence(r: Report, topic: str) -> tuple[str, tuple[str, ...]] | None:
    """What the tables show of a topic the overview leaves out: (Chinese statement, cells), or None."""
    if topic == "依申请公开":
        ids = (t3("new", "total"), t3("carried_over", "total"))
        new, carried = (r.value_or_sum(c) for c in ids)
        if new or carried:
            return f"表三“一、本年新收”{fmt_num(new)}件、“二、上年结转”{fmt_num(carried)}件", ids
    if topic == "主动公开":
        shown = [(c, v) for c in _T2_ACTIVE if (v := r.value(c))]
        if shown:
            return "表二" + "、".join(f"“{T2_LABELS[c]}”为{fmt_num(v)}" for c, v in shown), tuple(c for c, _v in shown)
    return None
