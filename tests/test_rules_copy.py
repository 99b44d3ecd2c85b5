"""COPY-PREV, COPY-PEER, COPY-NOFOLLOWUP on hand-built reports."""

from __future__ import annotations

from assistant.rules._text import similarity
from assistant.rules.base import CheckContext
from assistant.rules.registry import get_rule

from .reviewer_reports import make_report

FIVE_2023 = (
    "存在的问题：2023年，我县政府信息公开工作虽取得一定成效，但仍存在一些不足：一是政策解读形式较为单一，"
    "图表、音视频等解读方式运用不多；二是政民互动渠道留言回复时效有待提高。改进情况：针对上年度报告指出的问题，"
    "我们举办政务公开专题培训，实现信息员培训全覆盖，相关问题已整改到位。"
)
FIVE_2024 = (
    "存在的问题：一是基层政务公开标准化、规范化建设还不够深入；二是政府信息公开专栏检索、导航等功能还不够便捷。"
    "改进情况：针对上年度报告指出的政策解读形式单一、留言回复不及时等问题，我们编制图解、短视频等解读材料，"
    "建立留言办理限时回复机制，相关问题已整改到位。下一步，我县将动态调整公开事项标准目录。"
)


def run(rule_id, report, previous=None, peers=()):
    return list(get_rule(rule_id).check(CheckContext(report, previous=previous, peers=list(peers))))


def test_similarity_ignores_years_and_names():
    s = similarity("2023年，青禾县坚持公开为常态。", "2024年，白沙县坚持公开为常态。", names=("青禾县", "白沙县"), min_passage=5)
    assert s.ratio == 1.0
    assert similarity(FIVE_2023, FIVE_2024).ratio < 0.5


def test_copied_from_previous_year():
    prev = make_report(year=2023, sections={"五": FIVE_2023})
    copied = make_report(sections={"五": FIVE_2023.replace("2023年", "2024年")})
    (f,) = run("COPY-PREV", copied, prev)
    assert f.severity == "warning" and f.actual == 1.0 and "100%相同" in f.message and f.quote
    assert run("COPY-PREV", make_report(sections={"五": FIVE_2024}), prev) == []
    assert run("COPY-PREV", copied, None) == []


def test_copied_from_peer():
    peer = make_report(agency="白沙县人民政府", sections={"五": FIVE_2024.replace("我县", "我县")})
    mine = make_report(sections={"五": FIVE_2024})
    (f,) = run("COPY-PEER", mine, peers=[peer])
    assert "白沙县人民政府" in f.message
    other = make_report(agency="白沙县人民政府", sections={"五": FIVE_2023})
    assert run("COPY-PEER", mine, peers=[other]) == []
    same_agency = make_report(year=2023, sections={"五": FIVE_2024})
    assert run("COPY-PEER", mine, peers=[same_agency]) == []


def test_short_sections_not_compared():
    prev = make_report(year=2023, sections={"五": "无。"})
    assert run("COPY-PREV", make_report(sections={"五": "无。"}), prev) == []


def test_no_follow_up_on_last_years_problems():
    silent = make_report(sections={"五": "存在的问题：一是时间投入不够。改进措施：一是加强队伍建设。"})
    (f,) = run("COPY-NOFOLLOWUP", silent)
    assert f.severity == "warning" and f.location == "五、存在的主要问题及改进情况"
    assert run("COPY-NOFOLLOWUP", make_report(sections={"五": FIVE_2024})) == []
    by_year = make_report(sections={"五": "针对2023年度工作报告中提到的问题与不足，我局着力在热点舆情回应上下功夫。"})
    assert run("COPY-NOFOLLOWUP", by_year) == []
    this_year_only = make_report(sections={"五": "2024年我局加大贯彻落实力度，一是完善机制。"})
    assert len(run("COPY-NOFOLLOWUP", this_year_only)) == 1


def test_peer_of_the_same_agency_under_a_short_name_is_not_a_peer():
    mine = make_report(sections={"五": FIVE_2024})
    same = make_report(agency="青禾县政府", year=2023, sections={"五": FIVE_2024})
    assert run("COPY-PEER", mine, peers=[same]) == []
    dept = make_report(agency="青禾县交通运输局", kind="部门", sections={"五": FIVE_2024})
    assert len(run("COPY-PEER", dept, peers=[mine])) == 1


def _batch_with_copies():
    """Twelve synthetic reports; three copy 五 or 一 from another, with or without renaming the agency."""
    from assistant.report import read_report_bytes
    from assistant.testing.synth import clean_report, to_text_dump

    agencies = ["青禾县人民政府", "白沙镇人民政府", "东湖街道办事处", "临川市人民政府", "青禾县交通运输局", "青禾县教育局",
                "青禾县财政局", "石门镇人民政府", "青禾县民政局", "白沙镇卫生院", "临川市交通运输局", "青禾县水利局"]  # fmt: skip
    synth = [clean_report(a, 2024, seed=10 + i) for i, a in enumerate(agencies)]

    def body(r, num):
        return next(b for h, b in r.sections if h.startswith(num + "、"))

    def put(r, num, text):
        r.sections = [(h, text if h.startswith(num + "、") else b) for h, b in r.sections]

    put(synth[1], "五", body(synth[0], "五").replace("我县", "我镇"))  # copied, own name put in
    put(synth[5], "五", body(synth[4], "五"))  # copied as is, the other agency's name kept
    put(synth[8], "一", body(synth[6], "一").replace("青禾县财政局", "青禾县民政局"))
    return [read_report_bytes(to_text_dump(r).encode("utf-8"), f"{r.agency}_2024.txt") for r in synth]


def test_peer_index_finds_exactly_what_comparing_every_pair_finds():
    from assistant.rules._peers import Peers
    from assistant.rules.engine import check_report

    reports = _batch_with_copies()
    peers = Peers(reports)
    copy_peer = [get_rule("COPY-PEER")]
    found = 0
    for r in reports:
        every_pair = check_report(r, peers=reports, rules=copy_peer)
        assert check_report(r, peers=peers, rules=copy_peer) == every_pair
        found += len(every_pair)
    assert found >= 5  # the copies are found both ways (and 一 of the 五 copies may also match)
    # and the index spares most comparisons
    pairs = sum(len(peers.candidates(r, "五", 0.85)) for r in reports)
    assert pairs < len(reports) ** 2 / 4


def test_peer_bound_is_never_below_the_similarity():
    import itertools
    import random

    from assistant.rules._peers import Peers

    reports = _batch_with_copies()
    peers = Peers(reports)
    rng = random.Random(7)
    for a, b in rng.sample(list(itertools.permutations(reports, 2)), 60):
        for num in ("五", "一"):
            if a.section(num) is None or b.section(num) is None:
                continue
            from assistant.rules._text import self_names

            s = similarity(a.section(num).text, b.section(num).text, names=self_names(a) + self_names(b))
            assert b in peers.candidates(a, num, s.ratio), (a.agency, b.agency, num, s.ratio)


def test_similar_at_least_only_skips_pairs_below_the_threshold():
    import itertools

    from assistant.rules._text import self_names, similar_at_least

    reports = _batch_with_copies()
    skipped = 0
    for a, b in itertools.permutations(reports[:8], 2):
        for num in ("五", "一"):
            ta, tb = a.section(num).text, b.section(num).text
            names = self_names(a) + self_names(b)
            full = similarity(ta, tb, names=names)
            for threshold in (0.5, 0.85, full.ratio):
                got = similar_at_least(ta, tb, threshold, names=names)
                if got is None:
                    assert full.ratio < threshold
                    skipped += 1
                else:
                    assert got == full
    assert skipped > 50  # and it does spare most exact comparisons
