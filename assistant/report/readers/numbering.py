"""Word automatic numbering: the "一、" / "（二）" / "3." that Word draws but does not store as text.

Drafts often number section titles and table rows automatically; without the number "一、总体情况"
reads as "总体情况". We follow ``numbering.xml`` (``w:num`` → ``w:abstractNum`` → ``w:lvl``:
start, numFmt, lvlText) and paragraph/style ``w:numPr``, keeping one counter set per list.
Bullets and unknown formats produce no prefix.
"""

from __future__ import annotations

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"

_DIGITS = "〇一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_HEAVENLY = "甲乙丙丁戊己庚辛壬癸"
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def chinese_counting(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (what Word's chineseCounting writes)."""
    if n <= 0:
        return str(n)
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        tail = "" if rest == 0 else ("零" + _DIGITS[rest] if rest < 10 else chinese_counting(rest) if rest >= 20 else "一" + chinese_counting(rest))
        return _DIGITS[n // 100] + "百" + tail
    return str(n)


def _roman(n: int) -> str:
    out = []
    for value, letters in _ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def _letters(n: int) -> str:
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str | None:
    """The counter ``n`` in Word's ``numFmt``; None for bullets and formats we do not draw."""
    if fmt in ("decimal", "decimalZero", "arabicAbjad"):
        return f"{n:02d}" if fmt == "decimalZero" else str(n)
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "chineseLegalSimplified"):
        return chinese_counting(n)
    if fmt in ("ideographDigital",):
        return "".join(_DIGITS[int(d)] for d in str(n))
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return str(n)  # the readers normalise full-width digits to ASCII anyway
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return _CIRCLED[n - 1] if 0 < n <= len(_CIRCLED) else str(n)
    if fmt in ("ideographTraditional",):
        return _HEAVENLY[(n - 1) % 10]
    if fmt == "upperLetter":
        return _letters(n)
    if fmt == "lowerLetter":
        return _letters(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "none":
        return ""
    return None


def _val(el: etree._Element | None, child: str) -> str | None:
    if el is None:
        return None
    found = el.find(_W + child)
    return None if found is None else found.get(_W + "val")


class Numbering:
    """Counters for one document; ``prefix(p)`` advances them like Word does while drawing."""

    def __init__(self, numbering_xml: etree._Element | None, styles_xml: etree._Element | None) -> None:
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # abstractNumId → ilvl → (start, fmt, text)
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId → (abstractNumId, start overrides)
        self.style_num: dict[str, tuple[str, int]] = {}  # styleId → (numId, ilvl)
        self.counters: dict[str, dict[int, int]] = {}
        if numbering_xml is not None:
            self._read_numbering(numbering_xml)
        if styles_xml is not None:
            self._read_styles(styles_xml)

    def _read_numbering(self, root: etree._Element) -> None:
        for abstract in root.iter(_W + "abstractNum"):
            aid = abstract.get(_W + "abstractNumId") or ""
            levels = {}
            for lvl in abstract.iter(_W + "lvl"):
                ilvl = int(lvl.get(_W + "ilvl") or 0)
                start = _val(lvl, "start")
                levels[ilvl] = (int(start) if start and start.isdigit() else 1, _val(lvl, "numFmt") or "decimal",
                                _val(lvl, "lvlText") or "")
            self.levels[aid] = levels
        for num in root.iter(_W + "num"):
            overrides = {}
            for o in num.iter(_W + "lvlOverride"):
                start = _val(o, "startOverride")
                if start and start.isdigit():
                    overrides[int(o.get(_W + "ilvl") or 0)] = int(start)
            self.nums[num.get(_W + "numId") or ""] = (_val(num, "abstractNumId") or "", overrides)

    def _read_styles(self, root: etree._Element) -> None:
        based: dict[str, str] = {}
        direct: dict[str, tuple[str | None, int]] = {}
        for style in root.iter(_W + "style"):
            sid = style.get(_W + "styleId") or ""
            if (b := _val(style, "basedOn")) is not None:
                based[sid] = b
            num_pr = style.find(f"{_W}pPr/{_W}numPr")
            if num_pr is not None:
                ilvl = _val(num_pr, "ilvl")
                direct[sid] = (_val(num_pr, "numId"), int(ilvl) if ilvl and ilvl.isdigit() else 0)
        for sid in set(direct) | set(based):
            seen, cur = set(), sid
            while cur and cur not in direct and cur not in seen:
                seen.add(cur)
                cur = based.get(cur, "")
            if cur in direct and direct[cur][0]:
                self.style_num[sid] = (direct[cur][0] or "", direct[cur][1])

    def prefix(self, p: etree._Element) -> str:
        ppr = p.find(_W + "pPr")
        if ppr is None:
            return ""
        num_pr = ppr.find(_W + "numPr")
        num_id, ilvl = None, 0
        if num_pr is not None:
            num_id = _val(num_pr, "numId")
            lv = _val(num_pr, "ilvl")
            ilvl = int(lv) if lv and lv.isdigit() else 0
        if num_id is None:
            style = _val(ppr, "pStyle")
            if style in self.style_num:
                num_id, style_lvl = self.style_num[style]
                ilvl = ilvl or style_lvl
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        abstract_id, overrides = self.nums[num_id]
        levels = self.levels.get(abstract_id, {})
        if ilvl not in levels:
            return ""
        key = f"{abstract_id}/{num_id}" if overrides else abstract_id
        counters = self.counters.setdefault(key, {})
        start = overrides.get(ilvl, levels[ilvl][0])
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        text = levels[ilvl][2]
        for lvl in range(ilvl, -1, -1):
            if f"%{lvl + 1}" not in text:
                continue
            fmt_lvl = levels.get(lvl, (1, "decimal", ""))
            value = counters.get(lvl, overrides.get(lvl, fmt_lvl[0]))
            shown = format_number(value, fmt_lvl[1])
            if shown is None:
                return ""
            text = text.replace(f"%{lvl + 1}", shown)
        if levels[ilvl][1] == "bullet":
            return ""
        return text
