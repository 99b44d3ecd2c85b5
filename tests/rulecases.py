"""Rule cases as data (``tests/fixtures/rules/<RULE-ID>.yml``), applied to a clean synthetic report.

A case edits the clean 青禾县人民政府 2024 report (and its clean 2023 predecessor) at the source, the
report is rendered as a web-page text dump, parsed by ``read_report`` and checked by the whole
catalogue; the case's ``expect`` lists the findings *of its rule* (severity, cells) — ``[]`` for none.
Keys: ``set``, ``replace`` [[old, new], ...], ``section_text`` {"五": body}, ``drop_sections`` ["六"],
``add`` {cell: delta}, ``blank``/``dash`` [cells written empty or “—”], ``omit_tables``/
``prose_tables`` ["t4"], ``form`` (text | html | markdown: how it is rendered), ``raw_sub``
[[regex, replacement]] applied once each to the rendered file, ``previous`` ({set: ...} or null), ``agency``,
``year``, ``peers`` [specs of other reports in the same batch, each with its own ``agency`` and
edits], ``expect`` (each {severity, cells, certain}: ``cells: []`` means the finding cites no cell,
``certain`` that the tables prove it), ``allow_extra``; or ``text``: a whole report as a web-page text dump, parsed
instead of the synthetic one (for layouts the generator does not make, e.g. the 2019 trial format).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

CASES_DIR = Path(__file__).parent / "fixtures" / "rules"
SECTION_NUMS = "一二三四五六"


@dataclass
class RuleCase:
    rule: str
    name: str
    spec: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.rule}:{self.name}"


def load_cases() -> list[RuleCase]:
    out = []
    for path in sorted(CASES_DIR.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data.get("cases", []):
            out.append(RuleCase(data["rule"], case["name"], case))
    return out


@lru_cache(maxsize=8)
def _clean(agency: str, year: int):
    from assistant.testing.synth import clean_report

    prev = clean_report(agency=agency, year=year - 1, seed=1)
    cur = clean_report(agency=agency, year=year, seed=2, previous=prev)
    return prev, cur


def _edit(r, spec: dict):
    r = copy.deepcopy(r)
    for cid, v in (spec.get("set") or {}).items():
        r.cells[cid] = v
    for cid, d in (spec.get("add") or {}).items():
        r.cells[cid] = r.cells[cid] + d
    r.omit_tables = set(r.omit_tables) | set(spec.get("omit_tables") or [])
    r.prose_tables = set(r.prose_tables) | set(spec.get("prose_tables") or [])
    r.blank = set(r.blank) | set(spec.get("blank") or [])
    r.dash = set(r.dash) | set(spec.get("dash") or [])
    sections = list(r.sections)
    for old, new in spec.get("replace") or []:
        hit = False
        for i, (head, body) in enumerate(sections):
            if old in body or old in head:
                sections[i] = (head.replace(old, new), body.replace(old, new))
                hit = True
        if not hit:
            raise AssertionError(f"case text {old!r} is not in the clean report")
    for num, body in (spec.get("section_text") or {}).items():
        idx = [i for i, (h, _b) in enumerate(sections) if h.startswith(num + "、")]
        assert idx, f"no section {num}"
        sections[idx[0]] = (sections[idx[0]][0], body)
    drop = set(spec.get("drop_sections") or [])
    sections = [(h, b) for h, b in sections if h.split("、", 1)[0] not in drop]
    r.sections = sections
    return r


def _render(r, spec: dict) -> tuple[bytes, str]:
    import re

    from assistant.testing.synth import to_html, to_markdown, to_text_dump

    form = spec.get("form", "text")
    text, ext = {"text": (to_text_dump, "txt"), "html": (to_html, "html"), "markdown": (to_markdown, "md")}[form]
    out = text(r)
    for pattern, repl in spec.get("raw_sub") or []:
        out, n = re.subn(pattern, repl, out, count=1)
        assert n == 1, f"raw_sub {pattern!r} did not match the rendered report"
    return out.encode("utf-8"), f"{r.agency}_{r.year}.{ext}"


def build(spec: dict):
    """(report, previous report or None, peers) for a case, each parsed from its rendered file."""
    from assistant.report import read_report_bytes

    if "text" in spec:
        report = read_report_bytes(spec["text"].encode("utf-8"), spec.get("name", "case.txt"))
        return report, None, []
    agency = spec.get("agency", "青禾县人民政府")
    year = spec.get("year", 2024)
    prev, cur = _clean(agency, 2024)
    cur = _edit(cur, spec)
    if year != cur.year:
        cur = copy.deepcopy(cur)
        cur.year = year
        cur.title = f"{cur.agency}{year}年政府信息公开工作年度报告"
    report = read_report_bytes(*_render(cur, spec))
    previous = None
    if "previous" not in spec or spec["previous"] is not None:
        p = _edit(prev, spec.get("previous") or {})
        previous = read_report_bytes(*_render(p, {}))
    peers = []
    for peer_spec in spec.get("peers") or []:
        _pp, peer = _clean(peer_spec["agency"], 2024)
        peers.append(read_report_bytes(*_render(_edit(peer, peer_spec), peer_spec)))
    return report, previous, peers
