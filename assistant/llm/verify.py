"""Checks on what a model wrote, shared by ask and draft (deterministic, no model involved).

* **markers** — ``[n]`` must name a passage the model was given; others are removed and flagged;
* **articles** — every ``《…》第N条`` must be an article in the index (a hallucinated article or a
  wrong number is flagged; a law the index does not hold is flagged as not checkable);
* **numbers** — every number must trace to a cell, a computed figure, a retrieved text or the
  question; an untraceable number is flagged with its sentence.

A flag is a plain dict (``kind``, ``problem`` in Chinese, and what it concerns) so it goes into
JSON, the app and the CLI unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from ..rules._numbers import cn_to_int

CN = "零〇一二两三四五六七八九十百千"
# [1] ［1］ 【1】 and lists [1,2] [1、2] [1][2]
MARKER_RE = re.compile(r"[\[［【]\s*(\d{1,2}(?:\s*[,，、]\s*\d{1,2})*)\s*[\]］】]")
ARTICLE_RE = re.compile(rf"《([^《》\n]{{2,40}}?)》\s*(?:第([{CN}\d]+)条(?:之([{CN}]+))?)")
FOLLOW_RE = re.compile(rf"^\s*(?:[、，,和及与或]|以及)\s*第([{CN}\d]+)条(?:之([{CN}]+))?")
ALIASES = {"条例": "政府信息公开条例", "政府信息公开条例": "政府信息公开条例"}
COUNTRY = "中华人民共和国"

Flag = dict[str, Any]


# -- numbers in Chinese ------------------------------------------------------------------------
def int_to_cn(n: int) -> str:
    """36 → 三十六, 10 → 十, 105 → 一百零五 (article numbers as the texts write them)."""
    from ..report.readers.numbering import chinese_counting

    return chinese_counting(n)


def article_name(num: str, sub: str | None = None) -> str:
    """``36`` or ``三十六`` (+ ``一``) → ``第三十六条`` (``第三十六条之一``)."""
    n = int(num) if num.isdigit() else cn_to_int(num)
    core = int_to_cn(n) if n is not None else num
    return f"第{core}条" + (f"之{sub}" if sub else "")


def short_law(name: str) -> str:
    name = name.strip()
    if name.startswith(COUNTRY):
        name = name[len(COUNTRY) :]
    return ALIASES.get(name, name)


# -- markers ---------------------------------------------------------------------------------
def clean_markers(text: str, valid: Iterable[int]) -> tuple[str, list[int], list[Flag]]:
    """(text with only valid ``[n]`` kept and normalised, markers used in order, flags)."""
    ok = set(valid)
    used: list[int] = []
    flags: list[Flag] = []

    def sub(m: re.Match[str]) -> str:
        nums = [int(x) for x in re.split(r"\s*[,，、]\s*", m.group(1).strip())]
        keep = []
        for n in nums:
            if n in ok:
                keep.append(n)
                if n not in used:
                    used.append(n)
            else:
                flags.append({"kind": "unknown_marker", "marker": f"[{n}]", "problem": f"引用标记[{n}]没有对应的检索段落，已删除"})
        return "".join(f"[{n}]" for n in keep)

    return MARKER_RE.sub(sub, text), used, flags


class MarkerFilter:
    """The same cleaning for a stream: holds back a possible marker until it is complete."""

    def __init__(self, valid: Iterable[int]):
        self.valid = set(valid)
        self.buf = ""

    def feed(self, piece: str) -> str:
        self.buf += piece
        out = []
        while self.buf:
            i = min((self.buf.find(c) for c in "[［【" if c in self.buf), default=-1)
            if i < 0:
                out.append(self.buf)
                self.buf = ""
                break
            out.append(self.buf[:i])
            rest = self.buf[i:]
            m = MARKER_RE.match(rest)
            if m:
                out.append(clean_markers(m.group(0), self.valid)[0])
                self.buf = rest[m.end() :]
                continue
            if len(rest) < 12 and re.fullmatch(r"[\[［【][\d\s,，、]*", rest):
                self.buf = rest  # might still become a marker: wait for more
                break
            out.append(rest[0])
            self.buf = rest[1:]
        return "".join(out)

    def flush(self) -> str:
        out, self.buf = self.buf, ""
        return out


# -- article citations -------------------------------------------------------------------------
def cited_articles(text: str) -> list[tuple[str, str, str]]:
    """[(law short name, 第N条, as written)] for every ``《法》第N条`` and the ``、第M条`` after it."""
    out: list[tuple[str, str, str]] = []
    for m in ARTICLE_RE.finditer(text):
        law = short_law(m.group(1))
        out.append((law, article_name(m.group(2), m.group(3)), m.group(0)))
        pos = m.end()
        while f := FOLLOW_RE.match(text[pos:]):
            out.append((law, article_name(f.group(1), f.group(2)), f"《{m.group(1)}》" + f.group(0).strip(" 、，,和及与或以")))
            pos += f.end()
    return out


def check_articles(text: str, index: Mapping[str, set[str]]) -> list[Flag]:
    flags: list[Flag] = []
    seen: set[tuple[str, str]] = set()
    for law, art, written in cited_articles(text):
        if (law, art) in seen:
            continue
        seen.add((law, art))
        if law not in index:
            flags.append({"kind": "unchecked_law", "citation": written, "problem": f"知识库中没有《{law}》，无法核对“{written}”"})
        elif art not in index[law]:
            flags.append({"kind": "unknown_article", "citation": written, "problem": f"“{written}”在知识库的《{law}》中不存在，可能是条号错误或编造"})
    return flags


# -- numbers ---------------------------------------------------------------------------------
_SKIP_RE = re.compile(
    rf"(?m)^\s*\d{{1,2}}[.、．](?!\d)|[（(]\d{{1,2}}[)）]|〔\d{{4}}〕\d+号|[（(]\d{{4}}[)）]|第[{CN}\d]+[条款项章节号批次]|[\[［【][\d,，、\s]+[\]］】]|《[^》]*》|[{CN}]+[、是](?=\S)|\d{{4}}-\d{{2}}-\d{{2}}"
)
_NUM_RE = re.compile(rf"(\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(%|％)?|([{CN}]{{1,6}})(?=\s*(?:个工作日|个月|件|日|天|年|项|次|人|名|万元|元|倍|个|条|家|批))")


def numbers(text: str, *, loose: bool = False) -> list[tuple[float, str]]:
    """[(value, as written)] of the quantities in ``text`` (ordinals, markers, document numbers and
    titles skipped). ``loose`` also takes bare Chinese numerals (for source texts)."""
    text = _SKIP_RE.sub(" ", text)
    out: list[tuple[float, str]] = []
    for m in _NUM_RE.finditer(text):
        if m.group(1):
            out.append((float(m.group(1).replace(",", "")), m.group(0).strip()))
        elif m.group(3):
            v = cn_to_int(m.group(3))
            if v is not None:
                out.append((float(v), m.group(3)))
    if loose:
        for m in re.finditer(rf"[{CN}]{{1,6}}", text):
            v = cn_to_int(m.group(0))
            if v is not None:
                out.append((float(v), m.group(0)))
    return out


def allowed_numbers(*texts: str, values: Iterable[float | int | None] = ()) -> set[float]:
    out = {float(v) for v in values if v is not None}
    for t in texts:
        out.update(v for v, _ in numbers(t, loose=True))
    return out


def _traced(v: float, allowed: set[float], percent: bool) -> bool:
    if v in allowed:
        return True
    for a in allowed:
        if abs(v - a) <= 0.051 or (percent and abs(v - a) < 0.5):
            return True
    return False


def untraced_numbers(text: str, allowed: set[float], *, ignore_small: bool = True) -> list[Flag]:
    """Numbers in ``text`` that are in none of the allowed values, with their sentence
    (``ignore_small``: 0 and 1 pass, as in “1 个平台”, too common to carry a claim)."""
    flags: list[Flag] = []
    seen: set[str] = set()
    for sent in re.split(r"(?<=[。！？；\n])", text):
        for v, written in numbers(sent):
            if ignore_small and v in (0, 1) and "%" not in written:  # “一是”, “1 个”: too common to carry meaning
                continue
            if _traced(v, allowed, "%" in written or "％" in written) or written in seen:
                continue
            seen.add(written)
            flags.append(
                {
                    "kind": "untraceable_number",
                    "number": written,
                    "sentence": sent.strip(),
                    "problem": f"数字“{written}”在检索到的条文、报告数据和问题中都找不到来源，请核实",
                }
            )
    return flags
