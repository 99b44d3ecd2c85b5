"""Narrative numbers vs tables: a count stated in the prose must match one reasonable reading of the cells.

"收到申请N件" may mean 一 (本年新收) or 一+二 (incl. 上年结转); "办结N件" may mean 三（七） or include the
carried-over ones. A claim is flagged only when it matches none of its readings, and never when the
cells it needs are unknown.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from ..report.cells import cell_label, t3
from ..report.model import Number, Report
from ._claimdata import KINDS
from ._claims import Claim, all_done_sentences, claims
from ._text import short
from .base import CheckContext, Finding, Rule, fmt_num

BASIS_NAR = "《政府信息公开条例》第五十条；国办公开办函〔2021〕30号（年度报告内容应准确，文字表述与统计表数据一致）"


@dataclass(frozen=True)
class Reading:
    """One way to read a claim: the value it should have, from which cells, named in Chinese."""

    value: Number
    cells: tuple[str, ...]
    name: str


_RANGE = re.compile(r"^(t\d\.[a-z_]+_)(\d+)\.\.(\d+)(\.[a-z_]+)$")


@lru_cache(maxsize=512)
def _terms(expression: str) -> tuple[tuple[int, str], ...]:
    """``"t3.new.total + t3.carried_over.total"`` → ((1, id), (1, id)); ``t3.withheld_1..8.total`` is a row range."""
    out: list[tuple[int, str]] = []
    sign = 1
    for tok in expression.split():
        if tok in ("+", "-"):
            sign = 1 if tok == "+" else -1
        elif m := _RANGE.match(tok):
            out += [(sign, f"{m.group(1)}{i}{m.group(4)}") for i in range(int(m.group(2)), int(m.group(3)) + 1)]
        else:
            out.append((sign, tok))
    return tuple(out)


def _readings(kind: str, r: Report) -> list[Reading]:
    """The readings of ``kind`` whose cells are all known (an unknown cell never makes a contradiction)."""
    out = []
    for expression, name in KINDS[kind].readings:
        terms = _terms(expression)
        values = [r.value_or_sum(cid) for _sign, cid in terms]
        if any(v is None for v in values):
            continue
        value = sum(sign * v for (sign, _cid), v in zip(terms, values, strict=True))  # type: ignore[operator]
        cells = tuple(cid for _sign, cid in terms)
        out.append(Reading(value, cells, name or cell_label(cells[0])))
    return out


def kinds_of(rule_id: str) -> tuple[str, ...]:
    return tuple(k for k, spec in KINDS.items() if spec.rule == rule_id)


def _matches(value: Number, readings: list[Reading], kind: str) -> bool:
    tol = KINDS[kind].tolerance
    return any(abs(value - rd.value) <= tol for rd in readings)


def _message(c: Claim, readings: list[Reading], unit: str) -> str:
    main, alts = readings[0], [a for a in readings[1:] if a.value != readings[0].value]
    alt = ""
    if alts:
        alt = "（按其他读法：" + "、".join(f"{a.name}为{fmt_num(a.value)}{unit}" for a in alts) + "，也不相符）"
    said = f"即为0{unit}" if c.keyword.startswith(("未", "没有")) else f"{fmt_num(c.value)}{unit}"
    return (
        f"{c.sentence.location}称“{short(c.sentence.text)}”，其中“{c.keyword}”{said}，"
        f"但{main.name}为{fmt_num(main.value)}{unit}{alt}：请核对，并将文字与表中数字统一。"
    )


class _NarrativeRule(Rule):
    """Compares the claims of the kinds whose ``rule`` is this rule's id (``_claimdata.KINDS``)."""

    unit = "件"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        r = ctx.report
        seen: set[tuple[str, Number, str]] = set()
        kinds = kinds_of(self.id)
        for c in ctx.cached("claims", lambda: list(claims(r))):
            if c.kind not in kinds or (c.kind, c.value, c.sentence.text) in seen:
                continue
            seen.add((c.kind, c.value, c.sentence.text))
            readings = ctx.cached(("readings", c.kind), lambda kind=c.kind: _readings(kind, r))
            if not readings or _matches(c.value, readings, c.kind):
                continue
            yield self.finding(
                _message(c, readings, self.unit),
                cells=readings[0].cells,
                expected=readings[0].value,
                actual=c.value,
                location=c.sentence.location,
                quote=c.sentence.text,
            )


class NarrativeApply(_NarrativeRule):
    id = "NAR-APPLY"
    group = "narrative"
    severity = "warning"
    title = "文字所述收到（受理、新收）的申请件数与表三“一、本年新收”（或一+二）一致"
    basis = BASIS_NAR
    bad_example = "一、总体情况：全年共收到政府信息公开申请5件。（表三 一、本年新收 总计 7，上年结转 2）"
    good_example = "一、总体情况：全年共收到政府信息公开申请7件，上年结转2件。（表三 一 总计 7，二 总计 2）"


class NarrativeCarried(_NarrativeRule):
    id = "NAR-CARRY"
    group = "narrative"
    severity = "warning"
    title = "文字所述上年结转件数与表三“二、上年结转政府信息公开申请数量”一致"
    basis = BASIS_NAR
    bad_example = "一、总体情况：上年结转申请4件。（表三 二、上年结转 总计 2）"
    good_example = "一、总体情况：上年结转申请2件。（表三 二、上年结转 总计 2）"


class NarrativeDone(_NarrativeRule):
    id = "NAR-DONE"
    group = "narrative"
    severity = "warning"
    title = "文字所述办结件数与表三“三（七）总计”一致（也接受含上年结转的读法）"
    basis = BASIS_NAR
    bad_example = "一、总体情况：全年办结申请20件。（表三 三（七）总计 9，一 7，二 2）"
    good_example = "一、总体情况：全年办结申请9件。（表三 三（七）总计 9）"


class NarrativeForward(_NarrativeRule):
    id = "NAR-FORWARD"
    group = "narrative"
    severity = "warning"
    title = "文字所述结转下年度件数（或“申请均已办结”）与表三“四、结转下年度继续办理”一致"
    basis = BASIS_NAR
    bad_example = "全年收到申请34件，上年结转2件，所有申请均已按要求办理完成。（表三 四、结转下年度继续办理 总计 1）"
    good_example = "全年收到申请34件，上年结转2件，办结35件，结转下年度继续办理1件。（表三 四 总计 1）"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        yield from super().check(ctx)
        r = ctx.report
        forward = r.value_or_sum(t3("carry_forward", "total"))
        if not forward:
            return
        for sent in all_done_sentences(r):
            yield self.finding(
                f"{sent.location}称“{short(sent.text)}”，即申请已全部办结，但表三“四、结转下年度继续办理”"
                f"总计为{fmt_num(forward)}件：请改为“办结X件，结转下年度继续办理{fmt_num(forward)}件”，或核对表三。",
                cells=(t3("carry_forward", "total"),),
                expected=0,
                actual=forward,
                location=sent.location,
                quote=sent.text,
            )
            return


class NarrativeResult(_NarrativeRule):
    id = "NAR-RESULT"
    group = "narrative"
    severity = "warning"
    title = "文字所述办理结果（予以公开、部分公开、不予公开、无法提供、不予处理、其他处理）件数与表三一致"
    basis = BASIS_NAR
    bad_example = "办结的申请中，予以公开6件、无法提供2件。（表三 三（一）予以公开 总计 4）"
    good_example = "办结的申请中，予以公开4件、无法提供2件。（表三 三（一）总计 4，三（四）各项合计 2）"


class NarrativeLitigation(_NarrativeRule):
    id = "NAR-LITIGATION"
    group = "narrative"
    severity = "warning"
    title = "文字所述政府信息公开行政复议、行政诉讼件数及其维持、纠正、其他结果、尚未审结件数与表四一致"
    basis = BASIS_NAR + "；《政府信息公开条例》第五十条第（三）项"
    bad_example = "全年被申请政府信息公开行政复议3件，其中维持1件、尚未审结2件。（表四 行政复议 维持 2，尚未审结 1，总计 3）"
    good_example = "全年被申请政府信息公开行政复议3件，其中维持2件、尚未审结1件。（表四 行政复议 维持 2，尚未审结 1，总计 3）"


class NarrativeDecision(_NarrativeRule):
    id = "NAR-DECISION"
    group = "narrative"
    severity = "warning"
    title = "文字所述行政许可、行政处罚、行政强制决定（办理、作出、公开）件数与表二一致"
    basis = BASIS_NAR + "；《政府信息公开条例》第二十条第（五）（六）项"
    bad_example = "全年办理行政许可120件，作出行政处罚决定35件。（表二 行政处罚 本年处理决定数量 53）"
    good_example = "依法公开行政许可决定120件、行政处罚决定53件。（表二 行政许可 120，行政处罚 53）"


class NarrativeNormativeDocs(_NarrativeRule):
    id = "NAR-NORMDOC"
    group = "narrative"
    severity = "warning"
    title = "文字所述制发、废止、现行有效的行政规范性文件件数与表二一致"
    basis = BASIS_NAR + "；《政府信息公开条例》第二十条第（一）项"
    bad_example = "本年度制发行政规范性文件6件、废止1件，现行有效30件。（表二 行政规范性文件 制发 4）"
    good_example = "本年度制发行政规范性文件4件、废止1件，现行有效30件。（表二 制发 4，废止 1，现行有效 30）"


class NarrativeRegulation(_NarrativeRule):
    id = "NAR-REGULATION"
    group = "narrative"
    severity = "warning"
    title = "文字所述制发、废止、现行有效的规章件数与表二一致"
    basis = BASIS_NAR + "；《政府信息公开条例》第二十条第（一）项"
    bad_example = "全年制定政府规章2件，现行有效规章12件。（表二 规章 本年制发 1，现行有效 12）"
    good_example = "全年制定政府规章1件，现行有效规章12件。（表二 规章 本年制发 1，现行有效 12）"


class NarrativeFee(_NarrativeRule):
    id = "NAR-FEE"
    group = "narrative"
    severity = "warning"
    title = "文字所述行政事业性收费金额与表二第二十条第（八）项（万元）一致"
    basis = BASIS_NAR + "；《政府信息公开条例》第二十条第（八）项"
    bad_example = "全年行政事业性收费12.5万元。（表二 行政事业性收费 本年收费金额 21.5 万元）"
    good_example = "全年行政事业性收费21.5万元。（表二 行政事业性收费 本年收费金额 21.5 万元）"
    unit = "万元"
