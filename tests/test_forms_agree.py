"""Every form of the same synthetic report parses to the same 200 cells, equal to the truth."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.report import read_report
from assistant.report.cells import ALL_CELLS, T3_PARTS, T3_ROW_KEYS, T4_COLUMNS, T4_GROUPS, t3, t4
from assistant.testing.synth import FORMS, SECTION_TITLES, SynthReport, clean_report, render

FIXTURES = Path(__file__).parent / "fixtures" / "reports"
SAMPLES = Path(__file__).resolve().parents[1] / "corpus" / "samples"

def _truth(name: str) -> dict:
    return json.loads((FIXTURES / "cells" / f"{name}.json").read_text(encoding="utf-8"))


def _expected(truth: dict, form: str) -> dict:
    """What a reader should return: blank/dash cells read as 0, except that an empty Markdown cell
    cannot be told from lost text (``Table.empty_is_unknown``), so it is unknown (None)."""
    want = {cid: truth[cid] for cid in ALL_CELLS}
    if form == "markdown":
        for cid in truth["_blank_cells"]:
            want[cid] = None
    return want


def _diff(got: dict, want: dict) -> dict:
    return {cid: (want[cid], got[cid]) for cid in ALL_CELLS if got[cid] != want[cid]}


def _committed() -> list:
    out = []
    for path in sorted([*FIXTURES.iterdir(), *SAMPLES.iterdir()]):  # the samples are the 青禾县 HTML fixtures
        form = next((f for f, suffix in FORMS.items() if path.suffix == suffix), None)
        if form is None or not (FIXTURES / "cells" / f"{path.stem}.json").is_file():
            continue  # build.py, README.md
        out.append(pytest.param(path, form, id=path.name))
    return out


@pytest.mark.parametrize(("path", "form"), _committed())
def test_committed_fixture_parses_to_its_truth(path: Path, form: str):
    truth = _truth(path.stem)
    report = read_report(path)
    assert report.form == form
    assert (report.agency, report.year, report.agency_kind) == (truth["_agency"], truth["_year"], truth["_kind"])
    assert report.format_version == "2021"
    assert [s.canonical for s in report.sections] == ["一", "二", "三", "四", "五", "六"]
    assert all(report.tables_found.get(k) for k in ("t2", "t3", "t4"))
    assert _diff(report.cell_values(), _expected(truth, form)) == {}
    assert report.issues == []


def test_blank_and_dash_cells_are_read_as_written():
    for name, suffix in (("青禾县交通运输局_2024", ".html"), ("云溪街道办事处_2024", ".txt")):
        truth = _truth(name)
        report = read_report(FIXTURES / f"{name}{suffix}")
        assert {cid: report.cells[cid].written for cid in truth["_blank_cells"]} == dict.fromkeys(truth["_blank_cells"], "blank")
        assert {cid: report.cells[cid].written for cid in truth["_dash_cells"]} == dict.fromkeys(truth["_dash_cells"], "dash")
        assumed = {cid for cid, cell in report.cells.items() if cell.assumed}
        assert assumed == set(truth["_blank_cells"]) | set(truth["_dash_cells"])


def _fresh(case: str) -> SynthReport:
    agency, seed, variant = {
        "county": ("青禾县人民政府", 41, ""),
        "city": ("江州市人民政府", 42, ""),
        "township-blank": ("白石镇人民政府", 43, "blank"),
        "department-dash": ("青禾县交通运输局", 44, "dash"),
    }[case]
    r = clean_report(agency, 2024, seed=seed)
    if variant == "blank":  # whole 法人 columns of zeros written blank
        r.blank |= {t3(row, c) for row in T3_ROW_KEYS for c in T3_PARTS[1:] if r.cells[t3(row, c)] == 0}
    if variant == "dash":
        r.dash |= {t4(g, c) for g in T4_GROUPS for c in T4_COLUMNS if r.cells[t4(g, c)] == 0}
    return r


@pytest.mark.parametrize(
    ("case", "form"),
    [
        pytest.param(case, form, id=f"{case}-{form}")
        for case in ("county", "city", "township-blank", "department-dash")
        for form in FORMS
    ],
)
def test_every_form_of_a_fresh_report_agrees(tmp_path, case: str, form: str):
    r = _fresh(case)
    path = render(r, form, tmp_path)
    report = read_report(path)
    assert [s.title for s in report.sections] == list(SECTION_TITLES)
    assert _diff(report.cell_values(), _expected(r.truth(), form)) == {}



def test_bundled_samples_show_typical_defects_and_clean_reports():
    """README command 1: the 青禾县 pair is clean; the 白沙镇 sample shows what the review finds (warnings
    only, so that the command exits 0 and CI's `&&` chain goes on)."""
    from assistant.review import exit_code, review_paths

    results = review_paths([SAMPLES])
    names = sorted(Path(r.source).name for r in results)
    assert names == ["白沙镇人民政府_2024.txt", "青禾县人民政府_2023.html", "青禾县人民政府_2024.html"]
    by_name = {Path(r.source).name: r for r in results}
    for name in ("青禾县人民政府_2023.html", "青禾县人民政府_2024.html"):
        res = by_name[name]
        assert res.error is None
        assert [f for f in res.findings if f.severity in ("error", "warning")] == [], res.source
    latest = by_name["青禾县人民政府_2024.html"]
    assert latest.previous_source is not None and latest.previous_source.endswith("_2023.html")  # cross-year checked
    defects = by_name["白沙镇人民政府_2024.txt"]
    assert sorted((f.rule, f.severity) for f in defects.findings) == [
        ("COPY-NOFOLLOWUP", "warning"),
        ("NAR-DECISION", "warning"),
        ("NAR-LITIGATION", "warning"),
        ("REQ-FEE", "warning"),
        ("STALE-YEAR", "warning"),
    ]
    fee = next(f for f in defects.findings if f.rule == "REQ-FEE")
    assert fee.certain and fee.cells == ("t3.other_2.total",)
    assert exit_code(results) == 0


@pytest.mark.parametrize("suffix", [".txt", ".html", ".docx", ".pdf"])
def test_clean_fixture_pairs_review_without_errors_or_warnings(suffix: str):
    from assistant.review import review_paths

    folder = SAMPLES if suffix == ".html" else FIXTURES
    files = [folder / f"青禾县人民政府_{y}{suffix}" for y in (2023, 2024)]
    for res in review_paths(files):
        assert res.error is None and res.report is not None
        assert [(f.rule, f.message) for f in res.findings if f.severity in ("error", "warning")] == []
