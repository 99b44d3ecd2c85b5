"""PLAUS-REGULATION, PLAUS-FEE-COUNT, PLAUS-SECRET on hand-built reports."""

from __future__ import annotations

import pytest

from assistant.rules.base import CheckContext
from assistant.rules.plausibility import level
from assistant.rules.registry import get_rule

from .reviewer_reports import make_report


def run(rule_id, report):
    return list(get_rule(rule_id).check(CheckContext(report)))


@pytest.mark.parametrize(
    ("agency", "kind", "lv"),
    [
        ("青禾县人民政府", "人民政府", "county"),
        ("湍东镇人民政府", "乡镇", "township"),
        ("东湖街道办事处", "街道", "township"),
        ("沭阳县发展和改革局", "部门", "county"),
        ("淮安市人民政府", "人民政府", "city"),
        ("上海市科学技术委员会", "部门", "city"),
        ("江苏省人民政府", "人民政府", "province"),
        ("平潭综合实验区交通与建设局", "部门", None),
    ],
)
def test_level(agency, kind, lv):
    assert level(make_report(agency=agency, kind=kind)) == lv


def test_regulation_at_county_or_township():
    (f,) = run("PLAUS-REGULATION", make_report(cells={"t2.regulation.issued": 2}))
    assert f.cells == ("t2.regulation.issued",) and f.expected == 0
    dept = make_report(agency="沭阳县发展和改革局", kind="部门", cells={"t2.regulation.issued": 1})
    assert len(run("PLAUS-REGULATION", dept)) == 1
    city = make_report(agency="淮安市人民政府", cells={"t2.regulation.issued": 1})
    assert run("PLAUS-REGULATION", city) == []
    assert run("PLAUS-REGULATION", make_report(cells={"t2.regulation.issued": None})) == []


def test_fee_written_as_count():
    (f,) = run("PLAUS-FEE-COUNT", make_report(cells={"t2.fee.amount": 12}, raw={"t2.fee.amount": "12件"}))
    assert f.actual == "12件"
    assert run("PLAUS-FEE-COUNT", make_report(cells={"t2.fee.amount": 3.46}, raw={"t2.fee.amount": "3.46"})) == []


def test_secret_at_township_is_info():
    (f,) = run("PLAUS-SECRET", make_report(agency="湍东镇人民政府", kind="乡镇", cells={"t3.withheld_1.total": 3}))
    assert f.severity == "info"
    assert run("PLAUS-SECRET", make_report(agency="淮安市人民政府", cells={"t3.withheld_1.total": 2})) == []
