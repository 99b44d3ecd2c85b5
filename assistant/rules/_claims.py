"""Claims: numbers the narrative states about something a table cell also counts.

A claim is (kind, value, sentence). The words, kinds and readings are data (``_claimdata.py``); this
module reads a sentence with them. Reading is deliberately narrow (precision first):

* a number belongs to the words right before it in the same clause (after the previous number, at
  most 24 characters away): the last *subject* (行政复议, 规范性文件, 收到申请 …) and the last *facet*
  (维持, 制发 …) there. Subjects named together (行政复议、行政诉讼共3件) count as the subject that
  covers both, or as nothing when none does;
* a facet with no subject before it in its clause (其中维持2件) belongs to the subjects named earlier
  in the sentence (行政复议5件，其中维持2件) — those named together since the last facet claim;
* ``有1件涉及政府信息公开的行政复议`` / ``其中1件结果纠正``: a number followed closely by its word;
* ``行政许可、行政处罚结果分别公开12件、3件``: the words before 分别 pair with the numbers after it;
* a sentence must be about what the kind's cells count (an application sentence must say 申请; a
  12345 hotline or 人大建议 sentence is never read as applications; a 复议 must be about 信息公开);
  comparisons (较上年增加5件) and clauses about another year are not claims;
* "none" statements (未发生行政复议) are claims of 0.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

from ..report.model import Report
from ._claimdata import CARRYING_FACETS, FACETS, KINDS, NONE, SUBJECTS, WORDS
from ._numbers import find_counts, find_money
from ._text import Sentence, report_sentences

_CLAUSE_SPLIT = re.compile(r"[，：:；;]|,(?!\d{3}(?!\d))")  # not the comma of 1,250
_WORD_RE = re.compile("|".join(f"(?P<w{i}>{p})" for i, (_n, p) in enumerate(WORDS)))
_WORD_NAMES = {f"w{i}": n for i, (n, _p) in enumerate(WORDS)}
_NONE_RE = tuple((name, re.compile(p)) for name, p in NONE)
_COUNT_UNITS = tuple(sorted({u for s in SUBJECTS.values() for u in s.units if u != "万元"}))
_COMPARISON = re.compile(r"较(?!为)|比上|比去|比\d{4}|同比|环比|上年(?!度?结转)|去年|上一年(?!度?结转)|前一年")
_CHANGE = re.compile(r"增加|减少|下降|上升|增长|提高|降低|增至|降至")
_YEAR = re.compile(r"((?:19|20)\d\d)年(?!\d{1,2}月)")
_LIST_SEP = re.compile(r"(?:[、和及与或]|以及)+")
_LEAD = re.compile(r"(?:有|共有|发生了?|共发生|共|涉及)$")
_QUICK = ("件", "起", "宗", "元", "未", "没有", "无")
_ALL_DONE = re.compile(
    r"申请[^，。；]{0,6}?(均已|均|都已|全部|已全部|全都)[^，。；]{0,6}?(办结|办理完成|办理完毕|处理完毕|答复完毕)"
)
_NOT_APPLICATIONS = re.compile(SUBJECTS["public"].forbids)
MAX_GAP = 24


class Claim(NamedTuple):
    kind: str
    value: int | float
    sentence: Sentence
    keyword: str = ""


class _Word(NamedTuple):
    start: int
    end: int
    name: str
    text: str


class _Number(NamedTuple):
    value: int | float
    start: int
    end: int
    unit: str


def _expand(name: str) -> set[str]:
    out = {name}
    for p in SUBJECTS[name].parts:
        out |= _expand(p)
    return out


@lru_cache(maxsize=256)
def _union(names: tuple[str, ...]) -> str | None:
    """The one subject named by several together (行政复议、行政诉讼 → litigation), or None."""
    if len(set(names)) == 1:
        return names[0]
    covering = [s for s in SUBJECTS if all(n in _expand(s) for n in names)]
    return min(covering, key=lambda s: len(_expand(s))) if covering else None


class _Reader:
    """Reads one sentence clause by clause; subjects named earlier carry to later facets."""

    def __init__(self, sentence: str, year: int | None) -> None:
        self.s = sentence
        self.year = year
        self.group: list[str] = []  # carrying subjects named since the last facet claim
        self.facet_since = False
        self.out: list[tuple[str, float, str]] = []

    # -- state
    def _see(self, name: str) -> None:
        if name not in SUBJECTS or not SUBJECTS[name].carry:
            return
        if not self.group or self.facet_since or any(name in _expand(g) - {g} for g in self.group):
            self.group, self.facet_since = [name], False
        elif name not in self.group:
            self.group.append(name)

    def _group_subject(self, facet: str) -> str | None:
        if self.group:
            return _union(tuple(self.group))
        return "cases" if f"cases.{facet}" in KINDS else None

    # -- checks
    def _ok(self, subject: str, kind: str, clause: str, num: _Number | None, gap: str = "", word: _Word | None = None) -> bool:
        if kind not in KINDS:
            return False
        spec = SUBJECTS[subject]
        if num is not None and num.unit not in spec.units:
            return False
        if spec.requires and not re.search(spec.requires, self.s):
            return False
        if spec.forbids and re.search(spec.forbids, self.s):
            return False
        if spec.near and word is not None and spec.near not in gap and spec.near not in clause[max(0, word.start - 4) : word.start]:
            return False
        if len(gap) > MAX_GAP or _CHANGE.search(gap) or (spec.gap_forbids and re.search(spec.gap_forbids, gap)):
            return False
        if spec.compare_ok:
            return True
        head = clause if num is None else clause[: num.start]
        if _COMPARISON.search(head):
            return False
        return self.year is None or all(int(y) == self.year for y in _YEAR.findall(head))

    def _emit(self, kind: str, value: float, keyword: str, facet: str | None) -> None:
        self.out.append((kind, value, keyword))
        if facet is not None:
            self.facet_since = True

    # -- reading
    def clause(self, clause: str) -> None:
        words = [_Word(m.start(), m.end(), _WORD_NAMES[m.lastgroup or ""], m.group()) for m in _WORD_RE.finditer(clause)]
        nums = [_Number(c.value, c.start, c.end, c.unit) for c in find_counts(clause, _COUNT_UNITS)]
        if "元" in clause:
            nums += [_Number(v, a, b, "万元") for v, a, b in find_money(clause)]
            nums.sort(key=lambda n: n.start)
        if "分别" in clause and nums:
            self._respectively(clause, words, nums)
        else:
            self._walk(clause, words, nums)
        if not nums and any(w in clause for w in ("未", "没有", "无")):
            self._none(clause, words)

    def _walk(self, clause: str, words: list[_Word], nums: list[_Number]) -> None:
        seg: list[_Word] = []
        consumed: set[int] = set()
        clause_facet: str | None = None
        wi = 0
        for i, num in enumerate(nums):
            while wi < len(words) and words[wi].end <= num.start:
                if words[wi].start not in consumed:
                    seg.append(words[wi])
                    self._see(words[wi].name)
                wi += 1
            if not seg:
                nxt = nums[i + 1].start if i + 1 < len(nums) else len(clause)
                after = [w for w in words[wi:] if w.start >= num.end and w.end <= nxt]
                if after and self._trailing(clause, num, after[0]):
                    consumed.add(after[0].start)
                continue
            clause_facet = self._bind(clause, seg, num, clause_facet)
            seg = []
        for w in words[wi:]:
            if w.start not in consumed:
                self._see(w.name)

    def _bind(self, clause: str, seg: list[_Word], num: _Number, clause_facet: str | None) -> str | None:
        """Claim for ``num`` from the words of its segment; returns the facet that carries on in the clause."""
        nearest = seg[-1]
        gap = clause[nearest.end : num.start]
        facets = [w for w in seg if w.name in FACETS]
        subjects = [w for w in seg if w.name in SUBJECTS]
        facet = facets[-1].name if facets else (clause_facet if subjects else None)
        candidates: list[tuple[str | None, _Word | None]] = []
        if subjects:
            run = [subjects[-1]]
            for w in reversed(subjects[:-1]):  # 行政复议、行政诉讼 named together
                if _LIST_SEP.fullmatch(clause[w.end : run[0].start]):
                    run.insert(0, w)
                else:
                    break
            candidates.append((_union(tuple(w.name for w in run)), run[-1]))
            if len(run) == 1:  # 行政许可事项办结: 办结 is not about applications here, 行政许可 is
                candidates += [(w.name, w) for w in reversed(subjects[:-1]) if SUBJECTS[w.name].carry]
        elif facet is not None:
            candidates.append((self._group_subject(facet), None))
        for subject, word in candidates:
            if subject is None:
                continue
            kind = subject if facet is None else f"{subject}.{facet}"
            if self._ok(subject, kind, clause, num, gap, word):
                self._emit(kind, num.value, nearest.text, facet)
                return facet if facet in CARRYING_FACETS else None
        return clause_facet

    def _trailing(self, clause: str, num: _Number, word: _Word) -> bool:
        """``其中1件结果纠正`` / ``有1件涉及政府信息公开的行政复议``: the word comes right after the number."""
        gap = clause[num.end : word.start]
        if word.name in FACETS and len(gap) <= 2:
            subject, facet = self._group_subject(word.name), word.name
        elif word.name in SUBJECTS and SUBJECTS[word.name].carry and len(gap) <= 20 and _LEAD.search(clause[: num.start]):
            subject, facet = word.name, None
            self._see(word.name)
        else:
            return False
        if subject is None:
            return False
        kind = subject if facet is None else f"{subject}.{facet}"
        if not self._ok(subject, kind, clause, num):
            return False
        self._emit(kind, num.value, word.text, facet)
        return True

    def _respectively(self, clause: str, words: list[_Word], nums: list[_Number]) -> None:
        """``行政许可、行政处罚结果分别公开12件、3件``: words before 分别 pair with the numbers after it."""
        at = clause.find("分别")
        before = [w for w in words if w.end <= at]
        after = [n for n in nums if n.start > at]
        subjects = [w for w in before if w.name in SUBJECTS]
        facets = list(dict.fromkeys(w.name for w in words if w.name in FACETS))
        if any(w.name in SUBJECTS for w in words if w.start > at) or len(facets) > 1:
            return
        for w in subjects:
            self._see(w.name)
        if subjects and len(subjects) == len(after):
            facet = facets[0] if facets else None
            pairs = [(w.name, facet, w, n) for w, n in zip(subjects, after, strict=True)]
        elif not subjects and len(before) == len(after) and self.group:  # 其中维持、纠正分别为2件、1件
            pairs = [(self._group_subject(w.name), w.name, w, n) for w, n in zip(before, after, strict=True)]
        else:
            return
        for subject, facet, w, n in pairs:
            kind = subject if facet is None else f"{subject}.{facet}"
            if subject is not None and self._ok(subject, kind, clause, n):
                self._emit(kind, n.value, w.text, facet)

    def _none(self, clause: str, words: list[_Word]) -> None:
        for name, pat in _NONE_RE:
            m = pat.search(clause)
            if not m:
                continue
            if name.startswith("@"):
                facet = name[1:]
                subject = self._group_subject(facet)
                kind = f"{subject}.{facet}"
            else:
                subject, kind = name.split(".")[0], name
            if subject is not None and self._ok(subject, kind, clause, None):
                self._emit(kind, 0, m.group(0), None)


@lru_cache(maxsize=8192)
def sentence_claims(sentence: str, year: int | None = None) -> tuple[tuple[str, float, str], ...]:
    """(kind, value, keyword) for every claim in one normalised sentence of a report of ``year``."""
    if not any(q in sentence for q in _QUICK):
        return ()
    reader = _Reader(sentence, year)
    for clause in _CLAUSE_SPLIT.split(sentence):
        reader.clause(clause)
    return tuple(reader.out)


def claims(report: Report) -> Iterator[Claim]:
    """Every claim in the report's prose sections (一, 五, 六 and off-format prose sections)."""
    for sent in report_sentences(report, semicolon=False):
        for kind, value, keyword in sentence_claims(sent.text, report.year):
            yield Claim(kind, value, sent, keyword)


def all_done_sentences(report: Report) -> Iterator[Sentence]:
    """Sentences saying every application was completed (所有申请均已办结 …), without naming a carry-over."""
    for sent in report_sentences(report, semicolon=False):
        s = sent.text
        if _ALL_DONE.search(s) and not re.search(r"结转下|结转至|结转到|转入下|转下|顺延|除", s) and not _NOT_APPLICATIONS.search(s):
            yield sent
