"""Rules and findings: the catalogue's building blocks.

A rule is a small class with a stable id (``T3-ROW`` …), a group, a severity, a Chinese title,
its legal basis and 反例/正例 examples (they build ``docs/rules.md`` and are checked by a meta
test). ``check(ctx)`` yields :class:`Finding` values; a finding is frozen and ``to_dict()`` is the
one shape behind JSON, Excel, the UI and the draft guard.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from ..report.model import Report

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}

_ID_RE = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message: str  # Chinese: what is wrong, where, what the report should say instead
    cells: tuple[str, ...] = ()
    expected: Any = None
    actual: Any = None
    basis: str = ""
    location: str | None = None  # where in the document (section / table / line), Chinese
    quote: str | None = None  # the sentence concerned, for narrative findings
    # what the tables show that bears on a content finding, naming the cells (also in ``cells``), Chinese
    evidence: str | None = None
    certain: bool = False  # the tables prove it (e.g. fee notices were issued), not just: the text is silent

    def to_dict(self) -> dict:
        d = {
            "rule": self.rule,
            "severity": self.severity,
            "cells": list(self.cells),
            "message": self.message,
            "expected": self.expected,
            "actual": self.actual,
            "basis": self.basis,
        }
        if self.location:
            d["location"] = self.location
        if self.quote:
            d["quote"] = self.quote
        if self.evidence:
            d["evidence"] = self.evidence
            d["certain"] = self.certain
        return d


@dataclass
class CheckContext:
    """What a rule sees: the report, last year's report if known, and the rest of the batch."""

    report: Report
    previous: Report | None = None
    peers: list[Report] = field(default_factory=list)
    memo: dict = field(default_factory=dict)  # work shared by rules during one check (e.g. sentence claims)

    def cached(self, key: Any, compute: Any) -> Any:
        """``compute()`` once per check: rules that read the same derived data share it."""
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]


class Rule:
    """Subclass, set the class attributes and implement :meth:`check`."""

    id: ClassVar[str]
    group: ClassVar[str]  # table2 | table3 | table4 | parse | cross_year | narrative | stale | copy | required | plausibility
    severity: ClassVar[Severity]
    title: ClassVar[str]  # one Chinese line: what the rule checks
    basis: ClassVar[str]  # 《条例》第X条 / 2021 年格式通知
    bad_example: ClassVar[str]  # 反例: a report fragment the rule flags
    good_example: ClassVar[str]  # 正例: the corrected fragment
    aliases: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        rid = getattr(cls, "id", None)
        if rid is None:  # abstract helper class
            return
        if not _ID_RE.match(rid):
            raise ValueError(f"rule id {rid!r} must look like T3-ROW")
        if cls.severity not in SEVERITIES:
            raise ValueError(f"rule {rid}: bad severity {cls.severity!r}")

    def check(self, ctx: CheckContext) -> Iterable[Finding]:
        raise NotImplementedError

    def finding(self, message: str, *, severity: Severity | None = None, **kw: Any) -> Finding:
        return Finding(
            rule=self.id,
            severity=severity or self.severity,
            message=message,
            basis=kw.pop("basis", self.basis),
            **kw,
        )


def fmt_num(v: Any) -> str:
    if v is None:
        return "未知"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def iter_defined(values: Iterable[Any]) -> Iterator[Any]:
    return (v for v in values if v is not None)
