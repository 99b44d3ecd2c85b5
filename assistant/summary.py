"""Batch figures: per report the numbers a reviewer compares across agencies, the batch median, outliers.

A 市 or 县 office that receives forty reports at once wants one row per report: applications
received, the share 予以公开 / 不予公开 / 无法提供, 复议 and 诉讼 counts and how many were corrected,
and how many findings of each severity. :func:`summarize` computes them from the cells (an unknown
cell stays unknown, ``None``, never 0), then the batch median of each figure and, per report, the
figures far from it.

Outlier rule (documented in README and ``OUTLIER_RULE``): a robust z-score,
``|x − median| / spread > 3.5`` where ``spread = 1.4826 × MAD`` (the median absolute deviation,
scaled to a standard deviation); when more than half the batch has the same value (MAD = 0),
``spread = 1.2533 × mean absolute deviation`` instead (Iglewicz & Hoaglin). The spread never goes
below a floor — 1 for counts (so 0 vs 2 件 is never "far"), 0.05 for shares — and a figure is
only judged when at least :data:`MIN_BATCH` reports of the batch know it. A report's own unknown
figure is never an outlier.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from .report.cells import t3, t4
from .report.model import Number, Report
from .review import ReviewResult

FIGURES: tuple[str, ...] = (
    "received",
    "new",
    "carried_over",
    "public_share",
    "withheld_share",
    "unable_share",
    "review",
    "review_corrected_share",
    "suit",
    "suit_corrected_share",
    "errors",
    "warnings",
    "infos",
)

FIGURE_LABELS: dict[str, str] = {
    "received": "收到申请（新收+上年结转）",
    "new": "本年新收",
    "carried_over": "上年结转",
    "public_share": "予以公开占比",
    "withheld_share": "不予公开占比",
    "unable_share": "无法提供占比",
    "review": "行政复议（件）",
    "review_corrected_share": "复议纠正占比",
    "suit": "行政诉讼（件）",
    "suit_corrected_share": "诉讼纠正占比",
    "errors": "错误",
    "warnings": "警告",
    "infos": "提示",
}

# count: a number of 件 (or of findings); share: a fraction 0–1 of a denominator (None when it is 0 or unknown)
FIGURE_KINDS: dict[str, Literal["count", "share"]] = {k: "share" if k.endswith("_share") else "count" for k in FIGURES}

MIN_BATCH = 5  # reports that know a figure before any of them can be an outlier in it
Z_LIMIT = 3.5
_FLOOR = {"count": 1.0, "share": 0.05}
OUTLIER_RULE = (
    f"与本批中位数之差超过 {Z_LIMIT} 倍稳健离散度（1.4826×中位数绝对偏差；多数报告数值相同时改用 1.2533×平均绝对偏差；"
    f"件数至少按 1、占比至少按 5 个百分点计）；本批至少 {MIN_BATCH} 份报告有该项数值时才判断，未知数值不判为异常"
)


@dataclass(frozen=True)
class ReportFigures:
    """One report's figures: ``values[key]`` is ``None`` when the cells it needs are unknown (or a share's
    denominator is 0); ``outliers`` are the keys whose value is far from the batch median."""

    source: str
    agency: str | None
    year: int | None
    values: dict[str, float | int | None]
    outliers: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {
            "source": self.source,
            "agency": self.agency,
            "year": self.year,
            "values": {k: self.values.get(k) for k in FIGURES},
            "outliers": list(self.outliers),
        }


@dataclass(frozen=True)
class BatchSummary:
    """One row per readable report (in batch order) and the batch median of every figure."""

    rows: list[ReportFigures]
    median: dict[str, float | None]

    def to_dict(self) -> dict:
        return {
            "figures": [{"key": k, "label": FIGURE_LABELS[k], "kind": FIGURE_KINDS[k]} for k in FIGURES],
            "median": {k: self.median.get(k) for k in FIGURES},
            "rows": [r.to_dict() for r in self.rows],
            "outlier_rule": OUTLIER_RULE,
        }


# ----------------------------------------------------------------------------- figures of one report


def _t3_row(r: Report, row: str) -> Number | None:
    return r.value_or_sum(t3(row, "total"))


def _t4_group(r: Report, group: str) -> Number | None:
    return r.value_or_sum(t4(group, "total"))


def sum_known(values: Sequence[Number | None]) -> Number | None:
    """The sum, or ``None`` when any value is unknown (an unknown cell never counts as 0)."""
    return None if any(v is None for v in values) else sum(values)  # type: ignore[arg-type]


def _share(part: Number | None, whole: Number | None) -> float | None:
    if part is None or not whole:  # unknown, or nothing to divide by
        return None
    return round(part / whole, 4)


def report_values(result: ReviewResult) -> dict[str, float | int | None]:
    """The figures of one reviewed report (its ``report`` must be set)."""
    r = result.report
    assert r is not None
    new, carried = _t3_row(r, "new"), _t3_row(r, "carried_over")
    done = _t3_row(r, "result_total")
    withheld = sum_known([_t3_row(r, f"withheld_{i}") for i in range(1, 9)])
    unable = sum_known([_t3_row(r, f"unable_{i}") for i in range(1, 4)])
    review = _t4_group(r, "review")
    suit = sum_known([_t4_group(r, "suit_direct"), _t4_group(r, "suit_after_review")])
    suit_corrected = sum_known([r.value(t4("suit_direct", "corrected")), r.value(t4("suit_after_review", "corrected"))])
    counts = result.counts()
    return {
        "received": sum_known([new, carried]),
        "new": new,
        "carried_over": carried,
        "public_share": _share(_t3_row(r, "public"), done),
        "withheld_share": _share(withheld, done),
        "unable_share": _share(unable, done),
        "review": review,
        "review_corrected_share": _share(r.value(t4("review", "corrected")), review),
        "suit": suit,
        "suit_corrected_share": _share(suit_corrected, suit),
        "errors": counts["error"],
        "warnings": counts["warning"],
        "infos": counts["info"],
    }


# ----------------------------------------------------------------------------- batch


def _spread(values: list[float], median: float, floor: float) -> float:
    mad = statistics.median(abs(v - median) for v in values)
    spread = 1.4826 * mad if mad else 1.2533 * statistics.fmean(abs(v - median) for v in values)
    return max(spread, floor)


def outlier_keys(values: dict[str, float | int | None], known: dict[str, list[float]], median: dict[str, float | None]) -> tuple[str, ...]:
    """The keys of ``values`` far from the batch (``known``: every report's known values of each key)."""
    out = []
    for k in FIGURES:
        v, m, batch = values.get(k), median.get(k), known.get(k, [])
        if v is None or m is None or len(batch) < MIN_BATCH:
            continue
        if abs(v - m) > Z_LIMIT * _spread(batch, m, _FLOOR[FIGURE_KINDS[k]]):
            out.append(k)
    return tuple(out)


def _round(key: str, value: float) -> float:
    return round(value, 4) if FIGURE_KINDS[key] == "share" else value


def summarize(results: Sequence[ReviewResult]) -> BatchSummary:
    """Figures of every readable report in ``results`` (unreadable files have no row), the batch median
    of each figure (``None`` when no report knows it) and each report's outliers."""
    readable = [res for res in results if res.report is not None]
    values = [report_values(res) for res in readable]
    known = {k: [float(v[k]) for v in values if v[k] is not None] for k in FIGURES}  # type: ignore[arg-type]
    median = {k: (_round(k, statistics.median(known[k])) if known[k] else None) for k in FIGURES}
    rows = [
        ReportFigures(
            source=res.source,
            agency=res.report.agency if res.report else None,
            year=res.report.year if res.report else None,
            values=v,
            outliers=outlier_keys(v, known, median),
        )
        for res, v in zip(readable, values, strict=True)
    ]
    return BatchSummary(rows=rows, median=median)


def format_figure(key: str, value: float | int | None) -> str:
    """How a figure is shown to a reviewer: ``43.7%`` for a share, ``12`` for a count, ``—`` when unknown."""
    if value is None:
        return "—"
    if FIGURE_KINDS[key] == "share":
        return f"{100 * value:.1f}%"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    return str(int(value))


__all__ = [
    "FIGURES",
    "FIGURE_KINDS",
    "FIGURE_LABELS",
    "MIN_BATCH",
    "OUTLIER_RULE",
    "BatchSummary",
    "ReportFigures",
    "format_figure",
    "report_values",
    "summarize",
]
