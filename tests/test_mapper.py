"""Mapping documents onto the 200 cells: grids as readers produce them, with known numbers."""

from __future__ import annotations

import pytest

from assistant.errors import NotAReportError
from assistant.report import report_from_document
from assistant.report.cells import ALL_CELLS, T3_COLUMNS
from assistant.report.document import Document, Paragraph, Table
from assistant.report.mapper import map_document
from assistant.report.meta import agency_kind
from assistant.rules.engine import check_report

from .grid import clean_cells, document, t3_grid


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_grid_maps_every_cell(seed):
    cells = clean_cells(seed)
    r = map_document(document(cells))
    assert r.cell_values() == {cid: cells[cid] for cid in ALL_CELLS}
    assert r.tables_found == {"t2": True, "t3": True, "t4": True}
    assert r.format_version == "2021"
    assert [f for f in check_report(r) if f.severity == "error"] == []


def test_meta_and_sections():
    r = map_document(document(clean_cells(), agency="云溪街道办事处", year=2023, sections={"五": "问题一是……"}))
    assert (r.agency, r.year, r.agency_kind) == ("云溪街道办事处", 2023, "街道")
    assert [s.canonical for s in r.sections] == ["一", "二", "三", "四", "五", "六"]
    assert r.section("五").text == "问题一是……"


def test_label_variants_and_fullwidth_digits():
    cells = clean_cells(4)
    doc = document(cells)
    t3 = doc.tables[1]
    rows = []
    for row in t3.rows:
        row = [c.replace("1.", "1、").replace("2.", "2、") if isinstance(c, str) else c for c in row]
        row = [c.replace("5", "５") if isinstance(c, str) and c.isdigit() else c for c in row]
        rows.append(row)
    t2 = doc.tables[0]
    t2rows = [["规范性文件" if c == "行政规范性文件" else c for c in row] for row in t2.rows]
    blocks = [
        Table(rows, index=1) if b is t3 else Table(t2rows, index=0) if b is t2 else b for b in doc.blocks
    ]
    r = map_document(Document(doc.source, doc.form, blocks))
    assert r.cell_values() == {cid: cells[cid] for cid in ALL_CELLS}


def test_blank_and_dash_cells_are_zero_with_a_note():
    cells = clean_cells(5)
    doc = document(cells)
    t3 = doc.tables[1]
    rows = [list(r) for r in t3.rows]
    rows[3][4] = "—" if cells["t3.new.commercial"] == 0 else rows[3][4]  # 一 商业企业
    rows[4][5] = "" if cells["t3.carried_over.research"] == 0 else rows[4][5]
    doc.blocks[doc.blocks.index(t3)] = Table(rows, index=1)
    r = map_document(doc)
    assert r.cell_values() == {cid: cells[cid] for cid in ALL_CELLS}
    written = {cid: c.written for cid, c in r.cells.items() if c.assumed}
    if cells["t3.new.commercial"] == 0:
        assert written["t3.new.commercial"] == "dash"
    if cells["t3.carried_over.research"] == 0:
        assert written["t3.carried_over.research"] == "blank"


def test_unlabelled_rows_are_placed_only_when_the_anchors_pin_them():
    cells = clean_cells(6)
    cells["t3.partial.natural"] = 3
    cells["t3.partial.total"] += 3  # keep the row identity; other identities do not matter here
    r = map_document(document(cells, drop_labels=frozenset({"partial", "withheld_2"})))
    assert r.value("t3.partial.natural") == 3
    assert r.cells["t3.partial.natural"].source.inferred
    assert any(i.kind == "row_inferred" for i in r.issues)
    # two adjacent lost labels next to each other are still pinned by their neighbours
    r2 = map_document(document(cells, drop_labels=frozenset({"unable_1", "unable_2", "unable_3"})))
    assert [r2.value(f"t3.unable_{i}.total") for i in (1, 2, 3)] == [cells[f"t3.unable_{i}.total"] for i in (1, 2, 3)]


def test_unplaceable_rows_stay_unknown():
    cells = clean_cells(7)
    doc = document(cells, drop_labels=frozenset({"withheld_2"}))
    t3 = doc.tables[1]
    rows = [list(r) for r in t3.rows]
    extra = [None, None, None, *["0"] * 7]
    rows.insert(9, extra)  # one more label-less row than there is room for
    doc.blocks[doc.blocks.index(t3)] = Table(rows, index=1)
    r = map_document(doc)
    assert all(r.value(f"t3.withheld_2.{c}") is None for c in T3_COLUMNS)
    assert any(i.kind == "row_unplaced" for i in r.issues)


def test_markdown_empty_cell_is_unknown_not_zero():
    cells = clean_cells(8)
    cells["t3.carry_forward.total"] = ""  # printed empty
    r = map_document(document(cells, empty_unknown=True, form="markdown"))
    assert r.value("t3.carry_forward.total") is None
    findings = check_report(r)
    unknown = [f for f in findings if f.rule == "PARSE-UNKNOWN"]
    assert unknown and unknown[0].cells == ("t3.carry_forward.total",)
    assert "总计应为" in unknown[0].message
    assert not [f for f in findings if f.rule == "T3-BALANCE"]  # skipped, not a false error


def test_missing_table_cells_are_null_and_flagged():
    cells = clean_cells(9)
    doc = document(cells)
    doc.blocks = [b for b in doc.blocks if not (isinstance(b, Table) and b.index == 2)]
    r = map_document(doc)
    assert all(r.value(c) is None for c in ALL_CELLS if c.startswith("t4."))
    f = [x for x in check_report(r) if x.rule == "REQ-TABLE"]
    assert len(f) == 1 and f[0].severity == "error" and "表四" in f[0].message


def test_2019_trial_table2_is_detected_and_not_misread():
    cells = clean_cells(10)
    doc = document(cells)
    t2 = doc.tables[0]
    rows = [list(r) for r in t2.rows]
    rows[1] = ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"]
    doc.blocks[doc.blocks.index(t2)] = Table(rows, index=0)
    r = map_document(doc)
    assert r.format_version == "2019"
    assert r.value("t2.normative_doc.in_force") is None
    assert r.value("t2.penalty.decisions") == cells["t2.penalty.decisions"]
    assert any(f.rule == "FMT-VERSION" for f in check_report(r))


def test_old_single_other_row_leaves_its_parts_unknown():
    cells = clean_cells(11)
    doc = document(cells)
    t3 = doc.tables[1]
    rows = []
    for row in t3.rows:
        if row[2] and row[2].startswith(("1.申请人无正当", "2.申请人逾期")):
            continue
        if row[2] == "3.其他":
            row = [None, "（六）其他处理", None, *row[3:]]
        rows.append(row)
    doc.blocks[doc.blocks.index(t3)] = Table(rows, index=1)
    r = map_document(doc)
    assert all(r.value(f"t3.other_{i}.{c}") is None for i in (1, 2, 3) for c in T3_COLUMNS)
    assert r.value("t3.result_total.total") == cells["t3.result_total.total"]


def test_flattened_text_without_tabs():
    """Each cell on its own line, no tabs: the label-then-numbers fallback reads it."""
    cells = clean_cells(12)
    paras = ["青禾县人民政府2024年政府信息公开工作年度报告", "二、主动公开政府信息情况"]
    for row in document(cells).tables[0].rows + t3_grid(cells) + [["四、政府信息公开行政复议、行政诉讼情况"]]:
        paras.extend(c for c in row if c)
    from .grid import t4_grid

    for row in t4_grid(cells):
        paras.extend(c for c in row if c)
    doc = Document("x.txt", "text", [Paragraph(p, i + 1) for i, p in enumerate(paras)])
    r = map_document(doc)
    # zeros printed as "0" survive flattening; every cell is read
    assert r.cell_values() == {cid: cells[cid] for cid in ALL_CELLS}


def test_not_a_report():
    doc = Document("notes.txt", "text", [Paragraph("会议纪要：今天讨论了食堂菜单。", 1)])
    with pytest.raises(NotAReportError):
        report_from_document(doc)


@pytest.mark.parametrize(
    "name,kind",
    [
        ("湍东镇人民政府", "乡镇"),
        ("淮安市人民政府", "人民政府"),
        ("云溪街道办事处", "街道"),
        ("沭阳县发展和改革局", "部门"),
        ("上海市科学技术委员会", "部门"),
        ("平潭综合实验区管理委员会", "人民政府"),
    ],
)
def test_agency_kind(name, kind):
    assert agency_kind(name) == kind


def test_table4_split_into_three_tables_under_group_headings():
    """Converters and some sites give 行政复议 / 未经复议直接起诉 / 复议后起诉 as three small tables."""
    cells = clean_cells(13)
    doc = document(cells)
    t4 = doc.tables[2]
    blocks = [b for b in doc.blocks if b is not t4]
    heads = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    for i, (g, title) in enumerate(
        [("review", "行政复议"), ("suit_direct", "行政诉讼（未经复议直接起诉）"), ("suit_after_review", "行政诉讼（复议后起诉）")]
    ):
        blocks.append(Paragraph(title))
        blocks.append(Table([heads, [str(cells[f"t4.{g}.{c}"]) for c in ("upheld", "corrected", "other", "pending", "total")]], index=2 + i))
    r = map_document(Document(doc.source, doc.form, blocks))
    assert r.cell_values() == {cid: cells[cid] for cid in ALL_CELLS}


def test_row_with_a_cut_label_is_placed_like_a_lost_label():
    """PDF converters cut labels ("行政机关不再处理其政府信息公"): 7 numbers inside table 3 still count."""
    cells = clean_cells(14)
    cells["t3.other_1.natural"] += 4
    cells["t3.other_1.total"] += 4
    doc = document(cells)
    t3 = doc.tables[1]
    rows = [
        [None, None, "行政机关不再处理其政府信息公", *row[3:]] if row[2] and row[2].startswith("1.申请人无正当") else row
        for row in t3.rows
    ]
    doc.blocks[doc.blocks.index(t3)] = Table(rows, index=1)
    r = map_document(doc)
    assert r.value("t3.other_1.natural") == cells["t3.other_1.natural"]
    assert r.cells["t3.other_1.total"].source.inferred


def test_pdf_page_numbers_are_not_section_text():
    doc = document(clean_cells(15), sections={"五": "问题一是解读形式单一。"})
    i = next(k for k, b in enumerate(doc.blocks) if isinstance(b, Paragraph) and b.text.startswith("问题一"))
    doc.blocks[i + 1 : i + 1] = [Paragraph("- 5 -"), Paragraph("— 6 —"), Paragraph("整改已完成。")]
    r = map_document(doc)
    assert r.section("五").text == "问题一是解读形式单一。\n整改已完成。"
