"""Text helpers for the reviewer rules: narrative sections, sentences, similarity of passages."""

from __future__ import annotations

import re
from functools import lru_cache
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple
from difflib import SequenceMatcher

from ..report.model import Report, Section
from ._numbers import normalise

# sections that hold tables (their body is the flattened table, not narrative)
TABLE_SECTIONS = ("二", "三", "四")
_SENT_END = "。；！？!?;"
_SENT_END_FULL = "。！？!?"
# a line break inside a sentence (PDF/Markdown wrapping): the line does not end a sentence and the next
# line does not start a heading or an enumeration
_SOFT_BREAK = re.compile(r"\n(?<![。；！？!?;：:]\n)(?!\s*(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+[、.．]|\d+[、.．]|[一二三四五六七八九十]是))")
_PUNCT = re.compile(r"[\s，。、；：:,.;！？!?（）()“”\"'《》〈〉【】\[\]—\-…·]")


class Sentence(NamedTuple):
    """One sentence of a narrative section (a NamedTuple: rules build hundreds per report)."""

    text: str  # normalised (NFKC digits, no inner spaces)
    section: Section

    @property
    def location(self) -> str:
        return self.section.title


def narrative_sections(report: Report) -> list[Section]:
    """Sections that are prose: every section except the ones mapped onto 二/三/四 (tables)."""
    return [s for s in report.sections if s.canonical not in TABLE_SECTIONS]


@lru_cache(maxsize=1024)
def sentences(text: str, *, semicolon: bool = True) -> tuple[str, ...]:
    """Split on 。；！？ (``semicolon=False``: not on ；) and line breaks; normalised; empty pieces dropped.

    Pure and memoised: several rules read the same sections' sentences during one check."""
    # normalising the whole text first is the same as normalising each sentence (it never touches
    # a sentence end or a line break) and much cheaper; then a line break after each sentence end
    text = normalise(_SOFT_BREAK.sub("", text))
    for end in _SENT_END if semicolon else _SENT_END_FULL:
        if end in text:
            text = text.replace(end, end + "\n")
    return tuple(p for piece in text.split("\n") if (p := piece.strip()))


def report_sentences(
    report: Report, sections: list[Section] | None = None, *, semicolon: bool = True
) -> Iterator[Sentence]:
    for sec in sections if sections is not None else narrative_sections(report):
        for s in sentences(sec.text, semicolon=semicolon):
            yield Sentence(s, sec)


def section_text(report: Report, canonical: str) -> str | None:
    sec = report.section(canonical)
    return None if sec is None else sec.text


def narrative_text(report: Report) -> str:
    return "\n".join(s.text for s in narrative_sections(report))


def short(text: str, limit: int = 80) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------- similarity


def _for_compare(text: str, names: tuple[str, ...] = ()) -> str:
    """Text reduced for comparison: no punctuation/spaces, years and agency names masked."""
    return _masked(normalise(text), names)


def _masked(t: str, names: tuple[str, ...] = ()) -> str:
    """``_for_compare`` of a text already through ``normalise``."""
    for n in sorted({n for n in names if n}, key=len, reverse=True):
        t = t.replace(n, "Ａ")
    t = re.sub(r"(19|20)\d\d", "Ｙ", t)
    return _PUNCT.sub("", t)


@dataclass(frozen=True)
class Similarity:
    ratio: float  # 0..1, share of characters in common passages (both texts)
    passages: tuple[str, ...]  # the longest common passages, longest first
    length: int  # length of the shorter compared text


def similarity(a: str, b: str, names: tuple[str, ...] = (), min_passage: int = 12) -> Similarity:
    """How much of ``a`` and ``b`` is the same text (years and the given names ignored)."""
    return _similarity(a, _for_compare(a, names), _for_compare(b, names), names, min_passage)


def similar_at_least(a: str, b: str, threshold: float, names: tuple[str, ...] = (), min_passage: int = 12) -> Similarity | None:
    """:func:`similarity` when it may reach ``threshold``; ``None`` when it cannot (a cheap upper bound says so).

    Every character of a common passage lies in a ``min_passage``-long piece of ``a`` that also occurs
    in ``b`` (and the other way round), so the share of such characters bounds the ratio."""
    x, y = _for_compare(a, names), _for_compare(b, names)
    if not x or not y:
        return Similarity(0.0, (), 0)
    bound = 2 * min(_covered(x, y, min_passage), _covered(y, x, min_passage)) / (len(x) + len(y))
    if round(bound, 3) < threshold:  # the ratio is rounded to 3 places before it is compared
        return None
    return _similarity(a, x, y, names, min_passage)


def _covered(x: str, y: str, k: int) -> int:
    """Characters of ``x`` inside a ``k``-long piece that also occurs in ``y``."""
    pieces = {y[i : i + k] for i in range(len(y) - k + 1)}
    covered, reach = 0, 0
    for i in range(len(x) - k + 1):
        if x[i : i + k] in pieces:
            covered += i + k - max(i, reach)
            reach = i + k
    return covered


def _similarity(a: str, x: str, y: str, names: tuple[str, ...], min_passage: int) -> Similarity:
    if not x or not y:
        return Similarity(0.0, (), 0)
    sm = SequenceMatcher(None, x, y, autojunk=False)
    blocks = [blk for blk in sm.get_matching_blocks() if blk.size >= min_passage]
    common = sum(blk.size for blk in blocks)
    ratio = 2 * common / (len(x) + len(y))
    # show the passages as written: the sentences of ``a`` that also stand in ``b``
    shared = [s for s in sentences(a) if len(_for_compare(s, names)) >= min_passage and _for_compare(s, names) in y]
    if not shared:
        shared = [x[blk.a : blk.a + blk.size] for blk in sorted(blocks, key=lambda b_: -b_.size)]
    passages = tuple(sorted(shared, key=len, reverse=True)[:3])
    return Similarity(round(ratio, 3), passages, min(len(x), len(y)))


# --------------------------------------------------------------------------- names


def self_names(report: Report) -> tuple[str, ...]:
    """The agency's own name and the short forms a report uses for itself (青禾县人民政府 → 青禾县, 青禾)."""
    a = (report.agency or "").strip()
    if not a:
        return ()
    names = {a}
    head = re.sub(r"(人民政府|政府)$", "", a)
    names.add(head)
    m = re.match(r"^(.+?(?:省|自治区|市|自治州|州|盟|县|自治县|旗|区|镇|乡|街道))", head)
    if m:
        names.add(m.group(1))
    return tuple(n for n in names if len(n) >= 2)
