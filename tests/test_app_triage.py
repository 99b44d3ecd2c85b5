"""Triage: what the fingerprint keys on, and decisions that survive re-runs, restarts and corrected reports."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from assistant.app import workspace as ws
from assistant.app.triage import TriageStore, fingerprints
from assistant.app.uploads import UploadLimits
from assistant.rules.base import Finding
from assistant.testing.synth import clean_report, render

LIMITS = UploadLimits()

F = Finding(
    rule="NAR-APPLY", severity="warning", message="一称“收到申请31件”，但表三为24件", cells=("t3.new.total",),
    expected=24, actual=31, basis="《条例》第五十条", location="一、总体情况", quote="本年度新收政府信息公开申请31件。",
)


def fp(f: Finding = F, agency: str | None = "青禾县教育局", year: int | None = 2024, fallback: str = "a.html") -> str:
    return fingerprints(agency, year, [f], fallback=fallback)[0]


def test_fingerprint_ignores_wording_numbers_file_and_severity():
    same = [
        dataclasses.replace(F, message="另一种说法：表三为25件", expected=25, actual=30),
        dataclasses.replace(F, severity="error", basis="另一依据"),
        dataclasses.replace(F, quote="本年度新收政府信息公开申请３１件。"),  # full-width digits, as some pages write them
        dataclasses.replace(F, quote="本年度新收 政府信息公开申请31件。"),  # a stray space
    ]
    for f in same:
        assert fp(f) == fp(), f
    assert fp(fallback="另一个文件名.docx") == fp()
    assert fp(dataclasses.replace(F, cells=("t3.new.total",) * 2)) == fp()  # cell order/duplicates


@pytest.mark.parametrize(
    "change",
    [
        {"rule": "NAR-CARRY"},
        {"cells": ("t3.carried_over.total",)},
        {"quote": "本年度新收政府信息公开申请32件。"},
    ],
)
def test_fingerprint_changes_with_what_the_finding_is_about(change):
    assert fp(dataclasses.replace(F, **change)) != fp()


def test_fingerprint_changes_with_agency_and_year():
    assert fp(agency="青禾县交通运输局") != fp()
    assert fp(year=2023) != fp()


def test_section_findings_key_on_location_and_unknown_agency_on_file_name():
    a = Finding(rule="REQ-FEE", severity="warning", message="六未报告信息处理费", location="六、其他需要报告的事项")
    b = dataclasses.replace(a, location="五、存在的主要问题及改进情况")
    assert fp(a) != fp(b)
    assert fp(a, agency=None, fallback="x.txt") != fp(a, agency=None, fallback="y.txt")
    assert fp(a, agency=None, fallback="x.txt") == fp(dataclasses.replace(a, message="措辞不同"), agency=None, fallback="x.txt")


def test_same_finding_twice_in_a_report_gets_two_keys():
    a, b = fingerprints("甲", 2024, [F, F])
    assert a != b and a == fp(agency="甲")


def test_store_survives_a_restart_and_keeps_history(tmp_path):
    db = tmp_path / "triage.sqlite"
    store = TriageStore(db)
    store.set_status("abc", "dismissed", user="张三")
    store.set_note("abc", "  表格已核实无误  ", user="张三")
    again = TriageStore(db)  # a restarted app: a new object, new connections
    d = again.get("abc")
    assert (d.status, d.note, d.updated_by) == ("dismissed", "表格已核实无误", "张三")
    again.set_status("abc", None, user="李四")  # 撤销 keeps the note
    d = TriageStore(db).get("abc")
    assert d.status is None and d.note == "表格已核实无误"
    assert [h[0] for h in again.history("abc")] == ["dismissed", "dismissed", None]
    assert again.get("unknown").status is None
    with pytest.raises(ValueError):
        again.set_status("abc", "maybe")  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- through the workspace


def _county_report(tmp: Path, name: str, *, t4_slip: bool, narrative_slip: bool = True) -> Path:
    prev = clean_report("青禾县市场监督管理局", 2023, seed=5)
    r = clean_report("青禾县市场监督管理局", 2024, seed=6, previous=prev)
    if t4_slip:
        r.cells["t4.review.total"] += 1
    if narrative_slip:
        import re

        for i, (head, body) in enumerate(r.sections):
            if head.startswith("一、"):
                r.sections[i] = (head, re.sub(r"(新收政府信息公开申请)(\d+)件", lambda m: f"{m.group(1)}{int(m.group(2)) + 9}件", body, count=1))
    tmp.mkdir(parents=True, exist_ok=True)
    return render(r, "html", tmp / name)


def _review(store: TriageStore, path: Path, work: Path) -> tuple[ws.ReviewSession, dict]:
    s = ws.review_files([path], [], work_dir=work, limits=LIMITS)
    return s, ws.decisions_for(store, s)


def _by_rule(s: ws.ReviewSession, rule: str) -> ws.Row:
    return next(r for r in s.rows if r.finding.rule == rule)


def test_decisions_survive_rerun_restart_and_a_corrected_report(tmp_path):
    store = TriageStore(tmp_path / "app" / "triage.sqlite")
    first = _county_report(tmp_path / "up1", "市场监管局2024年报.html", t4_slip=True)
    s, dec = _review(store, first, tmp_path / "work")
    rules = {r.finding.rule for r in s.rows}
    assert {"T4-SUM", "NAR-APPLY"} <= rules
    ws.decide(store, s, _by_rule(s, "NAR-APPLY").key, "驳回", user="审核员")
    ws.save_note(store, s, _by_rule(s, "NAR-APPLY").key, "正文含上年结转，口径不同")
    ws.decide(store, s, _by_rule(s, "T4-SUM").key, "确认")

    # re-run the same file: same decisions
    s2, dec2 = _review(store, first, tmp_path / "work")
    assert dec2[_by_rule(s2, "NAR-APPLY").fingerprint].status == "dismissed"
    assert dec2[_by_rule(s2, "T4-SUM").fingerprint].status == "confirmed"

    # restart (new store object on the same file) and the corrected report under another name:
    # the table-4 slip is fixed, the narrative finding is unchanged and keeps its dismissal
    restarted = TriageStore(tmp_path / "app" / "triage.sqlite")
    fixed = _county_report(tmp_path / "up2", "市场监管局年报（修改稿）.html", t4_slip=False)
    s3, dec3 = _review(restarted, fixed, tmp_path / "work")
    assert "T4-SUM" not in {r.finding.rule for r in s3.rows}
    row = _by_rule(s3, "NAR-APPLY")
    assert row.name == "市场监管局年报（修改稿）.html"
    assert (dec3[row.fingerprint].status, dec3[row.fingerprint].note) == ("dismissed", "正文含上年结转，口径不同")
    table = ws.table_rows(s3, dec3, ws.Filters(status="已驳回"))
    assert [r[5] for r in table] == ["NAR-APPLY"] and table[0][8] == "已驳回"


def test_a_corrected_sentence_is_a_new_finding(tmp_path):
    """When the wrong sentence itself changes (still wrong, other number), the old dismissal does not carry over."""
    store = TriageStore(tmp_path / "t.sqlite")
    s, _ = _review(store, _county_report(tmp_path / "a", "x.html", t4_slip=False), tmp_path / "w")
    ws.decide(store, s, _by_rule(s, "NAR-APPLY").key, "驳回")
    other = _county_report(tmp_path / "b", "x.html", t4_slip=False)
    text = other.read_text(encoding="utf-8")
    import re

    m = re.search(r"新收政府信息公开申请(\d+)件", text)
    assert m
    other.write_text(text.replace(m.group(0), f"新收政府信息公开申请{int(m.group(1)) + 1}件", 1), encoding="utf-8")
    s2, dec2 = _review(store, other, tmp_path / "w")
    assert _by_rule(s2, "NAR-APPLY").fingerprint not in dec2
