"""The 审核 workspace without a browser: example batch, filters, detail in context, exports, overview."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest

from assistant.app import workspace as ws
from assistant.app.demo import demo_batch
from assistant.app.detail import detail_html
from assistant.app.memo import write_memos
from assistant.app.overview import OUTLIER_MARK, overview_figures
from assistant.app.triage import TriageStore
from assistant.app.uploads import UploadLimits
from assistant.testing.synth import clean_report, render


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> ws.ReviewSession:
    b = demo_batch(tmp_path_factory.mktemp("app"))
    return ws.review_folder(b.reports, b.previous, b.folder, label="示例")


@pytest.fixture
def store(tmp_path) -> TriageStore:
    return TriageStore(tmp_path / "triage.sqlite")


def test_example_batch_shows_findings_of_several_kinds(demo):
    rules = {r.finding.rule for r in demo.rows}
    assert {"T3-ROW", "T3-BALANCE", "T4-SUM", "XY-CARRY", "NAR-APPLY", "COPY-PREV", "REQ-FEE"} <= rules
    agencies = {r.report.agency for r in demo.results}
    assert len(agencies) == 7 and "青禾县人民政府" in agencies
    assert all(r.previous_source for r in demo.results)  # every report paired with its 2023 report
    clean = [r for r in demo.results if not r.findings]
    assert {r.report.agency for r in clean} == {"青禾县人民政府", "青禾县自然资源局"}
    assert [r.key for r in demo.rows] == list(range(1, len(demo.rows) + 1))


def test_example_batch_is_written_once_and_deterministic(tmp_path):
    a = demo_batch(tmp_path / "a")
    b = demo_batch(tmp_path / "b")
    assert [p.read_bytes() for p in a.reports] == [p.read_bytes() for p in b.reports]
    mtime = a.reports[0].stat().st_mtime_ns
    assert demo_batch(tmp_path / "a").reports[0].stat().st_mtime_ns == mtime


def test_filters(demo, store):
    dec = ws.decisions_for(store, demo)
    every = ws.table_rows(demo, dec)
    assert len(every) == len(demo.rows) and len(every[0]) == len(ws.TABLE_HEADERS)
    errors = ws.table_rows(demo, dec, ws.Filters(severities=ws.severity_filter(["错误"])))
    assert errors and {r[4] for r in errors} == {"错误"}
    town = ws.table_rows(demo, dec, ws.Filters(agencies=("白沙镇人民政府",), rules=("XY-CARRY",)))
    assert {(r[2], r[5]) for r in town} == {("白沙镇人民政府", "XY-CARRY")} and len(town) == 2
    ws.decide(store, demo, town[0][0], "确认")
    dec = ws.decisions_for(store, demo)
    assert [r[0] for r in ws.table_rows(demo, dec, ws.Filters(status="已确认"))] == [town[0][0]]
    assert len(ws.table_rows(demo, dec, ws.Filters(status="未处理"))) == len(demo.rows) - 1
    ch = ws.choices(demo)
    assert "T3-ROW" in ch["rules"] and "青禾县教育局" in ch["agencies"]
    summary = ws.summary_markdown(demo, dec)
    assert "审核 7 份报告" in summary and "已确认 1" in summary


def test_detail_shows_the_cells_in_their_row(demo):
    row = next(r for r in demo.rows if r.finding.rule == "T3-ROW")
    html = detail_html(demo, row.key, None)
    assert "表三 收到和处理政府信息公开申请情况" in html and 'class="hit"' in html
    assert "应为" in html and str(row.finding.expected) in html and "依据" in html
    assert "第3个表格" in html  # where in the file
    assert "未处理" in html


def test_detail_shows_the_sentence_in_context(demo):
    row = next(r for r in demo.rows if r.finding.rule == "NAR-APPLY" and r.agency == "青禾县教育局")
    html = detail_html(demo, row.key, None)
    assert "<mark>" in html and "一、总体情况" in html


def test_detail_without_a_choice_and_with_hostile_text(tmp_path):
    assert "点一条问题" in detail_html(ws.ReviewSession(), None, None)
    r = clean_report("青禾县教育局", 2024, seed=3)
    for i, (head, body) in enumerate(r.sections):
        if head.startswith("六、"):
            r.sections[i] = (head, "<script>alert(1)</script>无。")
    path = render(r, "text", tmp_path / "教育局.txt")
    s = ws.review_files([path], [], work_dir=tmp_path / "w", limits=UploadLimits())
    row = next(x for x in s.rows if x.finding.rule == "REQ-FEE")
    html = detail_html(s, row.key, None)
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_review_files_opens_zip_and_names_files_as_uploaded(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    prev = clean_report("青禾县教育局", 2023, seed=1)
    cur = clean_report("青禾县教育局", 2024, seed=2, previous=prev)
    render(cur, "html", src / "教育局.html")
    render(prev, "text", src / "教育局上年.txt")
    z = tmp_path / "批次.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.write(src / "教育局.html", "部门/教育局.html")
        zf.writestr("说明.xlsx", b"x")
    work = tmp_path / "work"
    s = ws.review_files([z], [src / "教育局上年.txt"], work_dir=work, limits=UploadLimits())
    (res,) = s.results
    assert res.source == "教育局.html" and res.previous_source == "上年/教育局上年.txt"
    assert res.report.agency == "青禾县教育局"
    assert any("说明.xlsx" in n for n in s.notices)
    assert [p.report.year for p in s.previous] == [2023]
    assert not any(work.iterdir())  # the staged copies are gone


def test_nothing_to_review(tmp_path):
    s = ws.review_files([], [], work_dir=tmp_path, limits=UploadLimits())
    assert not s.results and "没有可以审核的报告" in ws.summary_markdown(s, {})


def test_unreadable_file_is_a_notice_not_a_crash(tmp_path):
    bad = tmp_path / "空白.txt"
    bad.write_bytes(b"")
    s = ws.review_files([bad], [], work_dir=tmp_path / "w", limits=UploadLimits())
    assert s.rows == [] and any("空白.txt" in n and "无法审核" in n for n in s.notices)


def test_excel_export_has_triage_columns(demo, store, tmp_path):
    from openpyxl import load_workbook

    row = next(r for r in demo.rows if r.finding.rule == "T4-SUM")
    ws.decide(store, demo, row.key, "驳回")
    ws.save_note(store, demo, row.key, "已电话核实")
    path = ws.export_excel(demo, ws.decisions_for(store, demo), tmp_path / "out")
    sheet = load_workbook(path)["审核意见"]
    head = [c.value for c in sheet[1]]
    assert head[-2:] == ["处理", "备注"]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    assert len(rows) == len(demo.rows)
    t4 = next(r for r in rows if r[4] == "T4-SUM")
    assert t4[-2:] == ["已驳回", "已电话核实"] and t4[0] == row.name
    assert {r[-2] for r in rows if r[4] != "T4-SUM"} == {"未处理"}


def test_word_memos_list_only_confirmed_findings(demo, store, tmp_path):
    from docx import Document

    rows = [r for r in demo.rows if r.agency == "青禾县交通运输局"]
    assert len(rows) >= 2
    ws.decide(store, demo, rows[0].key, "确认")
    ws.save_note(store, demo, rows[0].key, "请于三日内改正")
    ws.decide(store, demo, rows[1].key, "驳回")
    res = write_memos(demo, ws.decisions_for(store, demo), tmp_path / "memos", reviewer="审核员", today=date(2025, 4, 1))
    (path,) = res.files
    assert path.name == "审核意见_青禾县交通运输局_2024.docx"
    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert "青禾县交通运输局：" in text and "存在以下 1 个问题" in text
    assert rows[0].finding.message in text and rows[0].finding.basis in text and "请于三日内改正" in text
    assert rows[1].finding.message not in text
    assert "2025年4月1日" in text
    assert "青禾县教育局" in res.skipped


def test_overview_table_and_plots(demo):
    ov = overview_figures(demo)
    assert list(ov.table["单位"])[-1] == "本批中位数" and len(ov.table) == 8
    assert "收到申请（新收+上年结转）" in ov.table.columns
    assert set(ov.by_rule.columns) == {"规则", "级别", "条数"} and ov.by_rule["条数"].sum() == len(demo.rows)
    for agency, part in ov.by_agency.groupby("单位"):
        assert abs(part["占比（%）"].sum() - 100) < 0.5, agency
    assert len(ov.by_year) == 7 and set(ov.by_year["变化"]) <= {"增加", "减少", "持平"}
    town = ov.by_year.set_index("单位").loc["白沙镇人民政府"]
    assert town["增减（件）"] != 0  # its 2023 report was changed (carry-over planted)
    assert OUTLIER_MARK in ov.note or "没有与本批其他报告相差很大" in ov.note


def test_overview_of_an_empty_session():
    ov = overview_figures(ws.ReviewSession())
    assert ov.table.empty and ov.by_year.empty and "审核一批报告后" in ov.note


def test_decide_without_a_choice_does_nothing(demo, store):
    assert ws.decide(store, demo, None, "确认") is None
    assert ws.save_note(store, demo, 999, "x") is None


def test_staging_folder_of_a_review_is_inside_the_work_dir(tmp_path):
    p = Path(tmp_path / "in" / "..报告.txt")
    p.parent.mkdir()
    p.write_text("无", encoding="utf-8")
    s = ws.review_files([p], [], work_dir=tmp_path / "w", limits=UploadLimits())
    assert s.results[0].source == "报告.txt"
