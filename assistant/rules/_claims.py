"""Claims: numbers the narrative states about something a table cell also counts.

A claim is (kind, value, sentence). Extraction is deliberately narrow (precision first): a count is
tied to the nearest keyword before it in the same clause, with no other count in between, and the
sentence must be about what the keyword's cell counts (e.g. an application sentence must say 申请;
a 12345 hotline or 人大建议 sentence is never read as applications).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from ..report.model import Report
from ._numbers import Count, find_counts, find_money
from ._text import Sentence, report_sentences

_CLAUSE_SPLIT = re.compile(r"[，,：:；;]")

# keyword → kind; order matters only for overlapping alternatives (longest first inside one regex)
_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("apply", r"新收|收到|受理|接收|接到"),
    ("carried", r"上年结转|上年度结转|结转上年|上一年度结转|上年度转入|上年转入"),
    ("forward", r"结转下年度|结转下一年度|转下一年度|转入下一年度|结转至下年度|结转到下年度|转入下年度|结转下年|结转至\d{4}年|结转到\d{4}年"),
    ("done", r"办结|办理完毕|办理完成|答复完毕|已答复|作出答复|予以答复"),
    ("public", r"予以公开|同意公开"),
    ("partial", r"部分公开"),
    ("withheld", r"不予公开"),
    ("unable", r"无法提供"),
    ("not_processed", r"不予处理"),
    ("other_result", r"其他处理"),
    ("natural", r"自然人(?:提出|申请)?"),
    ("legal", r"法人或其他组织(?:提出|申请)?|法人和其他组织(?:提出|申请)?"),
    ("review", r"行政复议"),
    ("suit", r"行政诉讼"),
    ("corrected", r"被纠正|被纠错|结果纠正"),
    ("license", r"行政许可"),
    ("penalty", r"行政处罚"),
    ("coercion", r"行政强制"),
    ("nd_issued", r"(?:制发|印发|出台|制定)(?:了)?(?:行政)?规范性文件"),
    ("nd_repealed", r"废止"),
    ("nd_in_force", r"现行有效"),
)
_KW_RE = re.compile("|".join(f"(?P<{k}>{p})" for k, p in _KEYWORDS))

APPLICATION_KINDS = {"apply", "carried", "forward", "done", "public", "partial", "withheld", "unable",
                     "not_processed", "other_result", "natural", "legal"}  # fmt: skip
_NOT_APPLICATIONS = re.compile(
    r"网络问政|诉求|12345|热线|咨询|留言|信访|建议|提案|来电|来信|投诉|举报|政务服务|办件|审批|许可|处罚|依法行政|件次|人次|公开信息\d"
)
_DOC_SENTENCE = re.compile(r"规范性文件")
_COMPARISON = re.compile(r"较(?!为)|比上|比去|比\d{4}|同比|环比|上年(?!度?结转)|去年|上一年(?!度?结转)|前一年")
_ALL_DONE = re.compile(
    r"申请[^，。；]{0,6}?(均已|均|都已|全部|已全部|全都)[^，。；]{0,6}?(办结|办理完成|办理完毕|处理完毕|答复完毕)"
)


class Claim(NamedTuple):
    kind: str
    value: int | float
    sentence: Sentence
    keyword: str = ""


def _sentence_ok(kind: str, s: str) -> bool:
    if kind in APPLICATION_KINDS:
        if "申请" not in s or _NOT_APPLICATIONS.search(s):
            return False
        if kind in ("natural", "legal"):  # applicants of 新收 only, not of some result
            return bool(re.search(r"新收|收到|受理|提出", s)) and not re.search(r"予以公开|部分公开|不予|无法提供|办结|答复", s)
        return not (kind == "done" and re.search(r"复议|诉讼", s))
    if kind in ("review", "suit", "corrected"):
        return "信息公开" in s or "依申请" in s
    if kind in ("license", "penalty", "coercion"):
        return "公开" in s and not re.search(r"事项|清单|目录|裁量|标准|制度|办事指南", s)
    if kind.startswith("nd_"):
        return bool(_DOC_SENTENCE.search(s)) and "规章" not in s and "政策性文件" not in s
    return True


def _pairs_respectively(clause: str, kws: list[re.Match[str]], counts: list[Count]) -> list[tuple[str, Count]]:
    """``行政许可、行政处罚结果分别公开12件、3件``: keywords before 分别 pair with counts after it, in order."""
    at = clause.find("分别")
    before = [k for k in kws if k.end() <= at]
    after = [c for c in counts if c.start > at]
    if not before or len(before) != len(after) or any(k.start() > at for k in kws):
        return []
    return [(k.lastgroup or "", c) for k, c in zip(before, after, strict=True)]


def _clause_claims(clause: str) -> list[tuple[str, Count, str]]:
    kws = list(_KW_RE.finditer(clause))
    counts = find_counts(clause)
    if not kws or not counts:
        return []
    if "分别" in clause:
        return [(kind, c, kind) for kind, c in _pairs_respectively(clause, kws, counts)]
    out = []
    prev_end = 0
    for c in counts:
        near = [k for k in kws if prev_end <= k.start() and k.end() <= c.start]
        prev_end = c.end
        if not near:
            continue
        k = near[-1]
        between = clause[k.end() : c.start]
        kind = k.lastgroup or ""
        if kind == "apply" and "申请" not in between and "申请" not in clause[: k.start()][-4:]:
            continue
        if kind == "done" and re.search(r"\d|率", between):
            continue
        if len(between) > 24:
            continue
        if kind != "carried" and _COMPARISON.search(clause[: c.start]):  # 较上年增加5件, 比上年度受理的20件…
            continue
        out.append((kind, c, k.group(0)))
    return out


# "none" statements: the sentence says the count is 0
_NONE_CLAIMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("apply", re.compile(r"(未|没有)(收到|受理|接到|接收)[^，。；]{0,10}?申请")),
    ("review", re.compile(r"(未|没有)(发生|收到|产生|涉及)[^，。；]{0,14}?行政复议")),
    ("suit", re.compile(r"(未|没有)(发生|收到|产生|涉及)[^，。；]{0,14}?行政诉讼")),
    ("nd_issued", re.compile(r"(未|没有)(制发|印发|出台|制定)[^，。；]{0,4}?(行政)?规范性文件")),
)


def claims(report: Report) -> Iterator[Claim]:
    """Every count claim in the report's prose sections (一, 五, 六 and off-format prose sections)."""
    for sent in report_sentences(report, semicolon=False):
        if "件" not in sent.text and "未" not in sent.text and "没有" not in sent.text:
            continue  # no count and no "none" statement: nothing to tie to a cell
        for clause in _CLAUSE_SPLIT.split(sent.text):
            if "件" in clause:
                for kind, count, kw in _clause_claims(clause):
                    if _sentence_ok(kind, sent.text):
                        yield Claim(kind, count.value, sent, kw)
            if "未" not in clause and "没有" not in clause:
                continue
            for kind, pat in _NONE_CLAIMS:
                m = pat.search(clause)
                if m and not find_counts(clause) and not _COMPARISON.search(clause) and _sentence_ok(kind, sent.text):
                    yield Claim(kind, 0, sent, m.group(0))


def all_done_sentences(report: Report) -> Iterator[Sentence]:
    """Sentences saying every application was completed (所有申请均已办结 …), without naming a carry-over."""
    for sent in report_sentences(report, semicolon=False):
        s = sent.text
        if _ALL_DONE.search(s) and not re.search(r"结转下|结转至|结转到|转入下|转下|顺延|除", s) and not _NOT_APPLICATIONS.search(s):
            yield sent


def fee_claims(report: Report) -> Iterator[Claim]:
    """``行政事业性收费N万元`` statements (table 2 第二十条第（八）项), in 万元."""
    for sent in report_sentences(report):
        if "行政事业性收费" not in sent.text:
            continue
        money = find_money(sent.text)
        if len(money) == 1:
            yield Claim("fee", money[0][0], sent, "行政事业性收费")
