"""The draft guard: a drafted section is checked by the same validators that review reports.

The draft replaces the section in a copy of the report, and the catalogue's narrative rules (every
count the prose states against its cells), stale-year and foreign-name rules, and — for 五 — the
copied-from-last-year and no-follow-up rules run on it; only findings inside the drafted section
count. On top, every number must trace to a cell, a figure computed from cells, last year's 五 or
the report's years, and every cited article must exist in the knowledge base (when one is given).
The guard reads only the draft and the cells: text planted in a report cannot switch it off.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from ..report.model import Report, Section
from ..rules.base import Finding, Rule
from ..rules.engine import check_report
from ..rules.registry import all_rules
from .facts import Fact, report_facts
from .verify import allowed_numbers, check_articles, untraced_numbers

SECTION_TITLES = {"一": "一、总体情况", "五": "五、存在的主要问题及改进情况"}
GUARD_GROUPS = ("narrative", "stale")
FIVE_RULES = ("COPY-PREV", "COPY-NOFOLLOWUP")


def with_section(report: Report, section: str, text: str) -> tuple[Report, str]:
    """A shallow copy of ``report`` whose section ``一``/``五`` holds ``text``; (copy, its title)."""
    out = copy.copy(report)
    sections = list(report.sections)
    for i, s in enumerate(sections):
        if s.canonical == section:
            sections[i] = Section(s.number, s.title, text, s.line, s.canonical)
            out.sections = sections
            return out, s.title
    title = SECTION_TITLES[section]
    new = Section(section, title, text, None, section)
    order = "一二三四五六"
    pos = next((i for i, s in enumerate(sections) if s.canonical and order.index(s.canonical) > order.index(section)), len(sections))
    sections.insert(pos, new)
    out.sections = sections
    return out, title


def guard_rules(section: str, previous: Report | None) -> list[Rule]:
    rules = [r for r in all_rules() if r.group in GUARD_GROUPS]
    if section == "五":
        rules += [r for r in all_rules() if r.id in FIVE_RULES and (previous is not None or r.id != "COPY-PREV")]
    return rules


def _flag(f: Finding) -> dict[str, Any]:
    return {
        "kind": "contradiction",
        "rule": f.rule,
        "sentence": f.quote or "",
        "problem": f.message,
        "cells": list(f.cells),
        "expected": f.expected,
        "actual": f.actual,
    }


def check_draft(
    report: Report,
    text: str,
    *,
    section: str = "五",
    previous: Report | None = None,
    facts: Sequence[Fact] | None = None,
    articles: Mapping[str, set[str]] | None = None,
) -> list[dict[str, Any]]:
    """Flags for a drafted section (empty: the draft agrees with the tables and the report year)."""
    draft_report, title = with_section(report, section, text)
    findings = check_report(draft_report, previous=previous, rules=guard_rules(section, previous))
    flags = [_flag(f) for f in findings if f.location == title]
    facts = report_facts(report) if facts is None else facts
    years = [report.year - 1, report.year, report.year + 1] if report.year else []
    prev_five = previous.section("五") if previous is not None else None
    allowed = allowed_numbers(prev_five.text if prev_five else "", values=[f.value for f in facts] + years)
    quoted = [_squash(fl["sentence"]) for fl in flags if fl["sentence"]]
    for fl in untraced_numbers(text, allowed, ignore_small=False):
        s = _squash(fl["sentence"])
        if any(s in q or q in s for q in quoted):  # a rule's flag on that sentence already says more
            continue
        fl["cells"] = []
        flags.append(fl)
    if articles is not None:
        flags += check_articles(text, articles)
    return flags


def _squash(text: str) -> str:
    return "".join(text.split()).rstrip("。；")


def problems_text(flags: Sequence[Mapping[str, Any]]) -> str:
    """The flags as the feedback list of the second attempt."""
    lines = []
    for i, fl in enumerate(flags, 1):
        where = f"“{fl['sentence']}”：" if fl.get("sentence") else ""
        lines.append(f"{i}. {where}{fl['problem']}")
    return "\n".join(lines)
