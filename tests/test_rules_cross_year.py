"""XY-CARRY, XY-INFORCE, XY-YEAR on hand-built reports."""

from __future__ import annotations

from assistant.report.cells import T3_COLUMNS
from assistant.rules.base import CheckContext
from assistant.rules.registry import get_rule

from .reviewer_reports import make_report


def run(rule_id, report, previous):
    return list(get_rule(rule_id).check(CheckContext(report, previous=previous)))


def test_carry_checks_every_column():
    prev = make_report(year=2023, cells={"t3.carry_forward.natural": 2, "t3.carry_forward.legal_service": 1, "t3.carry_forward.total": 3})
    cur = make_report(cells={"t3.carried_over.natural": 2, "t3.carried_over.legal_service": 0, "t3.carried_over.total": 2})
    got = run("XY-CARRY", cur, prev)
    assert [f.cells for f in got] == [("t3.carried_over.legal_service",), ("t3.carried_over.total",)]
    assert all(f.severity == "error" for f in got)
    assert got[1].expected == 3 and got[1].actual == 2 and "2023年度报告" in got[1].message


def test_carry_agrees_in_all_seven_columns():
    vals = {c: i for i, c in enumerate(T3_COLUMNS)}
    prev = make_report(year=2023, cells={f"t3.carry_forward.{c}": v for c, v in vals.items()})
    cur = make_report(cells={f"t3.carried_over.{c}": v for c, v in vals.items()})
    assert run("XY-CARRY", cur, prev) == []


def test_carry_skips_unknown_cells_and_wrong_years():
    prev = make_report(year=2023, cells={"t3.carry_forward.total": None})
    assert run("XY-CARRY", make_report(cells={"t3.carried_over.total": 5}), prev) == []
    prev2 = make_report(year=2022, cells={"t3.carry_forward.total": 4})
    assert run("XY-CARRY", make_report(cells={"t3.carried_over.total": 5}), prev2) == []
    assert run("XY-CARRY", make_report(cells={"t3.carried_over.total": 5}), None) == []


def test_in_force_chain():
    prev = make_report(year=2023, cells={"t2.normative_doc.in_force": 40})
    good = make_report(cells={"t2.normative_doc.issued": 5, "t2.normative_doc.repealed": 2, "t2.normative_doc.in_force": 43})
    bad = make_report(cells={"t2.normative_doc.issued": 5, "t2.normative_doc.repealed": 2, "t2.normative_doc.in_force": 30})
    assert run("XY-INFORCE", good, prev) == []
    (f,) = run("XY-INFORCE", bad, prev)
    assert f.severity == "warning" and f.expected == 43 and f.actual == 30 and f.cells[0] == "t2.normative_doc.in_force"


def test_year_must_follow():
    (f,) = run("XY-YEAR", make_report(), make_report(year=2022))
    assert f.expected == 2023 and f.actual == 2022
    assert run("XY-YEAR", make_report(), make_report(year=2023)) == []
    other = run("XY-YEAR", make_report(), make_report(year=2023, agency="白沙镇人民政府", kind="乡镇"))
    assert [f.severity for f in other] == ["info"]
