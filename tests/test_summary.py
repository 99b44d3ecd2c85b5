"""Batch figures (assistant.summary): checked by hand on the real reports; unknowns stay unknown; outliers."""

from __future__ import annotations

import json

import pytest

from assistant.errors import InputError
from assistant.report.cells import ALL_CELLS
from assistant.report.model import Cell, Report
from assistant.review import ReviewResult, review_paths
from assistant.rules.base import Finding
from assistant.summary import FIGURE_LABELS, FIGURES, MIN_BATCH, format_figure, summarize

from .conftest import shared_corpus


def _result(cells: dict[str, int | None], *, source: str = "r.txt", agency: str = "青禾县人民政府", findings=()) -> ReviewResult:
    r = Report(source=source, form="text", agency=agency, year=2024)
    r.cells = {cid: Cell(cid, 0) for cid in ALL_CELLS}
    for cid, v in cells.items():
        r.cells[cid] = Cell(cid, v, "number" if v is not None else "missing")
    return ReviewResult(source=source, report=r, findings=list(findings))


def test_api_keys_and_labels():
    assert FIGURES[:3] == ("received", "new", "carried_over")
    assert set(FIGURES) >= {"public_share", "withheld_share", "unable_share", "review", "review_corrected_share",
                            "suit", "suit_corrected_share", "errors", "warnings", "infos"}  # fmt: skip
    assert set(FIGURE_LABELS) == set(FIGURES)
    assert FIGURE_LABELS["received"] == "收到申请（新收+上年结转）"


# Read off the hand-read cells (../shared/corpus/reports/*.cells.json), figure by figure:
#   received = 一 + 二 总计; shares over 三（七）总计; 不予公开 = Σ 三（三）1–8; 无法提供 = Σ 三（四）1–3;
#   review = 表四 行政复议 总计 (纠正 / 总计); suit = 直接起诉 + 复议后起诉 总计 (纠正之和 / 总计之和).
BY_HAND = {
    "淮安市人民政府": {
        "received": 3119 + 34, "new": 3119, "carried_over": 34,
        "public_share": 1362 / 3050,
        "withheld_share": (2 + 31 + 5 + 6 + 8 + 12 + 9 + 105) / 3050,
        "unable_share": (769 + 11 + 1) / 3050,
        "review": 351, "review_corrected_share": 64 / 351,
        "suit": 26 + 20, "suit_corrected_share": (4 + 1) / 46,
    },
    "上海市科委": {
        "received": 34 + 2, "new": 34, "carried_over": 2,
        "public_share": 9 / 35, "withheld_share": (1 + 1) / 35, "unable_share": (4 + 6 + 0) / 35,
        "review": 1, "review_corrected_share": 0 / 1,
        "suit": 0, "suit_corrected_share": None,  # no suit: nothing to divide by
    },
    "沭阳县发展和改革局": {
        "received": 26, "new": 26, "carried_over": 0,
        "public_share": 26 / 26, "withheld_share": 0.0, "unable_share": 0.0,
        "review": 1, "review_corrected_share": 0.0,  # one 复议 尚未审结
        "suit": 0, "suit_corrected_share": None,
    },
    "平潭综合实验区交通与建设局": {
        "received": 14, "new": 14, "carried_over": 0,
        "public_share": 0 / 14, "withheld_share": 0.0, "unable_share": 5 / 14,
        "review": 0, "review_corrected_share": None, "suit": 0, "suit_corrected_share": None,
    },
    "湍东镇人民政府": {  # every table-3/4 cell printed as 0: counts 0, every share unknown (0 denominators)
        "received": 0, "new": 0, "carried_over": 0,
        "public_share": None, "withheld_share": None, "unable_share": None,
        "review": 0, "review_corrected_share": None, "suit": 0, "suit_corrected_share": None,
    },
}  # fmt: skip


def test_figures_by_hand_on_the_real_reports():
    folder = shared_corpus() / "reports"
    results = review_paths([folder])
    assert any(r.error is not None for r in results)  # INDEX.md is not a report: no row for it
    s = summarize(results)
    assert [row.source for row in s.rows] == [r.source for r in results if r.report is not None]
    by_agency = {row.agency: row for row in s.rows}
    assert set(by_agency) == set(BY_HAND)
    for agency, want in BY_HAND.items():
        row = by_agency[agency]
        for key, value in want.items():
            got = row.values[key]
            if value is None:
                assert got is None, (agency, key)
            else:
                assert got == pytest.approx(value, abs=5e-5), (agency, key)
        res = next(r for r in results if r.source == row.source)
        assert (row.values["errors"], row.values["warnings"], row.values["infos"]) == tuple(res.counts().values())
    # medians over the reports that know each figure (湍东镇 has no shares)
    assert s.median["received"] == 26  # 0, 14, 26, 36, 3153
    assert s.median["public_share"] == pytest.approx((9 / 35 + 1362 / 3050) / 2, abs=1e-4)  # 0, .257, .447, 1
    assert s.median["suit_corrected_share"] == pytest.approx(5 / 46, abs=5e-5)  # the only one known
    # the 设区的市 government stands out from four small offices in its counts; its shares do not
    huaian = by_agency["淮安市人民政府"]
    assert {"received", "new", "review", "suit"} <= set(huaian.outliers)
    assert not any(k.endswith("_share") for k in huaian.outliers)  # fewer than MIN_BATCH reports know them
    assert by_agency["湍东镇人民政府"].outliers == ()
    json.dumps(s.to_dict(), ensure_ascii=False)


def test_unknown_cells_stay_unknown_never_zero():
    res = _result({"t3.new.total": None, "t3.new.natural": None, "t4.review.corrected": None,
                   "t3.carried_over.total": 3, "t3.result_total.total": 10, "t3.public.total": 4,
                   "t4.review.total": 2})  # fmt: skip
    v = summarize([res]).rows[0].values
    assert v["new"] is None and v["received"] is None  # total and a part unknown
    assert v["carried_over"] == 3
    assert v["public_share"] == 0.4
    assert v["review"] == 2 and v["review_corrected_share"] is None
    assert v["suit"] == 0 and v["suit_corrected_share"] is None  # zero denominator


def test_unreadable_total_is_derived_from_its_known_parts():
    res = _result({"t3.new.total": None, "t3.new.natural": 5, "t3.new.commercial": 2,
                   "t4.suit_direct.total": None, "t4.suit_direct.upheld": 1, "t4.suit_direct.corrected": 1})  # fmt: skip
    v = summarize([res]).rows[0].values
    assert v["new"] == 7 and v["received"] == 7
    assert v["suit"] == 2 and v["suit_corrected_share"] == 0.5


def test_unreadable_files_have_no_row_and_findings_are_counted():
    bad = ReviewResult(source="坏.pdf", error=InputError("无法读取", path="坏.pdf"))
    f = [Finding("T3-ROW", "error", "x"), Finding("REQ-FEE", "warning", "y"), Finding("REQ-FEE", "warning", "z")]
    good = _result({}, findings=f)
    s = summarize([bad, good])
    assert [r.source for r in s.rows] == ["r.txt"]
    assert (s.rows[0].values["errors"], s.rows[0].values["warnings"], s.rows[0].values["infos"]) == (1, 2, 0)
    assert summarize([bad]).rows == [] and summarize([bad]).median["received"] is None


def _batch(news: list[int | None]) -> list[ReviewResult]:
    unknown = {"t3.new.natural": None}  # with its total: the row cannot be derived either
    return [_result({"t3.new.total": n, **(unknown if n is None else {})}, source=f"r{i}.txt") for i, n in enumerate(news)]


def test_outliers_need_a_batch_and_a_real_distance():
    assert all(r.outliers == () for r in summarize(_batch([5, 6, 500, 7])).rows)  # 4 < MIN_BATCH
    assert MIN_BATCH == 5
    s = summarize(_batch([5, 6, 500, 7, 8]))
    assert [r.outliers for r in s.rows] == [(), (), ("received", "new"), (), ()]
    assert s.median["new"] == 7
    # most reports equal (MAD = 0): the mean absolute deviation decides, with a floor of 1 件
    s = summarize(_batch([0, 0, 0, 0, 0, 2]))
    assert all("new" not in r.outliers for r in s.rows)  # 2 件 is not far from 0 件
    s = summarize(_batch([0, 0, 0, 0, 0, 40]))
    assert [("new" in r.outliers) for r in s.rows] == [False] * 5 + [True]
    # a report's own unknown is never an outlier, and others are judged without it
    s = summarize(_batch([None, 5, 6, 500, 7, 8]))
    assert s.rows[0].values["new"] is None and s.rows[0].outliers == ()
    assert "new" in s.rows[3].outliers


def test_shares_and_zero_denominators_in_a_batch():
    def res(public: int, done: int, i: int) -> ReviewResult:
        return _result({"t3.public.total": public, "t3.result_total.total": done}, source=f"s{i}.txt")

    s = summarize([res(50, 100, 0), res(60, 100, 1), res(40, 100, 2), res(55, 100, 3), res(100, 100, 4), res(0, 0, 5)])
    assert s.rows[5].values["public_share"] is None  # nothing handled: no share, and not an outlier
    assert s.median["public_share"] == 0.55
    assert [("public_share" in r.outliers) for r in s.rows] == [False, False, False, False, True, False]


def test_format_figure():
    assert format_figure("public_share", 0.4466) == "44.7%"
    assert format_figure("received", 3153) == "3153"
    assert format_figure("received", 26.0) == "26"
    assert format_figure("review", 1.5) == "1.5"
    assert format_figure("suit_corrected_share", None) == "—"
