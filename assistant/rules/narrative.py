"""Narrative numbers vs tables: a count stated in the prose must match one reasonable reading of the cells.

"收到申请N件" may mean 一 (本年新收) or 一+二 (incl. 上年结转); "办结N件" may mean 三（七） or include the
carried-over ones. A claim is flagged only when it matches none of its readings, and never when the
cells it needs are unknown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..report.cells import T3_PARTS, cell_label, t3, t4
from ..report.model import Number, Report
from ._claims import Claim, all_done_sentences, claims, fee_claims
from ._text import short
from .base import CheckContext, Finding, Rule, fmt_num

BASIS_NAR = "《政府信息公开条例》第五十条；国办公开办函〔2021〕30号（年度报告内容应准确，文字表述与统计表数据一致）"

_WITHHELD = tuple(f"withheld_{i}" for i in range(1, 9))
_UNABLE = ("unable_1", "unable_2", "unable_3")
_NOT_PROCESSED = tuple(f"not_processed_{i}" for i in range(1, 6))
_OTHER = ("other_1", "other_2", "other_3")


@dataclass(frozen=True)
class Reading:
    """One way to read a claim: the value it should have, from which cells, named in Chinese."""

    value: Number
    cells: tuple[str, ...]
    name: str


def _sum(r: Report, ids: tuple[str, ...]) -> Number | None:
    vals = [r.value(i) for i in ids]
    if any(v is None for v in vals):
        return None
    return sum(vals)  # type: ignore[arg-type]


def _t3_total(r: Report, row: str) -> Number | None:
    """A table-3 row's 总计, or the sum of its six columns when 总计 could not be read."""
    v = r.value(t3(row, "total"))
    return v if v is not None else _sum(r, tuple(t3(row, c) for c in T3_PARTS))


def _rows_total(r: Report, rows: tuple[str, ...]) -> Number | None:
    vals = [_t3_total(r, row) for row in rows]
    return None if any(v is None for v in vals) else sum(vals)  # type: ignore[arg-type]


def _reading(value: Number | None, cells: tuple[str, ...], name: str) -> list[Reading]:
    return [] if value is None else [Reading(value, cells, name)]


def _add(a: Number | None, b: Number | None) -> Number | None:
    return None if a is None or b is None else a + b


_LEGAL_IDS = tuple(t3("new", c) for c in T3_PARTS[1:])
_LEGAL_CARRIED = tuple(t3("carried_over", c) for c in T3_PARTS[1:])
_RESULT_ROWS = {
    "public": ("public",),
    "partial": ("partial",),
    "withheld": _WITHHELD,
    "unable": _UNABLE,
    "not_processed": _NOT_PROCESSED,
    "other_result": _OTHER,
}
_SIMPLE = {  # a claim kind read from one table-2 cell
    "license": "t2.license.decisions",
    "penalty": "t2.penalty.decisions",
    "coercion": "t2.coercion.decisions",
    "nd_issued": "t2.normative_doc.issued",
    "nd_repealed": "t2.normative_doc.repealed",
    "nd_in_force": "t2.normative_doc.in_force",
    "fee": "t2.fee.amount",
}


def _readings(kind: str, r: Report) -> list[Reading]:
    new, carried = _t3_total(r, "new"), _t3_total(r, "carried_over")
    done, forward = _t3_total(r, "result_total"), _t3_total(r, "carry_forward")
    if kind == "apply":
        return _reading(new, (t3("new", "total"),), "表三“一、本年新收”总计") + _reading(
            _add(new, carried), (t3("new", "total"), t3("carried_over", "total")), "一+二（含上年结转）"
        )
    if kind == "natural":
        n, c = r.value(t3("new", "natural")), r.value(t3("carried_over", "natural"))
        return _reading(n, (t3("new", "natural"),), "表三“一、本年新收”自然人") + _reading(
            _add(n, c), (t3("new", "natural"), t3("carried_over", "natural")), "含上年结转"
        )
    if kind == "legal":
        n, c = _sum(r, _LEGAL_IDS), _sum(r, _LEGAL_CARRIED)
        return _reading(n, _LEGAL_IDS, "表三“一、本年新收”法人或其他组织各列之和") + _reading(
            _add(n, c), _LEGAL_IDS + _LEGAL_CARRIED, "含上年结转"
        )
    if kind == "carried":
        return _reading(carried, (t3("carried_over", "total"),), "表三“二、上年结转”总计")
    if kind == "done":
        out = _reading(done, (t3("result_total", "total"),), "表三“三（七）总计”")
        out += _reading(new, (t3("new", "total"),), "表三“一、本年新收”总计")
        out += _reading(_add(new, carried), (t3("new", "total"), t3("carried_over", "total")), "一+二")
        if done is not None and carried is not None:
            out += _reading(done - carried, (t3("result_total", "total"),), "三（七）总计减上年结转")
        return out
    if kind == "forward":
        return _reading(forward, (t3("carry_forward", "total"),), "表三“四、结转下年度继续办理”总计")
    if kind in _RESULT_ROWS:
        rows = _RESULT_ROWS[kind]
        return _reading(_rows_total(r, rows), tuple(t3(row, "total") for row in rows), f"表三{_RESULT_NAMES[kind]}总计")
    if kind == "review":
        return _reading(r.value(t4("review", "total")), (t4("review", "total"),), "表四 行政复议 总计")
    if kind == "suit":
        d, a = r.value(t4("suit_direct", "total")), r.value(t4("suit_after_review", "total"))
        ids = (t4("suit_direct", "total"), t4("suit_after_review", "total"))
        return (
            _reading(_add(d, a), ids, "表四 行政诉讼（未经复议直接起诉+复议后起诉）总计")
            + _reading(d, ids[:1], "表四 未经复议直接起诉 总计")
            + _reading(a, ids[1:], "表四 复议后起诉 总计")
        )
    if kind == "corrected":
        ids = tuple(t4(g, "corrected") for g in ("review", "suit_direct", "suit_after_review"))
        out = _reading(_sum(r, ids), ids, "表四 结果纠正 合计")
        out += _reading(r.value(ids[0]), ids[:1], "表四 行政复议 结果纠正")
        out += _reading(_sum(r, ids[1:]), ids[1:], "表四 行政诉讼 结果纠正")
        return out + _reading(r.value(ids[1]), ids[1:2], "表四 未经复议直接起诉 结果纠正")
    if kind in _SIMPLE:
        cid = _SIMPLE[kind]
        return _reading(r.value(cid), (cid,), cell_label(cid))
    return []


_RESULT_NAMES = {
    "public": "“三（一）予以公开”",
    "partial": "“三（二）部分公开”",
    "withheld": "“三（三）不予公开”各项",
    "unable": "“三（四）无法提供”各项",
    "not_processed": "“三（五）不予处理”各项",
    "other_result": "“三（六）其他处理”各项",
}


def _matches(value: Number, readings: list[Reading], kind: str) -> bool:
    tol = 0.005 if kind == "fee" else 0
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
    kinds: tuple[str, ...] = ()
    source: Callable[[Report], Iterator[Claim]] = staticmethod(claims)
    unit = "件"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        r = ctx.report
        seen: set[tuple[str, Number, str]] = set()
        source = type(self).source
        for c in ctx.cached(("claims", source), lambda: list(source(r))):
            if c.kind not in self.kinds or (c.kind, c.value, c.sentence.text) in seen:
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
    kinds = ("apply", "natural", "legal")


class NarrativeCarried(_NarrativeRule):
    id = "NAR-CARRY"
    group = "narrative"
    severity = "warning"
    title = "文字所述上年结转件数与表三“二、上年结转政府信息公开申请数量”一致"
    basis = BASIS_NAR
    bad_example = "一、总体情况：上年结转申请4件。（表三 二、上年结转 总计 2）"
    good_example = "一、总体情况：上年结转申请2件。（表三 二、上年结转 总计 2）"
    kinds = ("carried",)


class NarrativeDone(_NarrativeRule):
    id = "NAR-DONE"
    group = "narrative"
    severity = "warning"
    title = "文字所述办结件数与表三“三（七）总计”一致（也接受含上年结转的读法）"
    basis = BASIS_NAR
    bad_example = "一、总体情况：全年办结申请20件。（表三 三（七）总计 9，一 7，二 2）"
    good_example = "一、总体情况：全年办结申请9件。（表三 三（七）总计 9）"
    kinds = ("done",)


class NarrativeForward(_NarrativeRule):
    id = "NAR-FORWARD"
    group = "narrative"
    severity = "warning"
    title = "文字所述结转下年度件数（或“申请均已办结”）与表三“四、结转下年度继续办理”一致"
    basis = BASIS_NAR
    bad_example = "全年收到申请34件，上年结转2件，所有申请均已按要求办理完成。（表三 四、结转下年度继续办理 总计 1）"
    good_example = "全年收到申请34件，上年结转2件，办结35件，结转下年度继续办理1件。（表三 四 总计 1）"
    kinds = ("forward",)

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        yield from super().check(ctx)
        r = ctx.report
        forward = _t3_total(r, "carry_forward")
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
    kinds = ("public", "partial", "withheld", "unable", "not_processed", "other_result")


class NarrativeLitigation(_NarrativeRule):
    id = "NAR-LITIGATION"
    group = "narrative"
    severity = "warning"
    title = "文字所述政府信息公开行政复议、行政诉讼（及被纠正）件数与表四一致"
    basis = BASIS_NAR + "；《政府信息公开条例》第五十条第（三）项"
    bad_example = "全年发生政府信息公开行政复议3件、行政诉讼1件。（表四 行政复议 总计 2）"
    good_example = "全年发生政府信息公开行政复议2件、行政诉讼1件。（表四 行政复议 总计 2，行政诉讼合计 1）"
    kinds = ("review", "suit", "corrected")


class NarrativeDecision(_NarrativeRule):
    id = "NAR-DECISION"
    group = "narrative"
    severity = "warning"
    title = "文字所述公开的行政许可、行政处罚、行政强制决定件数与表二一致"
    basis = BASIS_NAR + "；《政府信息公开条例》第二十条第（五）（六）项"
    bad_example = "依法公开行政许可决定120件、行政处罚决定35件。（表二 行政处罚 本年处理决定数量 53）"
    good_example = "依法公开行政许可决定120件、行政处罚决定53件。（表二 行政许可 120，行政处罚 53）"
    kinds = ("license", "penalty", "coercion")


class NarrativeNormativeDocs(_NarrativeRule):
    id = "NAR-NORMDOC"
    group = "narrative"
    severity = "warning"
    title = "文字所述制发、废止、现行有效的行政规范性文件件数与表二一致"
    basis = BASIS_NAR + "；《政府信息公开条例》第二十条第（一）项"
    bad_example = "本年度制发行政规范性文件6件、废止1件，现行有效30件。（表二 行政规范性文件 制发 4）"
    good_example = "本年度制发行政规范性文件4件、废止1件，现行有效30件。（表二 制发 4，废止 1，现行有效 30）"
    kinds = ("nd_issued", "nd_repealed", "nd_in_force")


class NarrativeFee(_NarrativeRule):
    id = "NAR-FEE"
    group = "narrative"
    severity = "warning"
    title = "文字所述行政事业性收费金额与表二第二十条第（八）项（万元）一致"
    basis = BASIS_NAR + "；《政府信息公开条例》第二十条第（八）项"
    bad_example = "全年行政事业性收费12.5万元。（表二 行政事业性收费 本年收费金额 21.5 万元）"
    good_example = "全年行政事业性收费21.5万元。（表二 行政事业性收费 本年收费金额 21.5 万元）"
    kinds = ("fee",)
    source = staticmethod(fee_claims)
    unit = "万元"
