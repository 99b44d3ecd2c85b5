"""Narrative numbers vs tables (NAR-*) and the number/claim helpers, on hand-built reports."""

from __future__ import annotations

import pytest

from assistant.report.cells import ALL_CELLS
from assistant.report.model import Cell, Report, Section
from assistant.rules._claims import claims
from assistant.rules._numbers import cn_to_int, find_counts, find_money
from assistant.rules.base import CheckContext
from assistant.rules.engine import check_report
from assistant.rules.registry import get_rule


def make_report(text1: str, cells: dict[str, float | int], *, agency: str = "青禾县人民政府", year: int = 2024) -> Report:
    r = Report(source="t.txt", form="text", agency=agency, year=year, agency_kind="人民政府")
    r.sections = [Section("一", "一、总体情况", text1, 1, "一")]
    r.cells = {cid: Cell(cid, 0) for cid in ALL_CELLS}
    for cid, v in cells.items():
        r.cells[cid] = Cell(cid, v)
    return r


BASE = {"t3.new.total": 7, "t3.carried_over.total": 2, "t3.result_total.total": 8, "t3.carry_forward.total": 1,
        "t3.public.total": 5, "t3.unable_1.total": 3, "t4.review.total": 2, "t4.suit_direct.total": 1,
        "t2.penalty.decisions": 53, "t2.license.decisions": 120, "t2.normative_doc.issued": 4, "t2.normative_doc.repealed": 1,
        "t2.normative_doc.in_force": 30, "t2.fee.amount": 21.5}  # fmt: skip


def findings(rule_id: str, text: str, cells: dict | None = None):
    r = make_report(text, {**BASE, **(cells or {})})
    return list(get_rule(rule_id).check(CheckContext(r)))


@pytest.mark.parametrize(
    ("text", "value"),
    [("五", 5), ("十二", 12), ("二十", 20), ("一百二十", 120), ("两", 2), ("三千零五", 3005), ("一万二千", 12000)],
)
def test_chinese_numerals(text, value):
    assert cn_to_int(text) == value


def test_counts_skip_vague_and_ratios():
    got = [c.value for c in find_counts("收到申请1,234件，近百件，700余件，数十件，约20件，同比增长20%，五件，办成一件事")]
    assert got == [1234, 5]


def test_money_in_wan_yuan():
    assert [m[0] for m in find_money("收取信息处理费3940元，收费12.5万元")] == [0.394, 12.5]


def test_claims_tie_numbers_to_the_nearest_keyword():
    r = make_report("全年共收到政府信息公开申请7件，上年结转2件，办结8件，结转下年度1件。", BASE)
    assert [(c.kind, c.value) for c in claims(r)] == [("apply", 7), ("carried", 2), ("done", 8), ("forward", 1)]


def test_claims_ignore_hotline_and_suggestions():
    r = make_report("通过12345热线受理群众诉求3519件，全部办结。全年承办人大代表建议37件。", BASE)
    assert list(claims(r)) == []


def test_respectively_pairs_keywords_with_numbers():
    r = make_report("行政许可、行政处罚结果分别公开120件、35件。", BASE)
    assert [(c.kind, c.value) for c in claims(r)] == [("license", 120), ("penalty", 35)]


def test_apply_contradiction_quotes_sentence_and_names_cell():
    (f,) = findings("NAR-APPLY", "全年共收到政府信息公开申请5件。")
    assert f.severity == "warning" and f.cells == ("t3.new.total",)
    assert f.expected == 7 and f.actual == 5
    assert "全年共收到政府信息公开申请5件" in f.message and f.quote
    assert "含上年结转" in f.message  # the other reading is shown


@pytest.mark.parametrize("n", [7, 9])
def test_apply_either_reading_agrees(n):
    assert findings("NAR-APPLY", f"全年共收到政府信息公开申请{n}件。") == []


def test_apply_unknown_cell_is_never_flagged():
    r = make_report("全年共收到政府信息公开申请5件。", BASE)
    r.cells["t3.new.total"] = Cell("t3.new.total", None, "missing")
    for c in ("natural", "commercial"):
        r.cells[f"t3.new.{c}"] = Cell(f"t3.new.{c}", None, "missing")
    assert [f for f in check_report(r) if f.rule == "NAR-APPLY"] == []


def test_done_readings():
    assert findings("NAR-DONE", "申请共办结8件。") == []
    assert findings("NAR-DONE", "申请共办结9件。") == []  # 一 + 二
    assert len(findings("NAR-DONE", "申请共办结15件。")) == 1


def test_all_done_while_carried_forward():
    (f,) = findings("NAR-FORWARD", "全年收到申请7件，上年结转2件，所有申请均已按要求办理完成。")
    assert f.cells == ("t3.carry_forward.total",) and f.actual == 1
    assert findings("NAR-FORWARD", "除1件结转下年度外，其余申请均已办结。") == []


def test_results_litigation_decisions_docs_fee():
    assert len(findings("NAR-RESULT", "办结的申请中，予以公开6件、无法提供3件。")) == 1
    assert findings("NAR-RESULT", "办结的申请中，予以公开5件、无法提供3件。") == []
    assert len(findings("NAR-LITIGATION", "全年发生政府信息公开行政复议3件、行政诉讼1件。")) == 1
    assert findings("NAR-LITIGATION", "全年发生政府信息公开行政复议2件、行政诉讼1件。") == []
    assert findings("NAR-LITIGATION", "全年办理行政复议案件300件。") == []  # not about 信息公开
    assert len(findings("NAR-DECISION", "依法公开行政许可决定120件、行政处罚决定35件。")) == 1
    assert len(findings("NAR-NORMDOC", "本年度制发行政规范性文件6件、废止1件，现行有效30件。")) == 1
    assert findings("NAR-NORMDOC", "新增政策性文件11件。") == []
    assert len(findings("NAR-FEE", "全年行政事业性收费12.5万元。")) == 1
    assert findings("NAR-FEE", "全年行政事业性收费215000元。") == []


def test_done_without_applications_in_the_sentence_is_not_a_claim():
    assert findings("NAR-DONE", "共办结15件。") == []


def test_comparisons_with_last_year_are_not_claims():
    r = make_report("全年共收到政府信息公开申请7件，较上年增加5件。比上年度受理的20件有所下降。上年结转申请2件。", BASE)
    assert [(c.kind, c.value) for c in claims(r)] == [("apply", 7), ("carried", 2)]


def test_none_statements_are_zero_claims():
    (f,) = findings("NAR-APPLY", "本年度未收到政府信息公开申请。")
    assert f.actual == 0 and "即为0件" in f.message
    (g,) = findings("NAR-LITIGATION", "全年未发生政府信息公开行政复议。")
    assert g.cells == ("t4.review.total",)
    zero = {"t3.new.total": 0, "t3.carried_over.total": 0, "t4.review.total": 0}
    assert findings("NAR-APPLY", "本年度未收到政府信息公开申请。", zero) == []
    assert findings("NAR-LITIGATION", "全年未发生政府信息公开行政复议。", zero) == []


def test_applicant_split_of_a_result_is_not_a_new_applications_claim():
    r = make_report("予以公开的申请中自然人提出3件。新收申请中自然人提出6件。", BASE)
    assert [(c.kind, c.value) for c in claims(r)] == [("natural", 6)]
