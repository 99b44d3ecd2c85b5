"""Table rules: every single defect is flagged on the right cell as an error; consistent edits are not."""

from __future__ import annotations

import random

import pytest

from assistant.report.cells import T3_COLUMNS, T3_PARTS, T3_RESULT_PARTS, T3_ROW_KEYS, T4_COLUMNS, T4_GROUPS
from assistant.report.mapper import map_document
from assistant.rules.engine import check_report
from assistant.rules.registry import all_rules

from .grid import clean_cells, document

SEEDS = range(1, 6)


def errors(cells: dict):
    return [f for f in check_report(map_document(document(cells))) if f.severity == "error"]


def _flagged(findings, cell: str) -> set[str]:
    return {f.rule for f in findings if cell in f.cells}


@pytest.mark.parametrize("seed", SEEDS)
def test_clean_report_has_no_error(seed):
    assert errors(clean_cells(seed)) == []


@pytest.mark.parametrize("seed", SEEDS)
def test_every_t3_cell_plus_one_is_flagged_on_that_cell(seed):
    base = clean_cells(seed)
    rnd = random.Random(seed)
    for cid in rnd.sample([c for c in base if c.startswith("t3.")], 25):
        cells = dict(base)
        cells[cid] += 1
        found = errors(cells)
        assert found, cid
        assert _flagged(found, cid), (cid, [f.rule for f in found])


@pytest.mark.parametrize("col", T3_COLUMNS)
def test_result_total_changed(col):
    cells = clean_cells(3)
    cells[f"t3.result_total.{col}"] += 2
    rules = _flagged(errors(cells), f"t3.result_total.{col}")
    assert "T3-TOTAL" in rules and "T3-BALANCE" in rules


def test_printed_zero_totals_with_rows_above():
    """A real error seen in published reports: （七）总计 0 everywhere while rows above are not."""
    cells = clean_cells(2)
    assert cells["t3.result_total.total"] > 0
    for c in T3_COLUMNS:
        cells[f"t3.result_total.{c}"] = 0
    found = errors(cells)
    assert {"t3.result_total.total"} <= {c for f in found if f.rule == "T3-TOTAL" for c in f.cells}


def test_balance_broken_by_carry_forward():
    cells = clean_cells(4)
    for c in ("natural", "total"):
        cells[f"t3.carry_forward.{c}"] += 1  # row identity still holds, balance does not
    found = errors(cells)
    assert {f.rule for f in found} == {"T3-BALANCE"}
    assert len(found) == 2
    bal = [f for f in found if "t3.carry_forward.total" in f.cells][0]
    assert bal.expected == bal.actual - 1


def test_negative_and_decimal_counts():
    cells = clean_cells(5)
    cells["t3.withheld_4.commercial"] = -1
    cells["t3.withheld_4.natural"] += 1  # keep sums: the only defect is the sign
    found = errors(cells)
    assert "T3-INT" in _flagged(found, "t3.withheld_4.commercial")
    cells = clean_cells(5)
    cells["t2.penalty.decisions"] = 12.5
    assert _flagged(errors(cells), "t2.penalty.decisions") == {"T2-INT"}
    cells = clean_cells(5)
    cells["t2.fee.amount"] = 24252.311082  # a decimal amount is fine
    assert errors(cells) == []
    cells["t2.fee.amount"] = -1.5
    assert _flagged(errors(cells), "t2.fee.amount") == {"T2-FEE"}


@pytest.mark.parametrize("group", T4_GROUPS)
def test_t4_group_sums(group):
    cells = clean_cells(6)
    cells[f"t4.{group}.pending"] += 1
    found = errors(cells)
    assert _flagged(found, f"t4.{group}.pending") == {"T4-SUM"}
    assert found[0].expected == found[0].actual + 1


@pytest.mark.parametrize("seed", SEEDS)
def test_consistent_edits_raise_no_error(seed):
    """Move applications between categories/columns keeping every identity: nothing to flag."""
    cells = clean_cells(seed)
    rnd = random.Random(seed * 7)
    for _ in range(5):
        a, b = rnd.sample(list(T3_RESULT_PARTS), 2)
        col = rnd.choice(T3_PARTS)
        n = rnd.randint(1, 3)
        cells[f"t3.{a}.{col}"] += n
        cells[f"t3.{b}.{col}"] += 0
        for k in ("total",):
            cells[f"t3.{a}.{k}"] += n
        cells[f"t3.result_total.{col}"] += n
        cells["t3.result_total.total"] += n
        cells[f"t3.new.{col}"] += n
        cells["t3.new.total"] += n
    g = rnd.choice(T4_GROUPS)
    cells[f"t4.{g}.corrected"] += 2
    cells[f"t4.{g}.total"] += 2
    assert errors(cells) == []


def test_table_removed_is_an_error_on_its_cells():
    from assistant.report.document import Table

    doc = document(clean_cells(7))
    doc.blocks = [b for b in doc.blocks if not (isinstance(b, Table) and b.index == 1)]
    found = [f for f in check_report(map_document(doc)) if f.severity == "error"]
    assert [f.rule for f in found] == ["REQ-TABLE"]
    assert len(found[0].cells) == 175


def test_catalogue_is_complete_and_documented():
    rules = all_rules()
    ids = [r.id for r in rules]
    assert len(ids) == len(set(ids))
    for r in rules:
        assert r.title and r.basis and r.bad_example and r.good_example, r.id
        assert r.severity in ("error", "warning", "info")
    for rid in ("T3-ROW", "T3-TOTAL", "T3-BALANCE", "T3-INT", "T4-SUM", "T2-INT", "T2-FEE", "REQ-TABLE"):
        assert rid in ids


def test_rule_counts_match_the_format():
    """25 row checks, 7 column totals, 7 balances, 3 table-4 groups: break them all at once."""
    cells = clean_cells(8)
    for k in T3_ROW_KEYS:
        cells[f"t3.{k}.total"] += 100
    for g in T4_GROUPS:
        cells[f"t4.{g}.total"] += 1
    found = check_report(map_document(document(cells)))
    by_rule = {}
    for f in found:
        by_rule[f.rule] = by_rule.get(f.rule, 0) + 1
    assert by_rule["T3-ROW"] == 25
    assert by_rule["T4-SUM"] == 3
    assert by_rule.get("T3-TOTAL") == 1  # only the 总计 column: 21 parts +100 each vs total +100
    assert T4_COLUMNS[-1] == "total"
