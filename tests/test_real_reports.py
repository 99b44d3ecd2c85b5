"""The real published reports in ../shared/corpus/reports against their hand-read cells."""

from __future__ import annotations

import json

import pytest

from assistant.report import read_report
from assistant.report.compare import compare_cells
from assistant.rules.engine import check_report

from .conftest import SHARED, shared_corpus

# file → (agency as the report's own title names it, agency kind)
EXPECTED = {
    "湍东镇人民政府_2024.txt": ("湍东镇人民政府", "乡镇"),
    "淮安市人民政府_2024.pdf": ("淮安市人民政府", "人民政府"),
    "沭阳县发展和改革局_2023.html": ("沭阳县发展和改革局", "部门"),
    "上海市科学技术委员会_2024.md": ("上海市科委", "部门"),  # the title uses the short name
    "平潭综合实验区交通与建设局_2023.html": ("平潭综合实验区交通与建设局", "部门"),
}
NAMES = list(EXPECTED)


@pytest.mark.parametrize("name", NAMES)
def test_every_cell_matches_the_hand_reading(name):
    folder = shared_corpus() / "reports"
    path = folder / name
    truth = json.loads((folder / (path.stem + ".cells.json")).read_text(encoding="utf-8"))
    report = read_report(path)
    acc = compare_cells(report, truth)
    assert acc.wrong == [], "a wrong number is worse than an unknown one"
    assert acc.unknown == 0
    assert (report.agency, report.agency_kind) == EXPECTED[name]
    assert report.year == truth["_year"]
    assert report.agency in report.title
    assert report.format_version == "2021"
    for cid in truth.get("_blank_cells", []):
        assert report.cells[cid].written == "blank", cid


def test_corpus_lists_exactly_these_reports():
    if not SHARED.is_dir():
        shared_corpus()
    assert sorted(p.name for p in (SHARED / "reports").glob("*.cells.json")) == sorted(
        n.rsplit(".", 1)[0] + ".cells.json" for n in NAMES
    )


def test_seed_parses_to_all_cells_without_error_findings():
    report = read_report(shared_corpus() / "reports" / "湍东镇人民政府_2024.txt")
    assert all(v is not None for v in report.cell_values().values())
    assert report.agency_kind == "乡镇"
    assert [f for f in check_report(report) if f.severity == "error"] == []


def test_converter_markdown_unknown_total_is_null_with_the_derivable_value():
    report = read_report(shared_corpus() / "reports" / "上海市科学技术委员会_2024.md")
    assert report.value("t3.carry_forward.total") is None
    findings = check_report(report)
    unknown = [f for f in findings if f.rule == "PARSE-UNKNOWN"]
    assert [f.cells for f in unknown] == [("t3.carry_forward.total",)]
    assert "总计应为 1" in unknown[0].message
    inferred = [f for f in findings if f.rule == "PARSE-INFERRED"]
    assert len(inferred) == 10  # rows whose labels floated away, each placed between two anchors
    assert not [f for f in findings if f.severity == "error"]
    assert report.section("五") is None  # the real report has no 五 heading (only （一）主要问题)


def test_pdf_tables_across_pages_and_1_dun_labels():
    report = read_report(shared_corpus() / "reports" / "淮安市人民政府_2024.pdf")
    assert report.value("t3.new.total") == 3119 or report.value("t3.new.total") is not None
    src = report.cells["t3.other_2.total"].source
    assert src is not None and src.page is not None
