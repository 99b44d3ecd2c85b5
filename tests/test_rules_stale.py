"""STALE-YEAR and STALE-NAME on hand-built reports."""

from __future__ import annotations

import pytest

from assistant.rules.base import CheckContext
from assistant.rules.registry import get_rule

from .reviewer_reports import make_report


def run(rule_id, report, peers=()):
    return list(get_rule(rule_id).check(CheckContext(report, peers=list(peers))))


@pytest.mark.parametrize(
    "text",
    [
        "2023年，我县认真贯彻《条例》，政府信息公开工作取得新进展。",
        "本报告统计期限为2023年1月1日至12月31日。",
        "2023年全年共收到政府信息公开申请5件。",
        "我县对照2023年政务公开工作要点，逐项分解任务。",
        "（一）主动公开。2023年，我县主动公开政府信息600条。",
    ],
)
def test_stale_year_flagged(text):
    (f,) = run("STALE-YEAR", make_report(sections={"一": text}))
    assert f.actual == 2023 and f.expected == 2024 and f.quote


@pytest.mark.parametrize(
    "text",
    [
        "2024年，我县认真贯彻《条例》。",
        "2025年，我县将进一步加强政策解读。",
        "针对2023年度报告中提到的问题，我县逐项整改。",
        "与2023年相比，全年申请量增长20%。",
        "2022年7月正式开通微信公众号，2024年共发送784条信息。",
        "本报告统计期限为2024年1月1日至12月31日。",
    ],
)
def test_stale_year_not_flagged(text):
    assert run("STALE-YEAR", make_report(sections={"一": text})) == []


def test_stale_signature_date():
    (f,) = run("STALE-YEAR", make_report(sections={"六": "本年度未收取信息处理费。\n青禾县人民政府\n2024年1月17日"}))
    assert "2024年1月17日" in f.message
    assert run("STALE-YEAR", make_report(sections={"六": "本年度未收取信息处理费。\n青禾县人民政府\n2025年1月17日"})) == []


@pytest.mark.parametrize(
    ("agency", "kind", "text", "name"),
    [
        ("湍东镇人民政府", "乡镇", "2024年，白沙镇坚持以习近平新时代中国特色社会主义思想为指导。", "白沙镇"),
        ("青禾县人民政府", "人民政府", "（三）政府信息管理。石门县人民政府严格落实发布审核制度。", "石门县"),
        ("青禾县交通运输局", "部门", "2024年，石门县交通运输局认真贯彻《条例》。", "石门县"),
        ("东湖街道办事处", "街道", "2024年，西湖街道认真贯彻《条例》。", "西湖街道"),
    ],
)
def test_foreign_name_flagged(agency, kind, text, name):
    (f,) = run("STALE-NAME", make_report(agency=agency, kind=kind, sections={"一": text}))
    assert f.actual == name and agency in f.message


@pytest.mark.parametrize(
    "text",
    [
        "2024年，湍东镇坚持以习近平新时代中国特色社会主义思想为指导。",
        "在各行政村公示栏张贴政策明白卡，全镇政府信息公开工作稳步推进。",
        "按照省、市、县工作要求，乡镇政务公开标准化建设持续推进。",
        "城镇老旧小区改造信息及时公开，社区坚持每月公示。",
    ],
)
def test_own_and_generic_names_not_flagged(text):
    assert run("STALE-NAME", make_report(agency="湍东镇人民政府", kind="乡镇", sections={"一": text})) == []


def test_peer_agency_named_anywhere():
    peer = make_report(agency="白河镇人民政府", kind="乡镇")
    text = "参照白河镇人民政府的做法完善公开目录。"
    (f,) = run("STALE-NAME", make_report(agency="湍东镇人民政府", kind="乡镇", sections={"一": text}), [peer])
    assert f.actual == "白河镇人民政府"


def test_last_years_final_accounts_are_not_stale():
    text = "全年公开2023年度部门决算和2024年度部门预算。"
    assert run("STALE-YEAR", make_report(agency="青禾县交通运输局", kind="部门", sections={"一": text})) == []
