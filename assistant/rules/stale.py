"""Stale years and foreign names: traces of copying last year's or a neighbour's report."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ._peers import NameFinder, Peers
from ._text import report_sentences, self_names, short
from .base import CheckContext, Finding, Rule

BASIS_STALE = "国办公开办函〔2021〕30号（年度报告不得雷同、敷衍塞责）；《政府信息公开条例》第四十七条、第四十九条"

_PERIOD = re.compile(r"((?:19|20)\d\d)年1月1日(?:起)?(?:至|到|—|-|－|~|～)((?:19|20)\d\d年)?12月31日")
_CUE = re.compile(r"本年度|今年|本年|全年|年度内")
_NOT_CURRENT = re.compile(
    r"较(上|去|前|\d)|比(上|去|前|\d)|相比|同比|对比|以来|截至|截止|至今|上年|上一年|去年|针对|报告中|指出|提出的|"
    r"整改|延续|结转|成立|开通|印发的|制定的|出台的|\d{4}年\d{1,2}月|决算|预算|年度报告|年报|公报|审计"
)
# "2023年，" / "2023年度，" / "2023年我局" / "2023年全年" / "2023年，青禾县…" at the start of a clause
_YEAR_START = re.compile(r"(?:^|[。；，：])(?:[（(][一二三四五六七八九十\d]+[）)][^，。；]{0,14}?)?((?:19|20)\d\d)年度?(?=，|全年|我|本|共|全)")
_POINTS = re.compile(r"((?:19|20)\d\d)年(?:度)?(?:政务公开|政府信息公开)(?:工作)?要点")
_DATE_LINE = re.compile(r"^((?:19|20)\d\d)年(\d{1,2})月(\d{1,2})日$")
_ANY_YEAR = re.compile(r"(?:19|20)\d\d年")
_YEARS = re.compile(r"((?:19|20)\d\d)年")
_CLAUSES = re.compile(r"[，；]")


def _stale_year(sent: str, year: int) -> tuple[int, str] | None:
    """(the wrong year, why) for a sentence that speaks of the report year with another year."""
    if not _ANY_YEAR.search(sent):  # every reading below needs a year written in the sentence
        return None
    m = _PERIOD.search(sent)
    if m and int(m.group(1)) != year:
        return int(m.group(1)), "统计期限"
    m = _POINTS.search(sent)
    if m and int(m.group(1)) < year and not _NOT_CURRENT.search(sent):
        return int(m.group(1)), "年度政务公开工作要点"
    for clause in _CLAUSES.split(sent):
        if _CUE.search(clause) and not _NOT_CURRENT.search(clause):
            for y in _YEARS.findall(clause):
                if year - 3 <= int(y) < year:
                    return int(y), "本年度的表述"
    if not _NOT_CURRENT.search(sent):
        for m in _YEAR_START.finditer(sent):
            if year - 3 <= int(m.group(1)) < year:
                return int(m.group(1)), "叙述本年度工作的句子"
    return None


class StaleYear(Rule):
    id = "STALE-YEAR"
    group = "stale"
    severity = "warning"
    title = "统计期限、叙述本年度工作的句子和落款日期中的年份应与报告年度一致（防止沿用上年报告）"
    basis = BASIS_STALE
    bad_example = "青禾县人民政府2024年政府信息公开工作年度报告\n一、总体情况\n2023年，我县认真贯彻《条例》……"
    good_example = "青禾县人民政府2024年政府信息公开工作年度报告\n一、总体情况\n2024年，我县认真贯彻《条例》……"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        r = ctx.report
        if r.year is None:
            return
        for sent in report_sentences(r):
            hit = _stale_year(sent.text, r.year)
            if hit is None:
                continue
            wrong, what = hit
            yield self.finding(
                f"{sent.location}中{what}写作{wrong}年，而本报告是{r.year}年度报告：“{short(sent.text)}”。"
                f"请核对是否沿用了往年报告的文字，改为{r.year}年。",
                expected=r.year,
                actual=wrong,
                location=sent.location,
                quote=sent.text,
            )
        yield from self._date(ctx)

    def _date(self, ctx: CheckContext) -> Iterator[Finding]:
        r = ctx.report
        if not r.sections or r.year is None:
            return
        last = r.sections[-1]
        lines = [ln.strip() for ln in last.text.splitlines() if ln.strip()]
        for ln in lines[-6:]:
            m = _DATE_LINE.match(re.sub(r"\s+", "", ln))
            if m and int(m.group(1)) <= r.year:
                yield self.finding(
                    f"落款日期为“{ln}”，但{r.year}年度报告应在{r.year + 1}年发布。请核对落款日期是否沿用了往年报告。",
                    expected=f"{r.year + 1}年",
                    actual=ln,
                    location=last.title,
                    quote=ln,
                )
                return


_LEVEL_SUFFIX = {"township": ("镇", "乡", "街道"), "county": ("县", "区", "旗"), "city": ("市", "州", "盟")}
_SUBJECT = (
    r"(?=人民政府|政府|街道办事处|办事处|坚持|认真|始终|紧扣|紧紧|紧密|围绕|严格|持续|全年|共|通过|积极|不断|进一步|"
    r"高度重视|深入|扎实|以|把|将|按照|依托|聚焦|全面|着力|切实|结合)"
)
_BAD_CHARS = set("的了在和与对各全本我该等及为是将有年月日个、市省县区镇乡中上下内外后前新老大小")
_NOT_PLACES = re.compile(r"(城|村|集|古|重|小|强|名|边|郊|社|街|辖|城|园|景|片|校|展|专|功能|开发|示范|试验|实验|自贸|保护|服务|先行|合作|核心|行政)(镇|乡|区|县|市)$")


def _own_level(names: tuple[str, ...], kind: str | None) -> str | None:
    if kind in ("乡镇", "街道"):
        return "township"
    for n in sorted(names, key=len):
        for lv, suffixes in (("township", ("镇", "乡", "街道")), ("county", ("县", "旗")), ("city", ("市",))):
            if n.endswith(suffixes):
                return lv
        if n.endswith("区") and not _NOT_PLACES.search(n):
            return "county"
    return None


_SUBJECT_AT = re.compile(_SUBJECT[3:-1])  # the words that may follow a subject, matched at a position
_YEAR_HEAD = re.compile(r"(?:19|20)\d\d年")
_CLAUSE_START = re.compile(r"[。；，：]")


def _year_prefixes(text: str, at: int) -> Iterator[int]:
    """Where a name may start after ``at``, in the order a regex ``(?:YYYY年(?:度)?(?:以来)?，?)?``
    would try: the longest year prefix first, then shorter ones, then none."""
    m = _YEAR_HEAD.match(text, at)
    if m is not None:
        for a in (True, False) if text.startswith("度", m.end()) else (False,):
            i = m.end() + a
            for b in (True, False) if text.startswith("以来", i) else (False,):
                j = i + 2 * b
                if text.startswith("，", j):
                    yield j + 1
                yield j
    yield at


def _is_cjk(text: str) -> bool:
    return all("\u4e00" <= ch <= "\u9fff" for ch in text)


def _name_at(text: str, at: int, suffixes: tuple[str, ...], dept: str) -> tuple[str, int] | None:
    """(name, end) of a place name in subject position at clause start ``at``, or None.

    The same choice as the regex ``(?:YYYY年…，?)?([\\u4e00-\\u9fff]{2,3}?(?:镇|乡|…))(?=坚持|…|DEPT)``
    (shortest name first), without compiling a pattern per department name."""
    for start in _year_prefixes(text, at):
        for k in (2, 3):
            if not _is_cjk(text[start : start + k]) or len(text) < start + k:
                continue
            for suffix in suffixes:
                if text.startswith(suffix, start + k):
                    end = start + k + len(suffix)
                    if _SUBJECT_AT.match(text, end) or (dept and text.startswith(dept, end)):
                        return text[start:end], end
    return None


def _place_names(text: str, suffixes: tuple[str, ...], dept: str = "") -> Iterator[str]:
    """Place names in subject position (start of a clause, possibly after a year): 白沙镇坚持…, or followed
    by the report's own department name (白沙县交通运输局 in 青禾县交通运输局's report).

    Tried only at clause starts (a handful per sentence), not at every character."""
    if not any(suffix in text for suffix in suffixes):
        return
    end = 0
    for start in (0, *(m.end() for m in _CLAUSE_START.finditer(text))):
        if start < end:
            continue  # inside the previous name's match ("2024年，白沙镇…")
        found = _name_at(text, start, suffixes, dept)
        if found is None:
            continue
        name, end = found
        if set(name[:-1]) & _BAD_CHARS or _NOT_PLACES.search(name):
            continue
        yield name


class StaleName(Rule):
    id = "STALE-NAME"
    group = "stale"
    severity = "warning"
    title = "正文不应出现其他机关或地方的名称作为本机关（防止照抄其他单位报告）"
    basis = BASIS_STALE
    bad_example = "湍东镇人民政府2024年政府信息公开工作年度报告\n……2024年，白沙镇坚持以习近平新时代中国特色社会主义思想为指导……"
    good_example = "湍东镇人民政府2024年政府信息公开工作年度报告\n……2024年，湍东镇坚持以习近平新时代中国特色社会主义思想为指导……"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        r = ctx.report
        own = self_names(r)
        if not own:
            return
        lv = _own_level(own, r.agency_kind)
        dept = ""
        if r.agency_kind == "部门":
            place = min(own, key=len)
            dept = (r.agency or "").removeprefix(place) if len(place) < len(r.agency or "") else ""
        # other agencies of the batch, found in each sentence in order (the longer name first at one place)
        finder = ctx.peers.agencies if isinstance(ctx.peers, Peers) else NameFinder({p.agency for p in ctx.peers if p.agency})
        seen: set[str] = set()
        for sent in report_sentences(r):
            found = [p for _i, p in finder.find(sent.text) if p not in own and not any(p in o or o in p for o in own)]
            if lv is not None:
                found += list(_place_names(sent.text, _LEVEL_SUFFIX[lv], dept))
            for name in found:
                if any(name in x or x in name for x in (*seen, *own)):
                    continue
                seen.add(name)
                yield self.finding(
                    f"{sent.location}出现“{name}”，但本报告是{r.agency}的报告：“{short(sent.text)}”。"
                    f"疑似照抄其他单位的报告，请改为本机关名称并核对该段内容是否属实。",
                    expected=r.agency,
                    actual=name,
                    location=sent.location,
                    quote=sent.text,
                )
