"""离线模式 drafts: sections 五 and 一 written from the report's cells, findings and last year's 五.

What only the agency knows (what it did about last year's problems, its platforms, its
assessments) is left as a marked gap 【请补充：……】 rather than invented. Every number comes from
:func:`~assistant.llm.facts.report_facts`, so the guard has nothing to flag in a template draft.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..report.model import Report
from ..rules.base import fmt_num
from .facts import Fact

_ORDINALS = "一二三四五六七八九十"
_PROBLEM_WORDS = re.compile(r"问题|不足|短板|差距|有待|不够|不到位|不及时|不规范|薄弱")


def _v(facts: dict[str, Fact], key: str) -> float | int | None:
    f = facts.get(key)
    return None if f is None else f.value


def _n(facts: dict[str, Fact], key: str) -> str:
    f = facts[key]
    return fmt_num(f.value)


_PROBLEM_BLOCK = re.compile(r"(?:存在的(?:主要)?问题|主要问题|问题和不足|不足之处)(?:及(?:改进|整改)(?:情况|措施))?[：:]?")
_BLOCK_END = re.compile(r"改进情况|改进措施|整改情况|整改措施|下一步|下步|今后|针对上")
_ITEM_SPLIT = re.compile(r"(?=[一二三四五六七八九]是)|(?=[（(][一二三四五六七八九\d][）)])|(?=\d[、.．])|(?<=[；。])")


def _items(block: str) -> list[str]:
    out = []
    for p in _ITEM_SPLIT.split(block):
        p = re.sub(r"^(?:[一二三四五六七八九]是|[（(][一二三四五六七八九\d][）)]|\d[、.．])", "", p.strip()).strip("。；，、 ")
        if len(p) >= 6 and not p.endswith(("：", ":")):
            out.append(p if len(p) <= 60 else p[:58] + "……")
    return out


def previous_problems(previous_five: str, limit: int = 4) -> list[str]:
    """The problems last year's 五 named: the items of its 问题 part (一是……二是……), else its
    sentences that speak of a shortcoming."""
    text = re.sub(r"\s+", "", previous_five)
    m = _PROBLEM_BLOCK.search(text)
    if m:
        rest = text[m.end() :]
        end = _BLOCK_END.search(rest)
        block = rest[: end.start()] if end else rest
        items = [i for i in _items(block) if not re.search(r"差距$|如下$", i)]
        if items:
            return items[:limit]
    out = [p for p in _items(text) if _PROBLEM_WORDS.search(p) and not re.search(r"整改到位|已整改|措施|下一步|^针对", p)]
    return out[:limit]


def _data_problems(f: dict[str, Fact]) -> list[tuple[str, str]]:
    """(problem, measure) pairs that the figures support."""
    out: list[tuple[str, str]] = []
    unable, unable_share = _v(f, "unable"), _v(f, "unable_share")
    if unable and unable_share is not None and unable_share >= 15:
        out.append(
            (
                f"依申请公开答复中“无法提供”的有{_n(f, 'unable')}件，占办结总数的{_n(f, 'unable_share')}%，"
                "政府信息底数不够清晰，检索和向申请人释明的工作还需加强",
                "健全政府信息管理台账，规范信息检索流程；对确实不掌握或需另行制作的信息，在答复中充分说明理由，并尽可能告知获取途径",
            )
        )
    corrected = _v(f, "corrected_total")
    if corrected:
        out.append(
            (
                f"政府信息公开行政复议、行政诉讼中结果被纠正{_n(f, 'corrected_total')}件，依申请公开答复的规范性有待提高",
                "对被纠正的案件逐件复盘，完善依申请公开答复的法制审核和集体研究机制，规范答复文书的格式、理由和救济途径告知",
            )
        )
    withheld, not_processed = _v(f, "withheld"), _v(f, "not_processed")
    share_w, share_np = _v(f, "withheld_share"), _v(f, "not_processed_share")
    if (withheld or not_processed) and ((share_w or 0) + (share_np or 0)) >= 20:
        out.append(
            (
                f"不予公开{_n(f, 'withheld')}件、不予处理{_n(f, 'not_processed')}件，"
                "答复的法律依据和理由说明还不够充分",
                "严格按照《政府信息公开条例》规定的情形作出不予公开、不予处理决定，逐项写明依据和理由，加强与申请人的沟通",
            )
        )
    out.append(
        (
            "主动公开的深度和政策解读、回应关切的质量与公众期待还有差距【请补充：结合本单位实际写明具体表现】",
            "围绕重点领域细化主动公开内容，提高政策解读的针对性，及时回应社会关切【请补充：具体措施和时限】",
        )
    )
    return out[:4]


def draft_five(report: Report, facts: Sequence[Fact], previous_five: str | None) -> str:
    f = {x.key: x for x in facts}
    year = report.year
    last = f"{year - 1}年度" if year else "上一年度"
    parts = ["（一）上年度问题整改情况"]
    items = previous_problems(previous_five) if previous_five else []
    if items:
        parts.append(f"针对{last}报告提出的问题，逐项整改如下：")
        parts += [f"{i}.关于“{p}”的问题：【请补充：采取的整改措施和取得的成效】" for i, p in enumerate(items, 1)]
    elif previous_five:
        parts.append(f"【请补充：对照{last}报告“五、存在的主要问题及改进情况”，逐项写明整改措施和成效】")
    else:
        parts.append(f"【未提供上年度报告。请补充：对照{last}报告“五、存在的主要问题及改进情况”，逐项写明整改措施和成效】")
    problems = _data_problems(f)
    parts.append("（二）存在的主要问题")
    parts.append("".join(f"{_ORDINALS[i]}是{p}。" for i, (p, _) in enumerate(problems)))
    parts.append("（三）改进措施")
    parts.append("".join(f"{_ORDINALS[i]}是{m}。" for i, (_, m) in enumerate(problems)))
    return "\n".join(parts)


def _counts(f: dict[str, Fact], pairs: Sequence[tuple[str, str]]) -> str:
    return "、".join(f"{name}{_n(f, key)}件" for key, name in pairs if _v(f, key) is not None)


def draft_one(report: Report, facts: Sequence[Fact]) -> str:
    f = {x.key: x for x in facts}
    year = f"{report.year}年" if report.year else "本年度"
    paras = []
    active = []
    nd = _counts(f, (("normative_doc_issued", "制发行政规范性文件"), ("normative_doc_repealed", "废止行政规范性文件")))
    if nd:
        inforce = f"，现行有效{_n(f, 'normative_doc_in_force')}件" if _v(f, "normative_doc_in_force") is not None else ""
        active.append(f"{nd}{inforce}")
    dec = _counts(f, (("license_decisions", "行政许可决定"), ("penalty_decisions", "行政处罚决定"), ("coercion_decisions", "行政强制决定")))
    if dec:
        active.append(f"公开{dec}")
    if _v(f, "fee_amount"):
        active.append(f"公开行政事业性收费{_n(f, 'fee_amount')}万元")
    paras.append(
        f"（一）主动公开。{year}，" + ("；".join(active) + "。" if active else "")
        + "【请补充：主动公开的重点领域、政府网站和政务新媒体发布信息的情况】"
    )
    apply = []
    if _v(f, "new") is not None:
        who = _counts(f, (("new_natural", "自然人提出"), ("new_legal", "法人或其他组织提出")))
        apply.append(f"全年新收政府信息公开申请{_n(f, 'new')}件" + (f"（{who}）" if who else ""))
    if _v(f, "carried_over"):
        apply.append(f"上年结转{_n(f, 'carried_over')}件")
    if _v(f, "result_total") is not None:
        res = _counts(f, (("public", "予以公开"), ("partial", "部分公开"), ("withheld", "不予公开"), ("unable", "无法提供"), ("not_processed", "不予处理"), ("other_result", "其他处理")))
        apply.append(f"办结{_n(f, 'result_total')}件" + (f"，其中{res}" if res else ""))
    if _v(f, "carry_forward"):
        apply.append(f"结转下年度继续办理{_n(f, 'carry_forward')}件")
    paras.append("（二）依申请公开。" + ("，".join(apply) + "。" if apply else "") + "【请补充：依申请公开的办理机制和规范答复的做法】")
    paras.append("（三）政府信息管理。【请补充：政府信息公开属性源头认定、保密审查、规范性文件清理等情况】")
    paras.append("（四）政府信息公开平台建设。【请补充：政府网站、政务新媒体、政府公报、政务服务场所等平台的建设和运行情况】")
    sup = []
    if _v(f, "review_total") is not None:
        sup.append(f"本年度发生政府信息公开行政复议{_n(f, 'review_total')}件")
    if _v(f, "suit_total") is not None:
        sup.append(f"行政诉讼{_n(f, 'suit_total')}件")
    if _v(f, "corrected_total") is not None:
        sup.append(f"结果被纠正{_n(f, 'corrected_total')}件")
    assess = "【请补充：工作考核、社会评议和责任追究结果情况（未发生责任追究的也应写明）】" if report.is_government else "【请补充：监督检查、培训和考核情况】"
    paras.append("（五）监督保障。" + ("，".join(sup) + "。" if sup else "") + assess)
    return "\n".join(paras)
