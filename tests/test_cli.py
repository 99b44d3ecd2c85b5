"""``xxgk check`` / ``xxgk rules`` as a user runs them: output shapes, exit codes, bad input in a batch."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.report.cells import ALL_CELLS

from .conftest import ROOT, shared_corpus

SAMPLES = ROOT / "corpus" / "samples"
runner = CliRunner()


def xxgk(*args: str):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def seed() -> Path:
    return shared_corpus() / "reports" / "湍东镇人民政府_2024.txt"


def test_json_shape_on_the_seed(seed):
    res = xxgk("check", seed, "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    (rep,) = data["reports"]
    assert rep["source"] == str(seed)
    assert rep["agency"] == "湍东镇人民政府" and rep["year"] == 2024
    assert rep["format_version"] == "2021"
    assert list(rep["cells"]) == list(ALL_CELLS)
    assert all(v is not None for v in rep["cells"].values())
    assert rep["cells"]["t2.penalty.decisions"] == 12
    for f in rep["findings"]:
        assert set(f) >= {"rule", "severity", "cells", "message", "expected", "actual", "basis"}
        assert f["severity"] in ("error", "warning", "info")
        assert f["severity"] != "error", f


def test_text_output_is_chinese_and_names_the_report(seed):
    res = xxgk("check", seed)
    assert res.exit_code == 0
    assert "湍东镇人民政府 2024年" in res.stdout
    assert "共 1 份" in res.stdout


def test_errors_give_exit_1_and_markdown(tmp_path, seed):
    bad = tmp_path / "湍东镇人民政府_2024.txt"
    text = seed.read_text(encoding="utf-8")
    # 行政处罚 12 → the one non-zero cell; break table 3 instead: 一、本年新收 自然人 0 → 3
    lines = text.split("\n")
    i = next(n for n, line in enumerate(lines) if "一、本年新收政府信息公开申请数量" in line)
    lines[i + 1] = "\t3"
    bad.write_text("\n".join(lines), encoding="utf-8")
    res = xxgk("check", bad, "--format", "markdown")
    assert res.exit_code == 1
    assert "| 错误 | T3-ROW |" in res.stdout
    data = json.loads(xxgk("check", bad, "--format", "json").stdout)
    rules = {f["rule"] for f in data["reports"][0]["findings"] if f["severity"] == "error"}
    assert {"T3-ROW", "T3-BALANCE"} <= rules


def test_batch_with_unreadable_files_goes_on(tmp_path, seed):
    shutil.copy(seed, tmp_path / "a.txt")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "garbage.pdf").write_bytes(os.urandom(4096))
    (tmp_path / "notes.txt").write_text("会议纪要：讨论食堂菜单。\n", encoding="utf-8")
    res = xxgk("check", tmp_path, "--format", "json")
    assert res.exit_code == 2
    data = json.loads(res.stdout)
    assert len(data["reports"]) == 1 and data["reports"][0]["agency"] == "湍东镇人民政府"
    assert {Path(u["source"]).name for u in data["unreadable"]} == {"empty.txt", "garbage.pdf", "notes.txt"}
    for u in data["unreadable"]:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in u["message"])
        assert "Traceback" not in u["message"]


def test_xlsx_export(tmp_path, seed):
    from openpyxl import load_workbook

    out = tmp_path / "审核意见.xlsx"
    res = xxgk("check", seed, "--format", "xlsx", "-o", out)
    assert res.exit_code == 0, res.output
    wb = load_workbook(out)
    assert wb.sheetnames == ["审核意见", "单元格", "汇总"]
    cells = wb["单元格"]
    header = [c.value for c in cells[1]]
    assert header[4:] == list(ALL_CELLS)
    row = [c.value for c in cells[3]]
    assert row[1] == "湍东镇人民政府" and row[4 + ALL_CELLS.index("t2.penalty.decisions")] == 12


def test_batch_figures_in_every_format(tmp_path):
    """汇总: a sheet in xlsx, "summary" in JSON, a short table at the end of the text (2+ reports only)."""
    from openpyxl import load_workbook

    from assistant.summary import FIGURE_LABELS, FIGURES

    data = json.loads(xxgk("check", SAMPLES, "--format", "json").stdout)
    summary = data["summary"]
    assert [f["key"] for f in summary["figures"]] == list(FIGURES)
    assert [r["source"] for r in summary["rows"]] == [r["source"] for r in data["reports"]]
    for rep, row in zip(data["reports"], summary["rows"], strict=True):
        cells = rep["cells"]
        assert row["values"]["received"] == cells["t3.new.total"] + cells["t3.carried_over.total"]
        assert row["values"]["errors"] == rep["counts"]["error"]
    text = xxgk("check", SAMPLES).stdout
    assert "本批汇总" in text and "本批中位数" in text
    head = text[text.index("本批汇总") :]
    assert all(r["agency"] + "（" in head for r in data["reports"])
    one = sorted(SAMPLES.glob("*.html"))[0]
    assert "本批汇总" not in xxgk("check", one).stdout
    out = tmp_path / "a.xlsx"
    assert xxgk("check", SAMPLES, "--format", "xlsx", "-o", out).exit_code in (0, 1)
    ws = load_workbook(out)["汇总"]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0][3:-1]) == [FIGURE_LABELS[k] for k in FIGURES]
    assert len(rows) == 1 + len(data["reports"]) + 1 and rows[-1][0] == "本批中位数"
    assert rows[1][3] == summary["rows"][0]["values"]["received"]


def test_usage_errors_exit_2(tmp_path):
    assert xxgk("check", tmp_path / "nope.txt").exit_code == 2
    assert xxgk("check", tmp_path, "--format", "xlsx").exit_code == 2  # xlsx needs -o
    assert xxgk("check", "--format", "yaml", tmp_path).exit_code == 2


def test_rules_lists_the_catalogue():
    res = xxgk("rules", "--format", "json")
    ids = [r["id"] for r in json.loads(res.stdout)]
    assert "T3-BALANCE" in ids and len(ids) == len(set(ids))


def test_docs_rules_md_is_generated_from_the_catalogue():
    from assistant.rules.docs import rules_markdown
    from assistant.rules.registry import all_rules

    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed.strip() == rules_markdown(all_rules()).strip(), "run: xxgk rules --format markdown > docs/rules.md"


def test_real_process_exit_codes_and_no_traceback(tmp_path, seed):
    """The console script itself: exit 2 and a Chinese message for a zip bomb-ish/corrupt DOCX."""
    bad = tmp_path / "报告.docx"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("word/document.xml", "<not xml")
    exe = Path(sys.executable).parent / "xxgk"
    p = subprocess.run([str(exe), "check", str(bad), str(seed)], capture_output=True, text=True)
    assert p.returncode == 2
    assert "Traceback" not in p.stderr + p.stdout
    assert "报告.docx" in p.stdout and "无法审核" in p.stdout
    assert "湍东镇人民政府" in p.stdout


def test_every_kind_of_bad_input_in_one_batch(tmp_path, seed):
    """Each bad file: a Chinese message naming it, exit 2; the good report in the batch is still checked."""
    from tests.fixtures.readers.build import encrypted_pdf, image_only_pdf
    from tests.grid import clean_cells, document

    shutil.copy(seed, tmp_path / "good.txt")
    (tmp_path / "scan.pdf").write_bytes(image_only_pdf())
    (tmp_path / "locked.pdf").write_bytes(encrypted_pdf(document(clean_cells(1))))
    with open(tmp_path / "huge.txt", "wb") as f:  # sparse: fast to make, 51 MB on paper
        f.truncate(51 * 2**20)
    with zipfile.ZipFile(tmp_path / "bomb.docx", "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * 2**20
            for _ in range(300):
                member.write(chunk)
    (tmp_path / "old.doc").write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 512)
    res = xxgk("check", tmp_path, "--format", "json", "-q")
    assert res.exit_code == 2
    data = json.loads(res.stdout)
    assert [Path(r["source"]).name for r in data["reports"]] == ["good.txt"]
    bad = {Path(u["source"]).name: u["message"] for u in data["unreadable"]}
    assert set(bad) == {"scan.pdf", "locked.pdf", "huge.txt", "bomb.docx", "old.doc"}
    assert "文字层" in bad["scan.pdf"] and "加密" in bad["locked.pdf"]
    for name, msg in bad.items():
        assert name in msg and "（" in msg, msg  # names the file and says what to do next


def test_no_paths_is_a_chinese_usage_error():
    res = runner.invoke(app, ["check"])
    assert res.exit_code == 2
    assert "请给出要审核的报告文件或文件夹" in res.output


def test_click_usage_errors_are_prefixed_in_chinese_by_the_console_script():
    exe = Path(sys.executable).parent / "xxgk"
    p = subprocess.run([str(exe), "check", "--format", "yaml", "x.txt"], capture_output=True, text=True)
    assert p.returncode == 2
    assert p.stderr.startswith("用法错误：") and "xxgk check --help" in p.stderr
