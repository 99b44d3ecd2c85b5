"""批量概览: the batch figures of :mod:`assistant.summary` as a table and plot data (pandas frames
for Gradio's native plots). The figures themselves are computed there, not here."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..rules.base import SEVERITY_LABELS
from ..summary import FIGURE_LABELS, FIGURES, OUTLIER_RULE, format_figure, summarize
from .workspace import ReviewSession

if TYPE_CHECKING:
    import pandas as pd

OUTLIER_MARK = "▲"
# the shares that make up how applications were answered, stacked per agency
_SHARES = ("public_share", "withheld_share", "unable_share")
_SHARE_NAMES = {"public_share": "予以公开", "withheld_share": "不予公开", "unable_share": "无法提供"}
CHANGE_COLORS = {"增加": "#c0392b", "减少": "#2e86c1", "持平": "#7f8c8d"}


@dataclass
class Overview:
    note: str  # Markdown above the table
    table: pd.DataFrame  # one row per report plus the batch median
    by_rule: pd.DataFrame  # 规则, 级别, 条数
    by_agency: pd.DataFrame  # 单位, 结果, 占比（%） (how applications were answered, stacked to 100)
    by_year: pd.DataFrame  # 单位, 变化, 增减（件） (applications received, this year minus last year)


def _who(agency: str | None, source: str) -> str:
    return agency or source


def overview_figures(session: ReviewSession) -> Overview:
    import pandas as pd

    summary = summarize(session.results)
    heads = ["单位", "年度", *(FIGURE_LABELS[k] for k in FIGURES)]
    rows = []
    for r in summary.rows:
        cells = [format_figure(k, r.values.get(k)) + (f" {OUTLIER_MARK}" if k in r.outliers else "") for k in FIGURES]
        rows.append([_who(r.agency, r.source), r.year or "", *cells])
    if summary.rows:
        rows.append(["本批中位数", "", *(format_figure(k, summary.median.get(k)) for k in FIGURES)])
    table = pd.DataFrame(rows, columns=heads)

    counts = Counter((row.finding.rule, SEVERITY_LABELS[row.finding.severity]) for row in session.rows)
    by_rule = pd.DataFrame([[rule, sev, n] for (rule, sev), n in sorted(counts.items())], columns=["规则", "级别", "条数"])

    shares: list[list] = []
    for r in summary.rows:
        known = {k: v for k in _SHARES if (v := r.values.get(k)) is not None}
        shares += [[_who(r.agency, r.source), _SHARE_NAMES[k], round(100 * v, 1)] for k, v in known.items()]
        if len(known) == len(_SHARES):  # the rest (部分公开, 不予处理, 其他处理) so that the bar reaches 100
            shares.append([_who(r.agency, r.source), "其他结果", round(100 * (1 - sum(known.values())), 1)])
    by_agency = pd.DataFrame(shares, columns=["单位", "结果", "占比（%）"])

    this_year = {(r.agency, r.year): r.values.get("received") for r in summary.rows if r.agency and r.year}
    last = summarize(session.previous) if session.previous else None
    last_year = {(r.agency, r.year): r.values.get("received") for r in (last.rows if last else []) if r.agency and r.year}
    pool = {**last_year, **this_year}
    yoy: list[list] = []
    for (agency, year), v in this_year.items():
        before = pool.get((agency, year - 1))
        if v is not None and before is not None:
            d = v - before
            yoy.append([agency, "增加" if d > 0 else "减少" if d < 0 else "持平", d])
    by_year = pd.DataFrame(yoy, columns=["单位", "变化", "增减（件）"])
    has_last = bool(yoy)

    n_out = sum(len(r.outliers) for r in summary.rows)
    note = (
        f"共 {len(summary.rows)} 份报告。末行为本批中位数；"
        + (f"标 {OUTLIER_MARK} 的 {n_out} 个数字与本批其他报告相差很大，值得核对原件。" if n_out else "没有与本批其他报告相差很大的数字。")
        + f"\n\n<small>判断方法：{OUTLIER_RULE}。“—”表示无法从表格读出或分母为 0。</small>"
        + ("" if has_last else "\n\n<small>附上上年报告后，下方图表可比较本年与上年收到的申请数。</small>")
    ) if summary.rows else "审核一批报告后，这里按单位列出关键数字并作图。"
    return Overview(note, table, by_rule, by_agency, by_year)


__all__ = ["CHANGE_COLORS", "OUTLIER_MARK", "Overview", "overview_figures"]
