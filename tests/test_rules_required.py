"""REQ-ASSESS, REQ-FEE, REQ-FEE-CONFLICT, REQ-TOPICS on hand-built reports."""

from __future__ import annotations

import pytest

from assistant.rules.base import CheckContext
from assistant.rules.registry import get_rule

from .reviewer_reports import make_report

ASSESS = "工作考核、社会评议和责任追究结果情况：将政务公开纳入绩效考核，开展社会评议，评价良好；未发生责任追究情况。"


def run(rule_id, report):
    return list(get_rule(rule_id).check(CheckContext(report)))


def test_assessment_required_for_governments_only():
    (f,) = run("REQ-ASSESS", make_report(sections={"一": "全年组织业务培训3次。"}))
    assert "工作考核、社会评议、责任追究" in f.message
    (g,) = run("REQ-ASSESS", make_report(sections={"五": "健全监督考核机制。"}))
    assert "社会评议、责任追究" in g.message and "工作考核、" not in g.actual
    assert run("REQ-ASSESS", make_report(sections={"一": ASSESS})) == []
    for kind, agency in (("乡镇", "湍东镇人民政府"), ("街道", "东湖街道办事处")):
        assert len(run("REQ-ASSESS", make_report(agency=agency, kind=kind, sections={"一": "培训3次。"}))) == 1
    assert run("REQ-ASSESS", make_report(agency="青禾县交通运输局", kind="部门", sections={"一": "培训3次。"})) == []


@pytest.mark.parametrize("six", ["无。", "", "全年承办人大代表建议12件。"])
def test_fee_must_be_reported(six):
    (f,) = run("REQ-FEE", make_report(sections={"六": six}))
    assert f.location == "六、其他需要报告的事项" and "信息处理费" in f.message


@pytest.mark.parametrize(
    "six",
    ["本年度未收取信息处理费。", "2023年度，县发展和改革局政府信息公开未发生收费情况。", "全年收取政府信息公开信息处理费3940元。"],
)
def test_fee_reported(six):
    assert run("REQ-FEE", make_report(sections={"六": six})) == []


@pytest.mark.parametrize(
    "six",
    ["本年度未收取信息处理费。", "本年度没有产生信息公开处理费。", "未发生政府信息公开收费情况。", "本年度未向申请人发出收费通知。"],
)
def test_fee_conflict(six):
    (f,) = run("REQ-FEE-CONFLICT", make_report(sections={"六": six}, cells={"t3.other_2.total": 2}))
    assert f.cells == ("t3.other_2.total",) and f.quote


def test_fee_conflict_not_when_notices_are_described_or_none_unpaid():
    six = "发出收费通知3件，通知收取信息处理费600元，实际收取0元；其中2件因申请人逾期未缴纳费用，不再处理。"
    assert run("REQ-FEE-CONFLICT", make_report(sections={"六": six}, cells={"t3.other_2.total": 2})) == []
    assert run("REQ-FEE-CONFLICT", make_report(sections={"六": "本年度未收取信息处理费。"})) == []
    unknown = make_report(sections={"六": "本年度未收取信息处理费。"}, cells={"t3.other_2.total": None})
    assert run("REQ-FEE-CONFLICT", unknown) == []


def test_five_topics():
    full = "（一）主动公开……（二）依申请公开……（三）政府信息管理……（四）平台建设，优化网站专栏……（五）监督保障，组织培训。"
    assert run("REQ-TOPICS", make_report(sections={"一": full})) == []
    (f,) = run("REQ-TOPICS", make_report(sections={"一": "全年主动公开政府信息600条，优化网站专栏。"}))
    assert f.severity == "info" and "依申请公开、政府信息管理、监督保障" in f.message


# ---------------------------------------------------------------- evidence from the tables (issue 14)


def test_fee_omission_is_certain_when_table_three_shows_fee_notices():
    (f,) = run("REQ-FEE", make_report(sections={"六": "无。"}, cells={"t3.other_2.total": 2}))
    assert f.certain and f.cells == ("t3.other_2.total",)
    assert "发出过收费通知" in f.message and "确定遗漏" in f.message and "2件" in f.message
    assert "三（六）2" in f.evidence and f.to_dict()["certain"] is True


@pytest.mark.parametrize("unpaid", [0, None])
def test_fee_omission_without_evidence_is_not_certain(unpaid):
    (f,) = run("REQ-FEE", make_report(sections={"六": "无。"}, cells={"t3.other_2.total": unpaid}))
    assert not f.certain and f.cells == () and f.evidence is None
    assert "确定" not in f.message and "certain" not in f.to_dict()


def test_fee_omission_evidence_from_the_row_when_its_total_is_unreadable():
    cells = {"t3.other_2.total": None, "t3.other_2.natural": 1, "t3.other_2.commercial": 1}
    (f,) = run("REQ-FEE", make_report(sections={"六": "无。"}, cells=cells))
    assert f.certain and "2件" in f.evidence


def test_fee_conflict_carries_its_evidence():
    (f,) = run("REQ-FEE-CONFLICT", make_report(sections={"六": "本年度未收取信息处理费。"}, cells={"t3.other_2.total": 2}))
    assert f.certain and "发出过收费通知" in f.evidence


def test_topics_left_out_while_the_tables_show_that_work():
    one = "（三）政府信息管理，保密审查……（四）平台建设，优化网站专栏……（五）监督保障，组织培训。"
    cells = {"t3.new.total": 5, "t3.carried_over.total": 1, "t2.penalty.decisions": 12}
    (f,) = run("REQ-TOPICS", make_report(sections={"一": one}, cells=cells))
    assert f.certain and f.cells == ("t2.penalty.decisions", "t3.new.total", "t3.carried_over.total")  # topics in format order
    assert "“一、本年新收”5件" in f.evidence and "行政处罚 本年处理决定数量”为12" in f.evidence
    # nothing in tables 2 and 3: the same omission, but not certain
    zero = {"t3.new.total": 0, "t3.carried_over.total": 0}
    (g,) = run("REQ-TOPICS", make_report(sections={"一": one}, cells=zero))
    assert not g.certain and g.cells == () and "确定" not in g.message


def test_assessment_and_follow_up_have_no_table_evidence():
    """考核/评议/追究 and last year's problems are not in any table: those findings never claim certainty."""
    (f,) = run("REQ-ASSESS", make_report(sections={"一": "全年组织业务培训3次。"}, cells={"t4.review.corrected": 2}))
    assert not f.certain and f.evidence is None
