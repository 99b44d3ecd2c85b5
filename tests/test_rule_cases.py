"""One parametrised test runs every case file in tests/fixtures/rules (``pytest -k T3-ROW``)."""

from __future__ import annotations

import pytest

from assistant.rules.engine import check_report
from assistant.rules.registry import all_rules

from .rulecases import CASES_DIR, build, load_cases

CASES = load_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rule_case(case):
    report, previous, peers = build(case.spec)
    findings = [f for f in check_report(report, previous=previous, peers=peers) if f.rule == case.rule]
    expected = case.spec.get("expect") or []
    unmatched = list(findings)
    for want in expected:
        match = next(
            (
                f
                for f in unmatched
                if f.severity == want.get("severity", f.severity)
                and set(want.get("cells", [])) <= set(f.cells)
                and (want.get("cells") != [] or f.cells == ())  # cells: [] = the finding cites no cell
                and f.certain == want.get("certain", f.certain)
            ),
            None,
        )
        assert match is not None, f"expected {want}, got {[f.to_dict() for f in findings]}"
        unmatched.remove(match)
    if not case.spec.get("allow_extra"):
        assert unmatched == [], [f.to_dict() for f in unmatched]


def test_every_rule_has_a_case_file_with_a_failing_and_a_passing_case():
    by_rule: dict[str, list] = {}
    for c in CASES:
        by_rule.setdefault(c.rule, []).append(c)
    missing = []
    for rule in all_rules():
        cases = by_rule.get(rule.id, [])
        if not (any(c.spec.get("expect") for c in cases) and any(not c.spec.get("expect") for c in cases)):
            missing.append(rule.id)
    assert not missing, f"rules without pass+fail cases in {CASES_DIR}: {missing}"
