"""Synthetic annual reports with numbers we know: the model and the clean-report generator.

Everything here is our own invention (agency names, numbers, wording); nothing is copied from
real reports. A :class:`SynthReport` holds the truth for all 200 canonical cells plus the
narrative sections; the renderers in :mod:`assistant.testing.synth_render` and
:mod:`assistant.testing.synth_binary` write it in each real form.
"""

from __future__ import annotations

import copy as _copy
import math
import random
from dataclasses import dataclass, field

from ..report.cells import (
    ALL_CELLS,
    T3_PARTS,
    T3_RESULT_PARTS,
    T3_ROW_KEYS,
    T4_COLUMNS,
    T4_GROUPS,
    t3,
    t4,
)
from ..report.meta import agency_kind as infer_agency_kind

Value = int | float | None

SECTION_TITLES: tuple[str, ...] = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)
TABLE_KEYS: tuple[str, ...] = ("t2", "t3", "t4")


@dataclass
class SynthReport:
    """A report we wrote ourselves; ``cells`` is the truth for all 200 canonical ids.

    ``cells[id] is None`` means the cell is not printed (a row whose cells are all None is left
    out of the table; a single None cell is printed empty). ``blank``/``dash`` list cells whose
    value (0) is written as ``""`` / ``"—"``. ``sections`` are (heading, body) in order; the body's
    paragraphs are separated by ``"\\n"``. Tables go right after the heading of the section they
    belong to (see :func:`table_of_heading`); ``omit_tables`` leaves a table out and
    ``prose_tables`` writes it as sentences instead of a grid.
    """

    agency: str
    year: int
    cells: dict[str, Value]
    blank: set[str] = field(default_factory=set)
    dash: set[str] = field(default_factory=set)
    sections: list[tuple[str, str]] = field(default_factory=list)
    omit_tables: set[str] = field(default_factory=set)
    prose_tables: set[str] = field(default_factory=set)
    title: str = ""
    kind: str = ""  # 人民政府 | 乡镇 | 街道 | 部门 (derived from the name when empty)
    date: str = ""  # publication date as printed, e.g. "2025年3月20日"
    signature: bool = True  # agency name and date under the last section
    seed: int = 0

    def __post_init__(self) -> None:
        if not self.title:
            self.title = f"{self.agency}{self.year}年政府信息公开工作年度报告"
        if not self.kind:
            self.kind = agency_kind(self.agency)
        if not self.date:
            month = 1 if self.kind == "部门" else 3
            self.date = f"{self.year + 1}年{month}月{10 + self.seed % 18}日"

    def copy(self) -> SynthReport:
        """A deep copy: mutate the copy freely (cells, sets and sections are not shared)."""
        return _copy.deepcopy(self)

    @property
    def name(self) -> str:
        """File stem used for fixtures: ``青禾县人民政府_2024``."""
        return f"{self.agency}_{self.year}"

    def written(self, cell_id: str) -> str:
        """How the cell is written: ``number``, ``blank``, ``dash`` or ``missing`` (None)."""
        if self.cells.get(cell_id) is None:
            return "missing"
        if cell_id in self.dash:
            return "dash"
        if cell_id in self.blank:
            return "blank"
        return "number"

    def truth(self) -> dict:
        """The truth JSON: all 200 ids, plus which cells are written blank/dash or not printed."""
        d: dict = {"_agency": self.agency, "_year": self.year, "_kind": self.kind, "_seed": self.seed}
        d.update({cid: self.cells.get(cid) for cid in ALL_CELLS})
        d["_blank_cells"] = sorted(self.blank, key=ALL_CELLS.index)
        d["_dash_cells"] = sorted(self.dash, key=ALL_CELLS.index)
        d["_null_cells"] = [cid for cid in ALL_CELLS if self.cells.get(cid) is None]
        d["_omit_tables"] = sorted(self.omit_tables)
        d["_prose_tables"] = sorted(self.prose_tables)
        return d


def agency_kind(agency: str) -> str:
    """人民政府 | 乡镇 | 街道 | 部门, from the agency's name (the parser's own reading; 其他 counts as 部门)."""
    kind = infer_agency_kind(agency)
    return kind if kind in ("人民政府", "乡镇", "街道") else "部门"


def may_make_rules(agency: str) -> bool:
    """Only provinces and 设区的市 (and 国务院部门) make 规章 (立法法)."""
    if agency_kind(agency) != "人民政府":
        return False
    head = agency.removesuffix("人民政府")
    return head.endswith(("省", "自治区")) or (head.endswith("市") and "县" not in head and "区" not in head)


def table_of_heading(heading: str) -> str | None:
    """Which table ("t2"/"t3"/"t4") belongs after a section heading, by its key phrase."""
    if "主动公开" in heading:
        return "t2"
    if "申请" in heading:
        return "t3"
    if "复议" in heading or "诉讼" in heading:
        return "t4"
    return None


# --------------------------------------------------------------------------- numbers


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


_SCALE = {"人民政府": 1.0, "部门": 0.6, "乡镇": 0.25, "街道": 0.3}
_COL_WEIGHT = {"natural": 1.0, "commercial": 0.3, "research": 0.04, "public_interest": 0.05, "legal_service": 0.15, "other": 0.08}
_ROW_WEIGHT = {
    "public": 12.0, "partial": 1.5,
    "withheld_1": 0.05, "withheld_2": 0.1, "withheld_3": 0.15, "withheld_4": 0.4,
    "withheld_5": 0.3, "withheld_6": 0.4, "withheld_7": 0.2, "withheld_8": 0.3,
    "unable_1": 3.0, "unable_2": 0.6, "unable_3": 0.4,
    "not_processed_1": 0.8, "not_processed_2": 0.5, "not_processed_3": 0.2,
    "not_processed_4": 0.1, "not_processed_5": 0.2,
    "other_1": 0.6, "other_2": 0.35, "other_3": 0.6,
}  # fmt: skip


def _t2(rng: random.Random, agency: str, kind: str, previous: SynthReport | None) -> dict[str, Value]:
    c: dict[str, Value] = {}
    prev = previous.cells if previous is not None else {}
    for row, allowed in (("regulation", may_make_rules(agency)), ("normative_doc", True)):
        issued = (rng.randint(0, 5) if row == "regulation" else rng.randint(1, 12 if kind == "人民政府" else 6)) if allowed else 0
        base = prev.get(f"t2.{row}.in_force")
        if base is None:
            base = (rng.randint(40, 160) if row == "regulation" else rng.randint(12, 60)) if allowed else 0
        repealed = min(rng.randint(0, 3), int(base)) if allowed else 0
        c[f"t2.{row}.issued"] = issued
        c[f"t2.{row}.repealed"] = repealed
        c[f"t2.{row}.in_force"] = int(base) + issued - repealed
    big = {"人民政府": 3000, "部门": 1500, "乡镇": 80, "街道": 60}[kind]
    c["t2.license.decisions"] = rng.randint(big // 10, big)
    c["t2.penalty.decisions"] = rng.randint(big // 30, big // 4)
    c["t2.coercion.decisions"] = rng.randint(0, max(3, big // 100))
    top = {"人民政府": 300.0, "部门": 80.0, "乡镇": 5.0, "街道": 3.0}[kind]
    fee = round(rng.uniform(0.3, top), 2)
    if fee == int(fee):
        fee = round(fee + 0.35, 2)
    c["t2.fee.amount"] = fee
    return c


def _t3(rng: random.Random, kind: str, previous: SynthReport | None) -> dict[str, Value]:
    scale = _SCALE[kind] * rng.uniform(0.6, 1.6)
    v: dict[tuple[str, str], int] = {}
    for col in T3_PARTS:
        for row in T3_RESULT_PARTS:
            v[row, col] = _poisson(rng, scale * _COL_WEIGHT[col] * _ROW_WEIGHT[row])
        if previous is not None and previous.cells.get(t3("carry_forward", col)) is not None:
            v["carried_over", col] = int(previous.cells[t3("carry_forward", col)] or 0)
        else:
            v["carried_over", col] = _poisson(rng, 1.2 * scale * _COL_WEIGHT[col])
        v["carry_forward", col] = _poisson(rng, 1.5 * scale * _COL_WEIGHT[col])
    # some applications from 法人或其他组织, always
    if all(v[row, "commercial"] == 0 for row in T3_RESULT_PARTS):
        v["public", "commercial"] = 1 + rng.randint(0, 2)
    if v["public", "natural"] == 0:
        v["public", "natural"] = 1 + rng.randint(0, 3)
    for col in T3_PARTS:
        v["result_total", col] = sum(v[row, col] for row in T3_RESULT_PARTS)
        new = v["result_total", col] + v["carry_forward", col] - v["carried_over", col]
        if new < 0:  # more carried over than handled: handle the rest this year
            v["public", col] += -new
            v["result_total", col] += -new
            new = 0
        v["new", col] = new
    c: dict[str, Value] = {}
    for row in T3_ROW_KEYS:
        for col in T3_PARTS:
            c[t3(row, col)] = v[row, col]
        c[t3(row, "total")] = sum(v[row, col] for col in T3_PARTS)
    return c


def _t4(rng: random.Random, kind: str) -> dict[str, Value]:
    scale = _SCALE[kind]
    lams = {
        "review": (1.2, 0.3, 0.3, 0.3),
        "suit_direct": (0.6, 0.1, 0.25, 0.3),
        "suit_after_review": (0.3, 0.05, 0.1, 0.15),
    }
    c: dict[str, Value] = {}
    for g in T4_GROUPS:
        parts = [_poisson(rng, scale * lam) for lam in lams[g]]
        for col, n in zip(T4_COLUMNS[:4], parts, strict=True):
            c[t4(g, col)] = n
        c[t4(g, "total")] = sum(parts)
    return c


def clean_cells(agency: str, year: int, seed: int, previous: SynthReport | None = None) -> dict[str, Value]:
    """All 200 cells, consistent in every identity (and with ``previous`` across years)."""
    rng = random.Random(f"cells|{agency}|{year}|{seed}")
    kind = agency_kind(agency)
    cells: dict[str, Value] = {}
    cells.update(_t2(rng, agency, kind, previous))
    cells.update(_t3(rng, kind, previous))
    cells.update(_t4(rng, kind))
    assert set(cells) == set(ALL_CELLS)
    return {cid: cells[cid] for cid in ALL_CELLS}


def clean_report(
    agency: str = "青禾县人民政府",
    year: int = 2024,
    seed: int = 0,
    previous: SynthReport | None = None,
) -> SynthReport:
    """A fully consistent report, deterministic per (agency, year, seed, previous)."""
    from .synth_text import write_sections

    cells = clean_cells(agency, year, seed, previous)
    r = SynthReport(agency=agency, year=year, cells=cells, seed=seed)
    r.sections = write_sections(r, previous)
    return r


__all__ = [
    "SECTION_TITLES",
    "SynthReport",
    "TABLE_KEYS",
    "agency_kind",
    "clean_cells",
    "clean_report",
    "may_make_rules",
    "table_of_heading",
]
