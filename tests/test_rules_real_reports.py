"""The reviewer rules on the real reports of ../shared/corpus/reports (by path; nothing copied).

Only the defects a reviewer would really raise may come out (INDEX.md, and what reading the report
confirms); no errors at all from these rules.
"""

from __future__ import annotations

import pytest

from assistant.report import read_report, read_report_bytes
from assistant.rules.engine import check_report

from .conftest import shared_corpus

MINE = ("XY-", "NAR-", "STALE-", "COPY-", "REQ-ASSESS", "REQ-FEE", "REQ-TOPICS", "PLAUS-")

# report -> the (rule, severity) findings of the reviewer rules, exactly
EXPECTED = {
    # INDEX: 一 silent on 工作考核、社会评议和责任追究; 五 silent on last year's problems; 六 only “无”.
    # (info: 一 does not cover 依申请公开 / 政府信息管理 / 监督保障 at all.)
    "湍东镇人民政府_2024.txt": {
        ("REQ-ASSESS", "warning"),
        ("COPY-NOFOLLOWUP", "warning"),
        ("REQ-FEE", "warning"),
        ("REQ-TOPICS", "info"),
    },
    # INDEX: 五 off-format and silent on last year's problems (the title is REQ-SECTION's).
    "沭阳县发展和改革局_2023.html": {("COPY-NOFOLLOWUP", "warning")},
    # INDEX: says every application was completed while 1 is carried forward.
    "上海市科学技术委员会_2024.md": {("NAR-FORWARD", "warning")},
    # INDEX: none; good practice (五 opens with how the 2022 problems were fixed).
    "平潭综合实验区交通与建设局_2023.html": set(),
    # Not in INDEX's defect column (it lists arithmetic/narrative numbers), but true on reading: 五 lists
    # this year's problems and next steps only, and no 工作考核/社会评议/责任追究 appears anywhere.
    # The 政策性文件11件 vs 规范性文件8 sentence is (correctly) not compared.
    "淮安市人民政府_2024.pdf": {("COPY-NOFOLLOWUP", "warning"), ("REQ-ASSESS", "warning")},
}


def _mine(findings):
    return [f for f in findings if f.rule.startswith(MINE)]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_report_findings(name):
    report = read_report(shared_corpus() / "reports" / name)
    got = _mine(check_report(report))
    assert sorted((f.rule, f.severity) for f in got) == sorted(EXPECTED[name]), [f.message for f in got]
    for f in got:
        assert f.message and f.location, f


def test_seed_messages_say_what_to_write():
    report = read_report(shared_corpus() / "reports" / "湍东镇人民政府_2024.txt")
    by_rule = {f.rule: f for f in _mine(check_report(report))}
    assert "社会评议、责任追究" in by_rule["REQ-ASSESS"].message
    assert "仅写“无。”" in by_rule["REQ-FEE"].message and "本年度未收取信息处理费" in by_rule["REQ-FEE"].message
    assert "上一年度报告所列问题" in by_rule["COPY-NOFOLLOWUP"].message


def test_seed_copied_section_five_against_itself_as_last_year():
    path = shared_corpus() / "reports" / "湍东镇人民政府_2024.txt"
    text = path.read_text(encoding="utf-8")
    report = read_report(path)
    previous = read_report_bytes(text.replace("2024年", "2023年").encode("utf-8"), "湍东镇人民政府_2023.txt")
    got = [f for f in check_report(report, previous=previous) if f.rule.startswith(("COPY-PREV", "XY-"))]
    # both 五 and 一 are the same text as "last year's" (years masked); the carry-over chain holds (all 0)
    assert sorted((f.rule, f.location) for f in got) == [
        ("COPY-PREV", "一、总体情况"),
        ("COPY-PREV", "五、存在的主要问题及改进情况"),
    ]


def test_seed_mutations_are_found():
    path = shared_corpus() / "reports" / "湍东镇人民政府_2024.txt"
    text = path.read_text(encoding="utf-8")
    cases = {
        "NAR-APPLY": text.replace("2024年，我镇通过", "全年共收到政府信息公开申请3件。2024年，我镇通过", 1),
        "STALE-YEAR": text.replace("2024年，我镇通过", "2023年，我镇通过", 1),
        "STALE-NAME": text.replace("湍东镇坚持", "白河镇坚持", 1),
    }
    for rule, mutated in cases.items():
        assert mutated != text
        report = read_report_bytes(mutated.encode("utf-8"), path.name)
        assert rule in {f.rule for f in check_report(report)}, rule


def test_seed_with_its_defects_fixed_raises_no_reviewer_warning():
    path = shared_corpus() / "reports" / "湍东镇人民政府_2024.txt"
    text = path.read_text(encoding="utf-8")
    fixed = text.replace(
        "安全可靠的环境。",
        "安全可靠的环境。工作考核、社会评议和责任追究结果情况：纳入年度绩效考核，开展群众评议，全年未发生责任追究情况。",
        1,
    )
    fixed = fixed.replace("改进措施：", "针对上年度报告指出的公开不及时问题，已建立发布台账并整改到位。改进措施：", 1)
    fixed = fixed.replace("\n无。\n", "\n本年度未收取信息处理费。\n", 1)
    assert fixed.count("工作考核") == 1 and "信息处理费" in fixed
    report = read_report_bytes(fixed.encode("utf-8"), path.name)
    got = [(f.rule, f.severity) for f in _mine(check_report(report))]
    assert got == [("REQ-TOPICS", "info")]
