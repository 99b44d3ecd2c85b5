"""The synthetic-report generator: consistent numbers, faithful forms, reproducible fixtures."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import re
from pathlib import Path

import pytest

from assistant.report.cells import (
    ALL_CELLS,
    T3_COLUMNS,
    T3_PARTS,
    T3_RESULT_PARTS,
    T3_ROW_KEYS,
    T4_COLUMNS,
    T4_GROUPS,
    t3,
    t4,
)
from assistant.testing.synth import (
    SECTION_TITLES,
    SynthReport,
    cell_text,
    clean_report,
    problem_indices,
    render,
    to_html,
    to_markdown,
    to_text_dump,
)
from .conftest import shared_corpus

FIXTURES = Path(__file__).parent / "fixtures" / "reports"
AGENCIES = ("青禾县人民政府", "青禾县交通运输局", "云溪街道办事处", "白石镇人民政府", "江州市人民政府")


def _build_module():
    spec = importlib.util.spec_from_file_location("fixture_build", FIXTURES / "build.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _ints(cells: dict, ids) -> list[int]:
    return [cells[i] for i in ids]


# --------------------------------------------------------------------------- numbers


def _check_identities(r: SynthReport) -> None:
    c = r.cells
    assert list(c) == list(ALL_CELLS)
    for cid, v in c.items():
        if cid == "t2.fee.amount":
            assert isinstance(v, float) and v > 0 and v != int(v), v
        else:
            assert isinstance(v, int) and v >= 0, (cid, v)
    for row in T3_ROW_KEYS:  # 总计 = the six columns
        assert c[t3(row, "total")] == sum(c[t3(row, col)] for col in T3_PARTS), row
    for col in T3_COLUMNS:  # （七）总计 = Σ results; 一 + 二 = 三（七） + 四
        assert c[t3("result_total", col)] == sum(c[t3(row, col)] for row in T3_RESULT_PARTS), col
        assert c[t3("new", col)] + c[t3("carried_over", col)] == c[t3("result_total", col)] + c[t3("carry_forward", col)]
    for g in T4_GROUPS:
        assert c[t4(g, "total")] == sum(c[t4(g, col)] for col in T4_COLUMNS[:4]), g


@pytest.mark.parametrize("agency", AGENCIES)
def test_clean_reports_hold_every_identity_over_many_seeds(agency):
    legal_nonzero = 0
    for seed in range(40):
        prev = clean_report(agency, 2023, seed=seed)
        r = clean_report(agency, 2024, seed=seed + 100, previous=prev)
        _check_identities(prev)
        _check_identities(r)
        for col in T3_COLUMNS:  # cross-year: 二 this year = 四 last year
            assert r.cells[t3("carried_over", col)] == prev.cells[t3("carry_forward", col)]
        for row in ("regulation", "normative_doc"):
            assert r.cells[f"t2.{row}.in_force"] == (
                prev.cells[f"t2.{row}.in_force"] + r.cells[f"t2.{row}.issued"] - r.cells[f"t2.{row}.repealed"]
            )
        if agency != "江州市人民政府":  # only provinces and 设区的市 make 规章
            assert r.cells["t2.regulation.issued"] == 0 and prev.cells["t2.regulation.issued"] == 0
        legal_nonzero += sum(r.cells[t3("new", col)] for col in T3_PARTS[1:]) > 0
    assert legal_nonzero >= 30  # applications from 法人或其他组织 are common, not rare


def test_city_government_issues_regulations_sometimes():
    issued = [clean_report("江州市人民政府", 2024, seed=s).cells["t2.regulation.issued"] for s in range(20)]
    assert any(issued) and all(n >= 0 for n in issued)


def test_same_seed_same_report_different_seed_different_numbers():
    a, b = clean_report(seed=5), clean_report(seed=5)
    assert a.cells == b.cells and a.sections == b.sections
    assert clean_report(seed=6).cells != a.cells


def test_copy_is_deep_and_replace_friendly():
    r = clean_report(seed=1)
    c = r.copy()
    c.cells["t3.new.total"] += 1
    c.blank.add("t3.new.research")
    c.sections[0] = ("一、总体情况", "")
    assert r.cells["t3.new.total"] == c.cells["t3.new.total"] - 1
    assert not r.blank and r.sections[0][1]
    other = dataclasses.replace(r, agency="白石镇人民政府")
    assert other.cells == r.cells and other.title == r.title  # the title is kept: a stale-name defect


# --------------------------------------------------------------------------- narrative


def _body(r: SynthReport, number: str) -> str:
    return next(body for head, body in r.sections if head.startswith(number + "、"))


@pytest.mark.parametrize("agency", AGENCIES)
@pytest.mark.parametrize("seed", [0, 1, 2, 3, 7])
def test_narrative_agrees_with_the_tables(agency, seed):
    prev = clean_report(agency, 2023, seed=seed + 50)
    r = clean_report(agency, 2024, seed=seed, previous=prev)
    assert [h for h, _ in r.sections] == list(SECTION_TITLES)
    one, five, six = _body(r, "一"), _body(r, "五"), _body(r, "六")
    c = r.cells
    for topic in ("主动公开", "依申请公开", "政府信息管理", "平台建设", "监督保障"):
        assert topic in one
    counts = re.search(r"申请(\d+)件，上年结转(\d+)件.*?办结(\d+)件.*?结转下年度(?:继续办理)?(\d+)件", one)
    assert counts, one
    assert [int(x) for x in counts.groups()] == _ints(
        c, ["t3.new.total", "t3.carried_over.total", "t3.result_total.total", "t3.carry_forward.total"]
    )
    suits = c["t4.suit_direct.total"] + c["t4.suit_after_review.total"]
    assert f"行政复议{c['t4.review.total']}件、行政诉讼{suits}件" in one
    assert f"行政规范性文件{c['t2.normative_doc.issued']}件" in one or c["t2.normative_doc.issued"] == 0
    gov = r.kind in ("人民政府", "乡镇", "街道")
    assert ("工作考核、社会评议和责任追究结果情况" in one) == gov
    assert "针对上年度报告指出的" in five and "问题，我们" in five
    assert ("未收取信息处理费" in six) == (c["t3.other_2.total"] == 0)
    assert "年度政务公开工作要点" in six
    assert "2023年" not in one + five + six  # no stale year
    # 五 names problems other than last year's, and says how last year's were fixed
    from assistant.testing.synth import PROBLEMS

    before = problem_indices(prev.agency, prev.year, prev.seed)
    now = problem_indices(r.agency, r.year, r.seed, avoid=before)
    assert not set(before) & set(now)
    assert all(PROBLEMS[i][0] in five for i in before)


def test_two_agencies_do_not_share_their_wording():
    a = clean_report("青禾县人民政府", 2024, seed=3)
    b = clean_report("青禾县交通运输局", 2024, seed=3)
    for number in ("一", "五", "六"):
        assert _body(a, number) != _body(b, number)
    sentences = lambda r: set(re.split(r"[。；\n]", "\n".join(body for _, body in r.sections)))  # noqa: E731
    shared = sentences(a) & sentences(b) - {""}
    assert len(shared) <= len(sentences(a)) // 2


# --------------------------------------------------------------------------- text dump


def _shape(line: str) -> str:
    if line == "\t":
        return "T"
    if line.startswith("\t"):
        return "X"
    return "E" if line == "" else "C"


def _table_region(text: str) -> list[str]:
    lines = text.split("\n")
    start = lines.index("二、主动公开政府信息情况")
    end = lines.index("五、存在的主要问题及改进情况")
    return [("H" if re.match(r"^[二三四]、", ln) else _shape(ln)) for ln in lines[start:end]]


def test_text_dump_follows_the_web_copy_conventions():
    r = clean_report(seed=4)
    text = to_text_dump(r)
    lines = text.split("\n")
    assert lines[0] == "" and lines[1] == r.title and text.endswith("\n")
    region = _table_region(text)
    # header continuation lines (商业\n企业) follow a tab line; no other untabbed line in tables
    conts = [i for i, s in enumerate(region) if s == "C"]
    assert len(conts) == 2 + 3 + 4 * 2  # t3: 商业企业/科研机构; t4 level 1: 3; level 2: 4 × 2
    assert all(region[i - 1] in ("X", "C") for i in conts)
    # lone tabs: 1 + 3 in the t3 header, 1 per rowspan-covered row of 三, 1 more inside each group,
    # 5 in the t4 second header row
    assert region.count("T") == 1 + 3 + 21 + (7 + 2 + 4 + 2) + 5
    # every t3 data row: label line(s) then exactly 7 values, then an empty line
    values = re.findall(r"(?<=\n)\t(?:[一二三四]、|（七）|（[一二]）|[1-8]\.)[^\n]*\n((?:\t[^\t\n]*\n){7})\n", text)
    assert len(values) == 25
    got = [[v.strip("\t") for v in block.strip("\n").split("\n")] for block in values]
    want = [[cell_text(r, t3(row, col)) for col in T3_COLUMNS] for row in T3_ROW_KEYS]
    assert got == want
    # table 4: one row of 15 values
    t4_values = re.search(r"\n\n((?:\t[^\t\n]+\n){15})\n", text[text.index("四、政府信息公开行政复议") :])
    assert t4_values[1].split() == [cell_text(r, t4(g, c)) for g in T4_GROUPS for c in T4_COLUMNS]


def test_text_dump_has_the_same_table_shape_as_the_real_seed():
    seed = shared_corpus() / "reports" / "湍东镇人民政府_2024.txt"
    real = _table_region(seed.read_text(encoding="utf-8"))
    ours = _table_region(to_text_dump(clean_report(seed=9)))
    assert ours == real


def test_text_dump_writes_blank_as_lone_tab_and_dash_as_tab_dash():
    r = clean_report(seed=2)
    r.blank.add("t3.new.research")
    r.dash.add("t4.review.upheld")
    r.cells["t3.new.research"] = 0
    r.cells["t4.review.upheld"] = 0
    text = to_text_dump(r)
    row = text.split("\t一、本年新收政府信息公开申请数量\n")[1].split("\n\n")[0].split("\n")
    assert row[2] == "\t"
    assert "\t—\n" in text.split("四、政府信息公开行政复议")[1]


def test_omitted_and_prose_tables():
    r = clean_report(seed=2)
    r.omit_tables.add("t4")
    r.prose_tables.add("t3")
    text = to_text_dump(r)
    assert "\t行政复议\n" not in text and "（本列数据" not in text
    assert f"本年新收政府信息公开申请{r.cells['t3.new.total']}件" in text
    md = to_markdown(r)
    assert sum(ln.startswith("|---") for ln in md.split("\n")) == 1  # only table 2 is left as a table


# --------------------------------------------------------------------------- HTML / Markdown


def _expand(table) -> list[list[str | None]]:
    """An lxml <table> → grid of texts (None where a span covers)."""
    grid: dict[tuple[int, int], str | None] = {}
    for ri, tr in enumerate(table.iter("tr")):
        ci = 0
        for td in tr.iter("td"):
            while (ri, ci) in grid:
                ci += 1
            rs, cs = int(td.get("rowspan", 1)), int(td.get("colspan", 1))
            text = "".join(td.itertext()).replace("\xa0", "").strip()
            for dr in range(rs):
                for dc in range(cs):
                    grid[ri + dr, ci + dc] = text if (dr, dc) == (0, 0) else None
            ci += cs
    nrows = 1 + max(r for r, _ in grid)
    ncols = 1 + max(c for _, c in grid)
    return [[grid.get((r, c)) for c in range(ncols)] for r in range(nrows)]


def test_html_page_has_chrome_and_format_spans():
    from lxml import html as lhtml

    r = clean_report(seed=8)
    r.blank |= {t3("new", "research")}
    r.cells[t3("new", "research")] = 0  # a written-blank zero (keeps nothing else consistent; not needed here)
    page = to_html(r)
    doc = lhtml.fromstring(page)
    assert doc.xpath("//script") and doc.xpath("//ul[@class='nav']") and doc.xpath("//div[@class='footer']")
    tables = doc.xpath("//table")
    assert len(tables) == 4  # the site's 索引号 table + the three report tables
    assert "索引号" in tables[0].text_content() and "发布机构" in tables[0].text_content()
    t3_table = tables[2]
    assert t3_table.xpath(".//td[@rowspan='22']")[0].text_content().strip() == "三、本年度办理结果"
    assert t3_table.xpath(".//td[@rowspan='8']")[0].text_content().strip() == "（三）不予公开"
    assert t3_table.xpath(".//td[@colspan='2']")[0].text_content().strip() == "（一）予以公开"
    assert t3_table.xpath(".//td[@colspan='5']")[0].text_content().strip() == "法人或其他组织"
    assert "<o:p>&nbsp;</o:p>" in page
    grid = _expand(t3_table)
    assert len(grid) == 28 and len(grid[0]) == 10
    assert [row[3:] for row in grid[3:]] == [[cell_text(r, t3(k, c)) for c in T3_COLUMNS] for k in T3_ROW_KEYS]
    t4_grid = _expand(tables[3])
    assert t4_grid[-1] == [cell_text(r, t4(g, c)) for g in T4_GROUPS for c in T4_COLUMNS]
    t2_grid = _expand(tables[1])
    assert t2_grid[13][:2] == ["行政事业性收费", cell_text(r, "t2.fee.amount")]


def test_markdown_tables_are_aligned_grids():
    r = clean_report(seed=8)
    md = to_markdown(r)
    assert md.startswith(f"# {r.title}\n") and "## 六、其他需要报告的事项" in md
    rows = [ln for ln in md.split("\n") if ln.startswith("| ") and "（" not in ln[:4]]
    t3_rows = {ln.split(" | ")[0][2:]: ln for ln in rows}
    new = t3_rows["一、本年新收政府信息公开申请数量"].strip("| ").split(" | ")
    assert new[-7:] == [cell_text(r, t3("new", c)) for c in T3_COLUMNS]
    assert all(ln.count("|") - 1 == 10 for ln in md.split("\n") if "（本列数据" in ln)


# --------------------------------------------------------------------------- DOCX / PDF


def test_docx_has_real_merged_cells_and_the_numbers(tmp_path):
    import docx

    r = clean_report(seed=8)
    path = render(r, "docx", tmp_path)
    assert path.name == f"{r.name}.docx"
    d = docx.Document(str(path))
    assert [(len(t.rows), len(t.columns)) for t in d.tables] == [(14, 4), (28, 10), (4, 15)]
    t3_table = d.tables[1]
    assert t3_table.cell(5, 0)._tc is t3_table.cell(26, 0)._tc  # 三、本年度办理结果 spans 22 rows
    assert t3_table.cell(7, 1)._tc is t3_table.cell(14, 1)._tc  # （三）不予公开 spans 8 rows
    assert t3_table.cell(0, 0)._tc is t3_table.cell(2, 2)._tc  # the 勾稽关系 note spans 3 × 3
    assert t3_table.cell(5, 0).text == "三、本年度办理结果"
    for i, key in enumerate(T3_ROW_KEYS):
        assert [t3_table.cell(3 + i, 3 + j).text for j in range(7)] == [cell_text(r, t3(key, c)) for c in T3_COLUMNS]
    texts = "\n".join(p.text for p in d.paragraphs)
    assert r.title in texts and "六、其他需要报告的事项" in texts


def test_pdf_has_text_and_ruled_tables_with_the_numbers(tmp_path):
    import pdfplumber

    build = _build_module()
    r = dict((rep.name, rep) for rep, _ in build.fixture_reports())["青禾县人民政府_2024"]
    path = render(r, "pdf", tmp_path / "r.pdf")
    assert path.stat().st_size < 100_000
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) >= 3
        text = "\n".join(p.extract_text() or "" for p in pdf.pages)
        tables = [t for p in pdf.pages for t in p.extract_tables()]
    assert r.title in text.replace("\n", "") and "五、存在的主要问题及改进情况" in text
    assert len(tables) >= 3
    t2 = tables[0]
    assert t2[3][:4] == ["行政规范性文件", *(cell_text(r, f"t2.normative_doc.{k}") for k in ("issued", "repealed", "in_force"))]
    value_rows = [row[-7:] for t in tables for row in t if len(row) in (8, 10) and all(re.fullmatch(r"\d+", v or "") for v in row[-7:])]
    assert value_rows == [[cell_text(r, t3(k, c)) for c in T3_COLUMNS] for k in T3_ROW_KEYS]
    assert tables[-1][-1] == [cell_text(r, t4(g, c)) for g in T4_GROUPS for c in T4_COLUMNS]


def test_render_dispatcher(tmp_path):
    r = clean_report(seed=1)
    assert render(r, ".md", tmp_path / "x.md").read_text(encoding="utf-8") == to_markdown(r)
    assert render(r, "text", tmp_path).name == f"{r.name}.txt"
    with pytest.raises(ValueError):
        render(r, "xls", tmp_path)


# --------------------------------------------------------------------------- fixtures


def test_build_is_deterministic_and_committed_fixtures_are_current(tmp_path):
    build = _build_module()
    a = build.build(tmp_path / "a", samples=tmp_path / "sa")
    b = build.build(tmp_path / "b", samples=tmp_path / "sb")
    assert len(a) == len(b) >= 16
    for pa, pb in zip(a, b, strict=True):
        assert pa.read_bytes() == pb.read_bytes(), pa.name  # every form, DOCX and PDF included
    for p in a:
        if p.suffix in (".txt", ".html", ".md", ".json") and "sa" not in p.parts:
            committed = FIXTURES / p.relative_to(tmp_path / "a")
            assert committed.read_bytes() == p.read_bytes(), f"{committed} is stale: run build.py"
    samples = Path(__file__).resolve().parents[1] / "corpus" / "samples"
    for p in sorted((tmp_path / "sa").iterdir()):
        assert (samples / p.name).read_bytes() == p.read_bytes(), f"{p.name}: run build.py --samples"


def test_truth_json_lists_all_cells_and_how_they_are_written():
    for path in sorted((FIXTURES / "cells").glob("*.json")):
        truth = json.loads(path.read_text(encoding="utf-8"))
        assert all(cid in truth for cid in ALL_CELLS), path.name
        for cid in truth["_blank_cells"] + truth["_dash_cells"]:
            assert truth[cid] == 0, (path.name, cid)
    street = json.loads((FIXTURES / "cells" / "云溪街道办事处_2024.json").read_text(encoding="utf-8"))
    dashes = street["_dash_cells"]
    assert dashes and all(cid.startswith("t4.") for cid in dashes)
    text = (FIXTURES / "云溪街道办事处_2024.txt").read_text(encoding="utf-8")
    assert text.count("\t—\n") == len(dashes)
    transport = json.loads((FIXTURES / "cells" / "青禾县交通运输局_2024.json").read_text(encoding="utf-8"))
    page = (FIXTURES / "青禾县交通运输局_2024.html").read_text(encoding="utf-8")
    assert len(transport["_blank_cells"]) > 20
    assert page.count("<o:p>&nbsp;</o:p></p></td>") == len(transport["_blank_cells"])
