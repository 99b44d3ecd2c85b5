"""Copied text: 五 (and 一) nearly the same as last year's report or another report of the batch; 五 silent
on how last year's problems were addressed."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..report.model import Report
from ._numbers import normalise
from ._peers import Peers
from ._text import Similarity, self_names, short, similar_at_least
from .base import CheckContext, Finding, Rule

BASIS_COPY = "国办公开办函〔2021〕30号（年度报告不得雷同、敷衍塞责）；《政府信息公开条例》第四十七条、第五十条第（四）项"

# (section, threshold): 五 must change every year; 一 shares more boilerplate, so only near-verbatim counts
COMPARED = (("五", 0.85), ("一", 0.9))
MIN_CHARS = 60  # shorter sections ("无。") are not compared


def _sim(a: Report, b: Report, num: str, threshold: float) -> Similarity | None:
    """The similarity of section ``num`` when it may reach ``threshold`` (else None: no finding either way)."""
    sa, sb = a.section(num), b.section(num)
    if sa is None or sb is None:
        return None
    names = self_names(a) + self_names(b)
    s = similar_at_least(sa.text, sb.text, threshold, names=names)
    return s if s is not None and s.length >= MIN_CHARS else None


def _passages(s: Similarity) -> str:
    return "；".join(f"“{short(p, 40)}”" for p in s.passages[:2])


class CopiedFromPrevious(Rule):
    id = "COPY-PREV"
    group = "copy"
    severity = "warning"
    title = "“五、存在的主要问题及改进情况”（及总体情况）不应与上一年度报告基本相同"
    basis = BASIS_COPY
    bad_example = "2024年度报告的“五”与2023年度报告的“五”逐字相同：一是政策解读形式较为单一……下一步将……"
    good_example = "2024年度报告的“五”写本年度新发现的问题、上年度问题的整改结果和下一步措施"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        prev, r = ctx.previous, ctx.report
        if prev is None:
            return
        for num, threshold in COMPARED:
            s = _sim(r, prev, num, threshold)
            if s is None or s.ratio < threshold:
                continue
            sec = r.section(num)
            assert sec is not None
            yield self.finding(
                f"“{sec.title}”与{prev.year or '上一'}年度报告的同一部分有{round(s.ratio * 100)}%相同"
                f"（相同段落如{_passages(s)}）。请按本年度实际情况重写：写明本年度存在的问题、上年度问题的整改情况和下一步措施。",
                expected=f"相同比例低于{round(threshold * 100)}%",
                actual=s.ratio,
                location=sec.title,
                quote=s.passages[0] if s.passages else None,
            )


class CopiedFromPeer(Rule):
    id = "COPY-PEER"
    group = "copy"
    severity = "warning"
    title = "“五、存在的主要问题及改进情况”（及总体情况）不应与同批次其他机关的报告基本相同"
    basis = BASIS_COPY
    bad_example = "白沙镇报告的“五”与湍东镇报告的“五”除机关名称外逐字相同"
    good_example = "各机关结合本单位实际，分别写明存在的问题和改进情况"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        r = ctx.report
        peers = ctx.peers
        # in a batch, only the peers that could reach the threshold (an upper bound; same findings)
        batch = peers if isinstance(peers, Peers) else None
        worth: dict[str, set[int]] | None = None
        order: list[Report] = list(peers)
        if batch is not None:  # only the peers that could reach the threshold (upper bounds; same findings)
            found = {num: batch.candidates(r, num, t) for num, t in COMPARED}
            worth = {num: {id(p) for p in lst} for num, lst in found.items()}
            order = sorted({id(p): p for lst in found.values() for p in lst}.values(), key=lambda p: batch.position(p) or 0)
        own = _core(r.agency or "")
        for peer in order:
            if peer is r or not peer.agency or _core(peer.agency) == own:
                continue  # the same agency (e.g. its own earlier report) is COPY-PREV's business
            for num, threshold in COMPARED:
                if worth is not None and id(peer) not in worth[num]:
                    continue
                if batch is not None:
                    s = batch.similar_at_least(r, peer, num, threshold)
                    s = s if s is not None and s.length >= MIN_CHARS else None
                else:
                    s = _sim(r, peer, num, threshold)
                if s is None or s.ratio < threshold:
                    continue
                sec = r.section(num)
                assert sec is not None
                yield self.finding(
                    f"“{sec.title}”与同批次{peer.agency}{peer.year or ''}年度报告的同一部分有{round(s.ratio * 100)}%相同"
                    f"（相同段落如{_passages(s)}）。请结合本机关实际重写，不得照搬其他单位的报告。",
                    expected=f"相同比例低于{round(threshold * 100)}%",
                    actual=s.ratio,
                    location=sec.title,
                    quote=s.passages[0] if s.passages else None,
                )


def _core(agency: str) -> str:
    return re.sub(r"(人民政府|政府)$", "", agency.strip())


def _followup_re(year: int | None) -> re.Pattern[str]:
    last = rf"|{year - 1}年" if year else ""
    return re.compile(
        rf"(上年|上一年|去年|前一年|往年|以前年度|上期|上次{last})[^。；]{{0,50}}?"
        r"(问题|不足|短板|整改|改进|落实|意见|建议|差距)"
    )


class CopiedNoFollowUp(Rule):
    id = "COPY-NOFOLLOWUP"
    group = "copy"
    severity = "warning"
    title = "“五、存在的主要问题及改进情况”须说明上一年度报告所列问题的改进情况"
    basis = "国办公开办函〔2021〕30号《中华人民共和国政府信息公开工作年度报告格式》（五、存在的主要问题及改进情况）；《政府信息公开条例》第五十条第（四）项"
    bad_example = "五、存在的主要问题及改进情况\n存在的问题：一是……二是……\n改进措施：一是……二是……（未提上年度问题的整改）"
    good_example = "五、存在的主要问题及改进情况\n针对上年度报告指出的栏目更新不及时问题，已建立更新台账……本年度存在的问题：……"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        r = ctx.report
        sec = r.section("五")
        if sec is None or not sec.text.strip():
            return
        text = normalise(sec.text)
        if _followup_re(r.year).search(text):
            return
        yield self.finding(
            f"“{sec.title}”只写了本年度的问题和措施，未说明上一年度报告所列问题的改进（整改）情况。"
            "请补充：上年度报告提出了哪些问题、采取了哪些措施、整改结果如何。",
            expected="上年度问题的改进情况",
            actual="未提及",
            location=sec.title,
        )
