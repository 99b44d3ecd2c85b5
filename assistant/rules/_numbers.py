"""Numbers in Chinese report sentences: "5件", "五件", "1,234件", "十二件", "12.5万元", "3940元".

Vague amounts ("近百件", "700余篇", "数十件", "约20件", "超过30件") and ratios ("同比增长20%") are not
numbers a rule can compare with a cell: :func:`find_counts` leaves them out.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ..report.values import nfkc

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
CN_NUM_CHARS = "零〇一二两三四五六七八九十百千万"

# a count: arabic (with thousands commas) or Chinese numerals, then 件 (optionally 次/项/个/人次)
_COUNT_RE = re.compile(
    rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d+|[{CN_NUM_CHARS}]+)\s*(?P<unit>件|宗|次|项|个)"
)
# an amount of money: 12.5万元 / 3940元 / 3,940.00元
_MONEY_RE = re.compile(r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<unit>万元|元)")
_VAGUE_BEFORE = re.compile(r"(近|约|逾|超过|超|将近|大约|上|数|几|多达|不足|不到|少于|多于|余)$")
_VAGUE_AFTER = re.compile(r"^(余|多|左右|以上|以下|上下)")


def cn_to_int(text: str) -> int | None:
    """Chinese numerals to int: 五 → 5, 十二 → 12, 一百二十 → 120, 二〇 → 20; None when not a number."""
    if not text:
        return None
    if all(ch in _CN_DIGITS for ch in text):  # digit by digit: 二〇二四
        if len(text) == 1:
            return _CN_DIGITS[text]
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in "零〇":
            continue
        if ch in _CN_DIGITS:
            if digit is not None:  # 二二 inside a unit expression is not a number
                return None
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            unit = _CN_UNITS[ch]
            if unit == 10000:
                section = (section + (digit or 0)) * unit
                total += section
                section = 0
            else:
                section += (1 if digit is None else digit) * unit
            digit = None
        else:
            return None
    return total + section + (digit or 0)


class Count(NamedTuple):
    value: int
    start: int  # offset of the number in the text
    end: int  # offset just after the unit
    unit: str


def _vague(text: str, start: int, end_num: int) -> bool:
    before = text[max(0, start - 2) : start]
    after = text[end_num : end_num + 2]
    return bool(_VAGUE_BEFORE.search(before) or _VAGUE_AFTER.match(after))


_NUM_TAIL = re.compile(rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+|[{CN_NUM_CHARS}]+)$")


def _count_matches(text: str, units: tuple[str, ...]) -> list[tuple[int, int, int, str, str]]:
    """What ``_COUNT_RE.finditer`` would find with one of ``units``: (start, end of number, end, number, unit).

    Found from each unit backwards (a clause has a few 件, and scanning every character with the
    regex was most of the narrative rules' time): the number is the run of digits, commas and
    Chinese numerals right before the unit, read from its leftmost start that still reaches the unit."""
    found = []
    for unit in units:
        at = text.find(unit)
        while at >= 0:
            end_num = at
            while end_num > 0 and text[end_num - 1].isspace():
                end_num -= 1
            start = end_num
            while start > 0 and (text[start - 1].isdecimal() or text[start - 1] == "," or text[start - 1] in CN_NUM_CHARS):
                start -= 1
            if start < end_num and (m := _NUM_TAIL.search(text, start, end_num)) is not None:
                found.append((m.start(), end_num, at + len(unit), m.group(), unit))
            at = text.find(unit, at + len(unit))
    return sorted(found)


def find_counts(text: str, units: tuple[str, ...] = ("件",)) -> list[Count]:
    """Exact counts with one of ``units`` in ``text`` (already NFKC-normalised), vague ones left out."""
    out = []
    for start, end_num, end, num, unit in _count_matches(text, units):
        if text[end : end + 1] == "事":  # 办成“一件事”
            continue
        raw = num.replace(",", "")
        if raw.isdigit():
            value: int | None = int(raw)
            # "2024年3件" style glue or a year: a 4-digit number right after 年/月 is not ours
            if start > 0 and text[start - 1].isdigit():
                continue
        else:
            value = cn_to_int(raw)
            # "一是…" style enumerations never end in 件; still, refuse digit-by-digit Chinese over one char
            if value is None or (len(raw) > 1 and all(ch in _CN_DIGITS for ch in raw)):
                continue
        # a decimal count ("1.5件") is not a count
        if start > 1 and text[start - 1] == "." and text[start - 2].isdigit():
            continue
        if _vague(text, start, end_num):
            continue
        out.append(Count(value, start, end, unit))
    return out


def find_money(text: str) -> list[tuple[float, int, int]]:
    """Amounts of money in 万元: ``(amount_wan, start, end)``; "3940元" → 0.394."""
    out = []
    for m in _MONEY_RE.finditer(text):
        if m.start() > 0 and (text[m.start() - 1].isdigit() or text[m.start() - 1] == "."):
            continue
        if _vague(text, m.start(), m.end("num")):
            continue
        v = float(m.group("num").replace(",", ""))
        if m.group("unit") == "元":
            v = v / 10000
        out.append((round(v, 6), m.start(), m.end()))
    return out


_INNER_SPACE = re.compile(r"[ \t\r\f\v]+")


def normalise(text: str) -> str:
    """NFKC digits, no spaces inside the text (PDF line breaks inside sentences are removed)."""
    t = nfkc(text)
    return _INNER_SPACE.sub("", t)
