"""Claim kinds as data: the words reports use, what each kind counts in the tables, how to compare.

A claim is a number the narrative states about something a table cell also counts. Three tables
describe them; ``_claims.py`` reads sentences with them and ``narrative.py`` compares.

* ``WORDS``: one line per wording, ``(name, regex)``. A *subject* names what is counted (行政复议,
  行政处罚决定, 规范性文件, 收到申请 …); a *facet* narrows a subject (维持, 纠正, 尚未审结, 制发, 废止,
  现行有效). At the same position the earlier line wins. **A reviewer's new wording is one more line
  here**, e.g. ``("penalty", r"处罚决定")`` for “作出处罚决定12件”.
* ``SUBJECTS``: what a subject is about — its table, the units it is counted in, and which sentences
  may state it (``requires``/``forbids`` on the sentence, ``near`` close to the word, ``gap_forbids``
  between word and number). ``parts``: subjects that together make this one (行政诉讼 = 直接起诉 +
  复议后起诉), so "行政复议2件、行政诉讼1件，其中纠正1件" is read against both groups.
* ``KINDS``: ``subject`` or ``subject.facet`` → the rule that reports it and its *readings*: each an
  expression over cell ids (``+``/``-``; ``t3.withheld_1..8.total`` for a range of rows) with a Chinese name. A claim agrees
  when it equals any reading; a ``*.total`` cell that could not be read counts as the sum of its row.
* ``NONE``: "none" statements (未发生行政复议 …) as ``(kind or @facet, regex)``: the claim is 0.
"""

from __future__ import annotations

from typing import NamedTuple

from ..report.cells import T3_PARTS, T4_COLUMN_LABELS

# ----------------------------------------------------------------------------- words (one line per wording)

WORDS: tuple[tuple[str, str], ...] = (
    # table 3: applications (flat subjects: the word alone says what is counted)
    ("apply", r"新收|收到|受理|接收|接到"),
    ("carried", r"上年结转|上年度结转|结转上年|上一年度结转|上年度转入|上年转入"),
    ("forward", r"结转下年度|结转下一年度|转下一年度|转入下一年度|结转至下年度|结转到下年度|转入下年度|结转下年|结转至\d{4}年|结转到\d{4}年"),
    ("done", r"办结|办理完毕|办理完成|答复完毕|已答复|作出答复|予以答复"),
    ("public", r"予以公开|同意公开"),
    ("partial", r"部分公开"),
    ("withheld", r"不予公开"),
    ("unable", r"无法提供"),
    ("not_processed", r"不予处理"),
    ("other_result", r"其他处理"),
    ("natural", r"自然人(?:提出|申请)?"),
    ("legal", r"法人或其他组织(?:提出|申请)?|法人和其他组织(?:提出|申请)?"),
    # table 4: groups, then what became of the cases
    ("suit_after_review", r"(?:行政)?复议后(?:向法院)?(?:提起行政诉讼|提起诉讼|起诉)"),
    ("suit_direct", r"(?:未经(?:行政)?复议)?直接(?:向法院)?(?:提起行政诉讼|提起诉讼|起诉)"),
    ("review", r"行政复议(?:案件|申请)?"),
    ("suit", r"行政诉讼(?:案件)?|行政应诉案件"),
    ("upheld", r"结果维持|维持"),
    ("corrected", r"结果纠正|被纠正|被纠错|纠正|纠错|被撤销|确认违法"),
    ("other", r"其他结果"),
    ("pending", r"尚未审结|未审结|正在审理|审理中"),
    # table 2: documents (subject) and what was done with them (facet)
    ("regulation", r"(?:政府|部门)?规章(?!制度)"),
    ("normative_doc", r"(?:行政)?规范性文件"),
    ("issued", r"制发|印发|出台|制定|新制定|发布|新增"),
    ("repealed", r"废止|宣布失效"),
    ("in_force", r"现行有效"),
    # table 2: decisions and fees
    ("license", r"行政许可(?:决定|事项|案件)?"),
    ("penalty", r"行政处罚(?:决定|案件)?"),
    ("coercion", r"行政强制(?:措施|执行|决定)?"),
    ("fee", r"行政事业性收费(?:金额|收入|总额)?|收费金额|收费总额"),
)

FACETS: frozenset[str] = frozenset({"upheld", "corrected", "other", "pending", "issued", "repealed", "in_force"})
# a facet that carries over a list in one clause: 制发规章1件、行政规范性文件8件 (both 制发)
CARRYING_FACETS: frozenset[str] = frozenset({"issued", "repealed", "in_force"})

# ----------------------------------------------------------------------------- subjects

_APPLICATIONS_NOT = (
    r"网络问政|诉求|12345|热线|咨询|留言|信访|建议|提案|来电|来信|投诉|举报|政务服务|办件|审批|许可|处罚|依法行政|件次|人次|公开信息\d"
)
_SCOPE = r"全(?:省|市|县|区|镇)各级|各级行政机关|全(?:省|市|县|区)各部门|各(?:部门|单位|乡镇|街道)(?:共|合计)"
_T4_CONTEXT = r"信息公开|依申请"
_DECISION_NOT = r"清单|目录|裁量|标准|制度|办事指南|政务服务|大厅|窗口|一网通办|公示率|公开率|" + _SCOPE


class Subject(NamedTuple):
    table: str  # t2 | t3 | t4
    units: tuple[str, ...] = ("件",)  # "万元": an amount of money, in 万元
    requires: str = ""  # the sentence must match
    forbids: str = ""  # the sentence must not match
    near: str = ""  # must stand between the word and the number, or just before the word
    gap_forbids: str = ""  # must not stand between the word and the number
    carry: bool = False  # the subject holds for later clauses of the sentence (其中维持X件 …)
    parts: tuple[str, ...] = ()  # subjects that together make this one
    compare_ok: bool = False  # a comparison word (较上年) in the clause does not void the claim


_APP = Subject("t3", requires="申请", forbids=_APPLICATIONS_NOT)
_CASES = ("件", "起", "宗")
SUBJECTS: dict[str, Subject] = {
    "apply": _APP._replace(near="申请"),
    "carried": _APP._replace(compare_ok=True),
    "forward": _APP,
    "done": _APP._replace(forbids=_APPLICATIONS_NOT + "|复议|诉讼", gap_forbids=r"\d|率"),
    "public": _APP,
    "partial": _APP,
    "withheld": _APP,
    "unable": _APP,
    "not_processed": _APP,
    "other_result": _APP,
    # applicants of 新收 only, not of some result
    "natural": _APP._replace(requires="(?=.*申请)(?=.*(?:新收|收到|受理|提出))", forbids=_APPLICATIONS_NOT + "|予以公开|部分公开|不予|无法提供|办结|答复"),
    "legal": _APP._replace(requires="(?=.*申请)(?=.*(?:新收|收到|受理|提出))", forbids=_APPLICATIONS_NOT + "|予以公开|部分公开|不予|无法提供|办结|答复"),
    "review": Subject("t4", _CASES, _T4_CONTEXT, _SCOPE, carry=True),
    "suit": Subject("t4", _CASES, _T4_CONTEXT, _SCOPE, carry=True, parts=("suit_direct", "suit_after_review")),
    "suit_direct": Subject("t4", _CASES, _T4_CONTEXT, _SCOPE, carry=True),
    "suit_after_review": Subject("t4", _CASES, _T4_CONTEXT, _SCOPE, carry=True),
    "litigation": Subject("t4", _CASES, _T4_CONTEXT, _SCOPE, carry=True, parts=("review", "suit")),
    # a 结果 word with no group named in the sentence (政府信息公开案件被纠错1件): any group may be meant
    "cases": Subject("t4", _CASES, _T4_CONTEXT, _SCOPE),
    "regulation": Subject("t2", forbids=_SCOPE, carry=True),
    "normative_doc": Subject("t2", forbids=_SCOPE + "|政策性文件", carry=True),
    "license": Subject("t2", _CASES, forbids=_DECISION_NOT, gap_forbids="申请|受理", carry=True),
    "penalty": Subject("t2", _CASES, forbids=_DECISION_NOT, carry=True),
    "coercion": Subject("t2", _CASES, forbids=_DECISION_NOT, carry=True),
    "fee": Subject("t2", ("万元",), requires="行政事业性", forbids="处理费|" + _SCOPE, carry=True),
}

# ----------------------------------------------------------------------------- kinds and their readings


class Kind(NamedTuple):
    rule: str
    readings: tuple[tuple[str, str], ...]  # (expression over cell ids, Chinese name; "" = the cell's label)
    tolerance: float = 0


def _sum(ids: list[str]) -> str:
    return " + ".join(ids)


_LEGAL_NEW = _sum([f"t3.new.{c}" for c in T3_PARTS[1:]])
_LEGAL_CARRIED = _sum([f"t3.carried_over.{c}" for c in T3_PARTS[1:]])
_RESULTS = {  # kind: (rows expression, name)
    "public": ("t3.public.total", "表三“三（一）予以公开”总计"),
    "partial": ("t3.partial.total", "表三“三（二）部分公开”总计"),
    "withheld": ("t3.withheld_1..8.total", "表三“三（三）不予公开”各项总计"),
    "unable": ("t3.unable_1..3.total", "表三“三（四）无法提供”各项总计"),
    "not_processed": ("t3.not_processed_1..5.total", "表三“三（五）不予处理”各项总计"),
    "other_result": ("t3.other_1..3.total", "表三“三（六）其他处理”各项总计"),
}

KINDS: dict[str, Kind] = {
    "apply": Kind("NAR-APPLY", (("t3.new.total", "表三“一、本年新收”总计"),
                                ("t3.new.total + t3.carried_over.total", "一+二（含上年结转）"))),
    "natural": Kind("NAR-APPLY", (("t3.new.natural", "表三“一、本年新收”自然人"),
                                  ("t3.new.natural + t3.carried_over.natural", "含上年结转"))),
    "legal": Kind("NAR-APPLY", ((_LEGAL_NEW, "表三“一、本年新收”法人或其他组织各列之和"),
                                (f"{_LEGAL_NEW} + {_LEGAL_CARRIED}", "含上年结转"))),
    "carried": Kind("NAR-CARRY", (("t3.carried_over.total", "表三“二、上年结转”总计"),)),
    "done": Kind("NAR-DONE", (("t3.result_total.total", "表三“三（七）总计”"),
                              ("t3.new.total", "表三“一、本年新收”总计"),
                              ("t3.new.total + t3.carried_over.total", "一+二"),
                              ("t3.result_total.total - t3.carried_over.total", "三（七）总计减上年结转"))),
    "forward": Kind("NAR-FORWARD", (("t3.carry_forward.total", "表三“四、结转下年度继续办理”总计"),)),
    **{k: Kind("NAR-RESULT", (v,)) for k, v in _RESULTS.items()},
    # table 2
    "regulation.issued": Kind("NAR-REGULATION", (("t2.regulation.issued", ""),)),
    "regulation.repealed": Kind("NAR-REGULATION", (("t2.regulation.repealed", ""),)),
    "regulation.in_force": Kind("NAR-REGULATION", (("t2.regulation.in_force", ""),)),
    "normative_doc.issued": Kind("NAR-NORMDOC", (("t2.normative_doc.issued", ""),)),
    "normative_doc.repealed": Kind("NAR-NORMDOC", (("t2.normative_doc.repealed", ""),)),
    "normative_doc.in_force": Kind("NAR-NORMDOC", (("t2.normative_doc.in_force", ""),)),
    "license": Kind("NAR-DECISION", (("t2.license.decisions", ""),)),
    "penalty": Kind("NAR-DECISION", (("t2.penalty.decisions", ""),)),
    "coercion": Kind("NAR-DECISION", (("t2.coercion.decisions", ""),)),
    "fee": Kind("NAR-FEE", (("t2.fee.amount", ""),), tolerance=0.005),
    # table 4: totals of each group and of both suits
    "review": Kind("NAR-LITIGATION", (("t4.review.total", "表四 行政复议 总计"),)),
    "suit": Kind("NAR-LITIGATION", (("t4.suit_direct.total + t4.suit_after_review.total", "表四 行政诉讼（未经复议直接起诉+复议后起诉）总计"),
                                    ("t4.suit_direct.total", "表四 未经复议直接起诉 总计"),
                                    ("t4.suit_after_review.total", "表四 复议后起诉 总计"))),
    "suit_direct": Kind("NAR-LITIGATION", (("t4.suit_direct.total", "表四 未经复议直接起诉 总计"),)),
    "suit_after_review": Kind("NAR-LITIGATION", (("t4.suit_after_review.total", "表四 复议后起诉 总计"),)),
    "litigation": Kind("NAR-LITIGATION", (("t4.review.total + t4.suit_direct.total + t4.suit_after_review.total", "表四 行政复议和行政诉讼 总计"),)),
}  # fmt: skip

for _col in ("upheld", "corrected", "other", "pending"):
    _label = T4_COLUMN_LABELS[_col]
    _ids = {g: f"t4.{g}.{_col}" for g in ("review", "suit_direct", "suit_after_review")}
    _suits = f"{_ids['suit_direct']} + {_ids['suit_after_review']}"
    KINDS[f"review.{_col}"] = Kind("NAR-LITIGATION", ((_ids["review"], ""),))
    KINDS[f"suit_direct.{_col}"] = Kind("NAR-LITIGATION", ((_ids["suit_direct"], ""),))
    KINDS[f"suit_after_review.{_col}"] = Kind("NAR-LITIGATION", ((_ids["suit_after_review"], ""),))
    KINDS[f"suit.{_col}"] = Kind("NAR-LITIGATION", ((_suits, f"表四 行政诉讼 {_label} 合计"),
                                                    (_ids["suit_direct"], ""), (_ids["suit_after_review"], "")))  # fmt: skip
    # 复议和诉讼 named together, then 其中纠正X件: both groups
    KINDS[f"litigation.{_col}"] = Kind("NAR-LITIGATION", ((f"{_ids['review']} + {_suits}", f"表四 {_label} 合计"),))
    KINDS[f"cases.{_col}"] = Kind("NAR-LITIGATION", ((f"{_ids['review']} + {_suits}", f"表四 {_label} 合计"),
                                                     (_ids["review"], ""), (_suits, f"表四 行政诉讼 {_label} 合计"),
                                                     (_ids["suit_direct"], "")))  # fmt: skip

# ----------------------------------------------------------------------------- "none" statements (the claim is 0)

_NEG = r"(?:未|没有|无)"
_END = r"(?=[，。；,;：:]|$)"
NONE: tuple[tuple[str, str], ...] = (
    ("apply", r"(?:未|没有)(?:收到|受理|接到|接收)[^，。；]{0,10}?申请"),
    ("review", r"(?:未|没有)(?:发生|收到|产生|涉及)[^，。；]{0,14}?行政复议"),
    ("suit", r"(?:未|没有)(?:发生|收到|产生|涉及)[^，。；]{0,14}?行政诉讼"),
    ("normative_doc.issued", r"(?:未|没有)(?:制发|印发|出台|制定)[^，。；]{0,4}?(?:行政)?规范性文件"),
    ("regulation.issued", r"(?:未|没有)(?:制发|印发|出台|制定)[^，。；]{0,4}?(?:政府|部门)?规章" + _END),
    ("penalty", _NEG + r"(?:作出|实施|发生|办理)?(?:任何)?行政处罚(?:决定|案件|事项|行为)?" + _END),
    ("license", _NEG + r"(?:作出|实施|发生|办理)?(?:任何)?行政许可(?:决定|案件|事项)?" + _END),
    ("coercion", _NEG + r"(?:作出|实施|发生|采取)?(?:任何)?行政强制(?:措施|执行|决定|事项)?" + _END),
    ("fee", _NEG + r"(?:收取|发生|产生|征收)?(?:任何)?行政事业性收费(?:项目|事项)?" + _END),
    ("@corrected", r"(?:未|没有)(?:发生)?被[^，。；]{0,8}?(?:纠正|纠错|撤销)|(?:未|没有)(?:发生)?(?:被)?纠错"),
)
