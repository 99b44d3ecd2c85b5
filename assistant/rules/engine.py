"""Run the catalogue over a report."""

from __future__ import annotations

from collections.abc import Sequence

from ..report.model import Report
from ._peers import Peers
from .base import SEVERITIES, CheckContext, Finding, Rule
from .registry import all_rules


def check_report(
    report: Report,
    *,
    previous: Report | None = None,
    peers: Sequence[Report] = (),
    rules: Sequence[Rule] | None = None,
) -> list[Finding]:
    """All findings for ``report``, errors first, then by rule id (stable order).

    ``peers``: the other reports of the batch; a :class:`~assistant.rules._peers.Peers` of the whole batch
    (the report itself may be in it) lets COPY-PEER skip pairs that cannot be alike."""
    if not isinstance(peers, Peers):
        peers = [p for p in peers if p is not report]
    ctx = CheckContext(report=report, previous=previous, peers=peers)
    findings: list[Finding] = []
    for rule in rules if rules is not None else all_rules():
        findings.extend(rule.check(ctx))
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(findings, key=lambda f: (order[f.severity], f.rule))
